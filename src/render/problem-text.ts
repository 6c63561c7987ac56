/**
 * A failure as a table shows it (status's Problem column): the error code and the first sentence of
 * the message, cut with … to a width. Azure's 400 messages run to hundreds of characters ("Metric: X
 * does not support requested dimension combination: ..., supported ones are: ..., TraceId: {...}")
 * and would wrap the table over many lines; JSON, CSV and the note on stderr keep the whole message.
 * Pure.
 */
import { truncateText } from './text-width.js';

/** The widest a failure is shown in a table cell ("failed: " included). */
export const PROBLEM_WIDTH = 80;

/** "BadRequest: Azure Monitor answered HTTP 400 BadRequest: Metric: ...": the code is said once. */
const ANSWERED = /^Azure Monitor answered HTTP \d{3}(?: [\w.]+)?: /;

/** Where a message's first sentence ends: ". " or "; ", a line break, or Azure's ", TraceId: {...}". */
const SENTENCE_END = /\.\s|;\s|\r?\n|,\s*TraceId\b/;

/** "<code>: <message>" (or a message alone) shortened to its code and first sentence, at most `width` columns. */
export function shortProblem(error: string, width: number): string {
  const coded = /^([A-Za-z][\w.]*): ([\s\S]*)$/.exec(error.trim());
  const [code, message] = coded ? [coded[1]!, coded[2]!] : [undefined, error.trim()];
  const rest = message.replace(ANSWERED, '');
  const end = SENTENCE_END.exec(rest);
  const sentence = end ? `${rest.slice(0, end.index)}${end[0].startsWith('.') ? '.' : ''}` : rest;
  const text = (code === undefined ? sentence : `${code}: ${sentence}`).replace(/\s+/g, ' ').trim();
  return truncateText(text, width);
}

/**
 * The dimension filters of `az monitor metrics list --filter`, in the simple forms it documents:
 * `Dim eq 'a'` terms joined by `or` on one dimension and by `and` between dimensions, a group in
 * parentheses allowed: "Operation eq 'A' or Operation eq 'B' and StatusCode eq '*'". `eq '*'` means
 * one series per value (our --split-by). Anything else (ne, startswith, nested groups, `or` across
 * dimensions) is refused with one line saying what is accepted.
 */
import { UsageError } from '../errors.js';
import { safeText } from '../render/safe.js';

export interface ODataTerm {
  /** The dimension as written. */
  readonly dimension: string;
  /** The values asked for, or '*' for one series per value. */
  readonly values: readonly string[] | '*';
}

const ACCEPTED =
  "acs-metrics accepts Dim eq 'value' terms joined by or (one dimension) and and (between dimensions), e.g. \"Operation eq 'SendChatMessage' or Operation eq 'GetChatMessage' and StatusCode eq '*'\"";
const TERM = /^\s*([A-Za-z][\w.]*)\s+eq\s+'((?:[^']|'')*)'\s*$/i;

function refuse(filter: string, why: string): never {
  throw new UsageError(`unsupported --filter "${safeText(filter)}": ${why}; ${ACCEPTED}`);
}

/** Splits on a keyword outside quotes. */
function splitOutsideQuotes(text: string, keyword: 'and' | 'or'): string[] {
  const parts: string[] = [];
  const re = new RegExp(`\\s+${keyword}\\s+`, 'iy');
  let quoted = false;
  let last = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === "'") quoted = !quoted;
    if (quoted) continue;
    re.lastIndex = i;
    const m = re.exec(text);
    if (m && i > 0) {
      parts.push(text.slice(last, i));
      last = i + m[0].length;
      i = last - 1;
    }
  }
  parts.push(text.slice(last));
  return parts;
}

export function parseODataFilter(filter: string): ODataTerm[] {
  if (filter.trim() === '') refuse(filter, 'it is empty');
  const terms: ODataTerm[] = [];
  for (const raw of splitOutsideQuotes(filter.trim(), 'and')) {
    let group = raw.trim();
    if (group.startsWith('(') && group.endsWith(')')) group = group.slice(1, -1);
    const alternatives = splitOutsideQuotes(group, 'or').map((alt) => {
      const m = TERM.exec(alt);
      if (!m) refuse(filter, `"${safeText(alt.trim())}" is not of the form Dim eq 'value'`);
      return { dimension: m[1]!, value: m[2]!.replace(/''/g, "'") };
    });
    const dimension = alternatives[0]!.dimension;
    if (alternatives.some((a) => a.dimension.toLowerCase() !== dimension.toLowerCase())) {
      refuse(filter, `"or" joins different dimensions (${[...new Set(alternatives.map((a) => a.dimension))].join(', ')})`);
    }
    if (terms.some((t) => t.dimension.toLowerCase() === dimension.toLowerCase())) refuse(filter, `${dimension} appears in two "and" terms`);
    const values = alternatives.map((a) => a.value);
    if (values.includes('*') && values.length > 1) refuse(filter, `${dimension} eq '*' cannot be combined with other values`);
    terms.push({ dimension, values: values[0] === '*' ? '*' : [...new Set(values)] });
  }
  return terms;
}

/**
 * Report lines (not tables) fitted to a width: fields separated by two spaces, broken between fields
 * onto continuation lines indented under the first field, a field wider than a line wrapped at its
 * spaces. Plain text: callers colour the parts they know after fitting.
 */
import { displayWidth, wrapText } from './text-width.js';

const SEPARATOR = '  ';

/**
 * `prefix` then the fields, in lines of at most `width` columns (undefined: one line); later lines
 * start with `indent` spaces. The prefix stays whole on the first line.
 */
export function fitFields(prefix: string, fields: readonly string[], indent: number, width: number | undefined): string[] {
  const shown = fields.filter((f) => f !== '');
  if (width === undefined) return [[prefix + (shown[0] ?? ''), ...shown.slice(1)].join(SEPARATOR).trimEnd()];
  const lead = ' '.repeat(indent);
  const lines: string[] = [];
  let line = prefix;
  let bare = true;
  for (const field of shown) {
    const joined = bare ? line + field : line + SEPARATOR + field;
    if (displayWidth(joined) <= width) {
      line = joined;
      bare = false;
      continue;
    }
    if (!bare) {
      lines.push(line.trimEnd());
      line = lead;
    }
    // The field alone does not fit the room left: wrapped at its spaces, the last piece goes on.
    const pieces = wrapText(field, Math.max(width - displayWidth(line), 1));
    pieces.slice(0, -1).forEach((piece, i) => lines.push((i === 0 ? line : lead) + piece));
    line = (pieces.length > 1 ? lead : line) + pieces[pieces.length - 1]!;
    bare = false;
  }
  lines.push(line.trimEnd());
  return lines;
}

/**
 * Terminal display width of text: ANSI colour codes take no room, combining marks and zero-width
 * characters none, East Asian wide and fullwidth characters (and most emoji) two columns.
 */
// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;]*m/g;
// prettier-ignore
// eslint-disable-next-line no-misleading-character-class -- ranges of combining marks, on purpose
const ZERO = /[\u0300-\u036f\u0483-\u0489\u0591-\u05bd\u0610-\u061a\u064b-\u065f\u1ab0-\u1aff\u1dc0-\u1dff\u200b-\u200f\u20d0-\u20ff\ufe00-\ufe0f\ufe20-\ufe2f]/u;

function isWide(cp: number): boolean {
  return (
    (cp >= 0x1100 && cp <= 0x115f) ||
    (cp >= 0x2e80 && cp <= 0x303e) ||
    (cp >= 0x3041 && cp <= 0x33ff) ||
    (cp >= 0x3400 && cp <= 0x4dbf) ||
    (cp >= 0x4e00 && cp <= 0x9fff) ||
    (cp >= 0xa000 && cp <= 0xa4cf) ||
    (cp >= 0xac00 && cp <= 0xd7a3) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0xfe30 && cp <= 0xfe4f) ||
    (cp >= 0xff00 && cp <= 0xff60) ||
    (cp >= 0xffe0 && cp <= 0xffe6) ||
    (cp >= 0x1f300 && cp <= 0x1f64f) ||
    (cp >= 0x1f900 && cp <= 0x1f9ff) ||
    (cp >= 0x20000 && cp <= 0x3fffd)
  );
}

const charWidth = (ch: string): number => (ZERO.test(ch) ? 0 : isWide(ch.codePointAt(0)!) ? 2 : 1);

export function stripAnsi(text: string): string {
  return text.replace(ANSI, '');
}

/**
 * Text of characters that take one column each (printable ASCII, Latin-1 and the Latin letters after
 * it, box drawing and block elements: a table's lines and sparklines): its width is its length, found
 * by one native test instead of a test per character (a table's cells, at start-up).
 */
const NARROW = /^[\x20-\x7e\u00a0-\u02ff\u2500-\u259f]*$/;

/** Columns the text takes on a terminal (the widest line when it has several). */
export function displayWidth(text: string): number {
  if (NARROW.test(text)) return text.length;
  return slowWidth(text);
}

/** displayWidth character by character (exported for the test that compares the two). */
export function slowWidth(text: string): number {
  let max = 0;
  for (const line of stripAnsi(text).split('\n')) {
    let w = 0;
    for (const ch of line) w += charWidth(ch);
    if (w > max) max = w;
  }
  return max;
}

/** Text cut to at most `width` columns, ending in … when it was cut (plain text, no ANSI codes). */
export function truncateText(text: string, width: number): string {
  if (displayWidth(text) <= width) return text;
  if (width <= 0) return '';
  let out = '';
  let w = 0;
  for (const ch of text) {
    const cw = charWidth(ch);
    if (w + cw > width - 1) break;
    out += ch;
    w += cw;
  }
  return `${out}…`;
}

/**
 * Text cut to at most `width` columns in the middle: its start and its end kept around a …, so names
 * that differ only at the end (acs-contoso-prod-westeurope-00 and -01) stay apart (acs-cont…ope-00).
 * The start keeps the odd column. Plain text, no ANSI codes.
 */
export function truncateMiddle(text: string, width: number): string {
  if (displayWidth(text) <= width) return text;
  if (width <= 1) return truncateText(text, width);
  const chars = [...text];
  const room = width - 1;
  let tailWidth = 0;
  let tail = chars.length;
  while (tail > 0 && tailWidth + charWidth(chars[tail - 1]!) <= Math.floor(room / 2)) tailWidth += charWidth(chars[--tail]!);
  let head = '';
  let w = 0;
  for (const ch of chars.slice(0, tail)) {
    if (w + charWidth(ch) > room - tailWidth) break;
    head += ch;
    w += charWidth(ch);
  }
  return `${head}…${chars.slice(tail).join('')}`;
}

/**
 * Text wrapped into lines of at most `width` columns: breaks at spaces (a break after ", " keeps the
 * comma), a word longer than the line is cut into pieces (or, without breakWords, left whole on a
 * line of its own: a URL stays clickable). Plain text, no ANSI codes. Linear in the text's length:
 * each character is measured once.
 */
export function wrapText(text: string, width: number, breakWords = true): string[] {
  const w = Math.max(1, width);
  const lines: string[] = [];
  for (const paragraph of text.split('\n')) {
    let line = '';
    let lineWidth = 0;
    for (const word of paragraph.split(/ +/)) {
      let rest = word;
      let restWidth = displayWidth(rest);
      if (breakWords && restWidth > w) {
        if (line !== '') {
          lines.push(line);
          line = '';
          lineWidth = 0;
        }
        const chars = [...rest];
        let k = 0;
        // Whole pieces while what is left is wider than a line; a character wider than the line goes alone.
        while (restWidth > w) {
          let piece = '';
          let pieceWidth = 0;
          while (k < chars.length && (piece === '' || pieceWidth + charWidth(chars[k]!) <= w)) {
            pieceWidth += charWidth(chars[k]!);
            piece += chars[k++];
          }
          lines.push(piece);
          restWidth -= pieceWidth;
        }
        rest = chars.slice(k).join('');
      }
      if (rest === '') continue;
      if (line === '') {
        line = rest;
        lineWidth = restWidth;
      } else if (lineWidth + 1 + restWidth <= w) {
        line = `${line} ${rest}`;
        lineWidth += 1 + restWidth;
      } else {
        lines.push(line);
        line = rest;
        lineWidth = restWidth;
      }
    }
    lines.push(line);
  }
  return lines;
}

/**
 * Parts joined by `separator` into lines of at most `width` columns, breaking only between parts
 * (a part wider than the line is wrapped at spaces); one line when width is undefined.
 */
export function joinWrapped(parts: readonly string[], separator: string, width: number | undefined): string[] {
  if (width === undefined) return [parts.join(separator)];
  const lines: string[] = [];
  for (const part of parts) {
    const last = lines[lines.length - 1];
    if (last !== undefined && displayWidth(last) + displayWidth(separator) + displayWidth(part) <= width) {
      lines[lines.length - 1] = last + separator + part;
    } else lines.push(...wrapText(part, width));
  }
  return lines;
}

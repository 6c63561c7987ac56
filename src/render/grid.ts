/** A plain text table, as cli-table3 draws it (cli-table3 itself is loaded only for tables that need it). */
import { createRequire } from 'node:module';
import type TableType from 'cli-table3';
import { safeText } from './safe.js';

type TableCtor = typeof TableType;
let Table: TableCtor | undefined;

export interface GridOptions {
  /** Colour the header (the caller decides whether colour is on). */
  readonly color: boolean;
  /** Column alignment, by index. */
  readonly align?: readonly ('left' | 'right' | 'center')[];
  /** Style the header cells (for example chalk.bold); identity when colour is off. */
  readonly headStyle?: (text: string) => string;
  /** Wrap long cells at these widths, by index (undefined: no limit). */
  readonly colWidths?: readonly (number | null)[];
}

/** A cell: plain text, or text with a style (colour) applied after the text is made safe. */
export type Cell = string | { readonly text: string; readonly style?: (text: string) => string };

function cellText(cell: Cell): string {
  if (typeof cell === 'string') return safeText(cell);
  return cell.style ? cell.style(safeText(cell.text)) : safeText(cell.text);
}

/**
 * Renders rows under a header; every cell's text is made safe. Returns the table with a trailing newline.
 * Tables of one-line cells of printable ASCII (colour codes allowed) that need no wrapping are drawn
 * here, exactly as cli-table3 draws them (loading and running cli-table3 and string-width took a
 * quarter of a `catalog` run); anything else (wide or combining characters, wrapping) goes to cli-table3.
 */
export function renderGrid(head: readonly string[], rows: readonly (readonly Cell[])[], opts: GridOptions): string {
  const style = opts.headStyle ?? ((s: string) => s);
  const headTexts = head.map((h) => style(safeText(h)));
  const rowTexts = rows.map((row) => row.map(cellText));
  return drawSimple(headTexts, rowTexts, opts) ?? drawWithCliTable3(headTexts, rowTexts, opts);
}

/** The colour codes cli-table3 skips when it measures a cell. */
const ANSI = /\u001b\[(?:\d*;){0,5}\d*m/g;

/** The code that ends a style, for the styles chalk opens (bold, dim, italic, underline, colours). */
function closeOf(open: string): string | undefined {
  const n = Number(open.split(';')[0]);
  if (n === 1 || n === 2) return '22';
  if (n === 3) return '23';
  if (n === 4) return '24';
  if ((n >= 30 && n <= 38) || (n >= 90 && n <= 97)) return '39';
  if ((n >= 40 && n <= 48) || (n >= 100 && n <= 107)) return '49';
  return undefined;
}

const STYLED = /^((?:\u001b\[[\d;]*m)*)([^\u001b]*)((?:\u001b\[[\d;]*m)*)$/;

/** Whether the colour codes of a cell are styles opened before its text and closed after it, as chalk writes them. */
function balanced(text: string): boolean {
  const m = STYLED.exec(text);
  if (!m) return false;
  const codes = (s: string): string[] => s.split('\u001b[').slice(1).map((c) => c.slice(0, -1));
  const opens = codes(m[1]!);
  const closes = codes(m[3]!);
  return m[2] !== '' && opens.length === closes.length && opens.every((o, i) => closeOf(o) === closes[closes.length - 1 - i]);
}

/** Width of a one-line cell of printable ASCII (chalk's colour codes aside); undefined for anything else. */
function asciiWidth(text: string): number | undefined {
  const coloured = text.includes('\u001b');
  if (coloured && !balanced(text)) return undefined;
  const plain = coloured ? text.replace(ANSI, '') : text;
  for (let i = 0; i < plain.length; i++) {
    const c = plain.charCodeAt(i);
    // Printable ASCII, and the box and block characters of sparklines and bars (one column each in string-width).
    if ((c < 0x20 || c > 0x7e) && !(c >= 0x2500 && c <= 0x259f)) return undefined;
  }
  return plain.length;
}

/** cli-table3's drawing (compact, no border colours, padding 1) of a table that needs no wrapping; undefined otherwise. */
export function drawSimple(head: readonly string[], rows: readonly (readonly string[])[], opts: GridOptions): string | undefined {
  let columns = head.length;
  for (const row of rows) if (row.length > columns) columns = row.length;
  if (columns === 0 || (head.length > 0 && head.length !== columns) || (opts.colWidths && opts.colWidths.length !== columns)) return undefined;
  const widths = new Array<number>(columns).fill(0);
  const all = head.length > 0 ? [head, ...rows] : rows;
  for (const row of all) {
    // Short rows: cli-table3 sometimes stretches their last cell over the rest.
    if (row.length !== columns) return undefined;
    for (let i = 0; i < row.length; i++) {
      // With fixed widths cli-table3 wraps words, which drops colour codes even when the text fits.
      if (opts.colWidths && row[i]!.includes('\u001b')) return undefined;
      const w = asciiWidth(row[i]!);
      if (w === undefined) return undefined;
      if (w > widths[i]!) widths[i] = w;
    }
  }
  // Column widths with padding; a fixed width must hold every cell (else cli-table3 wraps).
  for (let i = 0; i < columns; i++) {
    const fixed = opts.colWidths?.[i];
    if (fixed !== undefined && fixed !== null) {
      if (widths[i]! + 2 > fixed) return undefined;
      widths[i] = fixed;
    } else widths[i] = widths[i]! + 2;
  }
  const rule = (l: string, m: string, r: string): string => `${l}${widths.map((w) => '─'.repeat(w)).join(m)}${r}`;
  const line = (row: readonly string[]): string => {
    let out = '│';
    for (let i = 0; i < columns; i++) {
      const text = row[i] ?? '';
      const room = widths[i]! - 2 - asciiWidth(text)!;
      const align = opts.align?.[i] ?? 'left';
      let cell: string;
      if (align === 'right') cell = ' '.repeat(room) + text;
      else if (align === 'center') {
        const right = Math.ceil(room / 2);
        cell = ' '.repeat(room - right) + text + ' '.repeat(right);
      } else cell = text + ' '.repeat(room);
      out += ` ${cell} │`;
    }
    return out;
  };
  const lines = [rule('┌', '┬', '┐')];
  if (head.length > 0) {
    lines.push(line(head));
    if (rows.length > 0) lines.push(rule('├', '┼', '┤'));
  }
  for (const row of rows) lines.push(line(row));
  lines.push(rule('└', '┴', '┘'));
  return `${lines.join('\n')}\n`;
}

/** The table drawn by cli-table3 (loaded on first use). */
export function drawWithCliTable3(head: readonly string[], rows: readonly (readonly string[])[], opts: GridOptions): string {
  Table ??= createRequire(import.meta.url)('cli-table3') as TableCtor;
  const table = new Table({
    head: [...head],
    style: { head: [], border: [], compact: true },
    ...(opts.align ? { colAligns: [...opts.align] } : {}),
    ...(opts.colWidths ? { colWidths: [...opts.colWidths], wordWrap: true } : {}),
  });
  for (const row of rows) table.push([...row]);
  return `${table.toString()}\n`;
}

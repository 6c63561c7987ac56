/** A plain text table, as cli-table3 draws it (cli-table3 itself is loaded only for tables that need it). */
import { createRequire } from 'node:module';
import type TableType from 'cli-table3';
import { type ColumnFit, fitColumns } from './fit.js';
import { safeText } from './safe.js';
import { displayWidth, truncateMiddle, truncateText, wrapText } from './text-width.js';

type TableCtor = typeof TableType;
let Table: TableCtor | undefined;

/**
 * How a column gives way when the table is too wide: `fixed` never (numbers), `truncate` cuts its
 * cells with … at the end (names), `middle` in the middle (resource names, which tend to differ at
 * the end: -prod-00, -prod-01), `wrap` breaks them into lines (descriptions, lists).
 */
export interface GridColumn {
  readonly mode?: 'fixed' | 'truncate' | 'middle' | 'wrap';
  /** Shrunk to this many columns first (never below the header). */
  readonly floor?: number;
  /** Shrunk to this when leaving columns out was not enough (never below the header). */
  readonly min?: number;
  /** Left out when the table does not fit: rank 1 goes first. */
  readonly drop?: number;
  /**
   * Left out only as a last resort, rank 1 first: after the `drop` columns are gone, every column is at
   * its `min` and every header is wrapped at spaces, and the table still does not fit.
   */
  readonly late?: number;
  /** `wrap` columns: wrap at this width even when the table has room. */
  readonly cap?: number;
}

export interface GridOptions {
  /** Colour the header (the caller decides whether colour is on). */
  readonly color: boolean;
  /** Column alignment, by index. */
  readonly align?: readonly ('left' | 'right' | 'center')[];
  /** Style the header cells (for example chalk.bold); identity when colour is off. */
  readonly headStyle?: (text: string) => string;
  /** Wrap long cells at these widths, by index (undefined: no limit). Not with `columns`. */
  readonly colWidths?: readonly (number | null)[];
  /** How each column fits the width (default: fixed). */
  readonly columns?: readonly GridColumn[];
  /** The table's width at most, borders included (undefined: no limit). */
  readonly width?: number;
  /** A rule between rows when a cell wrapped onto several lines. */
  readonly ruleWrapped?: boolean;
}

/** A cell: plain text, or text with a style (colour) applied after the text is made safe. */
export type Cell = string | { readonly text: string; readonly style?: (text: string) => string };

export const textOf = (cell: Cell): string => safeText(typeof cell === 'string' ? cell : cell.text);
const styleOf = (cell: Cell): ((t: string) => string) => (typeof cell === 'string' || !cell.style ? (t) => t : cell.style);

export interface GridLayout {
  readonly text: string;
  /** Headers of the columns left out for width. */
  readonly dropped: string[];
}

/** Renders rows under a header, fitted to opts.width; every cell's text is made safe. */
export function layoutGrid(head: readonly string[], rows: readonly (readonly Cell[])[], opts: GridOptions): GridLayout {
  const style = opts.headStyle ?? ((s: string) => s);
  const specs = head.map((_, i) => opts.columns?.[i] ?? {});
  const heads = head.map(safeText);
  const texts = rows.map((row) => row.map(textOf));
  const widths = gridWidths(heads, texts, opts);
  const keep = widths.map((w, i) => (w === null ? -1 : i)).filter((i) => i >= 0);
  let wrapped = false;
  const fitCell = (text: string, i: number): string => {
    const w = widths[i]!;
    if (displayWidth(text) <= w) return text;
    if (specs[i]!.mode === 'wrap') {
      wrapped = true;
      return wrapText(text, w).join('\n');
    }
    const mode = specs[i]!.mode;
    return mode === 'truncate' ? truncateText(text, w) : mode === 'middle' ? truncateMiddle(text, w) : text;
  };
  const body = rows.map((row, r) => keep.map((i) => styleOf(row[i] ?? '')(fitCell(texts[r]![i] ?? '', i))));
  const align = opts.align ? keep.map((i) => opts.align![i] ?? 'left') : undefined;
  // A header wider than its column (the last resort before leaving `late` columns out) wraps at
  // spaces, then inside camel-case names (StatusSubClass: Status / SubClass).
  const headCells = keep.map((i) =>
    displayWidth(heads[i]!) <= widths[i]!
      ? style(heads[i]!)
      : wrapHeader(heads[i]!, widths[i]!)
          .map((line) => style(line))
          .join('\n'),
  );
  const drawn = { color: opts.color, ...(align ? { align } : {}), ...(opts.colWidths && !opts.columns ? { colWidths: opts.colWidths } : {}) };
  // Simple cells (one line or several) are drawn here, byte for byte as cli-table3 would; the rest by cli-table3.
  const compact = !(wrapped && opts.ruleWrapped);
  const text = drawSimple(headCells, body, drawn, compact) ?? drawByLines(headCells, body, drawn, compact);
  return { text, dropped: widths.flatMap((w, i) => (w === null ? [heads[i]!] : [])) };
}

/** The width of each column fitted to opts.width (null: left out), for safe header and cell texts. */
export function gridWidths(heads: readonly string[], texts: readonly (readonly string[])[], opts: GridOptions): (number | null)[] {
  const fits: ColumnFit[] = heads.map((h, i) => {
    const spec = opts.columns?.[i] ?? {};
    const headW = displayWidth(h);
    // The last resort: the header wrapped at its spaces and camel-case humps (its longest piece), the
    // cells as for `min` (or as they are when narrower).
    const headWord = Math.max(0, ...headerPieces(h).map(displayWidth));
    const cells = Math.max(0, ...texts.map((r) => displayWidth(r[i] ?? '')));
    let natural = Math.max(headW, cells);
    if (spec.mode === 'wrap' && spec.cap !== undefined) natural = Math.min(natural, Math.max(spec.cap, headW));
    const late = spec.late;
    if ((spec.mode ?? 'fixed') === 'fixed') return { natural, tight: Math.max(cells, headWord), drop: spec.drop, late };
    const floor = Math.max(spec.floor ?? natural, headW);
    const tight = Math.max(Math.min(spec.min ?? spec.floor ?? natural, cells), headWord);
    return { natural, floor, min: Math.max(spec.min ?? floor, headW), tight, drop: spec.drop, late };
  });
  return fitColumns(fits, opts.width);
}

/** The pieces a header may wrap between: its words, and the humps of a camel-case word (Status, Sub, Class). */
function headerPieces(header: string): string[] {
  return header.split(' ').flatMap((word) => word.split(/(?<=[a-z])(?=[A-Z])/));
}

/** A header in lines of at most `width`: words joined by spaces, humps of one word joined as they were. */
export function wrapHeader(header: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of header.split(' ')) {
    word.split(/(?<=[a-z])(?=[A-Z])/).forEach((hump, k) => {
      const joined = line === '' ? hump : k === 0 ? `${line} ${hump}` : line + hump;
      if (line === '' || displayWidth(joined) <= width) line = joined;
      else {
        lines.push(line);
        line = hump;
      }
    });
  }
  lines.push(line);
  return lines.flatMap((l) => (displayWidth(l) <= width ? [l] : wrapText(l, width)));
}

/**
 * Renders rows under a header; every cell's text is made safe. Returns the table with a trailing newline.
 * Tables of one-line cells of printable ASCII (colour codes allowed) that need no wrapping are drawn
 * here, exactly as cli-table3 draws them (loading and running cli-table3 and string-width took a
 * quarter of a `catalog` run); anything else (wide or combining characters, wrapping) goes to cli-table3.
 */
export function renderGrid(head: readonly string[], rows: readonly (readonly Cell[])[], opts: GridOptions): string {
  if (head.length > 0) return layoutGrid(head, rows, opts).text;
  // Without a header there are no columns to fit: drawn as the rows come.
  const texts = rows.map((row) => row.map((c) => styleOf(c)(textOf(c))));
  return drawSimple([], texts, opts) ?? drawWithCliTable3([], texts, opts);
}

/** Lines of at most `width` columns (undefined: as they are), breaking text at spaces; words are never cut. */
export function wrapLines(text: string, width: number | undefined): string {
  if (width === undefined) return text;
  const trailing = text.endsWith('\n');
  const lines = (trailing ? text.slice(0, -1) : text).split('\n').flatMap((l) => (displayWidth(l) <= width ? [l] : wrapText(l, width, false)));
  return lines.join('\n') + (trailing ? '\n' : '');
}

/** The colour codes cli-table3 skips when it measures a cell. */
// eslint-disable-next-line no-control-regex -- colour codes are what it matches
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

// eslint-disable-next-line no-control-regex -- colour codes are what it matches
const STYLED = /^((?:\u001b\[[\d;]*m)*)([^\u001b]*)((?:\u001b\[[\d;]*m)*)$/;

/** Whether the colour codes of a cell are styles opened before its text and closed after it, as chalk writes them. */
function balanced(text: string): boolean {
  const m = STYLED.exec(text);
  if (!m) return false;
  const codes = (s: string): string[] =>
    s
      .split('\u001b[')
      .slice(1)
      .map((c) => c.slice(0, -1));
  const opens = codes(m[1]!);
  const closes = codes(m[3]!);
  return m[2] !== '' && opens.length === closes.length && opens.every((o, i) => closeOf(o) === closes[closes.length - 1 - i]);
}

/**
 * Width of one line of a cell whose characters string-width (cli-table3's measure) and displayWidth
 * agree on: printable ASCII, Latin letters, the box, block and arrow characters of tables, the … of a
 * cut cell (one column each), and CJK ideographs, kana and Hangul (two), chalk's colour codes aside;
 * undefined for anything else.
 */
function simpleWidth(text: string): number | undefined {
  const coloured = text.includes('\u001b');
  if (coloured && !balanced(text)) return undefined;
  const plain = coloured ? text.replace(ANSI, '') : text;
  let width = 0;
  for (let i = 0; i < plain.length; i++) {
    const c = plain.charCodeAt(i);
    if ((c >= 0x20 && c <= 0x7e) || (c >= 0xc0 && c <= 0x24f) || c === 0x2026 || (c >= 0x2500 && c <= 0x25ff)) width += 1;
    else if ((c >= 0x3041 && c <= 0x30ff) || (c >= 0x4e00 && c <= 0x9fff) || (c >= 0xac00 && c <= 0xd7a3)) width += 2;
    else return undefined;
  }
  return width;
}

/** A cell's lines and their widths, when every line is simple (see simpleWidth); undefined otherwise. */
function cellLines(text: string): { lines: string[]; widths: number[] } | undefined {
  const lines = text.split('\n');
  const widths: number[] = [];
  for (const line of lines) {
    const w = simpleWidth(line);
    if (w === undefined) return undefined;
    widths.push(w);
  }
  return { lines, widths };
}

/**
 * cli-table3's drawing (no border colours, padding 1; compact: no rule between rows) of a table of
 * simple cells (see simpleWidth), one line or several (each line drawn, shorter cells padded below);
 * undefined otherwise. Linear in the size of the table, where cli-table3 measures a cell's whole text
 * again for every line it draws.
 */
export function drawSimple(head: readonly string[], rows: readonly (readonly string[])[], opts: GridOptions, compact = true): string | undefined {
  let columns = head.length;
  for (const row of rows) if (row.length > columns) columns = row.length;
  if (columns === 0 || (head.length > 0 && head.length !== columns) || (opts.colWidths && opts.colWidths.length !== columns)) return undefined;
  const widths = new Array<number>(columns).fill(0);
  const all = head.length > 0 ? [head, ...rows] : rows;
  const measured: { lines: string[]; widths: number[] }[][] = [];
  for (const row of all) {
    // Short rows: cli-table3 sometimes stretches their last cell over the rest.
    if (row.length !== columns) return undefined;
    const cells: { lines: string[]; widths: number[] }[] = [];
    for (let i = 0; i < row.length; i++) {
      // With fixed widths cli-table3 wraps words, which drops colour codes even when the text fits.
      if (opts.colWidths && (row[i]!.includes('\u001b') || row[i]!.includes('\n'))) return undefined;
      const cell = cellLines(row[i]!);
      if (cell === undefined) return undefined;
      for (const w of cell.widths) if (w > widths[i]!) widths[i] = w;
      cells.push(cell);
    }
    measured.push(cells);
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
  const pad = (text: string, room: number, align: string): string => {
    if (align === 'right') return ' '.repeat(room) + text;
    if (align === 'center') {
      const right = Math.ceil(room / 2);
      return ' '.repeat(room - right) + text + ' '.repeat(right);
    }
    return text + ' '.repeat(room);
  };
  const rowLines = (cells: readonly { lines: string[]; widths: number[] }[]): string[] => {
    const height = Math.max(...cells.map((c) => c.lines.length));
    const out: string[] = [];
    for (let j = 0; j < height; j++) {
      let line = '│';
      for (let i = 0; i < columns; i++) {
        const text = cells[i]!.lines[j] ?? '';
        const room = widths[i]! - 2 - (cells[i]!.widths[j] ?? 0);
        line += ` ${pad(text, room, opts.align?.[i] ?? 'left')} │`;
      }
      out.push(line);
    }
    return out;
  };
  const lines = [rule('┌', '┬', '┐')];
  measured.forEach((cells, r) => {
    if (r > 0 && (!compact || (r === 1 && head.length > 0))) lines.push(rule('├', '┼', '┤'));
    lines.push(...rowLines(cells));
  });
  lines.push(rule('└', '┴', '┘'));
  return `${lines.join('\n')}\n`;
}

/**
 * cli-table3's drawing of cells of several lines, given to it one line per row: cli-table3 measures a
 * cell's whole text again for each line it draws (quadratic in a wrapped cell's length), so a cell of
 * 20,000 characters wrapped at 80 columns would take minutes. The rules between rows (after the
 * header; between every row when not compact) are put back where cli-table3 draws them.
 */
export function drawByLines(head: readonly string[], rows: readonly (readonly string[])[], opts: GridOptions, compact = true): string {
  const all = head.length > 0 ? [head, ...rows] : rows;
  if (opts.colWidths || all.every((row) => row.every((cell) => !cell.includes('\n')))) return drawWithCliTable3(head, rows, opts, compact);
  const columns = Math.max(...all.map((r) => r.length));
  const lines: string[][] = [];
  const heights: number[] = [];
  for (const row of all) {
    const cells = Array.from({ length: columns }, (_, i) => (row[i] ?? '').split('\n'));
    const height = Math.max(...cells.map((c) => c.length));
    heights.push(height);
    for (let j = 0; j < height; j++) lines.push(cells.map((c) => c[j] ?? ''));
  }
  const drawn = drawWithCliTable3([], lines, opts, true).split('\n');
  // drawn: the top border, one line per physical row, the bottom border, ''.
  const rule = drawn[0]!.replace('┌', '├').replaceAll('┬', '┼').replace('┐', '┤');
  const out = [drawn[0]!];
  let at = 1;
  heights.forEach((height, r) => {
    if (r > 0 && (!compact || (r === 1 && head.length > 0))) out.push(rule);
    out.push(...drawn.slice(at, at + height));
    at += height;
  });
  out.push(...drawn.slice(at));
  return out.join('\n');
}

/** The table drawn by cli-table3 (loaded on first use). */
export function drawWithCliTable3(head: readonly string[], rows: readonly (readonly string[])[], opts: GridOptions, compact = true): string {
  Table ??= createRequire(import.meta.url)('cli-table3') as TableCtor;
  const table = new Table({
    head: [...head],
    style: { head: [], border: [], compact },
    ...(opts.align ? { colAligns: [...opts.align] } : {}),
    ...(opts.colWidths ? { colWidths: [...opts.colWidths], wordWrap: true } : {}),
  });
  for (const row of rows) table.push([...row]);
  return `${table.toString()}\n`;
}

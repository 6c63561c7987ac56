/** A plain text table (cli-table3), loaded on first use so that paths without tables start fast. */
import { createRequire } from 'node:module';
import type TableType from 'cli-table3';
import { type ColumnFit, fitColumns } from './fit.js';
import { safeText } from './safe.js';
import { displayWidth, truncateText, wrapText } from './text-width.js';

type TableCtor = typeof TableType;
let Table: TableCtor | undefined;

/**
 * How a column gives way when the table is too wide: `fixed` never (numbers), `truncate` cuts its
 * cells with … (names), `wrap` breaks them into lines (descriptions, lists).
 */
export interface GridColumn {
  readonly mode?: 'fixed' | 'truncate' | 'wrap';
  /** Shrunk to this many columns first (never below the header). */
  readonly floor?: number;
  /** Shrunk to this when leaving columns out was not enough (never below the header). */
  readonly min?: number;
  /** Left out when the table does not fit: rank 1 goes first. */
  readonly drop?: number;
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
  Table ??= createRequire(import.meta.url)('cli-table3') as TableCtor;
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
    return specs[i]!.mode === 'truncate' ? truncateText(text, w) : text;
  };
  const body = rows.map((row, r) => keep.map((i) => styleOf(row[i] ?? '')(fitCell(texts[r]![i] ?? '', i))));
  const align = opts.align ? keep.map((i) => opts.align![i] ?? 'left') : undefined;
  const table = new Table({
    head: keep.map((i) => style(heads[i]!)),
    style: { head: [], border: [], compact: !(wrapped && opts.ruleWrapped) },
    ...(align ? { colAligns: align } : {}),
    ...(opts.colWidths && !opts.columns ? { colWidths: [...opts.colWidths], wordWrap: true } : {}),
  });
  for (const row of body) table.push(row);
  return { text: `${table.toString()}\n`, dropped: widths.flatMap((w, i) => (w === null ? [heads[i]!] : [])) };
}

/** The width of each column fitted to opts.width (null: left out), for safe header and cell texts. */
export function gridWidths(heads: readonly string[], texts: readonly (readonly string[])[], opts: GridOptions): (number | null)[] {
  const fits: ColumnFit[] = heads.map((h, i) => {
    const spec = opts.columns?.[i] ?? {};
    const headW = displayWidth(h);
    let natural = Math.max(headW, ...texts.map((r) => displayWidth(r[i] ?? '')));
    if (spec.mode === 'wrap' && spec.cap !== undefined) natural = Math.min(natural, Math.max(spec.cap, headW));
    if ((spec.mode ?? 'fixed') === 'fixed') return { natural, drop: spec.drop };
    const floor = Math.max(spec.floor ?? natural, headW);
    return { natural, floor, min: Math.max(spec.min ?? floor, headW), drop: spec.drop };
  });
  return fitColumns(fits, opts.width);
}

/** Renders rows under a header; every cell's text is made safe. Returns the table with a trailing newline. */
export function renderGrid(head: readonly string[], rows: readonly (readonly Cell[])[], opts: GridOptions): string {
  return layoutGrid(head, rows, opts).text;
}

/** Lines of at most `width` columns (undefined: as they are), breaking text at spaces; words are never cut. */
export function wrapLines(text: string, width: number | undefined): string {
  if (width === undefined) return text;
  const trailing = text.endsWith('\n');
  const lines = (trailing ? text.slice(0, -1) : text).split('\n').flatMap((l) => (displayWidth(l) <= width ? [l] : wrapText(l, width, false)));
  return lines.join('\n') + (trailing ? '\n' : '');
}

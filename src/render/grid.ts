/** A plain text table (cli-table3), loaded on first use so that paths without tables start fast. */
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

/** Renders rows under a header; every cell's text is made safe. Returns the table with a trailing newline. */
export function renderGrid(head: readonly string[], rows: readonly (readonly Cell[])[], opts: GridOptions): string {
  Table ??= createRequire(import.meta.url)('cli-table3') as TableCtor;
  const style = opts.headStyle ?? ((s: string) => s);
  const table = new Table({
    head: head.map((h) => style(safeText(h))),
    style: { head: [], border: [], compact: true },
    ...(opts.align ? { colAligns: [...opts.align] } : {}),
    ...(opts.colWidths ? { colWidths: [...opts.colWidths], wordWrap: true } : {}),
  });
  for (const row of rows) table.push(row.map(cellText));
  return `${table.toString()}\n`;
}

/**
 * A query result as a table: a caption line, one row per series (its dimension values, total over
 * the window, share of all requests, errors, error rate, sparkline), then a totals row.
 */
import type { ChalkInstance } from 'chalk';
import { isResourceDimension } from '../catalog/resource.js';
import type { QueryResult } from '../core/model.js';
import { ALL_LABEL, CAPTION_SEPARATOR, captionParts, dimensionValue, formatNumber, formatPercent, isAdditive, ratioOf, seriesValues } from './format.js';
import { type Cell, type GridColumn, gridWidths, renderGrid, textOf } from './grid.js';
import { safeText } from './safe.js';
import { sparkline } from './sparkline.js';
import { joinWrapped } from './text-width.js';

/** Characters of the sparkline column; longer series are downsampled by maximum per group. */
export const TREND_WIDTH = 24;
/** The narrowest sparkline shown: below it the column is left out. */
export const MIN_TREND_WIDTH = 12;
/** Error rates above these are shown yellow, then red (when colour is on). */
export const WARN_RATE = 0.01;
export const ALERT_RATE = 0.05;

type Align = 'left' | 'right';

const capitalize = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

function rateCell(rate: number | null, c: ChalkInstance): Cell {
  const text = formatPercent(rate);
  if (rate === null || rate <= WARN_RATE) return text;
  return { text, style: rate > ALERT_RATE ? c.red : c.yellow };
}

/** Per-bucket sum over the series (count and sum only, and only when --top left nothing out). */
function totalTrend(result: QueryResult, width: number): string {
  if (!isAdditive(result) || result.omittedSeries > 0 || result.series.length === 0) return '';
  const columns = result.series.map((s) => seriesValues(s, result.timestamps));
  const sums = result.timestamps.map((_, i) => {
    let sum: number | null = null;
    for (const values of columns) {
      const v = values[i] ?? null;
      if (v !== null) sum = (sum ?? 0) + v;
    }
    return sum;
  });
  return sparkline(sums, width);
}

/**
 * The table fitted to opts.width columns (undefined: no limit). When it is too wide the sparkline
 * narrows to MIN_TREND_WIDTH, dimension values are cut with …, then the Trend, Share and second-rate
 * columns are left out in that order; numbers are never cut.
 */
export function renderTable(result: QueryResult, opts: { color: ChalkInstance; width?: number }): string {
  const c = opts.color;
  const { splitBy, aggregation } = result.query;
  const share = isAdditive(result);
  // A metric without an error rate (user engagement) still shows the columns, as "-".
  const errors = result.errors !== null || result.query.metric.errors.kind === 'none';
  const second = result.secondary !== undefined && result.secondary !== null ? result.query.metric.secondaryRate : undefined;

  const head: string[] = splitBy.length > 0 ? splitBy.map((d) => d.name) : ['Series'];
  const align: Align[] = head.map((): Align => 'left');
  // Resource names are cut in the middle (they tend to differ at the end), other values at the end.
  const columns: GridColumn[] = head.map((_, i) => ({ mode: splitBy[i] && isResourceDimension(splitBy[i]) ? 'middle' : 'truncate', floor: 16, min: 8 }));
  const add = (name: string, a: Align, column: GridColumn = {}): void => {
    head.push(name);
    align.push(a);
    columns.push(column);
  };
  add(capitalize(aggregation.label), 'right');
  if (share) add('Share', 'right', { drop: 2 });
  if (errors) {
    add('Errors', 'right');
    add('Error rate', 'right');
  }
  if (second) {
    add(second.label, 'right', { drop: 3 });
    add(second.rateLabel, 'right', { drop: 3 });
  }
  add('Trend', 'left', { mode: 'truncate', floor: MIN_TREND_WIDTH, drop: 1 });

  const figures = (total: number | null, requests: number | null, errs: number | null, sec?: number | null): Cell[] => {
    const cells: Cell[] = [formatNumber(total)];
    if (share) cells.push(formatPercent(ratioOf(requests, result.requests)));
    if (errors) cells.push(formatNumber(errs), rateCell(ratioOf(errs, requests), c));
    if (second) cells.push(formatNumber(sec ?? null), rateCell(ratioOf(sec ?? null, requests), c));
    return cells;
  };

  const rowsAt = (trend: number): Cell[][] => {
    const rows: Cell[][] = result.series.map((s) => [
      ...(splitBy.length > 0 ? splitBy.map((d) => dimensionValue(s, d)) : [ALL_LABEL]),
      ...figures(s.total, s.requests, s.errors, s.secondary),
      sparkline(seriesValues(s, result.timestamps), trend),
    ]);
    rows.push(
      [
        totalLabel,
        ...head.slice(1, Math.max(splitBy.length, 1)).map(() => ''),
        ...figures(result.total, result.requests, result.errors, result.secondary),
        totalTrend(result, trend),
      ].map(bold),
    );
    return rows;
  };

  const totalLabel = result.omittedSeries > 0 ? `Total (incl. ${result.omittedSeries} not shown)` : 'Total';
  const bold = (cell: Cell): Cell =>
    typeof cell === 'string' ? { text: cell, style: c.bold } : { text: cell.text, style: (t) => c.bold(cell.style ? cell.style(t) : t) };
  const grid = { color: c.level > 0, headStyle: c.bold, align, columns, width: opts.width };
  // The sparkline is drawn again at the width the fitting gives its column (a shorter one, not a cut one).
  let rows = rowsAt(TREND_WIDTH);
  const trend = gridWidths(
    head,
    rows.map((r) => r.map(textOf)),
    grid,
  ).at(-1);
  if (trend !== null && trend !== undefined && trend < TREND_WIDTH) rows = rowsAt(trend);

  const caption = joinWrapped(captionParts(result).map(safeText), CAPTION_SEPARATOR, opts.width).join('\n');
  return `${caption}\n${renderGrid(head, rows, grid)}`;
}

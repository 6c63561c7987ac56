/**
 * A comparison as a table: the caption with both windows, one row per series (current value, baseline
 * value, change and change %, error rate now and in the baseline, and its change in percentage points,
 * marked ▲ when errors rise), then a totals row. A series only in one window says "new" or "gone".
 */
import type { ChalkInstance } from 'chalk';
import { isResourceDimension } from '../catalog/resource.js';
import { type Comparison, countChange, rateChange, type SeriesPair } from '../core/compare.js';
import { baselineCaption, formatChangePercent, formatPoints, formatSigned } from './compare-format.js';
import { ALL_LABEL, CAPTION_SEPARATOR, captionParts, dimensionValue, formatNumber, formatPercent, ratioOf } from './format.js';
import { type Cell, type GridColumn, renderGrid, wrapLines } from './grid.js';
import { safeText } from './safe.js';

/** The mark of a rising error rate. */
export const RISING = '▲';

const capitalize = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

interface Figures {
  readonly total: number | null;
  readonly requests: number | null;
  readonly errors: number | null;
}

const none: Figures = { total: null, requests: null, errors: null };

/** The columns left out when the table is too wide: early (`drop`), then as a last resort (`late`). */
const LEAVE_OUT: Readonly<Record<string, GridColumn>> = {
  'Baseline rate': { drop: 1 },
  'Change %': { drop: 2 },
  Change: { late: 1 },
  'Rate change': { late: 2 },
  'Error rate': { late: 3 },
};

export function renderCompareTable(c: Comparison, opts: { color: ChalkInstance; width?: number }): string {
  const color = opts.color;
  const cur = c.current;
  const { splitBy, aggregation } = cur.query;
  const errorCols = cur.errors !== null || c.baseline.errors !== null || cur.query.metric.errors.kind === 'none';
  const head = splitBy.length > 0 ? splitBy.map((d) => d.name) : ['Series'];
  const align: ('left' | 'right')[] = head.map(() => 'left');
  const add = (name: string): void => {
    head.push(name);
    align.push('right');
  };
  add(capitalize(aggregation.label));
  add('Baseline');
  add('Change');
  add('Change %');
  if (errorCols) {
    add('Error rate');
    add('Baseline rate');
    add('Rate change');
  }

  const figures = (now: Figures, before: Figures, status?: SeriesPair['status']): Cell[] => {
    const change = countChange(now.total, before.total);
    const cells: Cell[] = [formatNumber(now.total), formatNumber(before.total)];
    if (status === 'new') cells.push({ text: 'new', style: color.cyan }, formatChangePercent(null));
    else if (status === 'gone') cells.push({ text: 'gone', style: color.yellow }, formatChangePercent(-1));
    else cells.push(formatSigned(change.abs), formatChangePercent(change.ratio));
    if (errorCols) {
      const rate = ratioOf(now.errors, now.requests);
      const baseRate = ratioOf(before.errors, before.requests);
      const diff = rateChange(rate, baseRate);
      const rising = diff !== null && diff > 0;
      cells.push(formatPercent(rate), formatPercent(baseRate), rising ? { text: `${formatPoints(diff)} ${RISING}`, style: color.red } : formatPoints(diff));
    }
    return cells;
  };

  const rows: Cell[][] = c.pairs.map((p) => {
    const series = (p.current ?? p.baseline)!;
    return [...(splitBy.length > 0 ? splitBy.map((d) => dimensionValue(series, d)) : [ALL_LABEL]), ...figures(p.current ?? none, p.baseline ?? none, p.status)];
  });
  const label = c.omittedPairs > 0 ? `Total (incl. ${c.omittedPairs} not shown)` : 'Total';
  const bold = (cell: Cell): Cell =>
    typeof cell === 'string' ? { text: cell, style: color.bold } : { text: cell.text, style: (t) => color.bold(cell.style ? cell.style(t) : t) };
  rows.push([label, ...head.slice(1, Math.max(splitBy.length, 1)).map(() => ''), ...figures(cur, c.baseline)].map(bold));
  const caption = safeText([...captionParts(cur), baselineCaption(c)].join(CAPTION_SEPARATOR));
  // Fitting a narrow terminal: dimension values are cut with …, then Baseline rate and Change % go;
  // as a last resort (several dimensions, 60 columns) Change, Rate change and Error rate.
  const dims = Math.max(splitBy.length, 1);
  const columns: GridColumn[] = head.map((h, i) =>
    i < dims ? { mode: splitBy[i] && isResourceDimension(splitBy[i]) ? 'middle' : 'truncate', floor: 16, min: 8 } : (LEAVE_OUT[h] ?? {}),
  );
  const grid = renderGrid(head, rows, {
    color: color.level > 0,
    headStyle: color.bold,
    align,
    columns,
    ...(opts.width !== undefined ? { width: opts.width } : {}),
  });
  return `${opts.width !== undefined ? wrapLines(caption, opts.width) : caption}\n${grid}`;
}

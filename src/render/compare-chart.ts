/**
 * A comparison as a chart: each series of the current window and its baseline on the same time axis
 * (the baseline shifted forward by the distance between the windows), the baseline in the same colour
 * but dimmed and dotted (┄), labelled "baseline". Uses render/chart.ts for the drawing.
 */
import { type Comparison } from '../core/compare.js';
import { toIsoDuration } from '../core/duration.js';
import type { QueryResult, ResultSeries } from '../core/model.js';
import { type ChartOptions, renderChart } from './chart.js';
import { seriesLabel } from './format.js';

/** Series pairs charted at most: each draws two lines. */
export const COMPARE_MAX_PAIRS = 4;

export function renderCompareChart(c: Comparison, opts: Omit<ChartOptions, 'looks' | 'maxSeries'>): { text: string; notes: string[] } {
  const cur = c.current;
  const pairs = c.pairs.slice(0, COMPARE_MAX_PAIRS);
  const notes: string[] = [];
  if (c.pairs.length > pairs.length) notes.push(`${c.pairs.length - pairs.length} more series not charted; use --top or narrow the query`);
  const series: ResultSeries[] = [];
  const looks: { colour: number; dotted: boolean; label: string }[] = [];
  const back = toIsoDuration(c.shiftMs);
  pairs.forEach((p, i) => {
    const label = seriesLabel((p.current ?? p.baseline)!, cur.query.splitBy);
    if (p.current) {
      series.push(p.current);
      looks.push({ colour: i, dotted: false, label: p.status === 'new' ? `${label} (new)` : label });
    }
    if (p.baseline) {
      const b = p.baseline;
      series.push({ ...b, points: b.points.map((q) => ({ timestamp: q.timestamp + c.shiftMs, value: q.value })) });
      looks.push({ colour: i, dotted: true, label: `${label} · baseline (${back} earlier)${p.status === 'gone' ? ', gone' : ''}` });
    }
  });
  const shown: QueryResult = { ...cur, series };
  const chart = renderChart(shown, { ...opts, maxSeries: Math.max(series.length, 1), looks });
  return { text: chart.text, notes: [...notes, ...chart.notes] };
}

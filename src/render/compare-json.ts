/**
 * A comparison as JSON: query schema version 2, which is version 1 (render/json.ts) for the current
 * window plus, for every series and for the totals, a `baseline` block and a `change` block:
 *
 *   query.baseline: { start, end, shift }            shift: ISO 8601 duration the baseline is earlier
 *   series[i].status: "both" | "new" | "gone"        a gone series has null current figures and points
 *   series[i].baseline: { total, requests, errors, errorRate, points: [{ timestamp, value }] }
 *                                                    (null for a new series; timestamps of the baseline)
 *   series[i].change / change: { total, totalPercent, errorRatePoints }
 *     total: current - baseline (a missing side counts 0), totalPercent: (current - baseline) / baseline
 *     (null when the baseline is 0 or missing), errorRatePoints: errorRate - baseline errorRate as a
 *     fraction (0.005 = 0.5 percentage points; null when either rate is null)
 *   baseline (top level): { total, requests, errors, errorRate }
 *
 * Without a comparison, `query -o json` writes version 1 unchanged.
 */
import { type Comparison, countChange, rateChange } from '../core/compare.js';
import { toIsoDuration } from '../core/duration.js';
import type { QueryResult, ResultSeries } from '../core/model.js';
import { formatTime } from '../core/time.js';
import { ratioOf } from './format.js';
import { jsonTerminalSafe, renderJson } from './json.js';

export const COMPARE_SCHEMA_VERSION = 2;

/** A series with no data over the current window (a gone series' current side). */
function emptySeries(dimensions: Readonly<Record<string, string>>, timestamps: readonly number[]): ResultSeries {
  return { dimensions, points: timestamps.map((timestamp) => ({ timestamp, value: null })), total: null, requests: null, errors: null };
}

type Figures = Pick<QueryResult, 'total' | 'requests' | 'errors'>;

const figuresJson = (f: Figures) => ({ total: f.total, requests: f.requests, errors: f.errors, errorRate: ratioOf(f.errors, f.requests) });

function changeJson(now: Figures | null, before: Figures | null) {
  const c = countChange(now?.total ?? null, before?.total ?? null);
  return {
    total: c.abs,
    totalPercent: c.ratio,
    errorRatePoints: rateChange(now ? ratioOf(now.errors, now.requests) : null, before ? ratioOf(before.errors, before.requests) : null),
  };
}

export function renderCompareJson(c: Comparison): string {
  const cur = c.current;
  const shown: QueryResult = {
    ...cur,
    series: c.pairs.map((p) => p.current ?? emptySeries(p.dimensions, cur.timestamps)),
  };
  const doc = JSON.parse(renderJson(shown)) as Record<string, unknown> & { query: Record<string, unknown>; series: Record<string, unknown>[] };
  doc.schemaVersion = COMPARE_SCHEMA_VERSION;
  doc.query.baseline = { start: formatTime(c.baseline.start), end: formatTime(c.baseline.end), shift: toIsoDuration(c.shiftMs) };
  c.pairs.forEach((p, i) => {
    const s = doc.series[i]!;
    s.status = p.status;
    s.baseline = p.baseline
      ? { ...figuresJson(p.baseline), points: p.baseline.points.map((q) => ({ timestamp: formatTime(q.timestamp), value: q.value })) }
      : null;
    s.change = changeJson(p.current, p.baseline);
  });
  const out = { ...doc, baseline: figuresJson(c.baseline), change: changeJson(cur, c.baseline) };
  return `${jsonTerminalSafe(JSON.stringify(out, null, 2))}\n`;
}

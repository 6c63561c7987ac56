/** Hand-built QueryResults for the renderer tests (no sources, no run-query). */
import { aggregationDef } from '../src/catalog/aggregations.js';
import { METRICS } from '../src/catalog/metrics.js';
import type { AggregationKey, MetricDef } from '../src/catalog/types.js';
import { DEFAULT_ERRORS, type QueryResult, type ResultSeries } from '../src/core/model.js';

export const HOUR = 3_600_000;
export const T0 = Date.UTC(2026, 0, 7);

export function metric(alias: string): MetricDef {
  const m = METRICS.find((x) => x.alias === alias);
  if (!m) throw new Error(`no metric ${alias}`);
  return m;
}

export interface SeriesSpec {
  dims?: Record<string, string>;
  values: (number | null)[];
  total?: number | null;
  requests?: number | null;
  errors?: number | null;
}

export interface ResultSpec {
  alias?: string;
  aggregation?: AggregationKey;
  splitBy?: string[];
  filters?: Record<string, string[]>;
  intervalMs?: number | null;
  start?: number;
  buckets?: number;
  series: SeriesSpec[];
  total?: number | null;
  requests?: number | null;
  errors?: number | null;
  omittedSeries?: number;
  top?: number;
}

const sum = (vs: (number | null)[]): number | null => (vs.some((v) => v !== null) ? vs.reduce<number>((a, v) => a + (v ?? 0), 0) : null);

/** Totals default to the sum of the points, requests to the total and errors to null. */
export function result(spec: ResultSpec): QueryResult {
  const m = metric(spec.alias ?? 'chat');
  const dim = (name: string) => {
    const d = m.dimensions.find((x) => x.name === name);
    if (!d) throw new Error(`no dimension ${name}`);
    return d;
  };
  const intervalMs = spec.intervalMs === undefined ? HOUR : spec.intervalMs;
  const start = spec.start ?? T0;
  const buckets = spec.buckets ?? spec.series[0]?.values.length ?? 0;
  const timestamps = Array.from({ length: buckets }, (_, i) => start + i * (intervalMs ?? 0));
  const end = intervalMs === null ? start + 24 * HOUR : start + buckets * intervalMs;
  const series: ResultSeries[] = spec.series.map((s) => {
    const total = s.total !== undefined ? s.total : sum(s.values);
    return {
      dimensions: s.dims ?? {},
      points: s.values.map((value, i) => ({ timestamp: timestamps[i]!, value })),
      total,
      requests: s.requests !== undefined ? s.requests : total,
      errors: s.errors ?? null,
    };
  });
  const total = spec.total !== undefined ? spec.total : sum(series.map((s) => s.total));
  return {
    query: {
      metric: m,
      aggregation: aggregationDef(spec.aggregation ?? 'count'),
      filters: Object.entries(spec.filters ?? {}).map(([name, values]) => ({ dimension: dim(name), values })),
      splitBy: (spec.splitBy ?? []).map(dim),
      interval: intervalMs === null ? { kind: 'full' } : { kind: 'fixed', ms: intervalMs, iso: 'PT1H' },
      range: { start, end },
      ...(spec.top !== undefined ? { top: spec.top } : {}),
      errors: DEFAULT_ERRORS,
    },
    intervalMs,
    interval: intervalMs === null ? 'FULL' : intervalMs === HOUR ? 'PT1H' : intervalMs === 24 * HOUR ? 'P1D' : `PT${intervalMs / 60_000}M`,
    start,
    end,
    timestamps,
    series,
    total,
    requests: spec.requests !== undefined ? spec.requests : total,
    errors: spec.errors ?? null,
    omittedSeries: spec.omittedSeries ?? 0,
    notes: [],
  };
}

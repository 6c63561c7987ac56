/**
 * Retirement readiness: which resource carries traffic on which channel (metric), how much, since
 * when, and where that channel stands in Microsoft's ACS retirement. Pure: every number comes from
 * runQuery over the same data and window rule as `query` and `check`.
 */
import { isEndOfLife } from '../catalog/lifecycle.js';
import { RESOURCE_DIMENSION } from '../catalog/resource.js';
import { operationDimension } from '../catalog/resolve.js';
import type { MetricDef } from '../catalog/types.js';
import { aggregationDef } from '../catalog/aggregations.js';
import { defaultErrors } from './classify.js';
import { dataGrid } from './grid.js';
import type { IntervalSpec, Query, QueryResult, RangeSpec } from './model.js';
import { type SeriesSums, usageSums } from './usage-sums.js';
import { runQuery, type QueryData } from './run-query.js';
import { chooseTrend, crossesPeriod, type TrendChoice, type TrendPeriod, type TrendUnit, trendOf } from './trend.js';

const HOUR = 3_600_000;

export interface OperationUsage {
  readonly name: string;
  readonly requests: number;
}

/** One resource's traffic on one channel over the window. */
export interface ChannelUsage {
  /** The full resource id; "" when the data does not name its resource. */
  readonly resourceId: string;
  readonly metric: MetricDef;
  readonly requests: number;
  /** Errors by the metric's own definition; null when it has none or the data cannot tell. */
  readonly errors: number | null;
  /** Start of the first and last bucket with traffic. */
  readonly firstTraffic: number;
  readonly lastTraffic: number;
  /** The busiest operations, most requests first (empty when the data is not split by operation). */
  readonly operations: readonly OperationUsage[];
  /** Requests per period of the report's trend (empty without one); they add up to `requests`. */
  readonly trend: readonly TrendPeriod[];
}

export interface ResourceUsage {
  readonly resourceId: string;
  /** Channels with traffic, retiring first, then by requests. */
  readonly channels: readonly ChannelUsage[];
  /** No traffic on any retiring channel. */
  readonly clear: boolean;
}

export interface UsageReport {
  /** The window covered (the union of the metrics' windows). */
  readonly start: number;
  readonly end: number;
  readonly resources: readonly ResourceUsage[];
  /** The trend's period: week, month, or none. */
  readonly trend: TrendChoice;
  readonly notes: readonly string[];
}

/** Hourly buckets where the data allows (finer data re-buckets exactly), else the data's own. */
function intervalFor(data: QueryData, metric: MetricDef): IntervalSpec {
  const key = metric.rest.toLowerCase();
  const grid = dataGrid(data.metrics.filter((m) => m.name.toLowerCase() === key && m.errorCode === undefined));
  const g = grid?.grainMs ?? null;
  return g !== null && !grid!.full && g <= HOUR && HOUR % g === 0 ? { kind: 'fixed', ms: HOUR, iso: 'PT1H' } : { kind: 'auto' };
}

/**
 * Counts of a metric per resource and operation (and what its error rate needs), as `usage`, `status`
 * and their live requests ask for them. With defaultSplit, data saved without an Operation dimension
 * gives one series per resource instead of a data error.
 */
export function perResourceQuery(metric: MetricDef, range: RangeSpec, interval: IntervalSpec, defaultSplit = true): Query {
  const op = operationDimension(metric);
  return {
    metric,
    aggregation: aggregationDef('count'),
    filters: [],
    splitBy: op ? [RESOURCE_DIMENSION, op] : [RESOURCE_DIMENSION],
    defaultSplit,
    interval,
    range,
    errors: defaultErrors(metric),
  };
}

const RANK: Record<string, number> = { retiring: 0, breaking: 1, legacy: 2, active: 3 };

/** A metric's numbers as channels need them: its series' sums and each resource's requests over time. */
interface MetricSums {
  readonly query: Query;
  readonly start: number;
  readonly end: number;
  readonly timestamps: readonly number[];
  readonly intervalMs: number | null;
  readonly series: readonly SeriesSums[];
  /** A resource's requests by time (buckets or days; null: no data), for its trend. */
  readonly over: (resourceId: string) => { readonly times: readonly number[]; readonly sums: readonly (number | null)[] };
}

/** A channel before its trend: with its metric's numbers, whose period sums make the trend. */
type Pending = Omit<ChannelUsage, 'trend'> & { readonly sums: MetricSums };

/** Per resource, the requests of every bucket of the result (null where no series has data). */
function bucketSums(result: QueryResult): Map<string, (number | null)[]> {
  const out = new Map<string, (number | null)[]>();
  for (const s of result.series) {
    const id = s.dimensions[RESOURCE_DIMENSION.name] ?? '';
    const sums = out.get(id) ?? result.timestamps.map(() => null);
    s.points.forEach((p, i) => {
      if (p.value !== null) sums[i] = (sums[i] ?? 0) + p.value;
    });
    out.set(id, sums);
  }
  return out;
}

/** A query result, bucket by bucket, as sums (the path for data whose values are not whole counts). */
function resultSums(result: QueryResult): MetricSums {
  const buckets = bucketSums(result);
  const series = result.series.map((s): SeriesSums => {
    let first = Number.POSITIVE_INFINITY;
    let last = Number.NEGATIVE_INFINITY;
    for (const p of s.points) {
      if (p.value !== null && p.value > 0) {
        first = Math.min(first, p.timestamp);
        last = Math.max(last, p.timestamp);
      }
    }
    return { dimensions: s.dimensions, requests: s.requests, errors: s.errors, firstTraffic: first, lastTraffic: last };
  });
  const { query, start, end, timestamps, intervalMs } = result;
  return { query, start, end, timestamps, intervalMs, series, over: (id) => ({ times: timestamps, sums: buckets.get(id) ?? [] }) };
}

/** The channels of one metric, one per resource with traffic. */
function channelsOf(metric: MetricDef, sums: MetricSums, topOperations: number, seen: Set<string>): Pending[] {
  const byResource = new Map<string, { requests: number; errors: number | null; first: number; last: number; ops: OperationUsage[] }>();
  const opName = sums.query.splitBy.find((d) => d !== RESOURCE_DIMENSION)?.name;
  for (const s of sums.series) {
    const id = s.dimensions[RESOURCE_DIMENSION.name] ?? '';
    seen.add(id);
    const requests = s.requests ?? 0;
    if (requests <= 0) continue;
    const entry = byResource.get(id) ?? { requests: 0, errors: 0, first: s.firstTraffic, last: s.lastTraffic, ops: [] };
    entry.requests += requests;
    entry.errors = entry.errors === null || s.errors === null ? null : entry.errors + s.errors;
    entry.first = Math.min(entry.first, s.firstTraffic);
    entry.last = Math.max(entry.last, s.lastTraffic);
    if (opName !== undefined) entry.ops.push({ name: s.dimensions[opName] || '(none)', requests });
    byResource.set(id, entry);
  }
  return [...byResource].map(([resourceId, e]) => ({
    resourceId,
    metric,
    requests: e.requests,
    errors: e.errors,
    firstTraffic: e.first,
    lastTraffic: e.last,
    operations: e.ops.sort((a, b) => b.requests - a.requests || a.name.localeCompare(b.name, 'en')).slice(0, topOperations),
    sums,
  }));
}

/** The channel with its requests per period (none when unit is none). */
function withTrend(p: Pending, unit: TrendChoice): ChannelUsage {
  const { sums, ...channel } = p;
  if (unit === 'none') return { ...channel, trend: [] };
  const { times, sums: values } = sums.over(p.resourceId);
  return { ...channel, trend: trendOf(times, values, sums.start, sums.end, unit) };
}

/** A metric's sums: added up per series where exact (whole counts), else from runQuery's buckets. */
function metricSums(metric: MetricDef, data: QueryData, range: RangeSpec, path: UsagePath): MetricSums & { readonly notes: readonly string[] } {
  const query = perResourceQuery(metric, range, intervalFor(data, metric));
  const sums = path === 'sums' ? usageSums(query, data) : undefined;
  if (sums !== undefined) {
    const empty = { times: [], sums: [] };
    return { ...sums, over: (id) => sums.days.get(id) ?? empty };
  }
  const result = runQuery(query, data);
  return { ...resultSums(result), notes: result.notes };
}

/** How usage adds up: per series (exact for whole counts, else bucket by bucket), or always by buckets (tests' oracle). */
export type UsagePath = 'sums' | 'buckets';

/**
 * The usage of every given metric in the data over the window: a row per resource and channel with
 * traffic, and every resource the data names (a resource without traffic on a retiring channel is clear).
 */
export function usageReport(
  metrics: readonly MetricDef[],
  data: QueryData,
  range: RangeSpec,
  topOperations = 3,
  trend: TrendChoice | 'auto' = 'none',
  path: UsagePath = 'sums',
): UsageReport {
  const notes: string[] = [];
  const seen = new Set<string>();
  for (const m of data.metrics) seen.add(m.resourceId ?? '');
  const pending: Pending[] = [];
  let start = Number.POSITIVE_INFINITY;
  let end = Number.NEGATIVE_INFINITY;
  for (const metric of metrics) {
    const sums = metricSums(metric, data, range, path);
    for (const n of sums.notes) if (!notes.includes(n)) notes.push(n);
    start = Math.min(start, sums.start);
    end = Math.max(end, sums.end);
    pending.push(...channelsOf(metric, sums, topOperations, seen));
  }
  const unit = trend === 'auto' ? (Number.isFinite(end - start) ? chooseTrend(end - start) : 'none') : trend;
  const channels = pending.map((p) => withTrend(p, unit));
  // Whether a bucket crosses a period's edge depends on the metric's buckets alone: asked once a metric.
  const withChannels = [...new Set(pending.map((p) => p.sums))];
  if (unit !== 'none' && withChannels.some((s) => crossesPeriod(s.timestamps, s.intervalMs, unit))) notes.push(crossingNote(unit));
  const ids = [...seen].sort((a, b) => a.localeCompare(b, 'en'));
  const resources = ids.map((resourceId): ResourceUsage => {
    const own = channels
      .filter((c) => c.resourceId === resourceId)
      .sort((a, b) => RANK[a.metric.lifecycle.status]! - RANK[b.metric.lifecycle.status]! || b.requests - a.requests);
    return { resourceId, channels: own, clear: !own.some((c) => c.metric.lifecycle.status === 'retiring') };
  });
  return { start, end, resources, trend: unit, notes };
}

const crossingNote = (unit: TrendUnit): string =>
  `some buckets cross the edge of a ${unit} (the window does not start on a whole hour): each counts in the ${unit} that holds its start`;

export type FailOn = 'retiring' | 'breaking';
export const FAIL_ON: readonly FailOn[] = ['retiring', 'breaking'];

/** The channels that make `--fail-on` fail: traffic on a channel of one of those lifecycles. */
export function failingChannels(report: UsageReport, failOn: readonly FailOn[]): ChannelUsage[] {
  return report.resources.flatMap((r) => r.channels.filter((c) => isEndOfLife(c.metric.lifecycle) && failOn.includes(c.metric.lifecycle.status as FailOn)));
}

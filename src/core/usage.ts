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

/** A channel before its trend: with its resource's requests per bucket of the metric's result. */
type Pending = Omit<ChannelUsage, 'trend'> & { readonly buckets: (number | null)[]; readonly result: QueryResult };

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

/** The channels of one metric's result, one per resource with traffic. */
function channelsOf(metric: MetricDef, result: QueryResult, topOperations: number, seen: Set<string>): Pending[] {
  const buckets = bucketSums(result);
  const byResource = new Map<string, { requests: number; errors: number | null; first: number; last: number; ops: OperationUsage[] }>();
  const opName = result.query.splitBy.find((d) => d !== RESOURCE_DIMENSION)?.name;
  for (const s of result.series) {
    const id = s.dimensions[RESOURCE_DIMENSION.name] ?? '';
    seen.add(id);
    const requests = s.requests ?? 0;
    if (requests <= 0) continue;
    let first = Number.POSITIVE_INFINITY;
    let last = Number.NEGATIVE_INFINITY;
    for (const p of s.points) {
      if (p.value !== null && p.value > 0) {
        first = Math.min(first, p.timestamp);
        last = Math.max(last, p.timestamp);
      }
    }
    const entry = byResource.get(id) ?? { requests: 0, errors: 0, first, last, ops: [] };
    entry.requests += requests;
    entry.errors = entry.errors === null || s.errors === null ? null : entry.errors + s.errors;
    entry.first = Math.min(entry.first, first);
    entry.last = Math.max(entry.last, last);
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
    operations: e.ops.sort((a, b) => b.requests - a.requests || a.name.localeCompare(b.name)).slice(0, topOperations),
    buckets: buckets.get(resourceId)!,
    result,
  }));
}

/** The channel with its requests per period (none when unit is none), and whether a bucket crossed a period's edge. */
function withTrend(p: Pending, unit: TrendChoice): { channel: ChannelUsage; crosses: boolean } {
  const { buckets, result, ...channel } = p;
  if (unit === 'none') return { channel: { ...channel, trend: [] }, crosses: false };
  return {
    channel: { ...channel, trend: trendOf(result.timestamps, buckets, result.start, result.end, unit) },
    crosses: crossesPeriod(result.timestamps, result.intervalMs, unit),
  };
}

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
): UsageReport {
  const notes: string[] = [];
  const seen = new Set<string>();
  for (const m of data.metrics) seen.add(m.resourceId ?? '');
  const pending: Pending[] = [];
  let start = Number.POSITIVE_INFINITY;
  let end = Number.NEGATIVE_INFINITY;
  for (const metric of metrics) {
    const result = runQuery(perResourceQuery(metric, range, intervalFor(data, metric)), data);
    for (const n of result.notes) if (!notes.includes(n)) notes.push(n);
    start = Math.min(start, result.start);
    end = Math.max(end, result.end);
    pending.push(...channelsOf(metric, result, topOperations, seen));
  }
  const unit = trend === 'auto' ? (Number.isFinite(end - start) ? chooseTrend(end - start) : 'none') : trend;
  const trended = pending.map((p) => withTrend(p, unit));
  const channels = trended.map((t) => t.channel);
  if (trended.some((t) => t.crosses)) notes.push(crossingNote(unit as TrendUnit));
  const ids = [...seen].sort((a, b) => a.localeCompare(b));
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

/**
 * `status`: is anything on fire, anywhere? From one query result per metric (split by Resource and
 * Operation over the window) and the failures in the data, a row per resource and metric with
 * traffic: requests, errors, error rate, the worst operation and the latest bucket with data; resources
 * with problems first (failures, then the highest error rate), each with its totals. Pure.
 */
import { isResourceDimension, RESOURCE_DIMENSION, resourceName } from '../catalog/resource.js';
import { operationDimension } from '../catalog/resolve.js';
import type { MetricDef } from '../catalog/types.js';
import type { MetricData, Query, QueryResult } from './model.js';
import { failureOf, type ResourceFailure } from './estate.js';
import { type QueryData, runQuery } from './run-query.js';
import { CliError, EXIT } from '../errors.js';

export interface WorstOperation {
  readonly name: string;
  readonly errors: number;
  readonly errorRate: number | null;
}

export interface StatusRow {
  readonly metric: MetricDef;
  readonly requests: number | null;
  /** null: the metric has no error rate, or the data cannot tell. */
  readonly errors: number | null;
  readonly errorRate: number | null;
  readonly worstOperation: WorstOperation | null;
  /** Start of the latest bucket with requests; null when none. */
  readonly latest: number | null;
  /** The metric's data failed for this resource. */
  readonly error?: string;
  /** The dimension the resource's data is not split by (a file saved without it): no worst operation. */
  readonly notSplitBy?: string;
}

export interface StatusResource {
  /** The full id as the data spells it. */
  readonly id: string;
  readonly name: string;
  readonly rows: readonly StatusRow[];
  readonly requests: number;
  readonly errors: number;
  readonly errorRate: number | null;
  readonly failed: number;
}

export interface StatusReport {
  readonly start: number;
  readonly end: number;
  readonly resources: readonly StatusResource[];
  readonly partial: boolean;
}

export interface StatusInput {
  /** The resources selected (ids, any spelling), so that resources without data still appear. */
  readonly resources: readonly string[];
  /**
   * The results of the metrics that could be read (split by Resource, then Operation when it has one;
   * a metric may have a second result, split by Resource only, for resources whose data lacks Operation).
   */
  readonly results: readonly QueryResult[];
  /** Metrics whose data failed for every resource, with why. */
  readonly failedMetrics: readonly { readonly metric: MetricDef; readonly message: string }[];
  readonly failures: readonly ResourceFailure[];
  /** Show every metric of every resource, traffic or not (one resource, no --metric). */
  readonly everyMetric: boolean;
  readonly window: { readonly start: number; readonly end: number };
}

const key = (id: string): string => id.replace(/^\//, '').toLowerCase();
const rate = (errors: number | null, requests: number | null): number | null =>
  errors === null || requests === null || requests <= 0 ? null : errors / requests;

/** A result's series by resource (key), built once per result: a row per resource must not scan them all. */
const seriesByResource = new WeakMap<QueryResult, Map<string, QueryResult['series'][number][]>>();

function seriesOf(result: QueryResult, id: string): readonly QueryResult['series'][number][] {
  const resDim = result.query.splitBy.find(isResourceDimension);
  if (!resDim) return result.series;
  let index = seriesByResource.get(result);
  if (!index) {
    index = new Map();
    for (const s of result.series) {
      const k = key(s.dimensions[resDim.name] ?? '');
      const list = index.get(k);
      if (list) list.push(s);
      else index.set(k, [s]);
    }
    seriesByResource.set(result, index);
  }
  return index.get(key(id)) ?? [];
}

/** A resource's row of a metric from one of its results; undefined when the result has no series of it. */
export function rowFor(result: QueryResult, id: string): StatusRow | undefined {
  const q = result.query;
  const opDim = q.splitBy.find((d) => !isResourceDimension(d));
  const series = seriesOf(result, id);
  if (series.length === 0) return undefined;
  let requests: number | null = 0;
  let errors: number | null = q.metric.errors.kind === 'none' ? null : 0;
  let latest: number | null = null;
  let worst: WorstOperation | null = null;
  for (const s of series) {
    requests = requests === null || s.requests === null ? null : requests + s.requests;
    errors = errors === null || s.errors === null ? null : errors + s.errors;
    s.points.forEach((p) => {
      if (p.value !== null && p.value > 0 && (latest === null || p.timestamp > latest)) latest = p.timestamp;
    });
    if (opDim && s.errors !== null && s.errors > 0) {
      const candidate = { name: s.dimensions[opDim.name] ?? '', errors: s.errors, errorRate: rate(s.errors, s.requests) };
      if (!worst || candidate.errors > worst.errors || (candidate.errors === worst.errors && (candidate.errorRate ?? 0) > (worst.errorRate ?? 0)))
        worst = candidate;
    }
  }
  const lacking = opDim === undefined ? operationDimension(q.metric) : undefined;
  return {
    metric: q.metric,
    requests,
    errors,
    errorRate: rate(errors, requests),
    worstOperation: worst,
    latest,
    ...(lacking ? { notSplitBy: lacking.name } : {}),
  };
}

/** A row the report shows when it does not show every metric. */
export const hasTraffic = (r: StatusRow): boolean => r.error !== undefined || (r.requests ?? 0) > 0 || (r.errors ?? 0) > 0;

/** Problems first: failures, then the highest error rate, the most errors, the most requests. */
function compareRows(a: StatusRow, b: StatusRow): number {
  return (
    Number(b.error !== undefined) - Number(a.error !== undefined) ||
    (b.errorRate ?? -1) - (a.errorRate ?? -1) ||
    (b.errors ?? -1) - (a.errors ?? -1) ||
    (b.requests ?? -1) - (a.requests ?? -1) ||
    a.metric.alias.localeCompare(b.metric.alias, 'en')
  );
}

function compareResources(a: StatusResource, b: StatusResource): number {
  return (
    Number(b.failed > 0) - Number(a.failed > 0) ||
    (b.errorRate ?? -1) - (a.errorRate ?? -1) ||
    b.errors - a.errors ||
    b.requests - a.requests ||
    a.name.localeCompare(b.name, 'en') ||
    // Namesakes in other groups or subscriptions: by id, not by the order the data came in.
    compareIds(a.id, b.id)
  );
}

const compareIds = (a: string, b: string): number => {
  const [x, y] = [a.toLowerCase(), b.toLowerCase()];
  return x < y ? -1 : x > y ? 1 : 0;
};

/**
 * What a report is made of, however the rows were found: from every result at once (buildStatus), or
 * from each resource's data as it arrived (status-stream.ts).
 */
export interface StatusRows extends Pick<StatusInput, 'resources' | 'failedMetrics' | 'failures' | 'everyMetric' | 'window'> {
  /** The metrics in report order, each once: each result's, then each failed one's. */
  readonly metrics: readonly MetricDef[];
  /** A resource's row of a metric (the resource at `index` of resources); undefined when no result has a series of it. */
  readonly rowOf: (id: string, metric: MetricDef, index: number) => StatusRow | undefined;
}

/** The metrics in report order and each resource's row, from every result at once. */
export function resultRows(results: readonly QueryResult[], failedMetrics: StatusInput['failedMetrics']): Pick<StatusRows, 'metrics' | 'rowOf'> {
  return {
    // A metric whose resources were read in two results (some apart, without the Operation split) is
    // listed once: each resource's row is in one of them, and listing it twice counted it twice.
    metrics: [...new Set([...results.map((r) => r.query.metric), ...failedMetrics.map((f) => f.metric)])],
    rowOf: (id, metric) =>
      results
        .filter((r) => r.query.metric === metric)
        .map((r) => rowFor(r, id))
        .find((x) => x !== undefined),
  };
}

export function buildStatus(input: StatusInput): StatusReport {
  return statusReport({ ...input, ...resultRows(input.results, input.failedMetrics) });
}

export function statusReport(input: StatusRows): StatusReport {
  const { metrics } = input;
  const resources: StatusResource[] = input.resources.map((id, index) => {
    const rows: StatusRow[] = [];
    for (const metric of metrics) {
      const failedAll = input.failedMetrics.find((f) => f.metric === metric);
      const failed = failureOf(input.failures, id, metric.rest)?.message ?? failedAll?.message;
      const empty = { metric, requests: null, errors: null, errorRate: null, worstOperation: null, latest: null };
      if (failed !== undefined) {
        rows.push({ ...empty, error: failed });
        continue;
      }
      const row = input.rowOf(id, metric, index) ?? { ...empty, requests: 0, errors: metric.errors.kind === 'none' ? null : 0 };
      if (input.everyMetric || hasTraffic(row)) rows.push(row);
    }
    rows.sort(compareRows);
    const ok = rows.filter((r) => r.error === undefined);
    const requests = ok.reduce((n, r) => n + (r.requests ?? 0), 0);
    const errors = ok.reduce((n, r) => n + (r.errors ?? 0), 0);
    // The error rate over the metrics that have one.
    const rated = ok.filter((r) => r.errors !== null).reduce((n, r) => n + (r.requests ?? 0), 0);
    return { id, name: resourceName(id), rows, requests, errors, errorRate: rate(errors, rated), failed: rows.length - ok.length };
  });
  resources.sort(compareResources);
  return { start: input.window.start, end: input.window.end, resources, partial: resources.some((r) => r.failed > 0) };
}

const idKey = (m: MetricData): string => (m.resourceId ?? '').replace(/^\//, '').toLowerCase();

/**
 * The results of one metric's status query. Resources whose data of the metric has no Operation split
 * (a file saved without it) are queried apart, split by Resource only: their rows say so, and the
 * others keep their worst operation. Throws as runQuery does when the metric cannot be read at all.
 */
export function statusResults(query: Query, data: QueryData): QueryResult[] {
  const op = query.splitBy.find((d) => !isResourceDimension(d));
  const mine = (m: MetricData): boolean => m.name.toLowerCase() === query.metric.rest.toLowerCase() && m.errorCode === undefined;
  if (op === undefined) return [runQuery(query, data)];
  const withOp = new Set<string>();
  const without = new Set<string>();
  for (const m of data.metrics.filter(mine)) {
    for (const s of m.series) (op.rest.toLowerCase() in s.dimensions ? withOp : without).add(idKey(m));
  }
  const lacking = new Set([...without].filter((k) => !withOp.has(k)));
  if (lacking.size === 0) return [runQuery(query, data)];
  const apart = (m: MetricData): boolean => mine(m) && lacking.has(idKey(m));
  const results: QueryResult[] = [];
  if (data.metrics.some((m) => mine(m) && !apart(m))) results.push(runQuery(query, { ...data, metrics: data.metrics.filter((m) => !apart(m)) }));
  results.push(runQuery({ ...query, splitBy: [RESOURCE_DIMENSION] }, { ...data, metrics: data.metrics.filter(apart) }));
  return results;
}

/**
 * statusResults, or why the metric cannot be read (a data error's message: the metric fails in the
 * report, its rows "no data"); anything else is thrown.
 */
export function statusResultsOrWhy(query: Query, data: QueryData): { results: QueryResult[] } | { why: string } {
  try {
    return { results: statusResults(query, data) };
  } catch (err) {
    if (!(err instanceof CliError) || err.exitCode !== EXIT.DATA) throw err;
    return { why: err.problems.join('; ') };
  }
}

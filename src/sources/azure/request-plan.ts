/**
 * From queries to Metrics - List requests. Queries on one metric share one request group (so that one
 * Metrics-List body per metric comes back, and --save writes a normal fixture): the group asks for
 * everything its queries need, split by every dimension some query splits or filters by and by the
 * status dimensions the error rate needs; the core then filters, collapses and re-buckets.
 */
import { AGGREGATIONS } from '../../catalog/aggregations.js';
import { METRIC_NAMESPACE, RETENTION_DAYS } from '../../catalog/metrics.js';
import { operationDimension } from '../../catalog/resolve.js';
import type { DimensionDef, MetricDef } from '../../catalog/types.js';
import { toIsoDuration } from '../../core/duration.js';
import type { Query } from '../../core/model.js';
import { formatTime } from '../../core/time.js';
import { floorToMinutes } from '../../core/grid.js';
import { AZURE_GRAINS_MS, chooseIntervalMs, resolveWindow, splitWindow as splitPieces, type Window } from '../../core/window.js';
import { UsageError } from '../../errors.js';
import { buildFilter, type FilterTerm } from './filter.js';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
/** Azure Monitor has been seen to cut long ranges silently: ask for at most this much per request. */
export const MAX_WINDOW_MS = 30 * DAY;
export const RETENTION_MS = RETENTION_DAYS * DAY;
/** The most series one request asks for. */
export const MAX_TOP = 10_000;
/** Never ask for fewer series than the service's own default. */
const MIN_TOP = 10;
/** Guesses of how many values a dimension takes, for `top`. */
const STATUS_CODES = 60;
const STATUS_CLASSES = 5;
const UNKNOWN_VALUES = 100;

export interface RequestPlan {
  readonly metric: MetricDef;
  /** The queries this request group serves. */
  readonly queries: readonly Query[];
  readonly metricnames: string;
  readonly metricnamespace: string;
  /** Wire aggregation names, comma-separated (Count,Total,...). */
  readonly aggregation: string;
  /** ISO 8601 grain or FULL. */
  readonly interval: string;
  readonly filter: string;
  readonly top: number;
  readonly orderby: string;
  /** The whole window, and the pieces of at most MAX_WINDOW_MS it is fetched in. */
  readonly window: Window;
  readonly windows: readonly Window[];
}

/** The metric's status class and code dimensions, from its error rule (CodeClass and Code for callback events). */
const isStatusClass = (m: MetricDef, d: DimensionDef): boolean => m.errors.kind === 'status' && d.name === m.errors.classDimension;
const isStatusCode = (m: MetricDef, d: DimensionDef): boolean => m.errors.kind === 'status' && d.name === m.errors.codeDimension;

/** The Azure grain to ask for: the grain itself, else the largest Azure grain dividing it; null is FULL. */
export function azureGrain(ms: number | null): number | null {
  if (ms === null) return null;
  const fits = AZURE_GRAINS_MS.filter((g) => ms % g === 0);
  return fits.length > 0 ? fits[fits.length - 1]! : AZURE_GRAINS_MS[0]!;
}

/**
 * A query's window as it is asked of Azure: floored to whole minutes (Azure floors the start anyway and
 * its buckets follow; asking for the floored window makes the buckets it returns the buckets shown),
 * checked against now and the retention.
 */
export function queryWindow(query: Query, now: number): Window {
  const asked = resolveWindow(query.range, now);
  if (!(asked.end > asked.start)) {
    throw new UsageError(`the time window ${formatTime(asked.start)} to ${formatTime(asked.end)} is empty: give --since, or a --start before --end`);
  }
  const w = floorToMinutes(asked);
  if (!(w.end > w.start)) {
    throw new UsageError(
      `the time window ${formatTime(asked.start)} to ${formatTime(asked.end)} holds no whole minute: Azure Monitor's buckets start on the minute`,
    );
  }
  if (w.start >= now) {
    throw new UsageError(
      `the window starts at ${formatTime(w.start)}, after now (${formatTime(Math.floor(now / 1000) * 1000)}): Azure Monitor has no data for it yet; give a --start in the past, or --since`,
    );
  }
  const earliest = floorToMinutes({ start: now - RETENTION_MS, end: now }).start;
  if (w.start < earliest) {
    throw new UsageError(
      `the window starts at ${formatTime(w.start)}, more than ${RETENTION_DAYS} days ago: Azure Monitor keeps platform metrics for ${RETENTION_DAYS} days (earliest start now: ${formatTime(earliest)})`,
    );
  }
  return w;
}

/** Splits [start, end) into consecutive pieces of at most MAX_WINDOW_MS (a multiple of every Azure grain). */
export function splitWindow(w: Window): Window[] {
  return splitPieces(w, MAX_WINDOW_MS);
}

/**
 * The dimensions a query needs in the data: split, filtered, and the ones the metric's error rule
 * needs (the status class, the code when --errors names codes, email delivery's Result) and its
 * second rate (IsHardBounce).
 */
function neededDimensions(q: Query): Set<DimensionDef> {
  const m = q.metric;
  const dims = new Set<DimensionDef>([...q.splitBy, ...q.filters.map((f) => f.dimension)]);
  for (const d of m.dimensions) {
    if (isStatusClass(m, d)) dims.add(d);
    if (isStatusCode(m, d) && q.errors.codes.length > 0) dims.add(d);
    if (m.errors.kind === 'value' && d.name === m.errors.dimension) dims.add(d);
    if (m.secondaryRate && d.name === m.secondaryRate.dimension) dims.add(d);
  }
  return dims;
}

function valuesOf(q: Query, d: DimensionDef): string[] | undefined {
  const filters = q.filters.filter((f) => f.dimension.rest === d.rest);
  if (filters.length === 0) return undefined;
  // Several filters on one dimension are ANDed: keep the values every one accepts.
  return filters.map((f) => [...f.values]).reduce((a, b) => a.filter((v) => b.some((w) => w.toLowerCase() === v.toLowerCase())));
}

/** Filter terms of a group: values where every query filters a dimension, else a split. */
function filterTerms(metric: MetricDef, queries: readonly Query[]): FilterTerm[] {
  const needed = new Set<DimensionDef>();
  for (const q of queries) for (const d of neededDimensions(q)) needed.add(d);
  const terms: FilterTerm[] = [];
  for (const d of metric.dimensions) {
    if (![...needed].some((n) => n.rest === d.rest)) continue;
    const perQuery = queries.map((q) => valuesOf(q, d));
    if (perQuery.every((v) => v !== undefined)) {
      const values: string[] = [];
      for (const v of perQuery.flat()) if (!values.some((w) => w.toLowerCase() === v.toLowerCase())) values.push(v);
      terms.push({ dimension: d.rest, values });
    } else {
      terms.push({ dimension: d.rest });
    }
  }
  return terms;
}

/** How many series a split can give: the product of each dimension's known or guessed value count. */
export function topFor(metric: MetricDef, terms: readonly FilterTerm[]): number {
  const byCode = terms.some((t) => metric.dimensions.some((d) => isStatusCode(metric, d) && d.rest === t.dimension));
  let n = 1;
  for (const t of terms) {
    const d = metric.dimensions.find((x) => x.rest === t.dimension);
    let count: number;
    if (t.values !== undefined) count = t.values.length;
    else if (d !== undefined && d === operationDimension(metric)) count = metric.operationsDocumented ? metric.operations.length + 1 : UNKNOWN_VALUES;
    else if (d && isStatusCode(metric, d)) count = STATUS_CODES;
    // A status class follows from the status code: it adds no series when both are split.
    else if (d && isStatusClass(metric, d)) count = byCode ? 1 : STATUS_CLASSES;
    else count = UNKNOWN_VALUES;
    n *= Math.max(count, 1);
    if (n >= MAX_TOP) return MAX_TOP;
  }
  return Math.max(n, MIN_TOP);
}

/**
 * The grain of a request group: the largest Azure grain dividing every query's grain and every
 * query's window edge (counted from the group's start), so that each query's window is whole buckets
 * of the answer and the core never widens it. The group's own end may cut a partial last bucket.
 */
function groupGrain(grains: readonly (number | null)[], window: Window, windows: readonly Window[]): number | null {
  const span = window.end - window.start;
  const fixed = grains.filter((g): g is number => g !== null);
  // FULL over several request windows: ask for days and let the core make one bucket of them.
  if (fixed.length === 0 && windows.length === 1) return span > MAX_WINDOW_MS ? AZURE_GRAINS_MS[AZURE_GRAINS_MS.length - 1]! : null;
  const edges = windows.flatMap((w) => [w.start - window.start, w.end - window.start]).filter((o) => o !== span);
  const fits = AZURE_GRAINS_MS.filter((g) => fixed.every((f) => f % g === 0) && edges.every((o) => o % g === 0));
  return fits.length > 0 ? fits[fits.length - 1]! : AZURE_GRAINS_MS[0]!;
}

function planGroup(metric: MetricDef, queries: readonly Query[], now: number): RequestPlan {
  const windows = queries.map((q) => queryWindow(q, now));
  const window = { start: Math.min(...windows.map((w) => w.start)), end: Math.max(...windows.map((w) => w.end)) };
  const grains = queries.map((q, i) => azureGrain(chooseIntervalMs(q.interval, windows[i]!, MINUTE)));
  const grain = groupGrain(grains, window, windows);
  const keys = new Set(['count', ...queries.map((q) => q.aggregation.key)]);
  if (keys.has('average')) keys.add('total');
  const terms = filterTerms(metric, queries);
  return {
    metric,
    queries,
    metricnames: metric.rest,
    metricnamespace: METRIC_NAMESPACE,
    aggregation: AGGREGATIONS.filter((a) => keys.has(a.key))
      .map((a) => a.wire)
      .join(','),
    interval: grain === null ? 'FULL' : toIsoDuration(grain),
    filter: buildFilter(terms),
    top: topFor(metric, terms),
    orderby: `${queries[0]!.aggregation.wire} desc`,
    window,
    windows: splitWindow(window),
  };
}

/** One request group per metric, in the order the queries name them. Throws UsageError for bad windows. */
export function planRequests(queries: readonly Query[], now: number): RequestPlan[] {
  const groups = new Map<string, Query[]>();
  for (const q of queries) {
    const list = groups.get(q.metric.rest) ?? [];
    list.push(q);
    groups.set(q.metric.rest, list);
  }
  return [...groups.values()].map((qs) => planGroup(qs[0]!.metric, qs, now));
}

/** `start/end` as the API wants it. */
export function timespan(w: Window): string {
  return `${new Date(w.start).toISOString()}/${new Date(w.end).toISOString()}`;
}

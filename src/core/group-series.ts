/**
 * The accumulation stage of a query: every point of the data that passes the filters goes into its
 * group (the split's dimension values) and into the grand total, in the bucket of the result that
 * holds it; error series (and the metric's second rate, email bounces) are counted beside.
 */
import { normalizeName } from '../catalog/names.js';
import { Accumulator, type TableColumns, tableColumns } from './accumulate.js';
import { isErrorSeries, isSecondarySeries, secondaryDims, statusDims } from './classify.js';
import type { MetricData, Query, RawSeries } from './model.js';
import { IndexedColumns, pointColumns, type PointValues } from './points.js';
import { offGridError } from './grid.js';
import type { QueryBuckets } from './query-window.js';

export interface Group {
  readonly dims: Record<string, string>;
  readonly acc: Accumulator;
  readonly errors: Accumulator;
  /** Every series of the group could be told error or not (a status split in the data). */
  classified: boolean;
  readonly second: Accumulator;
  secondKnown: boolean;
}

export interface Groups {
  readonly groups: Map<string, Group>;
  readonly grand: Accumulator;
  readonly grandErrors: Accumulator;
  readonly grandSecond: Accumulator;
  /** Some series could not be told error or not. */
  unclassified: boolean;
  secondKnown: boolean;
}

/** Adds a point's values to bucket b of a series' group and of the grand totals. */
type AddAt = (b: number, p: PointValues) => void;

/** The group a series belongs to (made on first use). */
function groupOf(into: Groups, query: Query, series: RawSeries, splitKeys: readonly string[], buckets: number, secondSize: number): Group {
  const values = splitKeys.map((k) => series.dimensions[k] ?? '');
  const key = JSON.stringify(values);
  let group = into.groups.get(key);
  if (!group) {
    const keep = query.aggregation.key;
    const dims: Record<string, string> = {};
    query.splitBy.forEach((d, i) => (dims[d.name] = values[i]!));
    group = {
      dims,
      acc: new Accumulator(buckets, keep),
      errors: new Accumulator(buckets, keep),
      classified: true,
      second: new Accumulator(secondSize, keep),
      secondKnown: true,
    };
    into.groups.set(key, group);
  }
  return group;
}

/**
 * Feeds every point of a series in the window to addAt, checking each is on the data's grid; with
 * targets, points of a streamed file on an even grid go to the targets instead, a bucket's run of
 * points at a time (usage's sums give none: every point goes to addAt).
 */
export function feedSeries(m: MetricData, series: RawSeries, b: QueryBuckets, addAt: AddAt, targets?: readonly Accumulator[]): void {
  const { grid, window, intervalMs } = b;
  const gridMs = grid?.grainMs ?? null;
  const gridOrigin = grid?.origin ?? 0;
  let previous: number | undefined;
  const take = (t: number, p: PointValues): void => {
    if (gridMs !== null && (t - gridOrigin) % gridMs !== 0) throw offGridError(m, series.dimensions, t, previous, grid!);
    previous = t;
    if (t < window.start || t >= window.end) return;
    addAt(intervalMs === null ? 0 : Math.floor((t - window.start) / intervalMs), p);
  };
  const columns = pointColumns(series);
  if (!columns) {
    for (const p of series.points) take(p.timestamp, p);
  } else if (!(columns instanceof IndexedColumns)) {
    // Parsed files: the timestamps column and the parsed data objects, no point objects.
    const { timestamps, values } = columns;
    for (let k = 0; k < timestamps.length; k++) take(timestamps[k]!, values[k]!);
  } else {
    // Streamed files: each point's values are an entry of a shared table.
    const { index, table } = columns;
    const range = targets === undefined ? undefined : evenRange(columns, b);
    if (range !== undefined) addRuns(columns, range.k0, range.k1, range.t0, range.step, b, targets!);
    else for (let k = 0; k < index.length; k++) take(columns.timeAt(k), table[index[k]!]!);
  }
}

/**
 * The points of evenly spaced indexed columns (point k at t0 + k * step) that fall in the window,
 * k0 to k1, when the spacing is on the data's grid (every point is then on it); undefined otherwise.
 */
export function evenRange(columns: IndexedColumns, b: QueryBuckets): { k0: number; k1: number; t0: number; step: number } | undefined {
  const { grid, window } = b;
  const gridMs = grid?.grainMs ?? null;
  const gridOrigin = grid?.origin ?? 0;
  const n = columns.length;
  const step = columns.evenStepMs;
  const t0 = n > 0 ? columns.timeAt(0) : 0;
  if (step === undefined || !(step > 0) || (gridMs !== null && ((t0 - gridOrigin) % gridMs !== 0 || step % gridMs !== 0))) return undefined;
  let k0 = Math.min(n, Math.max(0, Math.ceil((window.start - t0) / step)));
  while (k0 > 0 && t0 + (k0 - 1) * step >= window.start) k0--;
  while (k0 < n && t0 + k0 * step < window.start) k0++;
  let k1 = Math.min(n, Math.max(k0, Math.ceil((window.end - t0) / step)));
  while (k1 > k0 && t0 + (k1 - 1) * step >= window.end) k1--;
  while (k1 < n && t0 + k1 * step < window.end) k1++;
  return { k0, k1, t0, step };
}

/** The columns of each table of point values (a file's series share one), made once. */
const tables = new WeakMap<readonly PointValues[], { n: number; columns: TableColumns }>();

function columnsOf(table: readonly PointValues[]): TableColumns {
  let made = tables.get(table);
  if (made === undefined || made.n !== table.length) {
    made = { n: table.length, columns: tableColumns(table) };
    tables.set(table, made);
  }
  return made.columns;
}

/**
 * Points k0 to k1 of evenly spaced indexed columns (point k at t0 + k * step) added to the targets,
 * each bucket's run of points at once; a run's end is worked out from the bucket's end and checked
 * with the per-point formula, so that every point lands where it would alone.
 */
function addRuns(columns: IndexedColumns, k0: number, k1: number, t0: number, step: number, b: QueryBuckets, targets: readonly Accumulator[]): void {
  const table = columnsOf(columns.table);
  const index = columns.index;
  const { window, intervalMs } = b;
  if (intervalMs === null) {
    if (k1 > k0) for (const acc of targets) acc.addRun(0, index, k0, k1, table);
    return;
  }
  const bucketOf = (k: number): number => Math.floor((t0 + k * step - window.start) / intervalMs);
  let k = k0;
  while (k < k1) {
    const i = bucketOf(k);
    let e = Math.min(k1, Math.max(k + 1, Math.ceil((window.start + (i + 1) * intervalMs - t0) / step)));
    while (e > k + 1 && bucketOf(e - 1) !== i) e--;
    while (e < k1 && bucketOf(e) === i) e++;
    for (const acc of targets) acc.addRun(i, index, k, e, table);
    k = e;
  }
}

/** Groups the filtered series of the data by the query's split and adds their points up per bucket. */
export function groupSeries(query: Query, metrics: readonly MetricData[], b: QueryBuckets): Groups {
  const buckets = b.timestamps.length;
  // Filters compare ignoring case, spaces, hyphens and underscores, like catalog names.
  const filters = query.filters.map((f) => ({ key: f.dimension.rest.toLowerCase(), values: new Set(f.values.map(normalizeName)) }));
  const splitKeys = query.splitBy.map((d) => d.rest.toLowerCase());
  const status = statusDims(query.metric);
  // The metric's second rate (email bounces), counted like errors; other metrics' second
  // accumulators hold no bucket.
  const second = secondaryDims(query.metric);
  const secondSize = second === undefined ? 0 : buckets;
  const into: Groups = {
    groups: new Map(),
    grand: new Accumulator(buckets, query.aggregation.key),
    grandErrors: new Accumulator(buckets, query.aggregation.key),
    grandSecond: new Accumulator(secondSize, query.aggregation.key),
    unclassified: false,
    secondKnown: second !== undefined,
  };
  for (const m of metrics) {
    for (const series of m.series) {
      if (!filters.every((f) => f.values.has(normalizeName(series.dimensions[f.key] ?? '')))) continue;
      const group = groupOf(into, query, series, splitKeys, buckets, secondSize);
      const isError = isErrorSeries(series.dimensions, status, query.errors);
      if (isError === undefined) {
        group.classified = false;
        into.unclassified = true;
      }
      const isSecond = second ? isSecondarySeries(series.dimensions, second) : false;
      if (isSecond === undefined) group.secondKnown = into.secondKnown = false;
      const targets = [group.acc, into.grand];
      if (isError) targets.push(group.errors, into.grandErrors);
      if (isSecond) targets.push(group.second, into.grandSecond);
      feedSeries(
        m,
        series,
        b,
        (i, p) => {
          group.acc.add(i, p);
          into.grand.add(i, p);
          if (isError) {
            group.errors.add(i, p);
            into.grandErrors.add(i, p);
          }
          if (isSecond) {
            group.second.add(i, p);
            into.grandSecond.add(i, p);
          }
        },
        targets,
      );
    }
  }
  return into;
}

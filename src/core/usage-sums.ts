/**
 * `usage`'s numbers without a result of hourly points: per group (resource and operation) the
 * requests, errors and first and last bucket with traffic, and per resource the requests per UTC day
 * of the buckets' starts (what a weekly or monthly trend adds up). The same data, window, buckets,
 * notes and errors as runQuery (its selectData and queryBuckets, and groupSeries' feedSeries), but a
 * year of PT1H for 100 resources holds a few numbers a group instead of 8,760 buckets x 6 arrays and
 * 21 million result points.
 *
 * Exact only where addition is: every count and total a non-negative whole number and every sum
 * below 2^53 (any order of adding then gives the same number). Otherwise usageSums returns undefined
 * and the caller takes runQuery's path, bucket by bucket, as before.
 */
import { RESOURCE_DIMENSION } from '../catalog/resource.js';
import { normalizeName } from '../catalog/names.js';
import { isErrorSeries, statusDims } from './classify.js';
import { evenRange, feedSeries } from './group-series.js';
import type { Query } from './model.js';
import { IndexedColumns, pointColumns, type PointValues } from './points.js';
import { type QueryBuckets, queryBuckets } from './query-window.js';
import { selectData, type QueryData } from './run-query.js';
import { bucketNotes } from './shape-result.js';

const DAY = 86_400_000;

/** One group's sums: NaN where no point brought the key; first and last bucket with a count > 0 (-1: none). */
interface GroupSums {
  readonly dims: Record<string, string>;
  count: number;
  total: number;
  errCount: number;
  errTotal: number;
  classified: boolean;
  first: number;
  last: number;
}

/** One series of the result as `usage` reads it. */
export interface SeriesSums {
  readonly dimensions: Readonly<Record<string, string>>;
  readonly requests: number | null;
  readonly errors: number | null;
  /** Start of the first and last bucket whose count is above 0 (+/-Infinity: none). */
  readonly firstTraffic: number;
  readonly lastTraffic: number;
}

export interface UsageSums {
  /** The query as run (its split adjusted to the data). */
  readonly query: Query;
  readonly start: number;
  readonly end: number;
  readonly intervalMs: number | null;
  readonly timestamps: readonly number[];
  /** Ranked as runQuery ranks its series (requests first, ties by dimension values). */
  readonly series: readonly SeriesSums[];
  /** Per resource: the start of each day with a bucket (cut to the window) and its requests (null: no data). */
  readonly days: ReadonlyMap<string, { readonly times: number[]; readonly sums: (number | null)[] }>;
  readonly notes: readonly string[];
}

/** Not a count exact addition can take: NaN-free, not negative, whole, not -0, below 2^53. */
const inexact = (v: number | null | undefined): boolean => v != null && !(Number.isSafeInteger(v) && v >= 0 && !Object.is(v, -0));

const add = (sum: number, v: number): number => (Number.isNaN(sum) ? v : sum + v);

class Inexact extends Error {}

/**
 * The sums of a count query (usage's perResourceQuery) over the data; undefined when some value is
 * not a whole, non-negative count (then only bucket-by-bucket adding gives runQuery's numbers).
 */
export function usageSums(asked: Query, data: QueryData): UsageSums | undefined {
  const notes: string[] = [];
  const { query, metrics, origin } = selectData(asked, data, notes);
  const b = queryBuckets(query, metrics, data.anchor, origin, notes);
  const filters = query.filters.map((f) => ({ key: f.dimension.rest.toLowerCase(), values: new Set(f.values.map(normalizeName)) }));
  const splitKeys = query.splitBy.map((d) => d.rest.toLowerCase());
  const status = statusDims(query.metric);
  const day0 = Math.floor(b.window.start / DAY) * DAY;
  const lastStart = b.timestamps[b.timestamps.length - 1] ?? b.window.start;
  const nDays = Math.floor((lastStart - day0) / DAY) + 1;
  const dayOf = b.timestamps.map((t) => Math.floor((t - day0) / DAY));
  const groups = new Map<string, GroupSums>();
  const days = new Map<string, { sums: Float64Array }>();
  let unclassified = false;
  const grand = { count: 0, total: 0 };
  const memo: { last?: TableSums } = {};
  try {
    for (const m of metrics) {
      for (const series of m.series) {
        if (!filters.every((f) => f.values.has(normalizeName(series.dimensions[f.key] ?? '')))) continue;
        const group = groupOf(groups, query, splitKeys, series.dimensions);
        const isError = isErrorSeries(series.dimensions, status, query.errors);
        if (isError === undefined) group.classified = false;
        if (isError === undefined) unclassified = true;
        const id = group.dims[RESOURCE_DIMENSION.name] ?? '';
        let perDay = days.get(id);
        const addPoint = (i: number, count: number | null | undefined, total: number | null | undefined): void => {
          if (count != null) {
            group.count = add(group.count, count);
            grand.count += count;
            if (isError) group.errCount = add(group.errCount, count);
            if (count > 0) {
              if (group.first < 0 || i < group.first) group.first = i;
              if (i > group.last) group.last = i;
            }
            // NaN marks a day without data; a count (even 0) makes it a number.
            perDay ??= { sums: new Float64Array(nDays).fill(NaN) };
            const d = dayOf[i]!;
            perDay.sums[d] = add(perDay.sums[d]!, count);
          }
          if (total != null) {
            group.total = add(group.total, total);
            grand.total += total;
            if (isError) group.errTotal = add(group.errTotal, total);
          }
        };
        const columns = pointColumns(series);
        const range = columns instanceof IndexedColumns ? evenRange(columns, b) : undefined;
        if (range !== undefined) {
          const r = sumRange(columns as IndexedColumns, range, b, dayOf, perDay?.sums ?? nDays, memo);
          if (r.days !== undefined) perDay ??= { sums: r.days };
          mergeSums(group, grand, r, isError === true);
        } else
          feedSeries(m, series, b, (i: number, p: PointValues) => {
            if (inexact(p.count) || inexact(p.total)) throw new Inexact();
            addPoint(i, p.count, p.total);
          });
        if (perDay !== undefined) days.set(id, perDay);
      }
    }
  } catch (e) {
    if (e instanceof Inexact) return undefined;
    throw e;
  }
  // Past 2^53 a sum may round: runQuery's order then decides it (and says when it overflows).
  if (grand.count > Number.MAX_SAFE_INTEGER || grand.total > Number.MAX_SAFE_INTEGER) return undefined;
  bucketNotes(query, b, { unclassified }, data.anchor, notes);
  const at = (i: number, none: number): number => (i < 0 ? none : b.timestamps[i]!);
  const series = rank([...groups.values()]).map((g): SeriesSums => {
    const requests = nullIfNaN(Number.isNaN(g.count) ? g.total : g.count);
    const errors = !g.classified || requests === null ? null : (nullIfNaN(Number.isNaN(g.errCount) ? g.errTotal : g.errCount) ?? 0);
    return { dimensions: g.dims, requests, errors, firstTraffic: at(g.first, Infinity), lastTraffic: at(g.last, -Infinity) };
  });
  const times = Array.from({ length: nDays }, (_, d) => Math.max(day0 + d * DAY, b.window.start));
  const perResource = new Map([...days].map(([id, { sums }]) => [id, { times, sums: Array.from(sums, nullIfNaN) }]));
  return { query, start: b.window.start, end: b.window.end, intervalMs: b.intervalMs, timestamps: b.timestamps, series, days: perResource, notes };
}

/** The group of a series' split values (made on first use). */
function groupOf(groups: Map<string, GroupSums>, query: Query, splitKeys: readonly string[], dimensions: Readonly<Record<string, string>>): GroupSums {
  const values = splitKeys.map((k) => dimensions[k] ?? '');
  const key = JSON.stringify(values);
  let g = groups.get(key);
  if (g === undefined) {
    const dims: Record<string, string> = {};
    query.splitBy.forEach((d, i) => (dims[d.name] = values[i]!));
    g = { dims, count: NaN, total: NaN, errCount: NaN, errTotal: NaN, classified: true, first: -1, last: -1 };
    groups.set(key, g);
  }
  return g;
}

/**
 * Points k0 to k1 of evenly spaced indexed columns on the data's grid (evenRange: every one in the
 * window and on the grid), added up as feedSeries would feed them one by one: the series' count and
 * total (NaN: none), its first and last bucket with a count above 0, and its counts added to the
 * resource's days (made here when `days` is only their number). Each table entry's exactness is
 * checked once; sums of whole numbers below 2^53 do not depend on the order of adding.
 */
function sumRange(
  columns: IndexedColumns,
  range: { k0: number; k1: number; t0: number; step: number },
  b: QueryBuckets,
  dayOf: readonly number[],
  days: Float64Array | number,
  memo: { last?: TableSums },
): { count: number; total: number; first: number; last: number; days: Float64Array | undefined } {
  const { count, total, bad } = tableSums(columns.table, memo);
  const { index } = columns;
  const { window, intervalMs } = b;
  const { t0, step } = range;
  let sums = typeof days === 'number' ? undefined : days;
  // Sums from 0 with a flag for "some value" (not NaN for none: a NaN constant beside the sums would
  // have the compiler box every sum in a heap number).
  let c = 0;
  let t = 0;
  let counted = false;
  let totalled = false;
  let first = -1;
  let last = -1;
  // A point a bucket (the data's grain is the buckets', on their edges): point k is in bucket
  // i0 + k, without a division per point; the division's own bucket, for whole milliseconds below
  // 2^53 (exact arithmetic).
  const whole = Number.isSafeInteger(t0) && Number.isSafeInteger(window.start) && Number.isSafeInteger(t0 + range.k1 * step);
  const i0 = whole && intervalMs !== null && step === intervalMs && (t0 - window.start) % intervalMs === 0 ? (t0 - window.start) / intervalMs : undefined;
  for (let k = range.k0; k < range.k1; k++) {
    const j = index[k]!;
    if (bad[j] === 1) throw new Inexact();
    const vc = count[j]!;
    const vt = total[j]!;
    if (vc === vc) {
      const i = i0 !== undefined ? i0 + k : intervalMs === null ? 0 : Math.floor((t0 + k * step - window.start) / intervalMs);
      c += vc;
      counted = true;
      if (vc > 0) {
        if (first < 0) first = i;
        last = i;
      }
      sums ??= new Float64Array(days as number).fill(NaN);
      const d = dayOf[i]!;
      const before = sums[d]!;
      sums[d] = before === before ? before + vc : vc;
    }
    if (vt === vt) {
      t += vt;
      totalled = true;
    }
  }
  return { count: counted ? c : NaN, total: totalled ? t : NaN, first, last, days: sums };
}

/** A series' sums (sumRange) added to its group's and the grand total. */
function mergeSums(group: GroupSums, grand: { count: number; total: number }, r: ReturnType<typeof sumRange>, isError: boolean): void {
  if (r.count === r.count) {
    group.count = add(group.count, r.count);
    grand.count += r.count;
    if (isError) group.errCount = add(group.errCount, r.count);
    if (r.first >= 0 && (group.first < 0 || r.first < group.first)) group.first = r.first;
    if (r.last > group.last) group.last = r.last;
  }
  if (r.total === r.total) {
    group.total = add(group.total, r.total);
    grand.total += r.total;
    if (isError) group.errTotal = add(group.errTotal, r.total);
  }
}

/** A table's counts and totals (NaN: none) and its entries exact addition cannot take (1). */
interface TableSums {
  readonly table: readonly PointValues[];
  readonly n: number;
  readonly count: Float64Array;
  readonly total: Float64Array;
  readonly bad: Uint8Array;
}

/**
 * A table's sums, made once while its series come one after the other (a file's series share one
 * table); `memo` keeps only the last: a WeakMap would keep one per file for as long as the data
 * (15,600 json files).
 */
function tableSums(table: readonly PointValues[], memo: { last?: TableSums }): TableSums {
  const last = memo.last;
  if (last !== undefined && last.table === table && last.n === table.length) return last;
  const n = table.length;
  const count = new Float64Array(n).fill(NaN);
  const total = new Float64Array(n).fill(NaN);
  const bad = new Uint8Array(n);
  table.forEach((p, j) => {
    if (p.count != null) count[j] = p.count;
    if (p.total != null) total[j] = p.total;
    bad[j] = inexact(p.count) || inexact(p.total) ? 1 : 0;
  });
  return (memo.last = { table, n, count, total, bad });
}

/** shapeResult's order: largest count first, ties by the dimension values. */
function rank(groups: GroupSums[]): GroupSums[] {
  const total = (g: GroupSums): number => (Number.isNaN(g.count) ? Number.NEGATIVE_INFINITY : g.count);
  return groups.sort((a, b) => total(b) - total(a) || Object.values(a.dims).join('\u0000').localeCompare(Object.values(b.dims).join('\u0000'), 'en'));
}

const nullIfNaN = (v: number): number | null => (Number.isNaN(v) ? null : v);

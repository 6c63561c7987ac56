/**
 * Per-bucket accumulators that combine Metrics API points of several series (dimensions collapsed)
 * and several source buckets (re-bucketing): counts and totals add, minimum and maximum take the
 * extremes, and averages are weighted by count (total / count) when counts are known.
 */
import type { AggregationKey } from '../catalog/types.js';
import type { PointValues } from './points.js';

/** The aggregations an accumulator keeps; requests (count, else total) are always kept. */
export type Kept = AggregationKey;

export class Accumulator {
  /**
   * Each column is made when a point first brings its key (NaN where no point brought it; avgSum
   * and avgN 0), and only for the keys kept: a month of minutes is 43,200 buckets, 346 KB a column,
   * and a query has two accumulators a group.
   */
  private count: Float64Array | undefined;
  private total: Float64Array | undefined;
  private minimum: Float64Array | undefined;
  private maximum: Float64Array | undefined;
  /** Sum and number of `average` values, for points without count and total. */
  private avgSum: Float64Array | undefined;
  private avgN: Float64Array | undefined;
  private readonly keepMin: boolean;
  private readonly keepMax: boolean;
  private readonly keepAvg: boolean;

  /** keep: the aggregation read from this accumulator (default: every one). */
  constructor(
    readonly size: number,
    keep?: Kept,
  ) {
    this.keepMin = keep === undefined || keep === 'minimum';
    this.keepMax = keep === undefined || keep === 'maximum';
    this.keepAvg = keep === undefined || keep === 'average';
  }

  /** Bytes its columns hold (they are made as keys arrive). */
  get bytes(): number {
    return [this.count, this.total, this.minimum, this.maximum, this.avgSum, this.avgN].reduce((n, c) => n + (c?.byteLength ?? 0), 0);
  }

  /** Adds a point's values (a RawPoint, or the values of a columnar series) to bucket i. */
  add(i: number, p: PointValues): void {
    const { count, total, minimum, maximum, average } = p;
    if (count != null) {
      const c = (this.count ??= nanColumn(this.size));
      c[i] = Number.isNaN(c[i]!) ? count : c[i]! + count;
    }
    if (total != null) {
      const t = (this.total ??= nanColumn(this.size));
      t[i] = Number.isNaN(t[i]!) ? total : t[i]! + total;
    }
    if (minimum != null && this.keepMin) {
      const m = (this.minimum ??= nanColumn(this.size));
      if (!(m[i]! <= minimum)) m[i] = minimum;
    }
    if (maximum != null && this.keepMax) {
      const m = (this.maximum ??= nanColumn(this.size));
      if (!(m[i]! >= maximum)) m[i] = maximum;
    }
    if (average != null && this.keepAvg) {
      const sum = (this.avgSum ??= new Float64Array(this.size));
      const n = (this.avgN ??= new Float64Array(this.size));
      sum[i] = sum[i]! + average;
      n[i] = n[i]! + 1;
    }
  }

  /**
   * Adds points k0 to k1 (exclusive) of indexed columns (point k's values are entry index[k] of the
   * table) to bucket i, one after another: the same sums in the same order as add() for each point,
   * with the bucket's running values in locals instead of the columns.
   */
  addRun(i: number, index: ArrayLike<number>, k0: number, k1: number, table: TableColumns): void {
    const { count: tc, total: tt } = table;
    let c = at(this.count, i, Number.NaN);
    let t = at(this.total, i, Number.NaN);
    for (let k = k0; k < k1; k++) {
      const j = index[k]!;
      const vc = tc[j]!;
      const vt = tt[j]!;
      if (vc === vc) c = c === c ? c + vc : vc;
      if (vt === vt) t = t === t ? t + vt : vt;
    }
    if (c === c) (this.count ??= nanColumn(this.size))[i] = c;
    if (t === t) (this.total ??= nanColumn(this.size))[i] = t;
    if (table.rare && (this.keepMin || this.keepMax || this.keepAvg)) this.addRareRun(i, index, k0, k1, table);
  }

  /** minimum, maximum and average of a run (read only when kept, and only when the table has them). */
  private addRareRun(i: number, index: ArrayLike<number>, k0: number, k1: number, table: TableColumns): void {
    const { minimum: tn, maximum: tx, average: ta } = table;
    const keepMin = this.keepMin;
    const keepMax = this.keepMax;
    const keepAvg = this.keepAvg;
    let mn = at(this.minimum, i, Number.NaN);
    let mx = at(this.maximum, i, Number.NaN);
    let sum = at(this.avgSum, i, 0);
    let n = at(this.avgN, i, 0);
    let avgs = false;
    for (let k = k0; k < k1; k++) {
      const j = index[k]!;
      const vn = tn[j]!;
      const vx = tx[j]!;
      const va = ta[j]!;
      if (keepMin && vn === vn && !(mn <= vn)) mn = vn;
      if (keepMax && vx === vx && !(mx >= vx)) mx = vx;
      if (keepAvg && va === va) {
        sum = sum + va;
        n = n + 1;
        avgs = true;
      }
    }
    if (mn === mn) (this.minimum ??= nanColumn(this.size))[i] = mn;
    if (mx === mx) (this.maximum ??= nanColumn(this.size))[i] = mx;
    if (avgs) {
      (this.avgSum ??= new Float64Array(this.size))[i] = sum;
      (this.avgN ??= new Float64Array(this.size))[i] = n;
    }
  }

  /** The aggregation's value of bucket i, or null when no point brought data for it. */
  value(i: number, key: AggregationKey): number | null {
    switch (key) {
      case 'count':
        return nullIfNaN(at(this.count, i, Number.NaN));
      case 'total':
        return nullIfNaN(at(this.total, i, Number.NaN));
      case 'minimum':
        return nullIfNaN(at(this.minimum, i, Number.NaN));
      case 'maximum':
        return nullIfNaN(at(this.maximum, i, Number.NaN));
      case 'average':
        return weightedAverage(at(this.total, i, Number.NaN), at(this.count, i, Number.NaN), at(this.avgSum, i, 0), at(this.avgN, i, 0));
    }
  }

  /** The aggregation over every bucket together (not an average of bucket values). */
  overall(key: AggregationKey): number | null {
    let count = Number.NaN;
    let total = Number.NaN;
    let min = Number.NaN;
    let max = Number.NaN;
    let avgSum = 0;
    let avgN = 0;
    for (let i = 0; i < this.size; i++) {
      const c = at(this.count, i, Number.NaN);
      const t = at(this.total, i, Number.NaN);
      const lo = at(this.minimum, i, Number.NaN);
      const hi = at(this.maximum, i, Number.NaN);
      if (!Number.isNaN(c)) count = Number.isNaN(count) ? c : count + c;
      if (!Number.isNaN(t)) total = Number.isNaN(total) ? t : total + t;
      if (!(min <= lo)) min = Number.isNaN(lo) ? min : lo;
      if (!(max >= hi)) max = Number.isNaN(hi) ? max : hi;
      avgSum += at(this.avgSum, i, 0);
      avgN += at(this.avgN, i, 0);
    }
    switch (key) {
      case 'count':
        return nullIfNaN(count);
      case 'total':
        return nullIfNaN(total);
      case 'minimum':
        return nullIfNaN(min);
      case 'maximum':
        return nullIfNaN(max);
      case 'average':
        return weightedAverage(total, count, avgSum, avgN);
    }
  }

  /** Requests over every bucket: the sum of counts, else of totals; null when neither is known. */
  requests(): number | null {
    const c = this.overall('count');
    return c ?? this.overall('total');
  }
}

/**
 * A table of distinct point values (IndexedColumns' table) as columns: NaN where an entry has no
 * value (missing or null; values are never NaN). rare: some entry has a minimum, maximum or average.
 */
export interface TableColumns {
  readonly count: Float64Array;
  readonly total: Float64Array;
  readonly minimum: Float64Array;
  readonly maximum: Float64Array;
  readonly average: Float64Array;
  readonly rare: boolean;
}

/** The columns of a table of point values. */
export function tableColumns(table: readonly PointValues[]): TableColumns {
  const n = table.length;
  const cols = { count: nanColumn(n), total: nanColumn(n), minimum: nanColumn(n), maximum: nanColumn(n), average: nanColumn(n) };
  let rare = false;
  for (let j = 0; j < n; j++) {
    const p = table[j]!;
    if (p.count != null) cols.count[j] = p.count;
    if (p.total != null) cols.total[j] = p.total;
    if (p.minimum != null) cols.minimum[j] = p.minimum;
    if (p.maximum != null) cols.maximum[j] = p.maximum;
    if (p.average != null) cols.average[j] = p.average;
    rare ||= p.minimum != null || p.maximum != null || p.average != null;
  }
  return { ...cols, rare };
}

const nanColumn = (size: number): Float64Array => new Float64Array(size).fill(Number.NaN);

/** Bucket i of a column, or what an unmade column holds. */
const at = (column: Float64Array | undefined, i: number, none: number): number => (column === undefined ? none : column[i]!);

function nullIfNaN(v: number): number | null {
  return Number.isNaN(v) ? null : v;
}

function weightedAverage(total: number, count: number, avgSum: number, avgN: number): number | null {
  if (!Number.isNaN(total) && !Number.isNaN(count) && count > 0) return total / count;
  return avgN > 0 ? avgSum / avgN : null;
}

/**
 * Per-bucket accumulators that combine Metrics API points of several series (dimensions collapsed)
 * and several source buckets (re-bucketing): counts and totals add, minimum and maximum take the
 * extremes, and averages are weighted by count (total / count) when counts are known.
 */
import type { AggregationKey } from '../catalog/types.js';
import type { PointValues } from './points.js';

export class Accumulator {
  /** NaN where no point brought that key. */
  readonly count: Float64Array;
  readonly total: Float64Array;
  readonly minimum: Float64Array;
  readonly maximum: Float64Array;
  /** Sum and number of `average` values, for points without count and total. */
  readonly avgSum: Float64Array;
  readonly avgN: Float64Array;

  constructor(readonly size: number) {
    this.count = new Float64Array(size).fill(Number.NaN);
    this.total = new Float64Array(size).fill(Number.NaN);
    this.minimum = new Float64Array(size).fill(Number.NaN);
    this.maximum = new Float64Array(size).fill(Number.NaN);
    this.avgSum = new Float64Array(size);
    this.avgN = new Float64Array(size);
  }

  /** Adds a point's values (a RawPoint, or the values of a columnar series) to bucket i. */
  add(i: number, p: PointValues): void {
    const { count, total, minimum, maximum, average } = p;
    if (count != null) this.count[i] = Number.isNaN(this.count[i]!) ? count : this.count[i]! + count;
    if (total != null) this.total[i] = Number.isNaN(this.total[i]!) ? total : this.total[i]! + total;
    if (minimum != null && !(this.minimum[i]! <= minimum)) this.minimum[i] = minimum;
    if (maximum != null && !(this.maximum[i]! >= maximum)) this.maximum[i] = maximum;
    if (average != null) {
      this.avgSum[i] = this.avgSum[i]! + average;
      this.avgN[i] = this.avgN[i]! + 1;
    }
  }

  /** The aggregation's value of bucket i, or null when no point brought data for it. */
  value(i: number, key: AggregationKey): number | null {
    switch (key) {
      case 'count':
        return nullIfNaN(this.count[i]!);
      case 'total':
        return nullIfNaN(this.total[i]!);
      case 'minimum':
        return nullIfNaN(this.minimum[i]!);
      case 'maximum':
        return nullIfNaN(this.maximum[i]!);
      case 'average':
        return weightedAverage(this.total[i]!, this.count[i]!, this.avgSum[i]!, this.avgN[i]!);
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
      const c = this.count[i]!;
      const t = this.total[i]!;
      if (!Number.isNaN(c)) count = Number.isNaN(count) ? c : count + c;
      if (!Number.isNaN(t)) total = Number.isNaN(total) ? t : total + t;
      if (!(min <= this.minimum[i]!)) min = Number.isNaN(this.minimum[i]!) ? min : this.minimum[i]!;
      if (!(max >= this.maximum[i]!)) max = Number.isNaN(this.maximum[i]!) ? max : this.maximum[i]!;
      avgSum += this.avgSum[i]!;
      avgN += this.avgN[i]!;
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

function nullIfNaN(v: number): number | null {
  return Number.isNaN(v) ? null : v;
}

function weightedAverage(total: number, count: number, avgSum: number, avgN: number): number | null {
  if (!Number.isNaN(total) && !Number.isNaN(count) && count > 0) return total / count;
  return avgN > 0 ? avgSum / avgN : null;
}

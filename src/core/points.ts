/**
 * A compact form of a series' points for large inputs. A parsed Azure Monitor response already holds
 * one object per data point ({timeStamp, count, total, ...}); building a second object per point
 * (RawPoint) doubles the memory of a month of minute data. So the parser keeps, per series, the
 * timestamps in a Float64Array and the parsed (validated) objects themselves as the values, and the
 * series' `points` array is built only if something asks for it. The query engine reads the columns.
 *
 * A columnar series is an ordinary RawSeries to everything else: `points` is an enumerable property
 * (a getter that builds the RawPoint objects once, on first use) and the columns sit under a
 * non-enumerable symbol, so equality checks, JSON and spreading see `{dimensions, points}`.
 */
import type { AggregationKey } from '../catalog/types.js';
import type { RawPoint, RawSeries } from './model.js';

/** The aggregation values of one point: a missing or null key means no data. */
export type PointValues = { readonly [K in AggregationKey]?: number | null };

export interface PointColumns {
  /** Milliseconds since the epoch, ascending. */
  readonly timestamps: Float64Array;
  /**
   * values[k] holds the aggregations of the point at timestamps[k] (other keys are ignored). They
   * must not change after the series is made.
   */
  readonly values: ArrayLike<PointValues>;
}

/**
 * Columns of a streamed file: the aggregations of point k are table[index[k]]; points with the same
 * aggregations share one table entry (a month of minutes has a few hundred distinct ones). Times are
 * a start and a step when evenly spaced (Azure Monitor's grid: no bytes), else whole seconds after the
 * first point's (4 bytes), else milliseconds (8 bytes); `timestamps` builds a Float64Array on every
 * read (only the series being read is ever held whole), timeAt(k) reads one. So a point of a minute
 * series takes 2 bytes: a 2 GiB file of them, about 70 MB.
 */
export class IndexedColumns {
  constructor(
    /** Milliseconds of the first point. */
    private readonly base: number,
    /** Seconds between evenly spaced points (then seconds and millis are undefined). */
    private readonly step: number | undefined,
    /** Whole seconds after base, or undefined when millis holds the times. */
    private readonly seconds: Uint32Array | undefined,
    private readonly millis: Float64Array | undefined,
    readonly index: Uint16Array | Uint32Array,
    readonly table: readonly PointValues[],
  ) {}

  get length(): number {
    return this.index.length;
  }

  /** Milliseconds between points when they are evenly spaced (point k at timeAt(0) + k * step). */
  get evenStepMs(): number | undefined {
    return this.step === undefined ? undefined : this.step * 1000;
  }

  timeAt(k: number): number {
    if (this.step !== undefined) return this.base + k * this.step * 1000;
    return this.seconds !== undefined ? this.base + this.seconds[k]! * 1000 : this.millis![k]!;
  }

  /** A new array of the times (the caller may keep it or let it go). */
  get timestamps(): Float64Array {
    if (this.millis !== undefined) return this.millis;
    const out = new Float64Array(this.index.length);
    for (let k = 0; k < out.length; k++) out[k] = this.timeAt(k);
    return out;
  }
}

/** The values of columns as an array (built for indexed columns: only merging needs this). */
export function valuesOf(columns: PointColumns | IndexedColumns): ArrayLike<PointValues> {
  if (!(columns instanceof IndexedColumns)) return columns.values;
  const { index, table } = columns;
  const out: PointValues[] = new Array<PointValues>(index.length);
  for (let k = 0; k < index.length; k++) out[k] = table[index[k]!]!;
  return out;
}

const COLUMNS = Symbol('acs-metrics.pointColumns');

/** A RawSeries over columns; `materialize` builds its points (in timestamp order) when first asked. */
export function columnarSeries(dimensions: Readonly<Record<string, string>>, columns: PointColumns | IndexedColumns, materialize: () => RawPoint[]): RawSeries {
  let points: readonly RawPoint[] | undefined;
  const series = { dimensions } as { dimensions: Readonly<Record<string, string>>; points: readonly RawPoint[] };
  Object.defineProperty(series, 'points', {
    enumerable: true,
    configurable: true,
    get: () => (points ??= materialize()),
  });
  Object.defineProperty(series, COLUMNS, { value: columns, enumerable: false });
  return series;
}

/** The columns of a series made by columnarSeries; undefined for a plain one. */
export function pointColumns(series: RawSeries): PointColumns | IndexedColumns | undefined {
  return (series as { [COLUMNS]?: PointColumns | IndexedColumns })[COLUMNS];
}

/** How many points a series has, without building them. */
export function pointCount(series: RawSeries): number {
  const columns = pointColumns(series);
  if (columns instanceof IndexedColumns) return columns.length;
  return columns?.timestamps.length ?? series.points.length;
}

/** The timestamp of point i, without building the points. */
export function timestampAt(series: RawSeries, i: number): number {
  const columns = pointColumns(series);
  if (columns instanceof IndexedColumns) return columns.timeAt(i);
  return columns ? columns.timestamps[i]! : series.points[i]!.timestamp;
}

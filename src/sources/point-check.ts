/**
 * The data points of a series: each checked (a date, aggregations that are numbers not below zero or
 * null, no key given twice) and kept as columns, a RawSeries whose point objects are built only when
 * read. Keys given twice are found in the text (JSON.parse keeps the last) and marked on the point.
 */
import type { AggregationKey } from '../catalog/types.js';
import type { RawPoint, RawSeries } from '../core/model.js';
import { columnarSeries, IndexedColumns, type PointColumns, valuesOf } from '../core/points.js';
import { findDuplicateKeys } from './json-duplicates.js';
import { fail, found, type Obj } from './response-messages.js';
import { toMillis } from './stamp-text.js';

type MutablePoint = { timestamp: number } & { [K in AggregationKey]?: number | null };

/** A key given twice in a data point (JSON.parse and the reader keep the last): reported by checkPoint. */
export const DUPLICATE = Symbol('a key given twice');
export interface PointDuplicate {
  readonly key: string;
  /** The two values, as JSON. */
  readonly first: string;
  readonly second: string;
}

/**
 * Set (by skim-document.ts) on a parsed data array whose text matched SERVICE_DATA_ARRAY
 * (skim-patterns.ts): every point passes checkPoint as it is and holds no key twice, so that
 * readSeries only reads the timestamps.
 */
export const CERTIFIED = Symbol('points in the service layout, checked in the text');

/** Marks a point (a parsed object) as holding `key` twice; the first key given twice is the one named. */
export function markDuplicate(point: object, duplicate: PointDuplicate): void {
  if ((point as { [DUPLICATE]?: PointDuplicate })[DUPLICATE] === undefined) {
    Object.defineProperty(point, DUPLICATE, { value: duplicate, enumerable: false, configurable: true });
  }
}

/**
 * Two of a point's own keys (an aggregation, its timestamp) within one flat object: a cheap test of the
 * whole text (a tenth of what JSON.parse takes), so that the exact walk runs only when it may find one.
 */
const MAYBE_TWICE = /"(count|total|average|minimum|maximum|timeStamp|timestamp)"[^}]*"\1"/;
/** The keys of a point that are checked for being given twice (the same in both readers). */
export const POINT_KEYS: ReadonlySet<string> = new Set(['count', 'total', 'average', 'minimum', 'maximum', 'timeStamp', 'timestamp']);
const asJson = (raw: string): string => (raw === '{…}' || raw === '[…]' ? raw : JSON.stringify(JSON.parse(raw)));

/** Marks the points of a parsed body that hold a key twice in its text (see MAYBE_TWICE). */
export function markDuplicatePoints(body: unknown, text: string): void {
  if (!MAYBE_TWICE.test(text)) return;
  for (const d of findDuplicateKeys(text, Infinity)) {
    const n = d.path.length;
    if (n < 2 || typeof d.path[n - 1] !== 'number' || d.path[n - 2] !== 'data' || !POINT_KEYS.has(d.key)) continue;
    let point: unknown = body;
    for (const step of d.path) point = (point as Record<string | number, unknown> | undefined)?.[step];
    if (point !== null && typeof point === 'object') markDuplicate(point, { key: d.key, first: asJson(d.first), second: asJson(d.second) });
  }
}

/**
 * The data array of a series as the streaming reader (stream-reader.ts) read it: the points already
 * checked by checkPoint, their timestamps in a column and their values (shared objects: points with
 * the same aggregations share one) in another.
 */
export class ScannedPoints {
  constructor(
    readonly columns: IndexedColumns,
    readonly sorted: boolean,
    /** The first element that is not a valid data point, reported (as the old reader would) when the series is read. */
    readonly bad?: { readonly k: number; readonly point: unknown },
  ) {}
}

/**
 * Checks one element of a series' data array and returns its timestamp; a DataError naming the place
 * (`value[0].timeseries[3].data[5].count is negative (-1)`) when it is not a data point.
 */
export function checkPoint(d: unknown, place: () => string, k: number, origin: string): number {
  if (d === null || typeof d !== 'object' || Array.isArray(d)) {
    fail(origin, `${place()}.data[${k}] is not a data point (${found(d)})`);
  }
  const o = d as Obj;
  const twice = (d as { [DUPLICATE]?: PointDuplicate })[DUPLICATE];
  if (twice !== undefined) {
    fail(
      origin,
      `${place()}.data[${k}].${twice.key} is given twice in one point (${twice.first}, then ${twice.second}): a point holds one value per aggregation; keep one`,
    );
  }
  let key = 'timeStamp';
  let raw = o.timeStamp;
  if (raw === undefined) {
    key = 'timestamp';
    raw = o.timestamp;
  }
  const t = toMillis(raw);
  if (t !== t) {
    fail(
      origin,
      raw === undefined || raw === null ? `${place()}.data[${k}].timeStamp is missing` : `${place()}.data[${k}].${key} is not a date (${found(raw)})`,
    );
  }
  // Checked here; the values stay in the parsed object, which is the point's values from now on.
  let v = o.count;
  if (v !== undefined) aggregate(v, place, k, 'count', origin);
  v = o.total;
  if (v !== undefined) aggregate(v, place, k, 'total', origin);
  v = o.average;
  if (v !== undefined) aggregate(v, place, k, 'average', origin);
  v = o.minimum;
  if (v !== undefined) aggregate(v, place, k, 'minimum', origin);
  v = o.maximum;
  if (v !== undefined) aggregate(v, place, k, 'maximum', origin);
  return t;
}

/** A series over columns (points built only when read); unsorted ones (rare) as plain sorted points. */
export function columnsToSeries(dimensions: Record<string, string>, columns: PointColumns | IndexedColumns, sorted: boolean): RawSeries {
  const materialize = (): RawPoint[] => {
    const points: MutablePoint[] = [];
    const timestamps = columns.timestamps; // read here: IndexedColumns builds them on every read
    const n = timestamps.length;
    const values = valuesOf(columns);
    for (let k = 0; k < n; k++) {
      const o = values[k]!;
      const p: MutablePoint = { timestamp: timestamps[k]! };
      if (o.count !== undefined) p.count = o.count;
      if (o.total !== undefined) p.total = o.total;
      if (o.average !== undefined) p.average = o.average;
      if (o.minimum !== undefined) p.minimum = o.minimum;
      if (o.maximum !== undefined) p.maximum = o.maximum;
      points.push(p);
    }
    return points;
  };
  if (!sorted) {
    // Rare (hand-made files): plain points, sorted by time.
    const points = materialize();
    points.sort((a, b) => a.timestamp - b.timestamp);
    return { dimensions, points };
  }
  return columnarSeries(dimensions, columns, materialize);
}

/** An aggregation value: a finite number not below zero (request counts), or null for no data. */
function aggregate(v: unknown, place: () => string, k: number, key: AggregationKey, origin: string): number | null {
  if (typeof v === 'number') {
    if (v >= 0 && v !== Infinity) return v;
    fail(origin, `${place()}.data[${k}].${key} is ${v < 0 ? 'negative' : 'not a finite number'} (${found(v)})`);
  }
  if (v === null) return null;
  fail(origin, `${place()}.data[${k}].${key} is not a number (${found(v)})`);
}

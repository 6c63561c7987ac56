/**
 * The points of a series as they are read, into the compact columns of core/points.ts
 * (IndexedColumns): every distinct set of aggregations once, in a table shared by a file's series,
 * and per point its table index and its time (a start and a step while evenly spaced). The streaming
 * JSON reader (stream-reader.ts) and the Parquet reader (parquet-archive.ts) both fill them.
 */
import type { AggregationKey } from '../catalog/types.js';
import { IndexedColumns, type PointValues } from '../core/points.js';
import { checkPoint, ScannedPoints } from './parse-response.js';

export type Agg = number | null | undefined;

/**
 * The distinct aggregations of a file's points, each once: a point refers to its entry by number.
 * Entries whose values are all small whole numbers (or null, or missing) are found by a numeric key.
 */
export class ValueTable {
  readonly entries: PointValues[] = [];
  /** Points the last series read had: the next one's first size (a file's series are mostly alike). */
  sizeHint = 64;
  /**
   * Entries of small whole numbers by their codes, in an open-addressing hash table of two 20- and
   * 30-bit halves (small integers: no allocation per point, unlike a Map with a 50-bit number key).
   */
  private hi = new Int32Array(1024).fill(-1);
  private lo = new Int32Array(1024);
  private at = new Int32Array(1024);
  private used = 0;
  private readonly other = new Map<string, number>();

  indexOf(c: Agg, t: Agg, a: Agg, mn: Agg, mx: Agg): number {
    const kc = code(c);
    const kt = code(t);
    const ka = code(a);
    const kn = code(mn);
    const kx = code(mx);
    if ((kc | kt | ka | kn | kx) >= 0) return this.indexOfCodes(kc * 1024 + kt, (ka * 1024 + kn) * 1024 + kx, c, t, a, mn, mx);
    const key = `${tag(c)}|${tag(t)}|${tag(a)}|${tag(mn)}|${tag(mx)}`;
    const i = this.other.get(key);
    if (i !== undefined) return i;
    const j = this.add(c, t, a, mn, mx);
    this.other.set(key, j);
    return j;
  }

  /**
   * The entry of small whole numbers (or null, or missing) whose codes (see code()) are hi (count,
   * total) and lo (average, minimum, maximum), added when new: for a reader that worked the codes out.
   */
  indexOfCodes(hi: number, lo: number, c: Agg, t: Agg, a: Agg, mn: Agg, mx: Agg): number {
    {
      const mask = this.hi.length - 1;
      let slot = (Math.imul(hi, 0x9e3779b1) ^ Math.imul(lo, 0x85ebca6b)) & mask;
      for (;;) {
        const h = this.hi[slot]!;
        if (h === -1) break;
        if (h === hi && this.lo[slot] === lo) return this.at[slot]!;
        slot = (slot + 1) & mask;
      }
      const j = this.add(c, t, a, mn, mx);
      this.hi[slot] = hi;
      this.lo[slot] = lo;
      this.at[slot] = j;
      if (++this.used * 2 > this.hi.length) this.rehash();
      return j;
    }
  }

  /** A new entry (the Parquet reader finds its own by the values' codes, parquet-codes.ts). */
  push(c: Agg, t: Agg, a: Agg, mn: Agg, mx: Agg): number {
    return this.add(c, t, a, mn, mx);
  }

  private rehash(): void {
    const { hi, lo, at } = this;
    const size = hi.length * 2;
    this.hi = new Int32Array(size).fill(-1);
    this.lo = new Int32Array(size);
    this.at = new Int32Array(size);
    const mask = size - 1;
    for (let i = 0; i < hi.length; i++) {
      if (hi[i] === -1) continue;
      let slot = (Math.imul(hi[i]!, 0x9e3779b1) ^ Math.imul(lo[i]!, 0x85ebca6b)) & mask;
      while (this.hi[slot] !== -1) slot = (slot + 1) & mask;
      this.hi[slot] = hi[i]!;
      this.lo[slot] = lo[i]!;
      this.at[slot] = at[i]!;
    }
  }

  private add(c: Agg, t: Agg, a: Agg, mn: Agg, mx: Agg): number {
    const o: { -readonly [K in AggregationKey]?: number | null } = {};
    if (c !== undefined) o.count = c;
    if (t !== undefined) o.total = t;
    if (a !== undefined) o.average = a;
    if (mn !== undefined) o.minimum = mn;
    if (mx !== undefined) o.maximum = mx;
    this.entries.push(o);
    return this.entries.length - 1;
  }
}

/** 0 for missing, 1 for null, 2 to 1023 for the whole numbers 0 to 1021; -1 for anything else. */
function code(v: Agg): number {
  if (v === undefined) return 0;
  if (v === null) return 1;
  return v >= 0 && v < 1022 && (v | 0) === v && !(v === 0 && 1 / v < 0) ? v + 2 : -1;
}

/** A distinct text per distinct value (-0 apart from 0, as JSON.parse keeps it). */
function tag(v: Agg): string | number {
  if (v === undefined) return 'u';
  if (v === null) return 'n';
  return v === 0 && 1 / v < 0 ? '-0' : v;
}

/**
 * The points of one data array, as columns: values as table indexes; times as a start and a step
 * while they are evenly spaced (no bytes at all: a minute series of a year), else as seconds after
 * the first point, else (fractions of a second, times before the first) as milliseconds.
 */
export class PointSink {
  private base = NaN;
  /** Seconds between points while they are evenly spaced (seconds and millis undefined). */
  private step = NaN;
  private seconds: Uint32Array | undefined;
  private millis: Float64Array | undefined;
  private index: Uint16Array | Uint32Array;
  private n = 0;
  sorted = true;
  private previous = -Infinity;
  /** The first point that fails checkPoint, and its index; points after it are dropped. */
  bad: { k: number; point: unknown } | undefined;
  count = 0;

  constructor(private readonly table: ValueTable) {
    // Sized as the last series was: no growing (and no garbage) for the next ones of its length.
    this.index = new Uint16Array(table.sizeHint);
  }

  /** A point at t (milliseconds since 1970). */
  add(t: number, c: Agg, total: Agg, avg: Agg, min: Agg, max: Agg): void {
    this.addDay(0, t, c, total, avg, min, max);
  }

  /**
   * A point at ms milliseconds into day `day` (since 1970): two small integers, passed without a
   * heap number per point (see stamp-bytes.ts).
   */
  addDay(day: number, ms: number, c: Agg, total: Agg, avg: Agg, min: Agg, max: Agg): void {
    this.count++;
    if (this.bad !== undefined) return;
    this.one[0] = day * 86_400_000 + ms;
    this.put(this.one, 0, this.table.indexOf(c, total, avg, min, max));
  }

  /** addDay for a point whose aggregations are small whole numbers or null, with their codes (ValueTable.indexOfCodes). */
  addDayCoded(day: number, ms: number, hi: number, lo: number, c: Agg, total: Agg, avg: Agg, min: Agg, max: Agg): void {
    this.count++;
    if (this.bad !== undefined) return;
    this.one[0] = day * 86_400_000 + ms;
    this.put(this.one, 0, this.table.indexOfCodes(hi, lo, c, total, avg, min, max));
  }

  /**
   * A point at times[at] (milliseconds since 1970) whose values are entry i of the table: the time
   * passed by its place in an array, not as a number (a heap number per point, and the garbage
   * collector's work for 21 million of them).
   */
  addEntry(times: Float64Array, at: number, i: number): void {
    this.count++;
    if (this.bad !== undefined) return;
    this.put(times, at, i);
  }

  /** A time of addDay's, passed to put in an array. */
  private readonly one = new Float64Array(1);

  private put(times: Float64Array, at: number, i: number): void {
    const t = times[at]!;
    const n = this.n;
    if (n === this.index.length || (i > 0xffff && this.index instanceof Uint16Array)) this.grow(i > 0xffff);
    if (this.seconds === undefined && this.millis === undefined) {
      // Evenly spaced so far?
      if (n === 0) this.base = t;
      else {
        const s = (t - this.base) / 1000;
        if (n === 1 && s > 0 && s <= 0xffffffff && Math.floor(s) === s) this.step = s;
        else if (s !== n * this.step) this.unevenFrom(n);
      }
    }
    if (this.seconds !== undefined) {
      const s = (t - this.base) / 1000;
      if (s >= 0 && s <= 0xffffffff && Math.floor(s) === s) this.seconds[n] = s;
      else {
        this.toMillis();
        this.millis![n] = t;
      }
    } else if (this.millis !== undefined) this.millis[n] = t;
    this.index[n] = i;
    this.n = n + 1;
    if (t < this.previous) this.sorted = false;
    this.previous = t;
  }

  /** Point n breaks the even spacing: the times so far written out as seconds. */
  private unevenFrom(n: number): void {
    const seconds = new Uint32Array(this.index.length);
    for (let k = 0; k < n; k++) seconds[k] = k * this.step;
    this.seconds = seconds;
  }

  /** Times that do not fit whole seconds after the first point: all kept as milliseconds from now on. */
  private toMillis(): void {
    const millis = new Float64Array(this.index.length);
    for (let k = 0; k < this.n; k++) millis[k] = this.base + this.seconds![k]! * 1000;
    this.millis = millis;
    this.seconds = undefined;
  }

  private grow(wide: boolean): void {
    const n = this.n;
    const size = n === this.index.length ? n * 2 : this.index.length;
    const index = wide || this.index instanceof Uint32Array ? new Uint32Array(size) : new Uint16Array(size);
    index.set(this.index.subarray(0, n));
    this.index = index;
    if (this.seconds !== undefined) {
      const seconds = new Uint32Array(size);
      seconds.set(this.seconds.subarray(0, n));
      this.seconds = seconds;
    } else if (this.millis !== undefined) {
      const millis = new Float64Array(size);
      millis.set(this.millis.subarray(0, n));
      this.millis = millis;
    }
  }

  /** A point the fast path did not take: checked as the old reader checks it. */
  addGeneric(point: unknown): void {
    if (this.bad !== undefined) {
      this.count++;
      return;
    }
    let t: number;
    try {
      t = checkPoint(point, () => '', this.count, '');
    } catch {
      this.bad = { k: this.count, point };
      this.count++;
      return;
    }
    const o = point as Record<string, unknown>;
    this.add(t, o.count as Agg, o.total as Agg, o.average as Agg, o.minimum as Agg, o.maximum as Agg);
  }

  finish(): ScannedPoints {
    const n = this.n;
    this.table.sizeHint = Math.max(64, n);
    const trim = <T extends Uint16Array | Uint32Array | Float64Array>(a: T | undefined): T | undefined =>
      a === undefined || a.length === n ? a : (a.slice(0, n) as T);
    const even = this.seconds === undefined && this.millis === undefined;
    const columns = new IndexedColumns(
      this.base,
      even ? (n > 1 ? this.step : 0) : undefined,
      trim(this.seconds),
      trim(this.millis),
      trim(this.index)!,
      this.table.entries,
    );
    return new ScannedPoints(columns, this.sorted, this.bad);
  }
}

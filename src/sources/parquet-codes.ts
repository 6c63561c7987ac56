/**
 * What the Parquet reader (parquet-read.ts) makes of a column of codes (parquet-pages.ts): each
 * distinct value checked and converted once, not once per row. A row's timestamp, aggregations and
 * dimension values are then array reads by its codes, and a row's five aggregations find their entry
 * of the file's value table (point-sink.ts) by their five codes, in a hash table of small integers.
 */
import type { CodedColumn } from './parquet-pages.js';
import type { Agg, ValueTable } from './point-sink.js';

/**
 * Timestamps: ms[code + 1] the time, NaN where the value is not a finite number (and at 0, for the
 * code -1 of a null: a row's time is then one array read, no branch whose NaN would make the
 * optimizing compiler box every time in a heap number).
 */
export function timeColumn(c: CodedColumn): CodedColumn & { readonly ms: Float64Array } {
  const ms = new Float64Array(c.dict.length + 1);
  ms[0] = NaN;
  c.dict.forEach((v, e) => (ms[e + 1] = typeof v === 'number' && Number.isFinite(v) ? v : NaN));
  return { ...c, ms };
}

/** An aggregation: value[code] (NaN: none, null), bad[code] 1 where it is not what Azure gives (the reader says why). */
export interface AggColumn extends CodedColumn {
  readonly value: Float64Array;
  readonly bad: Uint8Array;
}

export function aggColumn(c: CodedColumn): AggColumn {
  const value = new Float64Array(c.dict.length).fill(NaN);
  const bad = new Uint8Array(c.dict.length);
  c.dict.forEach((v, e) => {
    if (v === null || v === undefined) return;
    if (typeof v === 'number' && v >= 0 && v !== Infinity) value[e] = v;
    else bad[e] = 1;
  });
  return { ...c, value, bad };
}

/** A dimension: the text of each row (null where the series has none). */
export interface TextColumn {
  readonly codes: Int32Array;
  textOf(r: number): string | null;
}

export function textColumn(c: CodedColumn): TextColumn {
  const text = c.dict.map(dimValue);
  return { codes: c.codes, textOf: (r) => (c.codes[r]! < 0 ? null : text[c.codes[r]!]!) };
}

/** A dimension's value: the string, null where the series has none (another engine's number as text). */
function dimValue(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  return typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean' ? String(v) : JSON.stringify(v);
}

/** Each code's value as a number standing for its string (equal strings, equal numbers); -1 for other values. */
export function stringIds(c: CodedColumn, ids: Map<string, number>): Int32Array {
  const out = new Int32Array(c.dict.length);
  c.dict.forEach((v, e) => (out[e] = typeof v === 'string' ? idOf(ids, v) : -1));
  return out;
}

export function idOf(ids: Map<string, number>, s: string): number {
  let id = ids.get(s);
  if (id === undefined) ids.set(s, (id = ids.size));
  return id;
}

/**
 * The value table entry of a row's five aggregations, found by their codes (every code + 1 >= 0).
 * Columns read as one (the same bytes: count and total, mostly) count once; where the distinct
 * columns' codes combine into fewer than 2^20 keys (a file's aggregations have a few hundred distinct
 * values), a row's entry is an array read by its key, else it is found in a hash table over the
 * five codes. An entry is made in the table the first time a set of codes is seen.
 */
export class AggCombos {
  private keys = new Int32Array(5 * 1024);
  private slots = new Int32Array(2048).fill(-1);
  private entries = new Int32Array(1024);
  private n = 0;
  private readonly cols: readonly [AggColumn, AggColumn, AggColumn, AggColumn, AggColumn];
  private readonly codes: readonly [Int32Array, Int32Array, Int32Array, Int32Array, Int32Array];
  /** The distinct code arrays, each code + 1 times its multiplier, and the entries by key (-1: none). */
  private readonly distinct: readonly { codes: Int32Array; times: number }[] = [];
  private readonly direct: Int32Array | undefined;

  constructor(
    private readonly table: ValueTable,
    aggs: readonly AggColumn[],
  ) {
    this.cols = [aggs[0]!, aggs[1]!, aggs[2]!, aggs[3]!, aggs[4]!];
    this.codes = [aggs[0]!.codes, aggs[1]!.codes, aggs[2]!.codes, aggs[3]!.codes, aggs[4]!.codes];
    let keys = 1;
    const distinct: { codes: Int32Array; times: number }[] = [];
    for (const a of aggs) {
      if (distinct.some((d) => d.codes === a.codes)) continue;
      distinct.push({ codes: a.codes, times: keys });
      keys *= a.dict.length + 1;
    }
    if (keys <= 1 << 20) {
      this.distinct = distinct;
      this.direct = new Int32Array(keys).fill(-1);
    }
  }

  entryAt(r: number): number {
    const direct = this.direct;
    if (direct === undefined) return this.hashed(r);
    const d = this.distinct;
    let key = (d[0]!.codes[r]! + 1) * d[0]!.times;
    for (let i = 1; i < d.length; i++) key += (d[i]!.codes[r]! + 1) * d[i]!.times;
    const e = direct[key]!;
    return e >= 0 ? e : (direct[key] = this.make(r));
  }

  /** A new entry of the table: row r's values. */
  private make(r: number): number {
    const [c0, c1, c2, c3, c4] = this.cols;
    const v = (col: AggColumn): Agg => {
      const code = col.codes[r]!;
      return code < 0 || col.value[code]! !== col.value[code]! ? undefined : col.value[code];
    };
    return this.table.push(v(c0), v(c1), v(c2), v(c3), v(c4));
  }

  private hashed(r: number): number {
    const codes = this.codes;
    const a = codes[0][r]!;
    const b = codes[1][r]!;
    const c = codes[2][r]!;
    const d = codes[3][r]!;
    const e = codes[4][r]!;
    const mask = this.slots.length - 1;
    let slot = (Math.imul(a, 0x9e3779b1) ^ Math.imul(b, 0x85ebca6b) ^ Math.imul(c, 0xc2b2ae35) ^ Math.imul(d, 0x27d4eb2f) ^ Math.imul(e, 0x165667b1)) & mask;
    const keys = this.keys;
    for (;;) {
      const s = this.slots[slot]!;
      if (s === -1) break;
      const k = 5 * s;
      if (keys[k] === a && keys[k + 1] === b && keys[k + 2] === c && keys[k + 3] === d && keys[k + 4] === e) return this.entries[s]!;
      slot = (slot + 1) & mask;
    }
    const entry = this.make(r);
    this.remember(slot, [a, b, c, d, e], entry);
    return entry;
  }

  private remember(slot: number, codes: readonly number[], entry: number): void {
    const s = this.n++;
    if (5 * this.n > this.keys.length) {
      const keys = new Int32Array(this.keys.length * 2);
      keys.set(this.keys);
      this.keys = keys;
      const entries = new Int32Array(this.entries.length * 2);
      entries.set(this.entries);
      this.entries = entries;
    }
    this.keys.set(codes, 5 * s);
    this.entries[s] = entry;
    this.slots[slot] = s;
    if (this.n * 2 > this.slots.length) this.rehash();
  }

  private rehash(): void {
    const slots = new Int32Array(this.slots.length * 2).fill(-1);
    const mask = slots.length - 1;
    const k = this.keys;
    for (let s = 0; s < this.n; s++) {
      const i = 5 * s;
      let slot =
        (Math.imul(k[i]!, 0x9e3779b1) ^
          Math.imul(k[i + 1]!, 0x85ebca6b) ^
          Math.imul(k[i + 2]!, 0xc2b2ae35) ^
          Math.imul(k[i + 3]!, 0x27d4eb2f) ^
          Math.imul(k[i + 4]!, 0x165667b1)) &
        mask;
      while (slots[slot] !== -1) slot = (slot + 1) & mask;
      slots[slot] = s;
    }
    this.slots = slots;
  }
}

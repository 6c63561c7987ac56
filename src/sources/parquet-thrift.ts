/**
 * Parquet's page headers are Thrift structs in the compact protocol. hyparquet 1.31.5 has a reader
 * for them, but it is internal (not in its package exports), so the narrow page decoder
 * (parquet-pages.ts) reads them with this one: a struct as a map of field id to value (nested
 * structs as maps, lists as arrays, binaries as byte views; doubles skipped). Any malformed or
 * truncated input throws, and the caller falls back to hyparquet.
 */

export type Struct = Map<number, unknown>;

export interface Cursor {
  readonly bytes: Uint8Array;
  pos: number;
}

/** An unsigned varint (up to 2^53 exactly; page sizes and counts are far below). */
export function readVarint(c: Cursor): number {
  let result = 0;
  let scale = 1;
  for (;;) {
    if (c.pos >= c.bytes.length) throw new Error('thrift: truncated varint');
    const b = c.bytes[c.pos++]!;
    result += (b & 0x7f) * scale;
    if ((b & 0x80) === 0) return result;
    scale *= 128;
    if (scale > 2 ** 63) throw new Error('thrift: varint too long');
  }
}

const zigzag = (n: number): number => (n % 2 === 0 ? n / 2 : -(n + 1) / 2);

/** One value of a compact type (1 and 2, booleans, only inside lists, as a byte). */
function readValue(c: Cursor, type: number): unknown {
  switch (type) {
    case 1:
    case 2:
    case 3:
      if (c.pos >= c.bytes.length) throw new Error('thrift: truncated');
      return c.bytes[c.pos++]!;
    case 4:
    case 5:
    case 6:
      return zigzag(readVarint(c));
    case 7:
      c.pos += 8;
      return undefined;
    case 8: {
      const n = readVarint(c);
      if (c.pos + n > c.bytes.length) throw new Error('thrift: truncated binary');
      const v = c.bytes.subarray(c.pos, c.pos + n);
      c.pos += n;
      return v;
    }
    case 9:
    case 10:
      return readList(c);
    case 11:
      return readMap(c);
    case 12:
      return readStruct(c);
    default:
      throw new Error(`thrift: unknown type ${type}`);
  }
}

function readList(c: Cursor): unknown[] {
  if (c.pos >= c.bytes.length) throw new Error('thrift: truncated list');
  const head = c.bytes[c.pos++]!;
  const size = head >> 4 === 15 ? readVarint(c) : head >> 4;
  const out: unknown[] = [];
  for (let i = 0; i < size; i++) out.push(readValue(c, head & 0x0f));
  return out;
}

function readMap(c: Cursor): unknown[] {
  const size = readVarint(c);
  if (size === 0) return [];
  if (c.pos >= c.bytes.length) throw new Error('thrift: truncated map');
  const types = c.bytes[c.pos++]!;
  const out: unknown[] = [];
  for (let i = 0; i < size; i++) out.push([readValue(c, types >> 4), readValue(c, types & 0x0f)]);
  return out;
}

/** A struct: field id to value, up to its stop byte. */
export function readStruct(c: Cursor): Struct {
  const fields: Struct = new Map();
  let id = 0;
  for (;;) {
    if (c.pos >= c.bytes.length) throw new Error('thrift: truncated struct');
    const head = c.bytes[c.pos++]!;
    const type = head & 0x0f;
    if (type === 0) return fields;
    id = head >> 4 === 0 ? zigzag(readVarint(c)) : id + (head >> 4);
    fields.set(id, type === 1 ? true : type === 2 ? false : readValue(c, type));
  }
}

/** A numeric field of a struct, or undefined. */
export function intField(s: Struct | undefined, id: number): number | undefined {
  const v = s?.get(id);
  return typeof v === 'number' ? v : undefined;
}

/** A struct field of a struct, or undefined. */
export function structField(s: Struct | undefined, id: number): Struct | undefined {
  const v = s?.get(id);
  return v instanceof Map ? (v as Struct) : undefined;
}

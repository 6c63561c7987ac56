/**
 * A narrow decoder of a Parquet column into codes: each row's value as a number into a table of the
 * column's distinct values (its dictionary pages', decoded once), -1 for null. Why not hyparquet:
 * hyparquet 1.31.5 turns every page into JavaScript arrays (dictionary indices and definition levels
 * as Array<number>, each row's value looked up into another array, nullable columns through its
 * general Dremel assembly, `assembleLists`), and exports no page-level API; for `usage` over a year
 * of 100 resources that was most of the time (BENCHMARKS.md, the archive section). The archive's own
 * files are dictionary pages and flat columns, and what `usage` needs of a row is a few small
 * integers.
 *
 * Only the narrow case is decoded here: a flat column (no repetition) of DOUBLE, INT64 timestamps
 * (milli-, micro-, nanoseconds: converted as hyparquet's parsers in parquet-read.ts convert them) or
 * UTF-8 BYTE_ARRAY, in v1 or v2 data pages, PLAIN or PLAIN_DICTIONARY/RLE_DICTIONARY encoded,
 * uncompressed or snappy (hyparquet's exported snappyUncompress), definition levels RLE, any number
 * of row groups. For anything else (another type, encoding or codec, a nested schema, a file that
 * does not add up) decodeColumn returns undefined and the caller reads that column with hyparquet,
 * which gives what it always gave (its values, or its error).
 */
import type { FileMetaData, SchemaElement } from 'hyparquet';
import { type Cursor, intField, readStruct, readVarint, structField } from './parquet-thrift.js';

/** A column as codes into its distinct values: dict[codes[r]] is row r's value; -1 is null. */
export interface CodedColumn {
  readonly dict: unknown[];
  readonly codes: Int32Array;
}

type Kind = 'double' | 'ms' | 'us' | 'ns' | 'string';
type Snappy = (input: Uint8Array, output: Uint8Array) => void;

const [PLAIN, PLAIN_DICTIONARY, RLE, RLE_DICTIONARY] = [0, 2, 3, 8];
const [DATA_PAGE, DICTIONARY_PAGE, DATA_PAGE_V2] = [0, 2, 3];
const utf8 = new TextDecoder();

/** The column `name` of a file's bytes as codes, or undefined where only hyparquet reads it. */
export function decodeColumn(file: Uint8Array, metadata: FileMetaData, name: string, snappy: Snappy): CodedColumn | undefined {
  const element = flatLeaf(metadata.schema, name);
  const kind = element === undefined ? undefined : kindOf(element);
  if (element === undefined || kind === undefined) return undefined;
  const rows = Number(metadata.num_rows);
  const out = { dict: [] as unknown[], codes: takeCodes(rows) };
  const optional = element.repetition_type === 'OPTIONAL';
  let row = 0;
  try {
    for (const group of metadata.row_groups) {
      const chunk = group.columns.find((c) => c.meta_data?.path_in_schema.length === 1 && c.meta_data.path_in_schema[0] === name);
      const meta = chunk?.meta_data;
      if (meta === undefined || chunk!.file_path !== undefined || (meta.codec !== 'SNAPPY' && meta.codec !== 'UNCOMPRESSED')) return undefined;
      const start = Number(meta.dictionary_page_offset || meta.data_page_offset);
      const end = start + Number(meta.total_compressed_size);
      const n = Number(group.num_rows);
      if (end > file.length || row + n > rows) return undefined;
      const chunkData = { file, end, kind, optional, snappy: meta.codec === 'SNAPPY' ? snappy : undefined };
      if (!decodeChunk(chunkData, { bytes: file, pos: start }, out, row, n)) return undefined;
      row += n;
    }
  } catch {
    return undefined;
  }
  return row === rows ? out : undefined;
}

/** Code arrays of files read before, for the next file's columns (releaseCodes gives them back). */
const freeCodes: Int32Array[] = [];

/** An array of n codes (its values to be written): one given back before, else a new one. */
export function takeCodes(n: number): Int32Array {
  const i = freeCodes.findIndex((a) => a.length >= n);
  return i < 0 ? new Int32Array(n) : freeCodes.splice(i, 1)[0]!.subarray(0, n);
}

/** A file's code arrays, no longer read, given back for the next file (a few are kept). */
export function releaseCodes(columns: Iterable<CodedColumn>): void {
  const buffers = new Set<ArrayBufferLike>();
  for (const c of columns) buffers.add(c.codes.buffer);
  for (const b of buffers) if (freeCodes.length < 32) freeCodes.push(new Int32Array(b));
}

/**
 * Whether columns a and b are stored as the same bytes (in every row group) with the same type:
 * then they decode to the same values, and one decoding serves both (count and total of a metric
 * whose total is its count, minimum, maximum and average of a count metric).
 */
export function sameColumn(file: Uint8Array, metadata: FileMetaData, a: string, b: string): boolean {
  const [ea, eb] = [flatLeaf(metadata.schema, a), flatLeaf(metadata.schema, b)];
  if (ea === undefined || eb === undefined || ea.type !== eb.type || ea.repetition_type !== eb.repetition_type) return false;
  if (ea.converted_type !== eb.converted_type || JSON.stringify(ea.logical_type) !== JSON.stringify(eb.logical_type)) return false;
  const bytes = Buffer.from(file.buffer, file.byteOffset, file.byteLength);
  return metadata.row_groups.every((group) => {
    const [ma, mb] = [a, b].map(
      (name) => group.columns.find((c) => c.meta_data?.path_in_schema.length === 1 && c.meta_data.path_in_schema[0] === name)?.meta_data,
    );
    if (ma === undefined || mb === undefined || ma.codec !== mb.codec || ma.total_compressed_size !== mb.total_compressed_size) return false;
    const [sa, sb] = [ma, mb].map((m) => Number(m.dictionary_page_offset || m.data_page_offset)) as [number, number];
    const size = Number(ma.total_compressed_size);
    if (sa + size > bytes.length || sb + size > bytes.length) return false;
    return bytes.subarray(sa, sa + size).equals(bytes.subarray(sb, sb + size));
  });
}

/** The schema element of a top-level, non-repeated column of a flat schema; undefined otherwise. */
function flatLeaf(schema: readonly SchemaElement[], name: string): SchemaElement | undefined {
  if (schema.length === 0 || schema.slice(1).some((e) => (e.num_children ?? 0) > 0)) return undefined;
  const element = schema.slice(1).find((e) => e.name === name);
  return element === undefined || element.repetition_type === 'REPEATED' ? undefined : element;
}

/** What the column's values are, as hyparquet (utf8: true) would convert them; undefined: not decoded here. */
function kindOf(e: SchemaElement): Kind | undefined {
  const ltype = e.logical_type?.type;
  if (e.type === 'DOUBLE') return e.converted_type === undefined && ltype === undefined ? 'double' : undefined;
  if (e.type === 'BYTE_ARRAY')
    return (e.converted_type === undefined || e.converted_type === 'UTF8') && (ltype === undefined || ltype === 'STRING') ? 'string' : undefined;
  if (e.type !== 'INT64') return undefined;
  if (e.converted_type === 'TIMESTAMP_MILLIS') return 'ms';
  if (e.converted_type === 'TIMESTAMP_MICROS') return 'us';
  if (e.converted_type !== undefined || e.logical_type?.type !== 'TIMESTAMP') return undefined;
  const unit = e.logical_type.unit;
  return unit === 'MILLIS' ? 'ms' : unit === 'MICROS' ? 'us' : unit === 'NANOS' ? 'ns' : undefined;
}

interface Chunk {
  readonly file: Uint8Array;
  readonly end: number;
  readonly kind: Kind;
  readonly optional: boolean;
  readonly snappy: Snappy | undefined;
}

/** The pages of one column chunk, rows `row` to `row + n` of out; false where this decoder stops. */
function decodeChunk(chunk: Chunk, c: Cursor, out: CodedColumn, row: number, n: number): boolean {
  let dictBase = -1;
  let dictSize = 0;
  let filled = 0;
  while (filled < n) {
    if (c.pos >= chunk.end) return false;
    const header = readStruct(c);
    const type = intField(header, 1);
    const size = intField(header, 2)!;
    const compressed = intField(header, 3)!;
    if (c.pos + compressed > chunk.end) return false;
    const body = chunk.file.subarray(c.pos, c.pos + compressed);
    c.pos += compressed;
    if (type === DICTIONARY_PAGE) {
      const h = structField(header, 7);
      const count = intField(h, 1)!;
      if (intField(h, 2) !== PLAIN && intField(h, 2) !== PLAIN_DICTIONARY) return false;
      dictBase = out.dict.length;
      dictSize = count;
      if (readPlain(inflate(chunk, body, size), 0, count, chunk.kind, out.dict) < 0) return false;
      continue;
    }
    const page = dataPage(chunk, type, header, body, size);
    if (page === undefined || filled + page.values > n) return false;
    const codes = out.codes.subarray(row + filled, row + filled + page.values);
    if (!pageCodes(page, chunk.kind, codes, out.dict, dictBase, dictSize)) return false;
    filled += page.values;
  }
  return true;
}

interface DataPage {
  /** Rows (values, nulls included) of the page. */
  readonly values: number;
  readonly encoding: number;
  /** 1 where the row has a value (optional columns; in a scratch array). */
  readonly defined: Int32Array | undefined;
  /** The encoded values, and where they start. */
  readonly data: Uint8Array;
  readonly at: number;
}

/** A v1 or v2 data page's levels and values; undefined for what this decoder does not read. */
function dataPage(chunk: Chunk, type: number | undefined, header: Map<number, unknown>, body: Uint8Array, size: number): DataPage | undefined {
  if (type === DATA_PAGE) {
    const h = structField(header, 5);
    const values = intField(h, 1)!;
    const data = inflate(chunk, body, size);
    if (!chunk.optional) return { values, encoding: intField(h, 2)!, defined: undefined, data, at: 0 };
    if (intField(h, 3) !== RLE || data.length < 4) return undefined;
    const length = data[0]! | (data[1]! << 8) | (data[2]! << 16) | (data[3]! << 24);
    const defined = levels(data, 4, 4 + length, values);
    return defined && { values, encoding: intField(h, 2)!, defined, data, at: 4 + length };
  }
  if (type !== DATA_PAGE_V2) return undefined;
  const h = structField(header, 8);
  const values = intField(h, 1)!;
  const defLength = intField(h, 5) ?? 0;
  if ((intField(h, 6) ?? 0) !== 0 || defLength > body.length) return undefined;
  const defined = chunk.optional ? levels(body, 0, defLength, values) : undefined;
  if (chunk.optional && defined === undefined) return undefined;
  const rest = body.subarray(defLength);
  const data = h?.get(7) === false ? rest : inflate(chunk, rest, size - defLength);
  return { values, encoding: intField(h, 4)!, defined, data, at: 0 };
}

/**
 * Definition levels (max 1) as 0 and 1, in a scratch array reused from page to page (read before the
 * next page is); undefined when they do not decode.
 */
function levels(bytes: Uint8Array, from: number, to: number, n: number): Int32Array | undefined {
  const out = scratch.levels(n);
  return hybrid(bytes, from, to, 1, out, n, 2) ? out : undefined;
}

/**
 * Buffers reused from page to page and file to file: a file's pages are decoded one after the other,
 * synchronously, each consumed before the next, and fresh typed arrays of a few hundred KB each
 * (several per column of a year's 144 files) kept the garbage collector busy.
 */
const scratch = {
  bytes: new Uint8Array(0),
  ints: new Int32Array(0),
  defs: new Int32Array(0),
  page(size: number): Uint8Array {
    if (this.bytes.length < size) this.bytes = new Uint8Array(size * 1.5);
    return this.bytes.subarray(0, size);
  },
  values(n: number): Int32Array {
    if (this.ints.length < n) this.ints = new Int32Array(n * 1.5);
    return this.ints.subarray(0, n);
  },
  levels(n: number): Int32Array {
    if (this.defs.length < n) this.defs = new Int32Array(n * 1.5);
    return this.defs.subarray(0, n);
  },
};

/** A page's bytes uncompressed (snappy, or as they are). */
function inflate(chunk: Chunk, body: Uint8Array, size: number): Uint8Array {
  if (chunk.snappy === undefined) {
    if (body.length !== size) throw new Error('page size');
    return body;
  }
  // A dictionary page's values are copied out by readPlain, a data page's read before the next page.
  const out = scratch.page(size);
  chunk.snappy(body, out);
  return out;
}

/** A data page's rows as codes: into the chunk's dictionary, or (PLAIN) new entries of dict. */
function pageCodes(page: DataPage, kind: Kind, codes: Int32Array, dict: unknown[], dictBase: number, dictSize: number): boolean {
  const { values: n } = page;
  let defined = page.defined;
  let present = n;
  if (defined !== undefined) for (let i = 0; i < n; i++) present -= 1 - defined[i]!;
  if (present === n) defined = undefined;
  // Without nulls the values go straight into the rows' codes.
  const own = defined === undefined ? codes : scratch.values(present);
  if (page.encoding === PLAIN) {
    const base = dict.length;
    if (readPlain(page.data, page.at, present, kind, dict) < 0) return false;
    for (let k = 0; k < present; k++) own[k] = base + k;
  } else if (page.encoding === PLAIN_DICTIONARY || page.encoding === RLE_DICTIONARY) {
    if (dictBase < 0) return false;
    if (present > 0 && (page.at >= page.data.length || !hybrid(page.data, page.at + 1, page.data.length, page.data[page.at]!, own, present, dictSize)))
      return false;
    if (dictBase > 0) for (let k = 0; k < present; k++) own[k] = own[k]! + dictBase;
  } else return false;
  if (defined !== undefined) for (let i = 0, k = 0; i < n; i++) codes[i] = defined[i] === 1 ? own[k++]! : -1;
  return true;
}

/**
 * The RLE / bit-packed hybrid encoding of n values of `width` bits (dictionary indices, levels)
 * from bytes[from, to) into out; false where it does not decode or a value is not below `limit`
 * (widths above 24 are left to hyparquet: this unpacks in 32-bit integers).
 */
export function hybrid(bytes: Uint8Array, from: number, to: number, width: number, out: Int32Array, n: number, limit: number): boolean {
  if (width > 24 || to > bytes.length) return false;
  const mask = (1 << width) - 1;
  const valueBytes = (width + 7) >> 3;
  const c: Cursor = { bytes: bytes.subarray(0, to), pos: from };
  let k = 0;
  while (k < n) {
    if (c.pos >= to) return false;
    const header = readVarint(c);
    if (header % 2 === 1) {
      const count = ((header - 1) / 2) * 8;
      let acc = 0;
      let bits = 0;
      let pos = c.pos;
      for (let i = 0; i < count && k < n; i++) {
        while (bits < width) {
          if (pos >= to) return false;
          acc |= bytes[pos++]! << bits;
          bits += 8;
        }
        const v = acc & mask;
        if (v >= limit) return false;
        out[k++] = v;
        acc >>>= width;
        bits -= width;
      }
      c.pos += ((header - 1) / 2) * width;
    } else {
      const count = header / 2;
      if (c.pos + valueBytes > to) return false;
      let value = 0;
      for (let b = 0; b < valueBytes; b++) value |= bytes[c.pos + b]! << (8 * b);
      if (value >= limit || value < 0) return false;
      c.pos += valueBytes;
      const stop = Math.min(n, k + count);
      out.fill(value, k, stop);
      k = stop;
    }
  }
  return true;
}

/**
 * n PLAIN values from bytes at `at`, appended to dict (numbers as hyparquet's parsers give them,
 * strings decoded as hyparquet decodes them); the position after them, or -1 past the end.
 */
function readPlain(bytes: Uint8Array, at: number, n: number, kind: Kind, dict: unknown[]): number {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let pos = at;
  if (kind === 'string') {
    for (let k = 0; k < n; k++) {
      if (pos + 4 > bytes.length) return -1;
      const length = view.getUint32(pos, true);
      if (pos + 4 + length > bytes.length) return -1;
      dict.push(utf8.decode(bytes.subarray(pos + 4, pos + 4 + length)));
      pos += 4 + length;
    }
    return pos;
  }
  if (pos + 8 * n > bytes.length) return -1;
  for (let k = 0; k < n; k++, pos += 8) {
    if (kind === 'double') {
      dict.push(view.getFloat64(pos, true));
      continue;
    }
    // hi * 2^32 + lo rounds once, as Number(bigint) does: the same double for every int64.
    const v = view.getInt32(pos + 4, true) * 4294967296 + view.getUint32(pos, true);
    dict.push(kind === 'ms' ? v : kind === 'us' ? v / 1e3 : v / 1e6);
  }
  return pos;
}

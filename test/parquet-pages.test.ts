/**
 * The narrow Parquet column decoder (src/sources/parquet-pages.ts) against hyparquet, the reader it
 * stands in for: for any column of doubles, strings or timestamps, nulls or none, written by
 * hyparquet-writer with any page size, row group size, codec and encoding it decodes (PLAIN,
 * dictionary; v2 pages), and by DuckDB (v1 pages, its own dictionaries and row groups), every row's
 * value is hyparquet's; what it does not decode (DELTA, BYTE_STREAM_SPLIT, zstd) it leaves to
 * hyparquet, and an archive file written that way still reads as the row reader reads it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import fc from 'fast-check';
import { parquetMetadata, parquetReadObjects, snappyUncompress } from 'hyparquet';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { describe, expect, it } from 'vitest';
import { metricByRestName } from '../src/catalog/resolve.js';
import { decodeColumn, sameColumn } from '../src/sources/parquet-pages.js';
import { readParquetEntries } from '../src/sources/parquet-archive.js';
import { readParquetMetrics } from '../src/sources/parquet-read.js';
import { parseMetricsBody } from '../src/sources/parse-response.js';
import { tempDir } from './helpers/temp.js';

type Kind = 'DOUBLE' | 'STRING' | 'TIMESTAMP';

const PARSERS = {
  timestampFromMilliseconds: (ms: bigint) => Number(ms),
  timestampFromMicroseconds: (us: bigint) => Number(us) / 1e3,
  timestampFromNanoseconds: (ns: bigint) => Number(ns) / 1e6,
};

/** Every row of a column as hyparquet reads it (as parquet-read.ts asks it to), -0 and NaN spelled out. */
async function reference(bytes: Uint8Array, name: string): Promise<unknown[]> {
  const file = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  const rows = await parquetReadObjects({ file, columns: [name], utf8: true, parsers: PARSERS });
  return rows.map((r) => spell(r[name]));
}

/** Every row of a column as decodeColumn reads it; undefined when it leaves the column to hyparquet. */
function decoded(bytes: Uint8Array, name: string): unknown[] | undefined {
  const file = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  const c = decodeColumn(new Uint8Array(file), parquetMetadata(file), name, snappyUncompress);
  return c && Array.from(c.codes, (code) => spell(code < 0 ? null : c.dict[code]));
}

const spell = (v: unknown): unknown => (Object.is(v, -0) ? '-0' : typeof v === 'number' && Number.isNaN(v) ? 'NaN' : v);

const valueArb = (kind: Kind): fc.Arbitrary<unknown> =>
  kind === 'DOUBLE'
    ? fc.oneof(fc.double(), fc.integer({ min: 0, max: 20 }), fc.constantFrom(0, -0, 1e300))
    : kind === 'STRING'
      ? fc.oneof(fc.string({ unit: 'binary', maxLength: 12 }), fc.constantFrom('SendChatMessage', '200', ''))
      : fc.integer({ min: -1e12, max: 4e12 }).map((t) => new Date(t));

const columnArb = fc.constantFrom<Kind>('DOUBLE', 'STRING', 'TIMESTAMP').chain((kind) =>
  fc.record({
    kind: fc.constant(kind),
    nullable: fc.boolean(),
    nulls: fc.constantFrom(0, 0.1, 0.9, 1),
    values: fc.array(valueArb(kind), { minLength: 1, maxLength: 400 }),
    small: fc.array(fc.constantFrom<unknown>(...[1, 2, 3].map((i) => (kind === 'DOUBLE' ? i : kind === 'STRING' ? `v${i}` : new Date(i * 3_600_000)))), {
      maxLength: 400,
    }),
    codec: fc.constantFrom('SNAPPY' as const, 'UNCOMPRESSED' as const),
    pageSize: fc.constantFrom(64, 1000, 1 << 20),
    rowGroupSize: fc.constantFrom(7, 100, 100_000),
    encoding: fc.constantFrom(undefined, 'PLAIN' as const, 'RLE_DICTIONARY' as const),
  }),
);

describe('the narrow Parquet column decoder', () => {
  it('reads every row as hyparquet does, for any column, page and row group size, codec and encoding hyparquet-writer writes', async () => {
    await fc.assert(
      fc.asyncProperty(columnArb, fc.infiniteStream(fc.double({ min: 0, max: 1, noNaN: true })), async (c, coins) => {
        // Few distinct values (dictionaries) and many, with nulls where the column may hold them.
        const values = [...c.values, ...c.small].map((v) => (c.nullable && coins.next().value! < c.nulls ? null : v));
        const bytes = parquetWriteBuffer({
          columnData: [{ name: 'x', data: values as never, type: c.kind, nullable: c.nullable, encoding: c.encoding }],
          codec: c.codec,
          pageSize: c.pageSize,
          rowGroupSize: c.rowGroupSize,
        });
        const got = decoded(new Uint8Array(bytes), 'x');
        expect(got).toBeDefined();
        expect(got).toEqual(await reference(new Uint8Array(bytes), 'x'));
      }),
      { numRuns: 150 },
    );
  });

  it('leaves encodings it does not read to hyparquet', () => {
    const data = Array.from({ length: 50 }, (_, i) => i * 1.5);
    for (const [type, encoding, values] of [
      ['DOUBLE', 'BYTE_STREAM_SPLIT', data],
      ['TIMESTAMP', 'DELTA_BINARY_PACKED', data.map((t) => new Date(t * 1000))],
    ] as const) {
      const bytes = parquetWriteBuffer({ columnData: [{ name: 'x', data: values as never, type, encoding }] });
      expect(decoded(new Uint8Array(bytes), 'x')).toBeUndefined();
    }
  });

  it('tells columns stored as the same bytes (decoded once) from columns that only look alike', () => {
    const a = [1, 2, null, 4];
    const bytes = new Uint8Array(
      parquetWriteBuffer({
        columnData: [
          { name: 'a', data: a, type: 'DOUBLE', nullable: true },
          { name: 'b', data: [...a], type: 'DOUBLE', nullable: true },
          { name: 'c', data: [1, 2, null, 5], type: 'DOUBLE', nullable: true },
          { name: 'd', data: ['1', '2', null, '4'], type: 'STRING', nullable: true },
        ],
      }),
    );
    const metadata = parquetMetadata(bytes.buffer as ArrayBuffer);
    expect(['b', 'c', 'd'].map((n) => sameColumn(bytes, metadata, 'a', n))).toEqual([true, false, false]);
  });

  it('reads DuckDB files (v1 pages, its dictionaries, nulls, several row groups) as hyparquet does, and zstd through hyparquet', async () => {
    const dir = tempDir();
    const db = await DuckDBInstance.create(':memory:');
    const conn = await db.connect();
    try {
      const rows = `SELECT i,
          CASE WHEN i % 7 = 0 THEN NULL ELSE ((i % 13) * 1.5)::DOUBLE END AS d,
          CASE WHEN i % 5 = 0 THEN NULL ELSE 'op-' || (i % 4) END AS s,
          TIMESTAMP '2025-01-01 00:00:00' + INTERVAL (i % 300) HOUR AS t,
          (i * 0.25)::DOUBLE AS plain_d, (i % 13) * 1.5 AS decimal_d
        FROM range(5000) r(i)`;
      for (const [name, options] of [
        ['snappy', "COMPRESSION 'snappy', ROW_GROUP_SIZE 1024"],
        ['none', "COMPRESSION 'uncompressed', ROW_GROUP_SIZE 2048"],
        ['zstd', "COMPRESSION 'zstd'"],
      ] as const) {
        const path = join(dir, `${name}.parquet`);
        await conn.run(`COPY (${rows}) TO '${path}' (FORMAT parquet, ${options})`);
        const bytes = new Uint8Array(readFileSync(path));
        for (const column of ['d', 's', 't', 'plain_d', 'decimal_d']) {
          const got = decoded(bytes, column);
          // DuckDB's DECIMAL (a literal 1.5) is not a DOUBLE: hyparquet reads it.
          if (name === 'zstd' || column === 'decimal_d') expect(got).toBeUndefined();
          else expect(got, `${name} ${column}`).toEqual(await reference(bytes, column));
        }
      }
    } finally {
      conn.closeSync();
    }
  }, 60_000);

  it('reads a DuckDB-written archive file as the row reader does (its columns decoded, or read by hyparquet)', async () => {
    const def = metricByRestName('APIRequestChat')!;
    const dir = tempDir();
    const resource = '/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg/providers/Microsoft.Communication/communicationServices/acs-1';
    const info = JSON.stringify([{ resource, start: '2025-01-01T00:00:00Z', end: '2025-02-01T00:00:00Z', interval: 'PT1H' }]).replace(/'/g, "''");
    const db = await DuckDBInstance.create(':memory:');
    const conn = await db.connect();
    try {
      // DOUBLE counts (decoded here), and DECIMAL ones (read by hyparquet), uncompressed.
      for (const [codec, type] of [
        ['snappy', 'DOUBLE'],
        ['uncompressed', 'DECIMAL(10,2)'],
      ]) {
        const path = join(dir, `${codec}.parquet`);
        await conn.run(`COPY (SELECT '${resource}' AS resource_id,
            TIMESTAMP '2025-01-01 00:00:00' + INTERVAL (i // 2) HOUR AS timestamp,
            CASE WHEN i % 2 = 0 THEN 'SendChatMessage' ELSE 'GetChatThread' END AS operation,
            CASE WHEN i % 11 = 0 THEN NULL ELSE '200' END AS status_code,
            NULL::VARCHAR AS status_code_class,
            CASE WHEN i % 9 = 0 THEN NULL ELSE (i % 17)::${type} END AS count,
            CASE WHEN i % 9 = 0 THEN NULL ELSE (i % 17)::DOUBLE END AS total,
            CASE WHEN i % 17 = 0 THEN NULL ELSE 1.0::DOUBLE END AS average,
            NULL::DOUBLE AS minimum, 1.0::DOUBLE AS maximum
          FROM range(1400) r(i)) TO '${path}' (FORMAT parquet, COMPRESSION '${codec}', ROW_GROUP_SIZE 500, KV_METADATA {'acs-metrics': '${info}'})`);
        const direct = await readParquetMetrics(path, 'f', def);
        expect(direct).toEqual(parseMetricsBody({ values: await readParquetEntries(path, 'f', def) }, 'f'));
        expect(direct[0]!.series.length).toBe(4);
      }
    } finally {
      conn.closeSync();
    }
  }, 60_000);
});

/**
 * The Parquet archive read straight into series (src/sources/parquet-read.ts): for any data, a
 * Parquet archive written with the project's own writer (toColumns + encodeParquet, as `export
 * --format parquet` writes it) reads as the json export of the same data: the same metrics as the
 * row reader gave (rows -> batch body -> parseMetricsBody), and the same `usage` and `query`
 * output as the json files.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DataError } from '../src/errors.js';
import { METRICS } from '../src/catalog/metrics.js';
import type { MetricDef } from '../src/catalog/types.js';
import { type ArchiveFileInfo, type ArchiveResource, type Column, toColumns } from '../src/core/archive-rows.js';
import { IndexedColumns, pointColumns } from '../src/core/points.js';
import { encodeParquet, parquetReads, readParquetEntries } from '../src/sources/parquet-archive.js';
import { readParquetMetrics } from '../src/sources/parquet-read.js';
import { FixtureSource } from '../src/sources/fixture-source.js';
import { testIo } from './helpers/io.js';
import { parseMetricsBody } from '../src/sources/parse-response.js';
import { run } from './helpers/io.js';
import { tempDir } from './helpers/temp.js';

const HOUR = 3_600_000;
/** Ten days before a month's end: the data crosses into the next month. */
const T0 = Date.UTC(2026, 0, 22);
const RESOURCES: ArchiveResource[] = [1, 2, 3].map((i) => ({
  id: `/subscriptions/00000000-0000-0000-0000-00000000000${i}/resourceGroups/rg-${i}/providers/Microsoft.Communication/communicationServices/acs-${i}`,
  subscription: `00000000-0000-0000-0000-00000000000${i}`,
  resourceGroup: `rg-${i}`,
  name: `acs-${i}`,
}));

type Agg = number | null | undefined;
interface Pt {
  readonly hour: number;
  readonly count: Agg;
  readonly total: Agg;
  readonly average: Agg;
  readonly minimum: Agg;
  readonly maximum: Agg;
}
interface Series {
  readonly dims: readonly (string | null)[];
  readonly points: readonly Pt[];
}

const aggArb: fc.Arbitrary<Agg> = fc.oneof(
  fc.constant(null),
  fc.constant(undefined),
  fc.nat(5000),
  fc.nat(2_000_000),
  fc.double({ min: 0, max: 1e6, noNaN: true }),
);
const pointArb = fc.record({ hour: fc.nat(20 * 24), count: aggArb, total: aggArb, average: aggArb, minimum: aggArb, maximum: aggArb });
const seriesArb = (def: MetricDef): fc.Arbitrary<Series[]> =>
  fc.uniqueArray(
    fc.record({
      dims: fc.tuple(...def.dimensions.map(() => fc.option(fc.constantFrom('SendChatMessage', 'GetChatThread', '200', '429', '4xx', 'x y'), { nil: null }))),
      points: fc.array(pointArb, { minLength: 1, maxLength: 25 }),
    }),
    { minLength: 1, maxLength: 3, selector: (s) => JSON.stringify(s.dims) },
  );
const archiveArb = fc
  .constantFrom(...METRICS)
  .chain((def) => fc.record({ def: fc.constant(def), resources: fc.array(seriesArb(def), { minLength: 1, maxLength: 3 }), compact: fc.boolean() }));

const monthStart = (t: number): number => Date.UTC(new Date(t).getUTCFullYear(), new Date(t).getUTCMonth(), 1);
const nextMonth = (t: number): number => Date.UTC(new Date(t).getUTCFullYear(), new Date(t).getUTCMonth() + 1, 1);
const iso = (t: number): string => new Date(t).toISOString().replace('.000Z', 'Z');

/** The batch entry the json export holds for one resource's series within [start, end). */
function entry(def: MetricDef, resource: ArchiveResource, series: readonly Series[], start: number, end: number) {
  const timeseries = series
    .map((s) => ({
      metadatavalues: def.dimensions.flatMap((d, i) => (s.dims[i] === null ? [] : [{ name: { value: d.rest, localizedValue: d.rest }, value: s.dims[i]! }])),
      data: s.points
        .filter((p) => T0 + p.hour * HOUR >= start && T0 + p.hour * HOUR < end)
        .map((p) => {
          const o: Record<string, unknown> = { timeStamp: iso(T0 + p.hour * HOUR) };
          for (const a of ['count', 'total', 'average', 'minimum', 'maximum'] as const) if (p[a] !== undefined) o[a] = p[a];
          return o;
        }),
    }))
    .filter((s) => s.data.length > 0);
  return {
    resourceid: resource.id,
    starttime: iso(start),
    endtime: iso(end),
    interval: 'PT1H',
    value: [
      {
        id: `${resource.id}/providers/Microsoft.Insights/metrics/${def.rest}`,
        name: { value: def.rest, localizedValue: def.displayName },
        unit: def.unit,
        timeseries,
        errorCode: 'Success',
      },
    ],
  };
}

/** The columns of several parts, one after the other. */
const concat = (parts: Column[][]): Column[] => parts[0]!.map((c, i) => ({ ...c, data: parts.flatMap((p) => p[i]!.data) }));

/**
 * The same data as a json export (one batch body per resource and month) and as a Parquet archive
 * (metric=<name>/month=<YYYY-MM>/, a file per resource and month, or each month compacted into one).
 */
async function writeArchives(def: MetricDef, resources: readonly Series[][], compact: boolean): Promise<{ json: string; parquet: string; files: string[] }> {
  const json = tempDir();
  const parquet = tempDir();
  const files: string[] = [];
  for (let month = monthStart(T0); month < T0 + 21 * 24 * HOUR; month = nextMonth(month)) {
    const folder = join(parquet, `metric=${def.rest}`, `month=${iso(month).slice(0, 7)}`);
    mkdirSync(folder, { recursive: true });
    const parts: { columns: Column[]; info: ArchiveFileInfo }[] = [];
    resources.forEach((series, r) => {
      const body = { values: [entry(def, RESOURCES[r]!, series, month, nextMonth(month))] };
      writeFileSync(join(json, `${def.rest}-${r}-${iso(month).slice(0, 7)}.json`), JSON.stringify(body));
      const info = { resource: RESOURCES[r]!.id, start: iso(month), end: iso(nextMonth(month)), interval: 'PT1H' };
      parts.push({ columns: toColumns(def, body.values[0]!.value[0]!, RESOURCES[r]!, 'PT1H', { start: month, end: nextMonth(month) }), info });
    });
    const write = async (name: string, columns: Column[], info: ArchiveFileInfo | ArchiveFileInfo[]): Promise<void> => {
      files.push(join(folder, name));
      writeFileSync(join(folder, name), await encodeParquet(columns, info, 'test'));
    };
    if (compact)
      await write(
        `part-compact-${parts.length}.parquet`,
        concat(parts.map((p) => p.columns)),
        parts.map((p) => p.info),
      );
    else for (const [i, p] of parts.entries()) await write(`part-${i}.parquet`, p.columns, p.info);
  }
  return { json, parquet, files };
}

describe('a Parquet archive read straight into series', () => {
  it('gives the metrics the row reader gave, and the same usage and query output as the json export of the same data', async () => {
    await fc.assert(
      fc.asyncProperty(archiveArb, async ({ def, resources, compact }) => {
        const { json, parquet, files } = await writeArchives(def, resources, compact);
        for (const file of files) {
          const direct = await readParquetMetrics(file, 'f', def);
          const viaRows = parseMetricsBody({ values: await readParquetEntries(file, 'f', def) }, 'f');
          expect(direct).toEqual(viaRows);
        }
        const commands = [
          ['usage', '-o', 'json'],
          ['query', '-m', def.rest, '-o', 'json'],
          [
            'query',
            '-m',
            def.rest,
            '-o',
            'json',
            '-a',
            'maximum',
            '-i',
            'P1D',
            ...(def.dimensions.length > 0 ? ['--split-by', def.dimensions.map((d) => d.name).join(',')] : []),
          ],
        ];
        for (const argv of commands) {
          const fromJson = await run([...argv, '--fixture', json]);
          const fromParquet = await run([...argv, '--fixture', parquet]);
          expect({ code: fromParquet.code, stdout: fromParquet.stdout }).toEqual({ code: fromJson.code, stdout: fromJson.stdout });
        }
      }),
      { numRuns: 25 },
    );
  }, 120_000);

  it('keeps each series as compact columns (no point objects), one per resource of a compacted file', async () => {
    const def = METRICS.find((m) => m.rest === 'APIRequestChat')!;
    const op = def.dimensions.findIndex((d) => d.name === 'Operation');
    const series = (name: string): Series => ({
      dims: def.dimensions.map((_, i) => (i === op ? name : null)),
      points: Array.from({ length: 48 }, (_, h) => ({ hour: h, count: h, total: h, average: 1, minimum: 1, maximum: 1 })),
    });
    const { files } = await writeArchives(def, [[series('SendChatMessage'), series('GetChatThread')], [series('SendChatMessage')]], true);
    const metrics = await readParquetMetrics(files[0]!, 'f', def);
    expect(metrics.map((m) => [m.resourceId, m.series.length])).toEqual([
      [RESOURCES[0]!.id, 2],
      [RESOURCES[1]!.id, 1],
    ]);
    const columns = pointColumns(metrics[0]!.series[0]!);
    expect(columns).toBeInstanceOf(IndexedColumns);
    expect((columns as IndexedColumns).evenStepMs).toBe(HOUR);
    expect(metrics[0]!.series[0]!.dimensions).toEqual({ [def.dimensions[op]!.rest.toLowerCase()]: 'SendChatMessage' });
    // Hours 0..47 of 22 January: 0 + 1 + ... + 47 requests.
    expect(metrics[0]!.series[0]!.points.reduce((s, p) => s + (p.count ?? 0), 0)).toBe((47 * 48) / 2);
  });

  it('refuses a value Azure never gives (a negative count) with the file and row, exit 3', async () => {
    const def = METRICS.find((m) => m.rest === 'APIRequestChat')!;
    const dir = tempDir();
    const folder = join(dir, `metric=${def.rest}`, 'month=2026-01');
    mkdirSync(folder, { recursive: true });
    const columns = toColumns(
      def,
      {
        timeseries: [
          {
            data: [
              { timeStamp: '2026-01-22T00:00:00Z', count: 2 },
              { timeStamp: '2026-01-22T01:00:00Z', count: -1 },
            ],
          },
        ],
      } as never,
      RESOURCES[0]!,
      'PT1H',
      {
        start: Date.UTC(2026, 0, 1),
        end: Date.UTC(2026, 1, 1),
      },
    );
    writeFileSync(
      join(folder, 'part-0.parquet'),
      await encodeParquet(columns, { resource: RESOURCES[0]!.id, start: '2026-01-01T00:00:00Z', end: '2026-02-01T00:00:00Z', interval: 'PT1H' }, 'test'),
    );
    const r = await run(['query', '-m', 'chat', '--fixture', dir]);
    expect(r.code).toBe(3);
    expect(r.stderr).toBe(`error: ${join(dir, `metric=${def.rest}`, 'month=2026-01', 'part-0.parquet')}: row 2: count is negative (-1)\n`);
  });

  it('reads the next file while one decodes: a damaged file fails as before, and a fetch after a failed one reads each file as it is now', async () => {
    const def = METRICS.find((m) => m.rest === 'APIRequestChat')!;
    const series: Series[][] = [
      [{ dims: def.dimensions.map(() => 'SendChatMessage'), points: [{ hour: 1, count: 3, total: 3, average: 1, minimum: 1, maximum: 1 }] }],
    ];
    const { files } = await writeArchives(def, series, false);
    expect(files).toHaveLength(2); // January and February
    const good = readFileSync(files[0]!);
    const { io } = testIo({ cwd: tempDir() });
    // Each file named (the order read), the second damaged: read after the first, its error as before.
    const source = new FixtureSource([files[0]!, files[1]!, files[0]!], io);
    writeFileSync(files[1]!, 'not parquet');
    const err = await source.fetch([]).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(DataError);
    expect((err as Error).message).toMatch(new RegExp(`^${files[1]!.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: not a readable Parquet file: `));
    // The third (read ahead while the second failed) changes: the next fetch reads it anew.
    writeFileSync(files[1]!, good);
    writeFileSync(files[0]!, 'changed');
    const before = parquetReads.files;
    const again = await source.fetch([]).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect((again as Error).message).toMatch(new RegExp(`^${files[0]!.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: not a readable Parquet file: `));
    expect(parquetReads.files - before).toBe(1); // the first file: not its bytes read ahead in the failed fetch
    writeFileSync(files[0]!, good);
    const r = await source.fetch([]);
    expect(r.metrics).toHaveLength(3);
    expect(r.metrics.map((m) => m.series.length)).toEqual([1, 1, 1]);
  });
});

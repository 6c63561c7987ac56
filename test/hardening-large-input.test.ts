/**
 * Large and hostile inputs: the column-wise points of parsed files give the same results as plain
 * points and leave the parsed body untouched; deeply nested JSON and files too big for the heap end
 * in one clear line (exit 3), never a stack overflow or a V8 out-of-memory crash.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AGGREGATIONS } from '../src/catalog/aggregations.js';
import { METRICS } from '../src/catalog/metrics.js';
import { resolveDimension } from '../src/catalog/resolve.js';
import type { AggregationKey } from '../src/catalog/types.js';
import { DEFAULT_ERRORS, type MetricData, type Query, type RawSeries } from '../src/core/model.js';
import { pointColumns } from '../src/core/points.js';
import { runQuery } from '../src/core/run-query.js';
import { DataError } from '../src/errors.js';
import { mergeBodies } from '../src/sources/azure/merge-bodies.js';
import { checkHeapRoom, FixtureSource } from '../src/sources/fixture-source.js';
import { parseMetricsBody, parseMetricsDocument } from '../src/sources/parse-response.js';
import { chatBody, writeFixture } from './helpers/fixture.js';
import { run, testIo } from './helpers/io.js';

const ROOT = join(dirname(new URL(import.meta.url).pathname), '..');
const SAMPLE = join(ROOT, 'fixtures', 'sample-week.json');
const chat = METRICS.find((m) => m.alias === 'chat')!;
const agg = (key: AggregationKey) => AGGREGATIONS.find((a) => a.key === key)!;

/** The same metrics with every series as a plain {dimensions, points} object. */
const plain = (metrics: readonly MetricData[]): MetricData[] =>
  metrics.map((m) => ({ ...m, series: m.series.map((s): RawSeries => ({ dimensions: s.dimensions, points: [...s.points] })) }));

function query(over: Partial<Query> = {}): Query {
  return {
    metric: chat,
    aggregation: agg('count'),
    filters: [],
    splitBy: [resolveDimension(chat, 'operation')],
    interval: { kind: 'auto' },
    range: {},
    errors: DEFAULT_ERRORS,
    ...over,
  };
}

describe('column-wise points of parsed files', () => {
  const text = readFileSync(SAMPLE, 'utf8');

  it('look like plain series and leave the parsed body as it was', () => {
    const body = JSON.parse(text) as unknown;
    const before = JSON.stringify(body);
    const metrics = parseMetricsBody(body, 'sample');
    const s = metrics[0]!.series[0]!;
    expect(pointColumns(s)).toBeDefined();
    expect(Object.keys(s)).toEqual(['dimensions', 'points']);
    expect(s.points).toBe(s.points); // built once
    expect(s.points[0]).toMatchObject({ timestamp: Date.parse('2026-01-01T00:00:00Z'), count: expect.any(Number), total: expect.any(Number) });
    runQuery(query(), { metrics });
    expect(JSON.stringify(body)).toBe(before);
    expect(JSON.stringify(metrics[0]!.series[0])).toBe(JSON.stringify({ dimensions: s.dimensions, points: s.points }));
  });

  it('give the same results as plain points for every aggregation, interval, filter and window', () => {
    const columnar = parseMetricsDocument(text, 'sample');
    const flat = plain(columnar);
    expect(pointColumns(flat[0]!.series[0]!)).toBeUndefined();
    const variants: Partial<Query>[] = [
      {},
      { splitBy: [] },
      { splitBy: [resolveDimension(chat, 'statuscode'), resolveDimension(chat, 'operation')] },
      { interval: { kind: 'full' } },
      { interval: { kind: 'fixed', ms: 6 * 3_600_000, iso: 'PT6H' } },
      { range: { sinceMs: 30 * 3_600_000 } },
      { range: { start: Date.parse('2026-01-06T10:00:00Z'), end: Date.parse('2026-01-06T19:00:00Z') } },
      { filters: [{ dimension: resolveDimension(chat, 'statussubclass'), values: ['5xx'] }] },
      { errors: { classes: ['5xx'], codes: ['429'] }, top: 3 },
      ...(['total', 'average', 'minimum', 'maximum'] as const).map((k) => ({ aggregation: agg(k) })),
    ];
    for (const v of variants) expect(runQuery(query(v), { metrics: columnar })).toEqual(runQuery(query(v), { metrics: flat }));
  });

  it('keep unsorted series as plain points in time order', () => {
    const body = chatBody() as { value: { timeseries: { data: unknown[] }[] }[] };
    body.value[0]!.timeseries[0]!.data.reverse();
    const [m] = parseMetricsBody(body, 'x');
    const s = m!.series[0]!;
    expect(pointColumns(s)).toBeUndefined();
    expect(s.points.map((p) => p.count)).toEqual([10, 20, 30, 40]);
  });

  it('read every ISO 8601 UTC timestamp as Date.parse does (years 0-9999, month ends, leap days)', () => {
    const stamp = fc
      .date({ min: new Date('0000-01-01T00:00:00Z'), max: new Date('9999-12-31T23:59:59Z'), noInvalidDate: true })
      .map((d) => new Date(Math.floor(d.getTime() / 1000) * 1000).toISOString().replace('.000Z', 'Z'));
    fc.assert(
      fc.property(stamp, fc.boolean(), (s, offset) => {
        const text = offset ? s.replace('Z', '+00:00') : s;
        const [m] = parseMetricsBody({ value: [{ name: { value: 'A' }, timeseries: [{ data: [{ timeStamp: text, count: 1 }] }] }] }, 'x');
        expect(m!.series[0]!.points[0]!.timestamp).toBe(Date.parse(s));
      }),
      { numRuns: 300 },
    );
  });
});

describe('deeply nested JSON', () => {
  const deep = (n: number) => `${'['.repeat(n)}${']'.repeat(n)}`;
  const point = (count: string) =>
    `{"interval":"PT1H","value":[{"name":{"value":"APIRequestChat"},"timeseries":[{"metadatavalues":[{"name":{"value":"operation"},"value":"SendChatMessage"}],"data":[{"timeStamp":"2026-01-01T00:00:00Z","count":${count}}]}]}]}`;

  const cases: [string, string, RegExp][] = [
    ['a million nested arrays', deep(1_000_000), /found an array of arrays\n$/],
    ['a million nested objects', `${'{"a":'.repeat(1_000_000)}1${'}'.repeat(1_000_000)}`, /found an object without "value" or "values" \(keys: "a"\)\n$/],
    ['nesting in a value', point(deep(1_000_000)), /data\[0\]\.count is not a number \(found an array\)\n$/],
    ['unterminated nesting', `{"value":${'['.repeat(1_000_000)}`, /not valid JSON: Unexpected end of JSON input \(line 1, column 1000010\)\n$/],
  ];
  for (const [name, text, message] of cases) {
    it(`${name}: one line, exit 3`, async () => {
      const r = await run(['query', '--fixture', writeFixture(text), '-m', 'chat']);
      expect(r.code).toBe(3);
      expect(r.stdout).toBe('');
      expect(r.stderr.split('\n')).toHaveLength(2);
      expect(r.stderr).toMatch(message);
    });
  }

  it('nesting in a key nobody reads does not break --save (exit 3, nothing written)', async () => {
    const text = point('3').replace('{"interval"', `{"extra":${deep(200_000)},"interval"`);
    const file = writeFixture(text);
    const out = join(dirname(file), 'saved.json');
    const ok = await run(['query', '--fixture', file, '-m', 'chat', '-o', 'csv']);
    expect(ok.code).toBe(0);
    const r = await run(['query', '--fixture', file, '-m', 'chat', '--save', out]);
    expect(r).toEqual({ code: 3, stdout: '', stderr: 'error: --save: the responses are nested too deeply to write as a JSON file\n' });
    expect(readdirSync(dirname(file))).toEqual(['fixture.json']);
  });
});

describe('deeply nested values in live responses', () => {
  it('joining the bodies of several windows does not overflow the stack', () => {
    let deep: unknown = [];
    for (let i = 0; i < 200_000; i++) deep = [deep];
    const body = (timespan: string) => ({
      timespan,
      interval: 'PT1M',
      value: [
        {
          name: { value: 'APIRequestChat' },
          timeseries: [{ metadatavalues: [{ name: { value: 'operation' }, value: deep }], data: [{ timeStamp: deep, count: 1 }] }],
        },
      ],
    });
    const merged = mergeBodies([body('2026-01-01T00:00:00Z/2026-01-31T00:00:00Z'), body('2026-01-31T00:00:00Z/2026-02-28T00:00:00Z')]);
    // The parser then refuses it with one line, as for a file.
    expect(() => parseMetricsBody(merged, 'Azure Monitor')).toThrow(
      /^Azure Monitor: value\[0\]\.timeseries\[0\]\.metadatavalues\[0\]\.value is not a string \(found an array\)$/,
    );
  });
});

describe('files too big for the heap', () => {
  it('are refused before JSON.parse when the estimate does not fit', () => {
    const dense = `[${Array(100_000).fill('{}').join(',')}]`;
    expect(() => checkHeapRoom(dense, 'x.json', 1024 * 1024)).toThrow(DataError);
    expect(() => checkHeapRoom(dense, 'x.json', 1024 * 1024)).toThrow(
      /^x\.json: too large to read with the memory Node\.js has: parsing it needs about 6\.\d MiB and the JavaScript heap has 1 MiB left \(raise the limit with NODE_OPTIONS=--max-old-space-size=\d+, or split the file\)$/,
    );
    // Plenty of room: no counting at all.
    expect(() => checkHeapRoom(dense, 'x.json', 1024 ** 3)).not.toThrow();
    // Metric data is estimated at about 1.5 times what it takes, so a sample week needs ~10 MiB.
    const sample = readFileSync(SAMPLE, 'utf8');
    expect(() => checkHeapRoom(sample, 's', 16 * 1024 * 1024)).not.toThrow();
  });

  it('FixtureSource checks before parsing', async () => {
    const { io } = testIo();
    // Read whole (with --save): the estimate of its parsed text (~10 MiB) does not fit in 2 MiB.
    const whole = await new FixtureSource([SAMPLE], io, { heapRoom: () => 2 * 1024 * 1024, keepBodies: true }).fetch([]).catch((e: unknown) => e);
    expect(whole).toBeInstanceOf(DataError);
    expect((whole as DataError).message).toMatch(/sample-week\.json: too large to read with the memory Node\.js has/);
    // Streamed, it needs its columns (10 bytes a point, ~0.3 MiB) and its skeleton: 2 MiB is enough, 128 KiB is not.
    const streamed = await new FixtureSource([SAMPLE], io, { heapRoom: () => 2 * 1024 * 1024, streamFrom: 0 }).fetch([]);
    expect(streamed.metrics.length).toBeGreaterThan(0);
    const err = await new FixtureSource([SAMPLE], io, { heapRoom: () => 128 * 1024, streamFrom: 0 }).fetch([]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DataError);
    expect((err as DataError).message).toMatch(
      /^.*sample-week\.json: too large to read with the memory Node\.js has: parsing it needs about \d+(\.\d)? (KiB|MiB) and the JavaScript heap has 128 KiB left \(raise the limit with NODE_OPTIONS=--max-old-space-size=\d+, or split the file\)$/,
    );
  });

  it('the binary with a small heap: exit 3 and one line instead of a V8 crash', () => {
    const bin = join(ROOT, 'bin', 'acs-metrics.js');
    if (!existsSync(join(ROOT, 'dist', 'cli', 'entry.js'))) execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'ignore' });
    // 3 MiB of empty objects would take ~64 MiB of heap.
    const file = writeFixture(`[${Array(1_000_000).fill('{}').join(',')}]`);
    const r = spawnSync(process.execPath, ['--max-old-space-size=24', bin, 'query', '--fixture', file, '-m', 'chat'], {
      encoding: 'utf8',
      env: { ...process.env, NODE_OPTIONS: '' },
    });
    expect(r.status).toBe(3);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^error: .*fixture\.json: too large to read with the memory Node\.js has: .*\n$/);
  });
});

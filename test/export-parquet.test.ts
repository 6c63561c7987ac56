/**
 * The Parquet archive (`export --format parquet`): its schema and Hive layout, read by an independent
 * engine (DuckDB) with the same sums as acs-metrics and the emulator's truth; read back by every
 * command with `--fixture DIR` with the json export's and live's answers; pruned by partition; a json
 * export converted; an archive built over several simulated months answering for windows Azure no
 * longer holds.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveMetric } from '../src/catalog/resolve.js';
import { parquetReads } from '../src/sources/parquet-archive.js';
import { buildMetric, type Dataset } from './emulator/dataset.js';
import { chatErrorsPerHour, chatPerHour, makeEstate, resourceName, SUBS } from './emulator/estate.js';
import { DAY, type Harness, HOUR, liveEnv, NOW, NOW_MINUTE, openEstateHarness, openHarness, RESOURCE, testDataset } from './emulator/harness.js';
import { run } from './helpers/io.js';
import { readTree, tempDir } from './helpers/temp.js';

const MANIFEST = 'acs-metrics-export.manifest';

/** Rows of a DuckDB query as plain objects (numbers as numbers). */
async function duck(sql: string): Promise<Record<string, unknown>[]> {
  const db = await DuckDBInstance.create(':memory:');
  const conn = await db.connect();
  try {
    const reader = await conn.runAndReadAll(sql);
    return reader
      .getRowObjectsJson()
      .map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v) ? Number(v) : v])));
  } finally {
    conn.closeSync();
    db.closeSync();
  }
}

/** The emulator's truth: requests per metric and operation in the dataset within [start, end). */
function truth(dataset: Dataset, start: number, end: number): Record<string, number> {
  const out: Record<string, number> = {};
  for (const m of dataset.metrics) {
    for (const s of m.series) {
      const op = s.dims.operation ?? s.dims.operationname ?? '';
      for (const p of s.points) if (p.t >= start && p.t < end) out[`${m.name}|${op}`] = (out[`${m.name}|${op}`] ?? 0) + (p.count ?? 0);
    }
  }
  return out;
}

describe('export --format parquet', () => {
  let h: Harness;
  let pq: string;
  let js: string;
  const args = ['--resource', RESOURCE, '-m', 'chat,router,rooms', '--interval', 'PT1H'];
  beforeAll(async () => {
    h = await openHarness();
    pq = join(tempDir(), 'pq');
    js = join(tempDir(), 'js');
    expect(await run(['export', pq, ...args, '--format', 'parquet'], { env: liveEnv(h) })).toMatchObject({ code: 0, stdout: '' });
    expect((await run(['export', js, ...args], { env: liveEnv(h) })).code).toBe(0);
  }, 60_000);
  afterAll(async () => {
    await h.close();
  }, 60_000);

  it('writes Hive partitions by metric and month, one file per resource and month part and a tail; settled months compacted', () => {
    const files = [...readTree(pq).keys()].filter((f) => f !== MANIFEST).sort();
    const chat = files.filter((f) => f.startsWith('metric=APIRequestChat/'));
    const who = 'part-00000000-0000-4000-8000-000000000001.rg-test.acs-test';
    // November and December were fetched in two requests each (30-day windows): one file each once compacted.
    expect(chat).toEqual([
      `metric=APIRequestChat/month=2025-10/${who}.20251007T0000Z-20251101T0000Z-PT1H.parquet`,
      'metric=APIRequestChat/month=2025-11/part-compact-2025-11-2.parquet',
      'metric=APIRequestChat/month=2025-12/part-compact-2025-12-2.parquet',
      `metric=APIRequestChat/month=2026-01/${who}.20260101T0000Z-20260105T0000Z-PT1H.parquet`,
      `metric=APIRequestChat/month=2026-01/${who}.20260105T0000Z-20260107T2100Z-PT1H.parquet`,
      `metric=APIRequestChat/month=2026-01/${who}.20260107T2100Z-20260108T0000Z-PT1H-tail.parquet`,
    ]);
    expect(files).toHaveLength(18);
    expect(JSON.parse(readFileSync(join(pq, MANIFEST), 'utf8'))).toMatchObject({ format: 'parquet', grain: 'PT1H', overlap: 'PT3H' });
    expect(readFileSync(join(pq, chat[0]!)).subarray(0, 4).toString()).toBe('PAR1');
  }, 60_000);

  it('DuckDB reads the schema of the contract, and its sums equal acs-metrics and the emulator', async () => {
    const source = `read_parquet('${pq}/**/*.parquet', hive_partitioning = true)`;
    const columns = await duck(`DESCRIBE SELECT * FROM ${source}`);
    const types = Object.fromEntries(columns.map((c) => [c.column_name, c.column_type]));
    expect(Object.keys(types).slice(0, 8)).toEqual([
      'resource_id',
      'subscription_id',
      'resource_group',
      'resource_name',
      'timestamp',
      'interval',
      'operation',
      'status_code',
    ]);
    expect(types).toMatchObject({
      timestamp: 'TIMESTAMP',
      interval: 'VARCHAR',
      status_code_class: 'VARCHAR',
      api_version: 'VARCHAR',
      event_type_name: 'VARCHAR',
      result: 'VARCHAR',
    });
    for (const a of ['count', 'total', 'average', 'minimum', 'maximum']) expect(types[a]).toBe('DOUBLE');
    expect(Object.keys(types).slice(-7)).toEqual(['count', 'total', 'average', 'minimum', 'maximum', 'metric', 'month']);

    const sums = await duck(`SELECT resource_id, metric, operation, SUM(count) AS n FROM ${source} GROUP BY ALL ORDER BY ALL`);
    const byDuck = Object.fromEntries(sums.map((r) => [`${r.metric}|${r.operation}`, r.n]));
    expect(new Set(sums.map((r) => r.resource_id))).toEqual(new Set([RESOURCE]));
    // By hand: two days of chat (3 + 1/10 per minute SendChatMessage, ...), 92 days of rooms hourly.
    expect(byDuck).toEqual({
      'APIRequestChat|Bad Route': 96,
      'APIRequestChat|GetChatThread': 5808,
      "APIRequestChat|O'Brien": 24,
      'APIRequestChat|SendChatMessage': 8928,
      'ApiRequestRooms|CreateRoom': 2208,
      'ApiRequestRooms|GetRoom': 4416,
      'ApiRequestRouter|UpsertJob': 3072,
    });
    expect(byDuck).toEqual(truth(testDataset(), NOW_MINUTE - 93 * DAY, NOW_MINUTE));
    // The manual's DuckDB query (docs/archive.md) runs as written.
    const page = readFileSync(join(__dirname, '..', 'docs', 'archive.md'), 'utf8');
    const sql = /```sql\n([\s\S]*?)```/.exec(page.slice(page.indexOf('## Parquet')))![1]!;
    const top = await duck(sql.replace("'acs-archive/", `'${pq}/`));
    expect(top[0]).toEqual({ resource_name: 'acs-test', metric: 'APIRequestChat', operation: 'SendChatMessage', requests: 8928 });
    // acs-metrics on the archive and live give the same totals per operation.
    for (const metric of ['chat', 'rooms', 'router']) {
      const argv = ['-m', metric, '--split-by', 'operation', '-o', 'json'];
      const mine = JSON.parse((await run(['query', '--fixture', pq, ...argv])).stdout);
      const live = JSON.parse((await run(['query', '--resource', RESOURCE, '--since', '93d', ...argv], { env: liveEnv(h) })).stdout);
      for (const answer of [mine, live]) {
        for (const s of answer.series) expect(s.total, `${metric} ${s.dimensions.Operation}`).toBe(byDuck[`${answer.query.metric}|${s.dimensions.Operation}`]);
      }
    }
  }, 60_000);

  it('every command reads the archive with --fixture DIR as it reads the json export, and as live', async () => {
    const commands = [
      ['query', '-m', 'chat', '-o', 'json'],
      ['query', '-m', 'chat', '--since', '1d', '--split-by', 'operation,statuscode'],
      ['query', '-m', 'rooms', '--since', '7d', '--compare', '30d', '-o', 'json'],
      ['usage', '-o', 'json'],
      ['usage', '--since', '365d'],
      ['check', '-m', 'chat', '--max-error-rate', '5%', '--since', '1d'],
      ['check', '-m', 'rooms', '--since', '7d', '--baseline', '7d', '--max-traffic-drop', '50%'],
    ];
    for (const argv of commands) {
      const a = await run([...argv, '--fixture', pq]);
      const b = await run([...argv, '--fixture', js]);
      expect(a.code, argv.join(' ')).toBe(0);
      expect(a.stdout, argv.join(' ')).toBe(b.stdout);
      expect(a.stdout).not.toBe('');
    }
    // status: the same numbers (its failure text names the files, which differ).
    const strip = (text: string) => JSON.parse(text, (k, v) => (k === 'error' ? undefined : v));
    const sa = await run(['status', '--since', '24h', '-o', 'json', '--fixture', pq]);
    const sb = await run(['status', '--since', '24h', '-o', 'json', '--fixture', js]);
    expect(strip(sa.stdout)).toEqual(strip(sb.stdout));
    // Live, for windows Azure holds.
    const argv = ['query', '-m', 'chat', '--since', '1d', '--interval', '1h', '--split-by', 'operation,statuscode'];
    const live = await run([...argv, '--resource', RESOURCE], { env: liveEnv(h) });
    expect((await run([...argv, '--fixture', pq])).stdout).toBe(live.stdout);
  }, 60_000);

  it('the built binary reads the archive; hyparquet loads only for Parquet, and its writer only to write', async () => {
    const bin = (argv: string[]) =>
      spawnSync(process.execPath, [join(__dirname, '..', 'bin', 'acs-metrics.js'), ...argv], {
        encoding: 'utf8',
        env: { ...process.env, NO_COLOR: '1', NODE_DEBUG: 'esm,module' },
      });
    const argv = ['query', '--fixture', pq, '-m', 'chat', '--since', '1d', '-o', 'json'];
    const child = bin(argv);
    expect(child.status).toBe(0);
    expect(child.stdout).toBe((await run(argv)).stdout);
    expect(child.stderr).toContain('node_modules/hyparquet/');
    expect(child.stderr).not.toContain('node_modules/hyparquet-writer/');
    const sample = bin(['query', '--fixture', join(__dirname, '..', 'fixtures', 'sample-week.json'), '-m', 'chat', '--since', '24h']);
    expect(sample.status).toBe(0);
    expect(sample.stderr).not.toContain('hyparquet');
  }, 60_000);

  it('reads only the partitions a query needs: one metric over one month opens that month of that metric', async () => {
    const before = parquetReads.files;
    const r = await run([
      'query',
      '--fixture',
      pq,
      '-m',
      'rooms',
      '--start',
      '2025-11-10T00:00:00Z',
      '--end',
      '2025-11-20T00:00:00Z',
      '--split-by',
      'operation',
      '-o',
      'csv',
    ]);
    expect(r.code).toBe(0);
    expect(parquetReads.files - before).toBe(1); // month=2025-11 of rooms, compacted
    expect(r.stdout).toContain('CreateRoom');
    const since = parquetReads.files;
    expect((await run(['query', '--fixture', pq, '-m', 'chat', '--since', '1d'])).code).toBe(0);
    expect(parquetReads.files - since).toBe(3); // month=2026-01 of chat
    // A partition folder of its own is an archive too.
    const sub = await run(['query', '--fixture', join(pq, 'metric=ApiRequestRooms'), '-m', 'rooms', '--split-by', 'operation', '-o', 'csv']);
    const whole = await run(['query', '--fixture', pq, '-m', 'rooms', '--split-by', 'operation', '-o', 'csv']);
    expect(sub).toMatchObject({ code: 0, stdout: whole.stdout });
  }, 60_000);

  it('export --format parquet --from converts a json export into the same files as a Parquet export', async () => {
    const converted = join(tempDir(), 'converted');
    const r = await run(['export', converted, '--format', 'parquet', '--from', js]);
    expect(r).toMatchObject({ code: 0, stdout: '', stderr: `note: converted ${js} to Parquet in ${converted}: 18 files\n` });
    expect(readTree(converted).size).toBe(18 + 1);
    const a = readTree(pq);
    const b = readTree(converted);
    expect([...b.keys()].sort()).toEqual([...a.keys()].sort());
    for (const [f, text] of a) if (f !== MANIFEST) expect(b.get(f), f).toBe(text);
    expect(await run(['export', '--verify', converted])).toMatchObject({ code: 0, stderr: '' });
    const refused = await run(['export', join(tempDir(), 'x'), '--from', js]);
    expect(refused).toMatchObject({ code: 2, stderr: 'error: --from converts a json export to Parquet: add --format parquet\n' });
    const other = await run(['export', pq, '--format', 'json']);
    expect(other).toMatchObject({
      code: 2,
      stderr: `error: ${pq} holds a parquet export, not json: convert it to another folder with --format parquet --from ${pq}\n`,
    });
  });
});

describe('a compacted month of several resources', () => {
  it('holds each resource once, reads back as the json export, and DuckDB sums each resource', async () => {
    const estate = makeEstate(3, Date.UTC(2025, 11, 31, 12));
    const h = await openEstateHarness(estate);
    try {
      const pqDir = join(tempDir(), 'pq');
      const jsDir = join(tempDir(), 'js');
      const argv = ['--subscription', SUBS[0], '--subscription', SUBS[1], '--subscription', SUBS[2], '-m', 'chat', '--interval', 'PT1H', '--since', '40d'];
      expect((await run(['export', pqDir, ...argv, '--format', 'parquet'], { env: liveEnv(h) })).code).toBe(0);
      expect((await run(['export', jsDir, ...argv], { env: liveEnv(h) })).code).toBe(0);
      const december = [...readTree(pqDir).keys()].filter((f) => f.includes('month=2025-12'));
      expect(december).toEqual(['metric=APIRequestChat/month=2025-12/part-compact-2025-12-6.parquet']);
      const sums = await duck(
        `SELECT resource_name, SUM(count) AS n, COUNT(*) AS rows FROM read_parquet('${pqDir}/**/*.parquet', hive_partitioning = true) GROUP BY ALL ORDER BY ALL`,
      );
      // One series each (i % 10 !== 3), with a bucket every hour of the request that holds data:
      // 2025-12-29 to 2026-01-08, 240 hours.
      expect(sums).toEqual([0, 1, 2].map((i) => ({ resource_name: resourceName(i), n: 48 * (chatPerHour(i) + chatErrorsPerHour(i)), rows: 240 })));
      for (const q of [
        ['query', '-m', 'chat', '--split-by', 'resource,operation', '-o', 'json'],
        ['usage', '-o', 'json'],
      ]) {
        const a = await run([...q, '--fixture', pqDir]);
        expect(a.code).toBe(0);
        expect(a.stdout).toBe((await run([...q, '--fixture', jsDir])).stdout);
      }
    } finally {
      await h.close();
    }
  }, 60_000);
});

describe('a Parquet archive over months', () => {
  it('holds every point once, DuckDB sums the truth, and it answers for windows Azure no longer holds', async () => {
    const chat = resolveMetric('chat');
    const start = NOW_MINUTE - 30 * DAY;
    const dataset: Dataset = {
      metrics: [
        buildMetric(chat, start, NOW_MINUTE + 200 * DAY, HOUR, [
          { dims: { Operation: 'SendChatMessage', StatusCode: '201', StatusSubClass: '2xx' }, count: (t) => (Math.floor(t / HOUR) % 5) + 1 },
          { dims: { Operation: 'GetChatThread', StatusCode: '500', StatusSubClass: '5xx' }, count: (t) => (Math.floor(t / HOUR) % 3 === 0 ? 2 : 0) },
        ]),
      ],
    };
    const h = await openHarness(dataset);
    h.emulator.estate.lateMs = 150 * 60_000;
    try {
      const dir = join(tempDir(), 'months');
      const runs = [NOW, NOW + 50 * DAY + 7 * HOUR, NOW + 100 * DAY + 13 * HOUR, NOW + 150 * DAY + 2 * HOUR];
      for (const clock of runs) {
        h.emulator.clock = clock;
        const r = await run(['export', dir, '--resource', RESOURCE, '-m', 'chat', '--interval', 'PT1H', '--format', 'parquet', '--since', '30d'], {
          env: liveEnv(h),
          now: new Date(clock),
        });
        expect(r.code, r.stderr).toBe(0);
      }
      const last = runs.at(-1)!;
      const end = Math.floor(last / 60_000) * 60_000;
      // Every month before the last run's is one file; the last month holds its runs' files and the tail.
      const byMonth = new Map<string, number>();
      for (const f of readTree(dir).keys()) if (f.endsWith('.parquet')) byMonth.set(f.split('/')[1]!, (byMonth.get(f.split('/')[1]!) ?? 0) + 1);
      expect([...byMonth].sort()).toEqual([
        ['month=2025-12', 1],
        ['month=2026-01', 1],
        ['month=2026-02', 1],
        ['month=2026-03', 1],
        ['month=2026-04', 1],
        ['month=2026-05', 1],
        ['month=2026-06', 2],
      ]);
      expect(await run(['export', '--verify', dir])).toMatchObject({ code: 0, stderr: '' });
      const source = `read_parquet('${dir}/**/*.parquet', hive_partitioning = true)`;
      const [once] = await duck(`SELECT COUNT(*) AS n, COUNT(DISTINCT (resource_id, operation, status_code, "timestamp")) AS d FROM ${source}`);
      expect(once!.n).toBe(once!.d);
      expect(once!.n).toBe((2 * (end - start)) / HOUR);
      // The truth: every hour whole, but the last 150 minutes before the last run, which Azure has half of.
      const sums = await duck(`SELECT operation, SUM(count) AS n FROM ${source} GROUP BY ALL ORDER BY ALL`);
      const expected: Record<string, number> = {};
      for (const s of dataset.metrics[0]!.series) {
        for (const p of s.points) {
          if (p.t < start || p.t >= end) continue;
          const n = p.t >= last - 150 * 60_000 ? Math.floor(p.count! / 2) : p.count!;
          expected[s.dims.operation!] = (expected[s.dims.operation!] ?? 0) + n;
        }
      }
      expect(Object.fromEntries(sums.map((r) => [r.operation, r.n]))).toEqual(expected);
      // 180 days back: Azure no longer holds it, the archive does.
      const window = [
        '--start',
        new Date(start).toISOString(),
        '--end',
        new Date(start + 10 * DAY).toISOString(),
        '-m',
        'chat',
        '--split-by',
        'operation',
        '-o',
        'json',
      ];
      const old = JSON.parse((await run(['query', '--fixture', dir, ...window])).stdout);
      const oldTruth = truth(dataset, start, start + 10 * DAY);
      for (const s of old.series) expect(s.total).toBe(oldTruth[`APIRequestChat|${s.dimensions.Operation}`]);
      const usage = await run(['usage', '--fixture', dir, '--since', '365d', '-o', 'json']);
      expect(usage.code).toBe(0);
      expect(JSON.stringify(JSON.parse(usage.stdout))).toContain(`"requests":${Object.values(expected).reduce((a, b) => a + b, 0)}`);
    } finally {
      await h.close();
    }
  }, 60_000);
});

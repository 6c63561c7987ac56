/**
 * `query -o openmetrics`: the exposition text worked out by hand, label escaping, and a backfill
 * through the real `promtool` (Debian package `prometheus`; .ci/run installs it) read back with
 * `promtool tsdb dump`, whose samples must equal the query's.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, liveEnv, NOW, openHarness, RESOURCE, SUBSCRIPTION } from './emulator/harness.js';
import { metricsBody, writeFixture } from './helpers/fixture.js';
import { run } from './helpers/io.js';
import { tempDir } from './helpers/temp.js';
import { escapeLabelValue, labelName, openMetricsChunks, renderOpenMetrics } from '../src/render/openmetrics.js';
import { metricByRestName } from '../src/catalog/resolve.js';
import type { QueryResult } from '../src/core/model.js';
import { aggregationDef } from '../src/catalog/aggregations.js';
import { DEFAULT_ERRORS } from '../src/core/model.js';

const SUB = '00000000-0000-0000-0000-000000000001';
const id = (name: string) => `/subscriptions/${SUB}/resourceGroups/rg-Chat/providers/Microsoft.Communication/CommunicationServices/${name}`;
const s = (op: string, code: string, counts: (number | null)[]) => ({ dims: { operation: op, statuscode: code, statuscodeclass: `${code[0]}xx` }, counts });

/** A batch entry of one resource: APIRequestChat, hourly from 2026-01-01T00:00Z. */
function entry(resourceid: string, series: ReturnType<typeof s>[]) {
  const body = metricsBody([{ name: 'APIRequestChat', series }]) as { value: unknown[]; timespan: string };
  const [starttime, endtime] = body.timespan.split('/');
  return { starttime, endtime, interval: 'PT1H', resourceid, value: body.value };
}

const T0 = Date.parse('2026-01-01T00:00:00Z') / 1000;
const one = writeFixture(
  {
    values: [entry(id('acs-a'), [s('SendChatMessage', '201', [10, null, 30]), s('SendChatMessage', '503', [0, 5, 1]), s('GetChatMessage', '200', [7, 7, 7])])],
  },
  'one.json',
);

const HELP_TAIL =
  ' of the metric named by the metric label in the interval (interval label) that starts at the sample timestamp. A gauge: one interval each, not a running total; add intervals with sum_over_time.';

describe('query -o openmetrics', () => {
  it('writes one gauge sample per series and bucket with data, at the bucket start in seconds, then # EOF', async () => {
    const r = await run(['query', '--fixture', one, '-m', 'chat', '--split-by', 'operation,statuscode', '-o', 'openmetrics']);
    expect([r.code, r.stderr]).toEqual([0, '']);
    const l = `metric="APIRequestChat",interval="PT1H",resource="acs-a",resource_group="rg-Chat",subscription="${SUB}"`;
    expect(r.stdout).toBe(
      [
        '# TYPE acs_requests gauge',
        `# HELP acs_requests Requests or events Azure Monitor counted (aggregation Count)${HELP_TAIL}`,
        // Largest series first, as in every output. SendChatMessage 201: the bucket without data has no sample (no data is never 0).
        `acs_requests{${l},operation="SendChatMessage",status_code="201"} 10 ${T0}`,
        `acs_requests{${l},operation="SendChatMessage",status_code="201"} 30 ${T0 + 7200}`,
        `acs_requests{${l},operation="GetChatMessage",status_code="200"} 7 ${T0}`,
        `acs_requests{${l},operation="GetChatMessage",status_code="200"} 7 ${T0 + 3600}`,
        `acs_requests{${l},operation="GetChatMessage",status_code="200"} 7 ${T0 + 7200}`,
        `acs_requests{${l},operation="SendChatMessage",status_code="503"} 0 ${T0}`,
        `acs_requests{${l},operation="SendChatMessage",status_code="503"} 5 ${T0 + 3600}`,
        `acs_requests{${l},operation="SendChatMessage",status_code="503"} 1 ${T0 + 7200}`,
        '# EOF',
        '',
      ].join('\n'),
    );
  });

  it('labels a filter on a dimension it does not split by, and names the family for the aggregation', async () => {
    const r = await run([
      'query',
      '--fixture',
      one,
      '-m',
      'chat',
      '--status-class',
      '5xx,4xx',
      '--split-by',
      'none',
      '--interval',
      'PT3H',
      '-o',
      'openmetrics',
    ]);
    expect(r.code).toBe(0);
    // 4xx or 5xx over the three hours: 0 + 5 + 1.
    expect(r.stdout.split('\n').filter((x) => !x.startsWith('#'))).toEqual([
      `acs_requests{metric="APIRequestChat",interval="PT3H",status_code_class="4xx|5xx",resource="acs-a",resource_group="rg-Chat",subscription="${SUB}"} 6 ${T0}`,
      '',
    ]);
    const sum = await run(['query', '--fixture', one, '-m', 'chat', '-a', 'sum', '--split-by', 'none', '-o', 'openmetrics']);
    expect(sum.stdout.split('\n').slice(0, 1)).toEqual(['# TYPE acs_requests_summed gauge']);
    // 10 + 0 + 7 in the first hour.
    expect(sum.stdout).toContain(
      `acs_requests_summed{metric="APIRequestChat",interval="PT1H",resource="acs-a",resource_group="rg-Chat",subscription="${SUB}"} 17 ${T0}\n`,
    );
  });

  it('gives each resource its labels when the data holds several', async () => {
    const two = writeFixture({
      values: [entry(id('acs-a'), [s('SendChatMessage', '201', [1, 2])]), entry(id('acs-b'), [s('SendChatMessage', '201', [3, 4])])],
    });
    const r = await run(['query', '--fixture', two, '-m', 'chat', '-o', 'openmetrics']);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n').filter((x) => x.startsWith('acs_'))).toEqual([
      `acs_requests{metric="APIRequestChat",interval="PT1H",resource="acs-b",resource_group="rg-Chat",subscription="${SUB}",operation="SendChatMessage"} 3 ${T0}`,
      `acs_requests{metric="APIRequestChat",interval="PT1H",resource="acs-b",resource_group="rg-Chat",subscription="${SUB}",operation="SendChatMessage"} 4 ${T0 + 3600}`,
      `acs_requests{metric="APIRequestChat",interval="PT1H",resource="acs-a",resource_group="rg-Chat",subscription="${SUB}",operation="SendChatMessage"} 1 ${T0}`,
      `acs_requests{metric="APIRequestChat",interval="PT1H",resource="acs-a",resource_group="rg-Chat",subscription="${SUB}",operation="SendChatMessage"} 2 ${T0 + 3600}`,
    ]);
  });

  it('leaves the resource labels out when a chosen split combines several resources', async () => {
    const two = writeFixture({
      values: [entry(id('acs-a'), [s('SendChatMessage', '201', [1, 2])]), entry(id('acs-b'), [s('SendChatMessage', '201', [3, 4])])],
    });
    const r = await run(['query', '--fixture', two, '-m', 'chat', '--split-by', 'operation', '-o', 'openmetrics']);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n').filter((x) => x.startsWith('acs_'))).toEqual([
      `acs_requests{metric="APIRequestChat",interval="PT1H",operation="SendChatMessage"} 4 ${T0}`,
      `acs_requests{metric="APIRequestChat",interval="PT1H",operation="SendChatMessage"} 6 ${T0 + 3600}`,
    ]);
  });

  describe('live (emulator)', () => {
    let h: Harness;
    beforeAll(async () => {
      h = await openHarness();
    });
    afterAll(async () => {
      await h.close();
    });
    it('names the resource the request was about', async () => {
      const r = await run(
        [
          'query',
          '--resource',
          RESOURCE,
          '-m',
          'chat',
          '--since',
          '2m',
          '--split-by',
          'operation,statuscode',
          '--operation',
          'SendChatMessage',
          '-o',
          'openmetrics',
        ],
        {
          env: liveEnv(h),
          now: new Date(NOW),
        },
      );
      expect(r.code).toBe(0);
      // 3 a minute with 200; 1 per 10 minutes with 429 (at 23:58 and 23:59 neither is a tenth minute).
      const l = `metric="APIRequestChat",interval="PT1M",resource="acs-test",resource_group="rg-test",subscription="${SUBSCRIPTION}",operation="SendChatMessage"`;
      const t = (NOW - 37_250) / 1000;
      expect(r.stdout.split('\n').filter((x) => x.startsWith('acs_'))).toEqual([
        `acs_requests{${l},status_code="200"} 3 ${t - 120}`,
        `acs_requests{${l},status_code="200"} 3 ${t - 60}`,
        `acs_requests{${l},status_code="429"} 0 ${t - 120}`,
        `acs_requests{${l},status_code="429"} 0 ${t - 60}`,
      ]);
    });
  });

  it('is refused with --compare and --watch', async () => {
    const cmp = await run(['query', '--fixture', one, '-m', 'chat', '--compare', '1h', '-o', 'openmetrics']);
    expect([cmp.code, cmp.stderr]).toEqual([
      2,
      'error: --compare has no -o openmetrics form: use -o json (schema version 2) or -o csv (with a window column)\n',
    ]);
    const w = await run(['query', '--fixture', one, '-m', 'chat', '--watch', '-o', 'openmetrics']);
    expect([w.code, w.stderr]).toEqual([2, 'error: --watch redraws a table or a chart, not -o openmetrics\n']);
  });
});

describe('OpenMetrics escaping and names', () => {
  it('escapes backslash, double quote and line feed; other controls become visible \\x.. text', () => {
    expect(escapeLabelValue('plain')).toBe('plain');
    expect(escapeLabelValue('a"b')).toBe('a\\"b');
    expect(escapeLabelValue('C:\\path')).toBe('C:\\\\path');
    expect(escapeLabelValue('two\nlines')).toBe('two\\nlines');
    // ESC and TAB are not written raw: the value holds the four characters \x1b (its backslash escaped).
    expect(escapeLabelValue('\u001b[31mred\tx')).toBe('\\\\x1b[31mred\\\\x09x');
    expect(escapeLabelValue('bidi\u202e')).toBe('bidi\\\\u202e');
    expect(escapeLabelValue('Größe €')).toBe('Größe €');
  });

  it('names labels for the REST dimension in snake case, the same across channels', () => {
    const dims = (rest: string) => metricByRestName(rest)!.dimensions.map(labelName);
    expect(dims('APIRequestChat')).toEqual(['operation', 'status_code', 'status_code_class']);
    // Router's REST names are OperationName and StatusCodeSubClass.
    expect(dims('ApiRequestRouter')).toEqual(['operation', 'status_code', 'status_code_class', 'api_version']);
    expect(dims('AcsCallAutomationCallbackEvent')).toEqual(['event_type_name', 'code', 'code_class', 'sub_code', 'version']);
    expect(dims('DeliveryStatusUpdate')).toEqual([
      'message_status',
      'result',
      'smtp_status_code',
      'enhanced_smtp_status_code',
      'sender_domain',
      'is_hard_bounce',
    ]);
    expect(metricByRestName('APIRequestChat')!.dimensions.every((d) => /^[a-zA-Z_][a-zA-Z0-9_]*$/.test(labelName(d)))).toBe(true);
  });

  it('streams: the chunks join to the whole text, one chunk per series with data', () => {
    const metric = metricByRestName('APIRequestChat')!;
    const op = metric.dimensions[0]!;
    const result: QueryResult = {
      query: { metric, aggregation: aggregationDef('count'), filters: [], splitBy: [op], interval: { kind: 'auto' }, range: {}, errors: DEFAULT_ERRORS },
      intervalMs: 60_000,
      interval: 'PT1M',
      start: 0,
      end: 120_000,
      timestamps: [0, 60_000],
      series: [
        {
          dimensions: { Operation: 'x"y' },
          points: [
            { timestamp: 0, value: 1.5 },
            { timestamp: 60_000, value: null },
          ],
          total: 1.5,
          requests: 1.5,
          errors: null,
        },
        {
          dimensions: { Operation: '' },
          points: [
            { timestamp: 0, value: null },
            { timestamp: 60_000, value: null },
          ],
          total: null,
          requests: null,
          errors: null,
        },
      ],
      total: 1.5,
      requests: 1.5,
      errors: null,
      omittedSeries: 0,
      notes: [],
    };
    const chunks = [...openMetricsChunks(result)];
    expect(chunks).toHaveLength(3);
    expect(chunks[1]).toBe('acs_requests{metric="APIRequestChat",interval="PT1M",operation="x\\"y"} 1.5 0\n');
    expect(chunks[2]).toBe('# EOF\n');
    expect(chunks.join('')).toBe(renderOpenMetrics(result));
  });
});

const hasPromtool = spawnSync('promtool', ['--version']).status === 0;

/** Go's %q label values read as JSON strings (the escapes used here are the same). */
function parseDump(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const m = /^\{(.*)\} (\S+) (\d+)$/.exec(line);
    if (!m) throw new Error(`unexpected dump line: ${line}`);
    const labels: Record<string, string> = {};
    for (const l of m[1]!.matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)=("(?:[^"\\]|\\.)*")/g)) labels[l[1]!] = JSON.parse(l[2]!) as string;
    out.set(`${labels.operation}|${labels.status_code_class}|${labels.resource}|${Number(m[3]) / 1000}`, Number(m[2]));
  }
  return out;
}

function backfill(text: string): string {
  const dir = tempDir();
  writeFileSync(join(dir, 'om.txt'), text);
  const created = spawnSync('promtool', ['tsdb', 'create-blocks-from', 'openmetrics', join(dir, 'om.txt'), join(dir, 'data')], { encoding: 'utf8' });
  expect(created.status, created.stderr).toBe(0);
  // promtool 2.42 reads the WAL folder even to dump blocks.
  mkdirSync(join(dir, 'data', 'wal'), { recursive: true });
  const dump = spawnSync('promtool', ['tsdb', 'dump', join(dir, 'data')], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  expect(dump.status, dump.stderr).toBe(0);
  return dump.stdout;
}

// Skipped where promtool cannot be had (Debian package `prometheus`; .ci/run installs it when missing).
describe.skipIf(!hasPromtool)('promtool backfills it (real promtool)', () => {
  it("reads back every sample of the sample week with the query's value and timestamp", async () => {
    const sample = join(import.meta.dirname, '..', 'fixtures', 'sample-week.json');
    const args = ['query', '--fixture', sample, '-m', 'chat', '--split-by', 'operation,statussubclass'];
    const om = await run([...args, '-o', 'openmetrics']);
    const json = await run([...args, '-o', 'json']);
    expect([om.code, json.code]).toEqual([0, 0]);
    const expected = new Map<string, number>();
    const doc = JSON.parse(json.stdout) as { series: { dimensions: Record<string, string>; points: { timestamp: string; value: number | null }[] }[] };
    for (const series of doc.series) {
      for (const p of series.points) {
        if (p.value !== null)
          expected.set(`${series.dimensions.Operation}|${series.dimensions.StatusSubClass}|acs-demo|${Date.parse(p.timestamp) / 1000}`, p.value);
      }
    }
    const got = parseDump(backfill(om.stdout));
    expect(expected.size).toBeGreaterThan(5000);
    expect(got.size).toBe(expected.size);
    expect(Object.fromEntries(got)).toEqual(Object.fromEntries(expected));
  });

  it('keeps label values with quotes, backslashes, line feeds and non-ASCII text through the backfill', async () => {
    const odd = ['say "hi"', 'back\\slash', 'two\nlines', 'Größe €'];
    const file = writeFixture({
      values: [
        entry(
          id('acs-odd'),
          odd.map((op, i) => s(op, '201', [i + 1, 10 * (i + 1)])),
        ),
      ],
    });
    const om = await run(['query', '--fixture', file, '-m', 'chat', '--split-by', 'operation,statussubclass', '-o', 'openmetrics']);
    expect(om.code).toBe(0);
    const got = parseDump(backfill(om.stdout));
    const expected = new Map(
      odd.flatMap(
        (op, i) =>
          [
            [`${op}|2xx|acs-odd|${T0}`, i + 1],
            [`${op}|2xx|acs-odd|${T0 + 3600}`, 10 * (i + 1)],
          ] as [string, number][],
      ),
    );
    expect(Object.fromEntries(got)).toEqual(Object.fromEntries(expected));
  });
});

/**
 * The windowing rule (docs/windows-and-buckets.md), on the cases that were wrong before it: every
 * number here is worked out by hand or summed from the raw points, never taken from the tool.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, liveEnv, openHarness, RESOURCE, testDataset } from './emulator/harness.js';
import { run } from './helpers/io.js';

const SAMPLE = join(import.meta.dirname, '..', 'fixtures', 'sample-week.json');
const sample = JSON.parse(readFileSync(SAMPLE, 'utf8')) as {
  value: { name: { value: string }; timeseries: { data: { timeStamp: string; count?: number }[] }[] }[];
};

/** The sample's raw counts of a metric with from <= timestamp < to, summed over every series. */
function sampleSum(rest: string, from: string, to: string): number {
  const a = Date.parse(from);
  const b = Date.parse(to);
  const metric = sample.value.find((m) => m.name.value === rest)!;
  let sum = 0;
  for (const s of metric.timeseries) for (const p of s.data) if (Date.parse(p.timeStamp) >= a && Date.parse(p.timeStamp) < b) sum += p.count ?? 0;
  return sum;
}

const csvRows = (text: string): string[][] =>
  text
    .trim()
    .split('\r\n')
    .slice(1)
    .map((l) => l.split(','));

describe('files: a window off the data grid is widened to whole data buckets', () => {
  it('--since 90m on hourly data shows the 22:00 and 23:00 buckets under their own labels', async () => {
    const r = await run(['query', '--fixture', SAMPLE, '-m', 'chat', '--split-by', 'none', '--since', '90m', '-o', 'csv']);
    expect(r.code).toBe(0);
    expect(csvRows(r.stdout)).toEqual([
      ['2026-01-07T22:00:00Z', String(sampleSum('APIRequestChat', '2026-01-07T22:00:00Z', '2026-01-07T23:00:00Z'))],
      ['2026-01-07T23:00:00Z', '553'],
    ]);
    expect(sampleSum('APIRequestChat', '2026-01-07T23:00:00Z', '2026-01-08T00:00:00Z')).toBe(553);
    expect(r.stderr).toBe(
      'note: the window was widened to whole PT1H buckets of the data: 2026-01-07T22:00:00Z to 2026-01-08T00:00:00Z (asked 2026-01-07T22:30:00Z to 2026-01-08T00:00:00Z)\n',
    );
  });

  it('a start half a second into an hour keeps that hour (FULL)', async () => {
    const r = await run([
      'query',
      '--fixture',
      SAMPLE,
      '-m',
      'chat',
      '--split-by',
      'none',
      '--start',
      '2026-01-05T09:00:00.5Z',
      '--interval',
      'FULL',
      '-o',
      'json',
    ]);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    const expected = sampleSum('APIRequestChat', '2026-01-05T09:00:00Z', '2026-01-08T00:00:00Z');
    expect(sampleSum('APIRequestChat', '2026-01-05T09:00:00Z', '2026-01-05T10:00:00Z')).toBe(2808);
    expect(doc.total).toBe(expected);
    expect(doc.query.start).toBe('2026-01-05T09:00:00Z');
    expect(r.stderr).toContain('(asked 2026-01-05T09:00:00.500Z to 2026-01-08T00:00:00Z)');
  });

  it('a window shorter than the grain is the data bucket that holds it, in query and check alike', async () => {
    const sms = sampleSum('APIRequestSMS', '2026-01-07T23:00:00Z', '2026-01-08T00:00:00Z');
    expect(sms).toBe(88);
    const q = await run(['query', '--fixture', SAMPLE, '-m', 'sms', '--split-by', 'none', '--since', '30m', '-o', 'json']);
    expect(JSON.parse(q.stdout).requests).toBe(88);
    const c = await run(['check', '--fixture', SAMPLE, '-m', 'sms', '--since', '30m', '--min-total', '1', '--rule-name', 'sms traffic', '-o', 'json']);
    expect(c.code).toBe(0);
    expect(JSON.parse(c.stdout).rules[0]).toMatchObject({
      verdict: 'pass',
      requests: 88,
      window: { start: '2026-01-07T23:00:00Z', end: '2026-01-08T00:00:00Z' },
    });
  });
});

/** A Metrics - List body of one unsplit Chat series as Azure answers it (az CLI shape when `az`). */
function body(timespan: string, interval: string, points: [string, number | null][]): string {
  return JSON.stringify({
    timespan,
    interval,
    value: [
      {
        name: { value: 'APIRequestChat' },
        unit: 'Count',
        timeseries: [{ metadatavalues: [], data: points.map(([t, c]) => (c === null ? { timeStamp: t } : { timeStamp: t, count: c })) }],
      },
    ],
  });
}

describe("files: Azure's own buckets are shown as they came", () => {
  it('a request at 16:51:40 for an hour at PT1M: 60 buckets from 16:51, none added', async () => {
    const start = Date.parse('2026-03-02T16:51:00Z');
    const points: [string, number][] = Array.from({ length: 60 }, (_, k) => [new Date(start + k * 60_000).toISOString().replace('.000Z', 'Z'), k + 1]);
    const r = await run(['query', '--fixture', '-', '--split-by', 'none', '-o', 'json'], {
      stdin: body('2026-03-02T16:51:40Z/2026-03-02T17:51:40Z', 'PT1M', points),
    });
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.series[0].points).toHaveLength(60);
    expect(doc.series[0].points[0].timestamp).toBe('2026-03-02T16:51:00Z');
    expect(doc.query).toMatchObject({ start: '2026-03-02T16:51:00Z', end: '2026-03-02T17:51:00Z', interval: 'PT1M' });
    expect(doc.total).toBe((60 * 61) / 2);
    expect(r.stderr).toBe('');
  });

  it('21:46-23:18 at PT1H: buckets 21:46 and 22:46, the second partial, said once', async () => {
    const r = await run(['query', '--fixture', '-', '--split-by', 'none', '-o', 'csv'], {
      stdin: body('2026-03-02T21:46:00Z/2026-03-02T23:18:00Z', '1:00:00', [
        ['2026-03-02T21:46:00+00:00', 7],
        ['2026-03-02T22:46:00+00:00', 5],
      ]),
    });
    expect(r.code).toBe(0);
    expect(csvRows(r.stdout)).toEqual([
      ['2026-03-02T21:46:00Z', '7'],
      ['2026-03-02T22:46:00Z', '5'],
    ]);
    expect(r.stderr).toBe('note: the last bucket (2026-03-02T22:46:00Z) is shorter than PT1H: it ends with the window at 2026-03-02T23:18:00Z\n');
  });

  it('refuses points off the declared grid, and points finer than the declared interval', async () => {
    const off = await run(['query', '--fixture', '-', '--split-by', 'none'], {
      stdin: body('2026-03-02T00:00:00Z/2026-03-02T03:00:00Z', 'PT1H', [
        ['2026-03-02T00:00:00Z', 1],
        ['2026-03-02T01:30:00Z', 1],
      ]),
    });
    expect(off.code).toBe(3);
    expect(off.stderr).toBe(
      "error: stdin: APIRequestChat (no dimensions): the point at 2026-03-02T01:30:00Z is not on the data's PT1H bucket grid (buckets start at 2026-03-02T00:00:00Z + k x PT1H); such data cannot be bucketed exactly\n",
    );
    const fine = await run(['query', '--fixture', '-', '--split-by', 'none'], {
      stdin: body('2026-03-02T00:00:00Z/2026-03-02T03:00:00Z', 'PT1H', [
        ['2026-03-02T00:00:00Z', 1],
        ['2026-03-02T00:01:00Z', 1],
      ]),
    });
    expect(fine.code).toBe(3);
    expect(fine.stderr).toBe(
      "error: stdin: APIRequestChat (no dimensions): points PT1M apart (2026-03-02T00:00:00Z, 2026-03-02T00:01:00Z) are finer than the data's PT1H buckets; such data cannot be bucketed exactly\n",
    );
  });

  it('refuses two files whose buckets do not line up', async () => {
    const a = body('2026-03-02T00:10:00Z/2026-03-02T02:10:00Z', 'PT1H', [
      ['2026-03-02T00:10:00Z', 1],
      ['2026-03-02T01:10:00Z', 2],
    ]);
    const b = body('2026-03-02T00:25:00Z/2026-03-02T02:25:00Z', 'PT1H', [
      ['2026-03-02T00:25:00Z', 1],
      ['2026-03-02T01:25:00Z', 2],
    ]);
    const r = await run(['query', '--fixture', '-', '--split-by', 'none'], { stdin: `[${a},${b}]` });
    expect(r.code).toBe(3);
    expect(r.stderr).toBe(
      'error: stdin: the APIRequestChat data comes in buckets that do not line up (PT1H buckets from 2026-03-02T00:10:00Z; PT1H buckets from 2026-03-02T00:25:00Z): query them separately\n',
    );
  });

  it('a window inside one minute is refused with the reason', async () => {
    const r = await run(['query', '--fixture', SAMPLE, '-m', 'chat', '--start', '2026-01-05T09:00:10Z', '--end', '2026-01-05T09:00:50Z']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      "error: the window 2026-01-05T09:00:10Z to 2026-01-05T09:00:50Z holds no whole minute: Azure Monitor's buckets start on the minute\n",
    );
  });
});

describe('live: the clock is off the minute (23:00:37.250Z)', () => {
  const CLOCK = new Date('2026-01-07T23:00:37.250Z');
  let h: Harness;
  beforeAll(async () => {
    h = await openHarness(testDataset(CLOCK.getTime()));
  });
  afterAll(async () => {
    await h.close();
  });

  /** Chat requests in the test dataset with from <= t < to: summed from its raw points. */
  function chatSum(from: number, to: number, status?: string): number {
    const chat = h.emulator.dataset.metrics.find((m) => m.name === 'APIRequestChat')!;
    let sum = 0;
    for (const s of chat.series) {
      if (status !== undefined && s.dims.statuscodeclass !== status) continue;
      for (const p of s.points) if (p.t >= from && p.t < to) sum += p.count ?? 0;
    }
    return sum;
  }

  it('--since 1h counts the 22:00 bucket that Azure answers first: 310 requests', async () => {
    const r = await run(['query', '--resource', RESOURCE, '-m', 'chat', '--since', '1h', '--split-by', 'none', '-o', 'json'], { env: liveEnv(h), now: CLOCK });
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    const from = Date.parse('2026-01-07T22:00:00Z');
    const to = Date.parse('2026-01-07T23:00:00Z');
    expect(chatSum(from, to)).toBe(310);
    expect(doc.requests).toBe(310);
    expect(doc.query).toMatchObject({ start: '2026-01-07T22:00:00Z', end: '2026-01-07T23:00:00Z', interval: 'PT1M' });
    expect(doc.series[0].points[0]).toEqual({ timestamp: '2026-01-07T22:00:00Z', value: 6 + 1 + 1 + 1 });
    expect(h.emulator.requests.at(-1)!.query.timespan).toBe('2026-01-07T22:00:00.000Z/2026-01-07T23:00:00.000Z');
  });

  it('check --errors 5xx --max-error-rate 0% fails on the 5xx in the 22:00 bucket', async () => {
    const r = await run(['check', '--resource', RESOURCE, '-m', 'chat', '--since', '1h', '--errors', '5xx', '--max-error-rate', '0%', '-o', 'json'], {
      env: liveEnv(h),
      now: CLOCK,
    });
    const doc = JSON.parse(r.stdout);
    expect(chatSum(Date.parse('2026-01-07T22:00:00Z'), Date.parse('2026-01-07T23:00:00Z'), '5xx')).toBe(1);
    expect(doc.rules[0]).toMatchObject({ verdict: 'fail', requests: 310, errors: 1 });
    expect(r.code).toBe(1);
  });
});

describe('az CLI intervals (Python timedeltas)', () => {
  it.each([
    ['0:01:00', 60_000],
    ['1:00:00', 3_600_000],
    ['1 day, 0:00:00', 86_400_000],
    ['7 days, 12:00:00', 7.5 * 86_400_000],
  ])('reads %s', async (text, ms) => {
    const { parseTimedelta } = await import('../src/sources/parse-response.js');
    expect(parseTimedelta(text)).toBe(ms);
  });

  it('a lone az CLI point keeps its declared hour', async () => {
    const r = await run(['query', '--fixture', '-', '--split-by', 'none', '-o', 'json'], {
      stdin: body('2026-03-02T21:00:00+00:00/2026-03-02T22:00:00+00:00', '1:00:00', [['2026-03-02T21:00:00+00:00', 9]]),
    });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).query).toMatchObject({ interval: 'PT1H', start: '2026-03-02T21:00:00Z', end: '2026-03-02T22:00:00Z' });
  });
});

describe('data without the dimension of the default split', () => {
  // What a plain `az monitor metrics list --metric APIRequestChat` saves: no split at all.
  const plain = body('2026-03-02T00:00:00+00:00/2026-03-02T02:00:00+00:00', '1:00:00', [
    ['2026-03-02T00:00:00+00:00', 12],
    ['2026-03-02T01:00:00+00:00', 30],
  ]);

  it('falls back to one series with a note', async () => {
    const r = await run(['query', '--fixture', '-', '-m', 'chat', '-o', 'json'], { stdin: plain });
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.query.splitBy).toEqual([]);
    expect(doc.series).toHaveLength(1);
    expect(doc.total).toBe(42);
    expect(r.stderr).toBe('note: the APIRequestChat data is not split by Operation: showing it as one series\n');
  });

  it('an explicit --split-by operation stays a data error', async () => {
    const r = await run(['query', '--fixture', '-', '-m', 'chat', '--split-by', 'operation'], { stdin: plain });
    expect(r.code).toBe(3);
    expect(r.stderr).toBe(
      "error: stdin: the APIRequestChat data is not split by Operation, so the query cannot filter or split by it (the data's dimensions: none)\n",
    );
  });
});

describe('sums beyond the largest double', () => {
  const huge = body('2026-03-02T00:00:00Z/2026-03-02T02:00:00Z', 'PT1H', [
    ['2026-03-02T00:00:00Z', 1e308],
    ['2026-03-02T01:00:00Z', 1e308],
  ]);
  const line = `error: stdin: the count of APIRequestChat over the window is too large to add up (beyond ${Number.MAX_VALUE}): check the data\n`;

  it('are a data error in query, never "no data"', async () => {
    const r = await run(['query', '--fixture', '-', '-m', 'chat', '--split-by', 'none', '-o', 'json'], { stdin: huge });
    expect(r.code).toBe(3);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(line);
  });

  it('make check exit 3, never pass', async () => {
    const r = await run(['check', '--fixture', '-', '-m', 'chat', '--max-error-rate', '1%', '--min-total', '1'], { stdin: huge });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('too large to add up');
  });
});

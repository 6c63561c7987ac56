/**
 * One series holds at most 525,600 buckets (a year of PT1M). A stray timestamp far from the rest
 * (year 0 or 9999) used to make the tool build millions of buckets per series: half a minute and
 * gigabytes for a chart. Now such a query is refused at once: a data error when the data's span forces
 * it, a usage error when --interval was chosen too fine.
 */
import { describe, expect, it } from 'vitest';
import { chatBody, writeFixture } from './helpers/fixture.js';
import { run } from './helpers/io.js';

const MINUTE = 60_000;
const T0 = Date.parse('2026-01-01T00:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');

/** PT1M data over `minutes` minutes: 2 requests in the first bucket, 3 in the last. */
function minutesBody(minutes: number): object {
  const point = (t: number, count: number) => ({ timeStamp: iso(t), count, total: count });
  return {
    timespan: `${iso(T0)}/${iso(T0 + minutes * MINUTE)}`,
    interval: 'PT1M',
    value: [
      {
        name: { value: 'APIRequestChat' },
        timeseries: [
          {
            metadatavalues: [{ name: { value: 'operation' }, value: 'SendChatMessage' }],
            data: [point(T0, 2), point(T0 + (minutes - 1) * MINUTE, 3)],
          },
        ],
      },
    ],
  };
}

/** chatBody (four hours from 2026-01-01T00:00Z, 137 requests) with one more point at `stamp`. */
function strayBody(stamp: string): object {
  const body = chatBody() as { value: { timeseries: { data: object[] }[] }[] };
  body.value[0]!.timeseries[2]!.data.push({ timeStamp: stamp, count: 7, total: 7 });
  return body;
}

describe('the bucket limit', () => {
  it('shows a year of PT1M buckets, and refuses one more as a usage error naming --interval', async () => {
    const year = writeFixture(minutesBody(525_600));
    const ok = await run(['query', '--fixture', year, '-m', 'chat', '-i', 'PT1M', '--split-by', 'none', '-o', 'csv']);
    expect(ok.code).toBe(0);
    const rows = ok.stdout.trimEnd().split('\r\n'); // RFC 4180 lines
    expect(rows).toHaveLength(1 + 525_600);
    expect(rows[1]).toMatch(/^2026-01-01T00:00:00Z,2(,|$)/);
    expect(rows.at(-1)).toMatch(/^2026-12-31T23:59:00Z,3(,|$)/);

    const over = writeFixture(minutesBody(525_601));
    const r = await run(['query', '--fixture', over, '-m', 'chat', '-i', 'PT1M']);
    expect(r).toEqual({
      code: 2,
      stdout: '',
      stderr:
        'error: --interval PT1M is too fine: the window 2026-01-01T00:00:00Z to 2027-01-01T00:01:00Z holds 525,601 PT1M buckets, ' +
        'more than the 525,600 acs-metrics shows per series; use a coarser --interval or a shorter window (--start/--end or --since)\n',
    });
    // The same data at PT1H: 8,761 buckets, every request counted.
    const hourly = await run(['query', '--fixture', over, '-m', 'chat', '-i', 'PT1H', '--split-by', 'none', '-o', 'json']);
    expect(hourly.code).toBe(0);
    const json = JSON.parse(hourly.stdout) as { series: { total: number; points: unknown[] }[] };
    expect(json.series[0]!.total).toBe(5);
    expect(json.series[0]!.points).toHaveLength(8_761);
  });

  it('refuses a stray timestamp that stretches the data over centuries, as a data error, at once', async () => {
    for (const [stamp, window, buckets] of [
      ['0000-01-01T00:00:00Z', '0000-01-01T00:00:00Z to 2026-01-01T04:00:00Z', '739,983'],
      ['9999-12-31T23:00:00Z', '2026-01-01T00:00:00Z to +010000-01-01T00:00Z', '2,912,443'],
    ] as const) {
      const file = writeFixture(strayBody(stamp));
      const started = Date.now();
      for (const output of ['table', 'chart', 'json', 'csv']) {
        const r = await run(['query', '--fixture', file, '-m', 'chat', '-o', output]);
        expect(r).toEqual({
          code: 3,
          stdout: '',
          stderr:
            `error: ${file}: the window ${window} holds ${buckets} P1D buckets, more than the 525,600 acs-metrics shows per series ` +
            '(the data spans all of it: is a timestamp far from the rest?); pick a shorter window with --start/--end or --since\n',
        });
      }
      // It used to take seconds per run (half a minute for a chart at PT2H); now it is refused up front.
      expect(Date.now() - started).toBeLessThan(5000);
      // A window around the real data answers it: 137 requests over the four hours.
      const r = await run([
        'query',
        '--fixture',
        file,
        '-m',
        'chat',
        '--start',
        '2026-01-01T00:00Z',
        '--end',
        '2026-01-01T04:00Z',
        '--split-by',
        'none',
        '-o',
        'json',
      ]);
      expect(r.code).toBe(0);
      expect((JSON.parse(r.stdout) as { series: { total: number }[] }).series[0]!.total).toBe(137);
    }
  });
});

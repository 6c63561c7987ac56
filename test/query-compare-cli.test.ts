import { describe, expect, it } from 'vitest';
import { metricsBody, type SeriesSpec, writeFixture } from './helpers/fixture.js';
import { run } from './helpers/io.js';

const s = (op: string, code: string, counts: (number | null)[]): SeriesSpec => ({
  dims: { operation: op, statuscode: code, statuscodeclass: `${code[0]}xx` },
  counts,
});

/**
 * Four hours of Chat from 2026-01-01T00:00Z. Baseline = hours 0-1, current = hours 2-3:
 * - SendChatMessage: baseline 200 + 2 errors = 202 (0.990%), current 180 + 10 errors = 190 (5.263%)
 * - GetChatMessage: 100 in the baseline only (gone)
 * - ListChatThreads: 10 in the current window only (new)
 * Totals: current 200 requests, 10 errors (5.0%); baseline 302, 2 errors (0.662%).
 */
const fixture = writeFixture(
  metricsBody([
    {
      name: 'APIRequestChat',
      series: [
        s('SendChatMessage', '201', [100, 100, 90, 90]),
        s('SendChatMessage', '503', [1, 1, 5, 5]),
        s('GetChatMessage', '200', [50, 50, null, null]),
        s('ListChatThreads', '200', [null, null, 7, 3]),
      ],
    },
  ]),
);
const current = ['--start', '2026-01-01T02:00:00Z', '--end', '2026-01-01T04:00:00Z'];
const q = (...args: string[]) => run(['query', '--fixture', fixture, '-m', 'chat', ...current, ...args]);

const rowOf = (table: string, label: string): string[] =>
  table
    .split('\n')
    .find((l) => l.startsWith(`│ ${label} `))!
    .split('│')
    .slice(1, -1)
    .map((c) => c.trim());

describe('query --compare: the table', () => {
  it('per series: baseline, change, change %, both error rates and the change in points; new and gone kept', async () => {
    const r = await q('--compare', '2h');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')[0]).toBe(
      'Chat API Requests (APIRequestChat) · count per PT1H · 2026-01-01T02:00Z – 2026-01-01T04:00Z · baseline 2026-01-01T00:00Z – 2026-01-01T02:00Z (PT2H earlier)',
    );
    expect(rowOf(r.stdout, 'Operation')).toEqual(['Operation', 'Count', 'Baseline', 'Change', 'Change %', 'Error rate', 'Baseline rate', 'Rate change']);
    // 190 - 202 = -12, -12/202 = -5.94%; 10/190 = 5.26%, 2/202 = 0.99%, +4.27pp rising.
    expect(rowOf(r.stdout, 'SendChatMessage')).toEqual(['SendChatMessage', '190', '202', '-12', '-5.9%', '5.3%', '1.0%', '+4.27pp ▲']);
    expect(rowOf(r.stdout, 'ListChatThreads')).toEqual(['ListChatThreads', '10', '-', 'new', '-', '0%', '-', '-']);
    expect(rowOf(r.stdout, 'GetChatMessage')).toEqual(['GetChatMessage', '-', '100', 'gone', '-100.0%', '-', '0%', '-']);
    // 200 vs 302: -102, -33.8%; 5.0% vs 0.662%: +4.34pp.
    expect(rowOf(r.stdout, 'Total')).toEqual(['Total', '200', '302', '-102', '-33.8%', '5.0%', '0.7%', '+4.34pp ▲']);
    // Current series first (largest first), the gone one last.
    const order = ['SendChatMessage', 'ListChatThreads', 'GetChatMessage'].map((l) => r.stdout.indexOf(`│ ${l} `));
    expect([...order].sort((a, b) => a - b)).toEqual(order);
  });

  it('an explicit baseline window of the same length gives the same table', async () => {
    const a = await q('--compare', '2h');
    const b = await q('--baseline-start', '2026-01-01T00:00:00Z', '--baseline-end', '2026-01-01T02:00:00Z');
    expect(b.code).toBe(0);
    expect(b.stdout).toBe(a.stdout);
  });

  it('a baseline the data covers but holds no point in: every series is new, said once', async () => {
    // The same data, its timespan from a day earlier: the baseline is covered, and empty.
    const body = metricsBody([
      { name: 'APIRequestChat', series: [s('SendChatMessage', '201', [100, 100, 90, 90]), s('SendChatMessage', '503', [1, 1, 5, 5])] },
    ]) as { timespan: string };
    const early = writeFixture({ ...body, timespan: '2025-12-31T00:00:00Z/2026-01-01T04:00:00Z' });
    const r = await run(['query', '--fixture', early, '-m', 'chat', ...current, '--compare', '1d']);
    expect(r.code).toBe(0);
    expect(rowOf(r.stdout, 'SendChatMessage')).toEqual(['SendChatMessage', '190', '-', 'new', '-', '5.3%', '-', '-']);
    expect(r.stderr).toBe('note: the baseline window 2025-12-31T02:00:00Z to 2025-12-31T04:00:00Z has no data: every series is new\n');
  });

  it('a baseline before the data is refused, not shown as "every series is new"', async () => {
    const r = await q('--compare', '1d');
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      'error: the baseline window 2025-12-31T02:00:00Z to 2025-12-31T04:00:00Z is not in the data; the data covers 2026-01-01T00:00:00Z to 2026-01-01T04:00:00Z: ' +
        'a baseline is compared only when the data covers all of it; give a shorter --compare or --since, or a baseline window inside the data\n',
    );
  });
});

describe('query --compare: JSON, CSV and the chart', () => {
  it('JSON is schema version 2 with a baseline and a change block per series and for the totals', async () => {
    const r = await q('--compare', '2h', '-o', 'json');
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.schemaVersion).toBe(2);
    expect(doc.query.baseline).toEqual({ start: '2026-01-01T00:00:00Z', end: '2026-01-01T02:00:00Z', shift: 'PT2H' });
    const [send, list, get] = doc.series;
    expect(send.status).toBe('both');
    expect(send.baseline).toEqual({
      total: 202,
      requests: 202,
      errors: 2,
      errorRate: 2 / 202,
      points: [
        { timestamp: '2026-01-01T00:00:00Z', value: 101 },
        { timestamp: '2026-01-01T01:00:00Z', value: 101 },
      ],
    });
    expect(send.change.total).toBe(-12);
    expect(send.change.totalPercent).toBeCloseTo(-12 / 202, 12);
    expect(send.change.errorRatePoints).toBeCloseTo(10 / 190 - 2 / 202, 12);
    expect(list).toMatchObject({ status: 'new', total: 10, baseline: null, change: { total: 10, totalPercent: null, errorRatePoints: null } });
    expect(get).toMatchObject({ status: 'gone', total: null, requests: null, baseline: { total: 100, errors: 0 }, change: { total: -100, totalPercent: -1 } });
    expect(get.points).toEqual([
      { timestamp: '2026-01-01T02:00:00Z', value: null },
      { timestamp: '2026-01-01T03:00:00Z', value: null },
    ]);
    expect(doc.baseline).toEqual({ total: 302, requests: 302, errors: 2, errorRate: 2 / 302 });
    expect(doc.change.total).toBe(-102);
  });

  it('JSON without --compare stays version 1 with no baseline keys', async () => {
    const doc = JSON.parse((await q('-o', 'json')).stdout);
    expect(doc.schemaVersion).toBe(1);
    expect(doc.baseline).toBeUndefined();
    expect(doc.series[0].baseline).toBeUndefined();
  });

  it('CSV gains a window column only when comparing', async () => {
    const r = await q('--compare', '2h', '-o', 'csv');
    expect(r.stdout.split('\r\n')).toEqual([
      'window,Operation,timestamp,value',
      'current,SendChatMessage,2026-01-01T02:00:00Z,95',
      'current,SendChatMessage,2026-01-01T03:00:00Z,95',
      'current,ListChatThreads,2026-01-01T02:00:00Z,7',
      'current,ListChatThreads,2026-01-01T03:00:00Z,3',
      'baseline,SendChatMessage,2026-01-01T00:00:00Z,101',
      'baseline,SendChatMessage,2026-01-01T01:00:00Z,101',
      'baseline,GetChatMessage,2026-01-01T00:00:00Z,50',
      'baseline,GetChatMessage,2026-01-01T01:00:00Z,50',
      '',
    ]);
    expect((await q('-o', 'csv')).stdout.split('\r\n')[0]).toBe('Operation,timestamp,value');
  });

  it('the chart draws each baseline dotted on the current time axis, labelled', async () => {
    const r = await q('--compare', '2h', '-o', 'chart', '--width', '60', '--split-by', 'none');
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines).toContain('── (all)');
    expect(lines).toContain('┄┄ (all) · baseline (PT2H earlier)');
    // 200 requests per window: 105 and 95 now, 151 and 151 in the baseline; the baseline (dotted) is on the top row.
    const plot = lines.filter((l) => /^\s*[\d,]+ [┤┼]/.test(l));
    const rowOf151 = plot.findIndex((l) => /┄/.test(l));
    expect(rowOf151).toBeGreaterThanOrEqual(0);
    expect(plot.findIndex((l) => /─/.test(l.slice(l.search(/[┤┼]/) + 1)))).toBeGreaterThan(rowOf151);
    expect(r.stdout).toContain('01-01 02:00');
    expect(r.stdout).not.toContain('01-01 00:00');
  });
});

describe('query --compare: what cannot be compared', () => {
  it.each([
    [
      ['--compare', 'soon'],
      'error: invalid --compare "soon": expected a duration of whole minutes such as 1d, 7d, 1h or P7D (how far back the baseline window is)',
    ],
    [
      ['--compare', '90s'],
      'error: invalid --compare "90s": expected a duration of whole minutes such as 1d, 7d, 1h or P7D (how far back the baseline window is)',
    ],
    [['--compare', '1d', '--baseline-start', '2026-01-01'], 'error: give either --compare or --baseline-start/--baseline-end, not both'],
    [['--baseline-start', '2026-01-01'], 'error: --baseline-start and --baseline-end go together: missing --baseline-end'],
    [
      ['--baseline-start', '2026-01-01T02:00:00Z', '--baseline-end', '2026-01-01T01:00:00Z'],
      'error: --baseline-start 2026-01-01T02:00:00Z is not before --baseline-end 2026-01-01T01:00:00Z',
    ],
  ])('%j is a usage error', async (args, line) => {
    const r = await q(...args);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`${line}\n`);
  });

  it('a baseline of another length', async () => {
    const r = await q('--baseline-start', '2026-01-01T00:00:00Z', '--baseline-end', '2026-01-01T01:00:00Z');
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      'error: the baseline window 2026-01-01T00:00:00Z to 2026-01-01T01:00:00Z (1h) is not as long as the current window 2026-01-01T02:00:00Z to 2026-01-01T04:00:00Z (2h): give a baseline of 2h, or use --compare DURATION\n',
    );
  });

  it('a shift that is not a whole number of the data buckets widens the baseline: said, not compared', async () => {
    const r = await q('--compare', '90m');
    expect(r.code).toBe(2);
    // The cause is the shift, not the length asked for.
    expect(r.stderr).toBe(
      "error: --compare 1h 30m is not a whole number of the data's buckets: the baseline 2026-01-01T00:30:00Z to 2026-01-01T02:30:00Z was widened to the data's buckets, 2026-01-01T00:00:00Z to 2026-01-01T03:00:00Z (3h), not as long as the current window (2h); give a shift of whole buckets of the data, e.g. --compare 1h or 2h\n",
    );
  });

  it('a baseline window off the data buckets says so, not that its length is wrong', async () => {
    const r = await q('--baseline-start', '2026-01-01T00:30:00Z', '--baseline-end', '2026-01-01T02:30:00Z');
    expect([r.code, r.stdout]).toEqual([2, '']);
    expect(r.stderr).toBe(
      "error: the baseline window 2026-01-01T00:30:00Z to 2026-01-01T02:30:00Z does not start and end on the data's buckets: it was widened to the data's buckets, 2026-01-01T00:00:00Z to 2026-01-01T03:00:00Z (3h), not as long as the current window (2h); give a baseline on whole buckets, 2h long\n",
    );
  });
});

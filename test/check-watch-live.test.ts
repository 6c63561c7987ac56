/**
 * `check --watch` against the emulator, with a clock that advances only when the command sleeps and
 * data that arrives 3 minutes late (a bucket appears once the clock is 3 minutes past its end).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveMetric } from '../src/catalog/resolve.js';
import { main } from '../src/cli/main.js';
import { testIo } from './helpers/io.js';
import { buildMetric, type Dataset } from './emulator/dataset.js';
import { type Harness, liveEnv, NOW, openHarness, RESOURCE } from './emulator/harness.js';

const MIN = 60_000;
const T0_MINUTE = Math.floor(NOW / MIN) * MIN; // 2026-01-08T00:00Z; NOW is 00:00:37.250

/** What the service holds when the clock reads `clock`: set per test. */
let clock = NOW;
let errorsFrom = Number.POSITIVE_INFINITY;
let stopsAt = Number.POSITIVE_INFINITY;
const chat = resolveMetric('chat');
const dataset: Dataset = {
  get metrics() {
    // 100 requests a minute; 50 of them 500s from `errorsFrom`; nothing from `stopsAt`; each bucket 3 minutes late.
    const end = Math.min(Math.floor((clock - 3 * MIN) / MIN) * MIN, stopsAt);
    const start = T0_MINUTE - 60 * MIN;
    return [
      buildMetric(chat, start, end, MIN, [
        { dims: { Operation: 'SendChatMessage', StatusCode: '200', StatusSubClass: '2xx' }, count: (t) => (t >= errorsFrom ? 50 : 100) },
        { dims: { Operation: 'SendChatMessage', StatusCode: '500', StatusSubClass: '5xx' }, count: (t) => (t >= errorsFrom ? 50 : 0) },
      ]),
    ];
  },
};

let h: Harness;
beforeAll(async () => {
  h = await openHarness(dataset);
});
afterAll(async () => {
  await h?.close();
});

async function watch(args: string[], abortAfter?: number) {
  clock = NOW;
  const controller = new AbortController();
  const t = testIo({ env: liveEnv(h), signal: controller.signal });
  let sleeps = 0;
  const io = {
    ...t.io,
    now: () => new Date(clock),
    sleep: async (ms: number) => {
      sleeps += 1;
      clock += ms;
      if (abortAfter !== undefined && sleeps >= abortAfter) controller.abort();
    },
  };
  const code = await main(['check', '--resource', RESOURCE, '-m', 'chat', '--since', '10m', '--max-error-rate', '1%', '--watch', ...args], io);
  const lines = t
    .err()
    .split('\n')
    .filter((l) => l.startsWith('watch:'));
  return { code, stdout: t.out(), lines };
}

describe('check --watch (live, emulator)', () => {
  it('passes once every rule has passed for --for: 6 evaluations a minute apart for 5m, exit 0', async () => {
    errorsFrom = Number.POSITIVE_INFINITY;
    stopsAt = Number.POSITIVE_INFINITY;
    const r = await watch(['--for', '5m', '--every', '1m']);
    expect(r.code).toBe(0);
    expect(r.lines).toHaveLength(6);
    // The window ends 5 minutes before the clock (floored): 00:00:37 -> 23:55.
    expect(r.lines[0]).toBe('watch: #1 2026-01-08T00:00:37.250Z: window to 2026-01-07T23:55:00Z: 1 passed; passing for 0s of 5m');
    expect(r.lines[5]).toBe('watch: #6 2026-01-08T00:05:37.250Z: window to 2026-01-08T00:00:00Z: 1 passed; every rule passed for 5m');
    // The final report is the usual one, for the last window: 10 minutes of 100 requests.
    expect(r.stdout).toContain('PASS  chat  error rate 0.00% <= 1.00%  requests 1,000  errors 0');
    expect(r.stdout).toContain('window 2026-01-07T23:50:00Z - 2026-01-08T00:00:00Z');
  });

  it('fails fast: errors from 23:58 enter the window at the 5th evaluation (window to 23:59): exit 1', async () => {
    errorsFrom = T0_MINUTE - 2 * MIN;
    stopsAt = Number.POSITIVE_INFINITY;
    const r = await watch(['--for', '15m', '--every', '1m']);
    expect(r.code).toBe(1);
    expect(r.lines).toHaveLength(5);
    expect(r.lines[3]).toBe('watch: #4 2026-01-08T00:03:37.250Z: window to 2026-01-07T23:58:00Z: 1 passed; passing for 3m of 15m');
    expect(r.lines[4]).toBe('watch: #5 2026-01-08T00:04:37.250Z: window to 2026-01-07T23:59:00Z: 1 failed; stopping: a rule failed');
    // 23:49-23:59: 900 requests without errors, then 50 of 100 at 23:58: 50 / 1,000 = 5%.
    expect(r.stdout).toContain('FAIL  chat  error rate 5.00% > 1.00%  requests 1,000  errors 50');
  });

  it('exits 3 when data stops arriving: the last bucket is 23:56; at the 13th evaluation the 10-minute window 23:57-00:07 holds no request', async () => {
    errorsFrom = Number.POSITIVE_INFINITY;
    stopsAt = T0_MINUTE - 3 * MIN; // buckets up to 23:56
    const r = await watch(['--for', '30m', '--every', '1m']);
    expect(r.code).toBe(3);
    const last = r.lines[r.lines.length - 1]!;
    expect(last).toBe(
      'watch: #13 2026-01-08T00:12:37.250Z: window to 2026-01-08T00:07:00Z: 1 not enough data; stopping: the data stopped arriving (no requests in the window, more than 10m before 2026-01-08T00:07:00Z)',
    );
    expect(r.lines[11]).toBe('watch: #12 2026-01-08T00:11:37.250Z: window to 2026-01-08T00:06:00Z: 1 passed; passing for 11m of 30m');
    expect(r.lines).toHaveLength(13);
  });

  it('Ctrl-C ends with 130 and the report of the last evaluation', async () => {
    errorsFrom = Number.POSITIVE_INFINITY;
    stopsAt = Number.POSITIVE_INFINITY;
    const r = await watch(['--for', '15m', '--every', '1m'], 2);
    expect(r.code).toBe(130);
    expect(r.lines).toEqual([
      'watch: #1 2026-01-08T00:00:37.250Z: window to 2026-01-07T23:55:00Z: 1 passed; passing for 0s of 15m',
      'watch: #2 2026-01-08T00:01:37.250Z: window to 2026-01-07T23:56:00Z: 1 passed; passing for 1m of 15m',
      'watch: interrupted: the report of the last evaluation follows',
    ]);
    expect(r.stdout).toContain('PASS  chat');
  });
});

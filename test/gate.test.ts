import { describe, expect, it } from 'vitest';
import { METRICS } from '../src/catalog/metrics.js';
import { resolveDimension } from '../src/catalog/resolve.js';
import { checkRule, checkRules, exceeds, formatObservedRate, formatRateThreshold, type GateRule, isRate, parseRate, type Rate } from '../src/core/gate.js';
import { DEFAULT_ERRORS, type MetricData, type RawPoint, type RawSeries } from '../src/core/model.js';

const chat = METRICS.find((m) => m.alias === 'chat')!;
const H = 3_600_000;
const T0 = Date.parse('2026-01-01T00:00:00Z');

function rate(text: string | number): Rate {
  const r = parseRate(text);
  if (!isRate(r)) throw new Error(r.error);
  return r;
}

/** Hourly counts from T0; null is a bucket without data (a point with no count key). */
function series(op: string | undefined, code: string | undefined, counts: (number | null)[]): RawSeries {
  const dimensions: Record<string, string> = {};
  if (op !== undefined) dimensions.operation = op;
  if (code !== undefined) {
    dimensions.statuscode = code;
    dimensions.statuscodeclass = `${code[0]}xx`;
  }
  return {
    dimensions,
    points: counts.map((c, i): RawPoint => (c === null ? { timestamp: T0 + i * H } : { timestamp: T0 + i * H, count: c, total: c })),
  };
}

function metric(series: RawSeries[], hours = 4, name = 'APIRequestChat'): MetricData {
  return { name, interval: 'PT1H', intervalMs: H, start: T0, end: T0 + hours * H, origin: 'test.json', series };
}

function rule(over: Partial<GateRule> = {}): GateRule {
  return {
    name: 'chat errors',
    level: 'error',
    metric: chat,
    filters: [],
    range: {},
    errors: DEFAULT_ERRORS,
    maxErrorRate: rate('1%'),
    minRequests: 1,
    perOperation: false,
    failOnNoData: false,
    ...over,
  };
}

/** One hour of SendChatMessage: `ok` successes and `failed` 503s. */
const oneHour = (ok: number, failed: number): MetricData => metric([series('SendChatMessage', '200', [ok]), series('SendChatMessage', '503', [failed])], 1);

describe('parseRate', () => {
  it('reads percents and fractions exactly', () => {
    expect(rate('1%')).toEqual({ ratio: 0.01, num: 1n, scale: 2 });
    expect(rate('0.01')).toEqual({ ratio: 0.01, num: 1n, scale: 2 });
    expect(rate(0.01)).toEqual({ ratio: 0.01, num: 1n, scale: 2 });
    expect(rate('0.5%')).toEqual({ ratio: 0.005, num: 5n, scale: 3 });
    expect(rate('1.50%')).toEqual({ ratio: 0.015, num: 15n, scale: 3 });
    expect(rate(' 2 %')).toEqual({ ratio: 0.02, num: 2n, scale: 2 });
    expect(rate('0%').ratio).toBe(0);
    expect(rate('100%').ratio).toBe(1);
    expect(rate(1e-7)).toEqual({ ratio: 1e-7, num: 1n, scale: 7 });
  });

  it('rejects what is not a rate with one line', () => {
    expect(parseRate('150%')).toEqual({ error: 'an error rate cannot be over 100%' });
    expect(parseRate('-1')).toEqual({ error: 'an error rate cannot be negative' });
    expect(parseRate('-1%')).toEqual({ error: 'an error rate cannot be negative' });
    expect(parseRate('abc')).toEqual({ error: 'expected a rate such as 1%, 0.5% or 0.01' });
    expect(parseRate('')).toEqual({ error: 'expected a rate such as 1%, 0.5% or 0.01' });
    expect(parseRate('1%%')).toEqual({ error: 'expected a rate such as 1%, 0.5% or 0.01' });
    expect(parseRate('1')).toEqual({ error: 'a bare number is a fraction (0.01 = 1%); did you mean 1%?' });
    expect(parseRate(5)).toEqual({ error: 'a bare number is a fraction (0.01 = 1%); did you mean 5%?' });
    expect(parseRate(Number.NaN)).toEqual({ error: 'expected a rate such as 1%, 0.5% or 0.01' });
  });
});

describe('exceeds and formatting', () => {
  it('compares counts with the threshold exactly: at the threshold passes', () => {
    const max = rate('1%');
    expect(exceeds(9, 1000, max)).toBe(false);
    expect(exceeds(10, 1000, max)).toBe(false);
    expect(exceeds(11, 1000, max)).toBe(true);
    // 0.3% is not exact in binary floating point; 3/1000 is exactly at it.
    expect(exceeds(3, 1000, rate('0.3%'))).toBe(false);
    expect(exceeds(3000001, 1e9, rate('0.3%'))).toBe(true);
    expect(exceeds(0, 0, max)).toBe(false);
    expect(exceeds(1, 1, rate('100%'))).toBe(false);
    expect(exceeds(1, 1000, rate('0%'))).toBe(true);
  });

  it('prints thresholds exactly and observed rates distinguishable from them', () => {
    expect(formatRateThreshold(rate('1%'))).toBe('1.00%');
    expect(formatRateThreshold(rate('0.01'))).toBe('1.00%');
    expect(formatRateThreshold(rate('0.125%'))).toBe('0.125%');
    expect(formatRateThreshold(rate('12.5%'))).toBe('12.50%');
    expect(formatRateThreshold(rate('100%'))).toBe('100.00%');
    expect(formatRateThreshold(rate('0%'))).toBe('0.00%');
    expect(formatObservedRate(11 / 1000, rate('1%'))).toBe('1.10%');
    expect(formatObservedRate(10 / 1000, rate('1%'))).toBe('1.00%');
    expect(formatObservedRate(10040 / 1_000_000, rate('1%'))).toBe('1.004%');
    expect(formatObservedRate(0.00001)).toBe('0.001%');
    expect(formatObservedRate(125 / 100_000, rate('0.125%'))).toBe('0.125%');
    expect(formatObservedRate(126 / 100_000, rate('0.125%'))).toBe('0.126%');
    expect(formatObservedRate(0)).toBe('0.00%');
    expect(formatObservedRate(null)).toBe('-');
  });
});

describe('checkRule: error rate from request counts', () => {
  it('9, 10 and 11 errors in 1,000 requests against 1%: pass, pass (at the threshold), fail', () => {
    const verdicts = [9, 10, 11].map((e) => checkRule(rule(), { metrics: [oneHour(1000 - e, e)] }));
    expect(verdicts.map((r) => [r.verdict, r.failsRun, r.requests, r.errors, r.errorRate])).toEqual([
      ['pass', false, 1000, 9, 0.009],
      ['pass', false, 1000, 10, 0.01],
      ['fail', true, 1000, 11, 0.011],
    ]);
    expect(verdicts[0]!.reason).toBe('error rate 0.90% <= 1.00%');
    expect(verdicts[1]!.reason).toBe('error rate 1.00% <= 1.00%');
    expect(verdicts[2]!.reason).toBe('error rate 1.10% > 1.00%');
    expect(verdicts[2]!.worstOperation).toEqual({ name: 'SendChatMessage', verdict: 'fail', requests: 1000, errors: 11, errorRate: 0.011 });
  });

  it('sums counts over the window instead of averaging bucket rates, with buckets without data', () => {
    // hour 0: 1,000 requests, 0 errors (0%); hour 1: no data at all; hour 2: 10 requests, 5 errors (50%);
    // hour 3: 990 requests, 5 errors (~0.5%). Counts: 10 / 2,000 = 0.5%. The mean of the bucket rates
    // would be (0 + 50 + 0.505) / 3 = 16.8%, a fail; the gate passes.
    const data = metric([series('SendChatMessage', '200', [1000, null, 5, 985]), series('SendChatMessage', '503', [null, null, 5, 5])]);
    const r = checkRule(rule(), { metrics: [data] });
    expect([r.verdict, r.requests, r.errors, r.errorRate]).toEqual(['pass', 2000, 10, 0.005]);
    expect(r.window).toEqual({ start: T0, end: T0 + 4 * H });

    // --since 2h: hours 2 and 3 only: 10 / 1,000 = 1%: exactly at the threshold.
    const last2h = checkRule(rule({ range: { sinceMs: 2 * H } }), { metrics: [data] });
    expect([last2h.verdict, last2h.requests, last2h.errors, last2h.errorRate]).toEqual(['pass', 1000, 10, 0.01]);
    // --since 3h starts at the empty hour 1: the same counts.
    expect(checkRule(rule({ range: { sinceMs: 3 * H } }), { metrics: [data] }).errorRate).toBe(0.01);
    // Hour 2 alone: 5 / 10 = 50%.
    const hour2 = checkRule(rule({ range: { start: T0 + 2 * H, end: T0 + 3 * H } }), { metrics: [data] });
    expect([hour2.verdict, hour2.requests, hour2.errors]).toEqual(['fail', 10, 5]);
  });

  it('counts what --errors defines: 5xx only, or 5xx and 429', () => {
    const data = metric(
      [
        series('GetChatMessage', '200', [980]),
        series('GetChatMessage', '429', [12]),
        series('GetChatMessage', '404', [3]),
        series('GetChatMessage', '503', [5]),
      ],
      1,
    );
    const all = checkRule(rule(), { metrics: [data] });
    expect([all.errors, all.verdict]).toEqual([20, 'fail']);
    const only5xx = checkRule(rule({ errors: { classes: ['5xx'], codes: [] } }), { metrics: [data] });
    expect([only5xx.errors, only5xx.verdict]).toEqual([5, 'pass']);
    const with429 = checkRule(rule({ errors: { classes: ['5xx'], codes: ['429'] } }), { metrics: [data] });
    expect([with429.errors, with429.verdict, with429.reason]).toEqual([17, 'fail', 'error rate 1.70% > 1.00%']);
  });

  it('names the worst operation among those with enough requests', () => {
    const data = metric(
      [
        series('SendChatMessage', '200', [990]),
        series('SendChatMessage', '500', [10]),
        series('GetChatMessage', '200', [95]),
        series('GetChatMessage', '500', [5]),
        series('DeleteChatThread', '500', [2]),
      ],
      1,
    );
    const r = checkRule(rule({ minRequests: 50, maxErrorRate: rate('5%') }), { metrics: [data] });
    expect(r.worstOperation?.name).toBe('GetChatMessage');
    expect(r.worstOperation?.errorRate).toBe(0.05);
    expect(r.operations.map((o) => [o.name, o.verdict])).toEqual([
      ['DeleteChatThread', 'no-data'],
      ['GetChatMessage', 'pass'],
      ['SendChatMessage', 'pass'],
    ]);
    // 17 / 1,102 = 1.54%
    expect(r.errors).toBe(17);
    expect(r.requests).toBe(1102);
  });
});

describe('checkRule: not enough data, volume, levels', () => {
  it('fewer requests than minRequests is no-data, which fails only with failOnNoData', () => {
    const data = { metrics: [oneHour(40, 9)] }; // 49 requests, 18% errors
    const r = checkRule(rule({ minRequests: 50 }), data);
    expect([r.verdict, r.failsRun, r.requests, r.errors]).toEqual(['no-data', false, 49, 9]);
    expect(r.reason).toBe('not enough data: 49 requests, min-requests 50');
    expect(checkRule(rule({ minRequests: 50, failOnNoData: true }), data).failsRun).toBe(true);
    expect(checkRule(rule({ minRequests: 50, failOnNoData: true, level: 'warn' }), data).failsRun).toBe(false);
    expect(checkRule(rule({ minRequests: 49 }), data).verdict).toBe('fail');
  });

  it('a window without data has zero requests: no-data by default, never a pass', () => {
    const data = metric([series('SendChatMessage', '200', [null, null, 100, 100])]);
    const r = checkRule(rule({ range: { start: T0, end: T0 + 2 * H } }), { metrics: [data] });
    expect([r.verdict, r.requests, r.errors, r.errorRate]).toEqual(['no-data', 0, 0, null]);
    expect(r.reason).toBe('not enough data: 0 requests, min-requests 1');
    const empty = checkRule(rule(), { metrics: [metric([])] });
    expect(empty.verdict).toBe('no-data');
  });

  it('checks volume bounds on all requests of the window', () => {
    const data = { metrics: [oneHour(95, 5)] };
    expect(checkRule(rule({ maxErrorRate: undefined, minTotal: 101 }), data).reason).toBe('requests 100 < min-total 101');
    expect(checkRule(rule({ maxErrorRate: undefined, minTotal: 100 }), data).verdict).toBe('pass');
    expect(checkRule(rule({ maxErrorRate: undefined, maxTotal: 99 }), data).reason).toBe('requests 100 > max-total 99');
    expect(checkRule(rule({ maxErrorRate: undefined, maxTotal: 100 }), data).verdict).toBe('pass');
    // Traffic vanished: zero requests is below any min-total, even when the rate is "not enough data".
    const quiet = { metrics: [metric([series('SendChatMessage', '200', [null, null, 100, 100])])] };
    const none = checkRule(rule({ minTotal: 1, range: { start: T0, end: T0 + 2 * H } }), quiet);
    expect([none.verdict, none.reason]).toEqual(['fail', 'requests 0 < min-total 1; not enough data: 0 requests, min-requests 1']);
    // A window the data does not cover at all cannot tell: an error (exit 3), never a pass or a fail.
    const outside = checkRule(rule({ minTotal: 1, range: { start: T0 - 2 * H, end: T0 } }), data);
    expect([outside.verdict, outside.reason]).toEqual([
      'error',
      'test.json: no APIRequestChat data in the window 2025-12-31T22:00:00Z to 2026-01-01T00:00:00Z: the data covers 2026-01-01T00:00:00Z to 2026-01-01T01:00:00Z',
    ]);
  });

  it('a warn-level rule that fails is a warning and does not fail the run', () => {
    const out = checkRules([rule({ level: 'warn' }), rule({ name: 'b', maxErrorRate: rate('10%') })], { metrics: [oneHour(900, 20)] });
    expect(out.results.map((r) => [r.verdict, r.failsRun])).toEqual([
      ['warn', false],
      ['pass', false],
    ]);
    expect([out.passed, out.exitCode]).toEqual([true, 0]);
  });

  it('exit codes: 1 when an error-level rule fails, 3 when a rule cannot be evaluated', () => {
    const data = { metrics: [oneHour(900, 20)] };
    expect(checkRules([rule()], data).exitCode).toBe(1);
    const sms = METRICS.find((m) => m.alias === 'sms')!;
    const out = checkRules([rule(), rule({ name: 'sms', metric: sms })], data);
    expect(out.results.map((r) => r.verdict)).toEqual(['fail', 'error']);
    expect(out.results[1]!.reason).toBe('test.json: no data for sms (APIRequestSMS); the data holds APIRequestChat');
    expect([out.passed, out.exitCode]).toEqual([false, 3]);
  });
});

describe('checkRule: data that cannot answer', () => {
  it('no status dimension: the error rate cannot be told (verdict error), volume still can', () => {
    const data = { metrics: [metric([series('SendChatMessage', undefined, [500, 500])])] };
    const r = checkRule(rule(), data);
    expect([r.verdict, r.failsRun]).toEqual(['error', true]);
    expect(r.reason).toBe('APIRequestChat data has no StatusSubClass or StatusCode dimension, so errors cannot be counted; use data split by StatusSubClass');
    const volume = checkRule(rule({ maxErrorRate: undefined, minTotal: 1000 }), data);
    expect([volume.verdict, volume.requests, volume.errors]).toEqual(['pass', 1000, null]);
  });

  it('a metric that failed in the response is an error', () => {
    const failed: MetricData = { ...oneHour(10, 0), errorCode: 'Throttled', errorMessage: 'slow down' };
    const r = checkRule(rule(), { metrics: [failed] });
    expect([r.verdict, r.reason]).toEqual(['error', 'test.json: APIRequestChat failed: Throttled: slow down']);
  });

  it('data not split by Operation still answers a whole-metric rule, without a worst operation', () => {
    const data = { metrics: [metric([series(undefined, '200', [990]), series(undefined, '500', [20])], 1)] };
    const r = checkRule(rule(), data);
    expect([r.verdict, r.requests, r.errors, r.worstOperation, r.operations]).toEqual(['fail', 1010, 20, null, []]);
    expect(r.notes).toEqual(['APIRequestChat data is not split by Operation: no worst operation for "chat errors"']);
    const perOp = checkRule(rule({ perOperation: true }), data);
    expect(perOp.verdict).toBe('error');
    expect(perOp.reason).toContain('not split by Operation');
  });
});

describe('checkRule: per operation', () => {
  // SendChatMessage 5 / 1,000 = 0.5%; GetChatMessage 3 / 100 = 3%; DeleteChatThread 4 / 4 = 100%.
  // All together: 12 / 1,104 = 1.09%.
  const data = {
    metrics: [
      metric(
        [
          series('SendChatMessage', '200', [995]),
          series('SendChatMessage', '500', [5]),
          series('GetChatMessage', '200', [97]),
          series('GetChatMessage', '429', [3]),
          series('DeleteChatThread', '500', [4]),
        ],
        1,
      ),
    ],
  };

  it('applies the threshold to each operation with enough requests', () => {
    const r = checkRule(rule({ perOperation: true, minRequests: 50, maxErrorRate: rate('2%') }), data);
    expect(r.verdict).toBe('fail');
    expect(r.reason).toBe('GetChatMessage error rate 3.00% > 2.00%');
    expect(r.operations.map((o) => [o.name, o.verdict, o.requests, o.errors])).toEqual([
      ['DeleteChatThread', 'no-data', 4, 4],
      ['GetChatMessage', 'fail', 100, 3],
      ['SendChatMessage', 'pass', 1000, 5],
    ]);
    // The whole metric: 12 / 1,104 = 1.09%, under 2%: only the per-operation check fails.
    expect(checkRule(rule({ minRequests: 50, maxErrorRate: rate('2%') }), data).verdict).toBe('pass');
  });

  it('passes when every operation with enough requests is under the threshold', () => {
    const r = checkRule(rule({ perOperation: true, minRequests: 50, maxErrorRate: rate('3%') }), data);
    expect([r.verdict, r.reason]).toEqual(['pass', 'every operation <= 3.00% (2 checked, 1 below min-requests)']);
  });

  it('counts several failing operations and is no-data when no operation has enough requests', () => {
    const r = checkRule(rule({ perOperation: true, minRequests: 1, maxErrorRate: rate('1%') }), data);
    expect(r.reason).toBe('DeleteChatThread error rate 100.00% > 1.00% (and 1 more operation)');
    const none = checkRule(rule({ perOperation: true, minRequests: 500, maxErrorRate: rate('1%') }), {
      metrics: [metric([series('SendChatMessage', '200', [300]), series('GetChatMessage', '200', [300])], 1)],
    });
    expect([none.verdict, none.reason]).toEqual(['no-data', 'not enough data: no operation has min-requests 500']);
  });

  it('narrows to the filtered operations', () => {
    const op = resolveDimension(chat, 'Operation');
    const r = checkRule(rule({ filters: [{ dimension: op, values: ['GetChatMessage'] }] }), data);
    expect([r.verdict, r.requests, r.errors]).toEqual(['fail', 100, 3]);
  });
});

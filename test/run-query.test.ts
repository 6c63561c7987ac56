import { describe, expect, it } from 'vitest';
import { AGGREGATIONS } from '../src/catalog/aggregations.js';
import { METRICS } from '../src/catalog/metrics.js';
import { resolveDimension } from '../src/catalog/resolve.js';
import type { AggregationKey } from '../src/catalog/types.js';
import { DEFAULT_ERRORS, type MetricData, type Query, type RawPoint } from '../src/core/model.js';
import { runQuery } from '../src/core/run-query.js';

const chat = METRICS.find((m) => m.alias === 'chat')!;
const H = 3_600_000;
const T0 = Date.parse('2026-01-01T00:00:00Z');
const agg = (key: AggregationKey) => AGGREGATIONS.find((a) => a.key === key)!;

/** Hourly counts from T0; null leaves the bucket without data. */
function series(op: string, code: string, counts: (number | null)[]) {
  return {
    dimensions: { operation: op, statuscode: code, statuscodeclass: `${code[0]}xx` },
    points: counts.map((c, i): RawPoint => (c === null ? { timestamp: T0 + i * H } : { timestamp: T0 + i * H, count: c, total: c })),
  };
}

const data: MetricData = {
  name: 'APIRequestChat',
  interval: 'PT1H',
  intervalMs: H,
  start: T0,
  end: T0 + 4 * H,
  origin: 'test.json',
  series: [
    series('SendChatMessage', '201', [10, 20, 30, 40]),
    series('SendChatMessage', '503', [0, 5, null, 0]),
    series('GetChatMessage', '200', [7, 7, 7, 7]),
    series('GetChatMessage', '429', [1, 0, 0, 3]),
  ],
};

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

describe('runQuery', () => {
  it('collapses status dimensions and totals per operation with error counts', () => {
    const r = runQuery(query(), { metrics: [data] });
    expect(r.interval).toBe('PT1H');
    expect(r.start).toBe(T0);
    expect(r.end).toBe(T0 + 4 * H);
    // SendChatMessage: 100 successes + 5 failures; GetChatMessage: 28 + 4.
    expect(r.series.map((s) => [s.dimensions.Operation, s.total, s.requests, s.errors])).toEqual([
      ['SendChatMessage', 105, 105, 5],
      ['GetChatMessage', 32, 32, 4],
    ]);
    expect(r.series[0]!.points.map((p) => p.value)).toEqual([10, 25, 30, 40]);
    expect(r.total).toBe(137);
    expect(r.errors).toBe(9);
    expect(r.notes).toEqual([]);
  });

  it('re-buckets hourly data into two-hour buckets', () => {
    const r = runQuery(query({ splitBy: [], interval: { kind: 'fixed', ms: 2 * H, iso: 'PT2H' } }), { metrics: [data] });
    // hours 0+1: 10+0+20+5+7+7+1+0 = 50; hours 2+3: 30+40+7+7+0+3 = 87
    expect(r.timestamps).toEqual([T0, T0 + 2 * H]);
    expect(r.series).toHaveLength(1);
    expect(r.series[0]!.points.map((p) => p.value)).toEqual([50, 87]);
    expect(r.series[0]!.dimensions).toEqual({});
  });

  it('keeps a bucket without data as null, never zero', () => {
    const r = runQuery(
      query({ filters: [{ dimension: resolveDimension(chat, 'statuscode'), values: ['503'] }], splitBy: [resolveDimension(chat, 'StatusCode')] }),
      { metrics: [data] },
    );
    expect(r.series[0]!.points.map((p) => p.value)).toEqual([0, 5, null, 0]);
    expect(r.series[0]!.total).toBe(5);
    expect(r.series[0]!.errors).toBe(5);
  });

  it('filters by operation ignoring case and spaces', () => {
    const r = runQuery(query({ filters: [{ dimension: resolveDimension(chat, 'Operation'), values: ['get chat message'] }] }), {
      metrics: [data],
    });
    expect(r.series.map((s) => s.dimensions.Operation)).toEqual(['GetChatMessage']);
    expect(r.total).toBe(32);
  });

  it('counts --since back from the end of the data', () => {
    const r = runQuery(query({ range: { sinceMs: 2 * H } }), { metrics: [data] });
    expect(r.start).toBe(T0 + 2 * H);
    // SendChatMessage: 30+40+0 (null, 0); GetChatMessage: 7+7+0+3
    expect(r.series.map((s) => s.total)).toEqual([70, 17]);
  });

  it('counts --since back from now for live data and notes the late last bucket', () => {
    const r = runQuery(query({ range: { sinceMs: 2 * H }, splitBy: [] }), { metrics: [data], anchor: T0 + 4 * H });
    expect(r.start).toBe(T0 + 2 * H);
    expect(r.notes).toEqual(['the last bucket (2026-01-01T03:00:00Z) may be incomplete: Azure Monitor data arrives a few minutes late']);
  });

  it('keeps the top N series and says how many were left out', () => {
    const r = runQuery(query({ splitBy: [resolveDimension(chat, 'StatusCode')], top: 2 }), { metrics: [data] });
    expect(r.series.map((s) => [s.dimensions.StatusCode, s.total])).toEqual([
      ['201', 100],
      ['200', 28],
    ]);
    expect(r.omittedSeries).toBe(2);
    expect(r.total).toBe(137);
    expect(r.notes).toContain('2 series left out by --top 2 (the totals include them)');
  });

  it('weights averages by count when series are collapsed', () => {
    const m: MetricData = {
      ...data,
      series: [
        { dimensions: { operation: 'A' }, points: [{ timestamp: T0, count: 2, total: 10, average: 5 }] },
        { dimensions: { operation: 'B' }, points: [{ timestamp: T0, count: 8, total: 8, average: 1 }] },
      ],
      end: T0 + H,
    };
    const r = runQuery(query({ aggregation: agg('average'), splitBy: [] }), { metrics: [m] });
    expect(r.series[0]!.points[0]!.value).toBe(1.8);
    expect(r.total).toBe(1.8);
    expect(r.errors).toBeNull();
  });

  it('counts 429 as an error only when the definition says so', () => {
    const r = runQuery(query({ errors: { classes: ['5xx'], codes: ['429'] }, splitBy: [] }), { metrics: [data] });
    expect(r.errors).toBe(9);
    const only5xx = runQuery(query({ errors: { classes: ['5xx'], codes: [] }, splitBy: [] }), { metrics: [data] });
    expect(only5xx.errors).toBe(5);
  });

  it('says which dimension the data lacks', () => {
    const bare: MetricData = { ...data, series: [{ dimensions: { operation: 'SendChatMessage' }, points: [{ timestamp: T0, count: 1 }] }] };
    expect(() => runQuery(query({ splitBy: [resolveDimension(chat, 'StatusCode')] }), { metrics: [bare] })).toThrow(
      "test.json: the APIRequestChat data is not split by StatusCode, so the query cannot filter or split by it (the data's dimensions: Operation)",
    );
  });

  it('names the metrics the data holds when the queried one is absent', () => {
    const sms = METRICS.find((m) => m.alias === 'sms')!;
    expect(() => runQuery(query({ metric: sms }), { metrics: [data] })).toThrow('test.json: no data for sms (APIRequestSMS); the data holds APIRequestChat');
  });

  it('reports a metric that failed inside the response', () => {
    const failed: MetricData = { ...data, errorCode: 'InvalidSamplingType', errorMessage: 'bad aggregation', series: [] };
    expect(() => runQuery(query(), { metrics: [failed] })).toThrow('test.json: APIRequestChat failed: InvalidSamplingType: bad aggregation');
  });

  it('refuses an interval finer than the data', () => {
    expect(() => runQuery(query({ interval: { kind: 'fixed', ms: 300_000, iso: 'PT5M' } }), { metrics: [data] })).toThrow(
      "--interval PT5M does not fit the data's PT1H buckets: use PT1H or a multiple of it",
    );
  });

  it('gives one bucket for FULL', () => {
    const r = runQuery(query({ interval: { kind: 'full' }, splitBy: [] }), { metrics: [data] });
    expect(r.interval).toBe('FULL');
    expect(r.timestamps).toEqual([T0]);
    expect(r.series[0]!.points).toEqual([{ timestamp: T0, value: 137 }]);
  });

  it('notes a partial last bucket when the window runs past the data', () => {
    const r = runQuery(query({ interval: { kind: 'fixed', ms: 3 * H, iso: 'PT3H' }, splitBy: [] }), { metrics: [data] });
    expect(r.timestamps).toEqual([T0, T0 + 3 * H]);
    expect(r.series[0]!.points.map((p) => p.value)).toEqual([87, 50]);
    expect(r.notes).toEqual(['the last bucket (2026-01-01T03:00:00Z) is shorter than PT3H: it ends with the window at 2026-01-01T04:00:00Z']);
  });

  it('reads a lone point without interval or timespan as one bucket', () => {
    const lone: MetricData = {
      name: 'APIRequestChat',
      intervalMs: null,
      origin: 'lone.json',
      series: [{ dimensions: { operation: 'GetChatMessage' }, points: [{ timestamp: T0, count: 4 }] }],
    };
    const r = runQuery(query({ splitBy: [] }), { metrics: [lone] });
    expect(r.interval).toBe('FULL');
    expect(r.series[0]!.points).toEqual([{ timestamp: T0, value: 4 }]);
    expect(r.notes).toEqual(['the data holds one value per series for its whole timespan (FULL); showing one bucket']);
  });
});

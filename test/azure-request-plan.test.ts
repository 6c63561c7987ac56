import { describe, expect, it } from 'vitest';
import { query } from './helpers/query.js';
import { buildFilter, odataString } from '../src/sources/azure/filter.js';
import { azureGrain, MAX_TOP, planRequests, splitWindow, timespan } from '../src/sources/azure/request-plan.js';

const NOW = Date.parse('2026-01-08T00:00:00Z');
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

describe('filter', () => {
  it('quotes values OData-style, doubling single quotes', () => {
    expect(odataString("O'Brien")).toBe("'O''Brien'");
    expect(buildFilter([{ dimension: 'Operation', values: ["a'b", 'c'] }, { dimension: 'StatusCodeClass' }])).toBe(
      "(Operation eq 'a''b' or Operation eq 'c') and StatusCodeClass eq '*'",
    );
    expect(buildFilter([{ dimension: 'StatusCode', values: ['429'] }])).toBe("StatusCode eq '429'");
  });
});

describe('planRequests', () => {
  it('asks for the query aggregation and Count, split by the query dimensions and the status class', () => {
    const [plan] = planRequests([query('chat')], NOW);
    expect(plan).toMatchObject({
      metricnames: 'APIRequestChat',
      metricnamespace: 'Microsoft.Communication/CommunicationServices',
      aggregation: 'Count',
      interval: 'PT15M',
      filter: "Operation eq '*' and StatusCodeClass eq '*'",
      top: 17 * 5,
      orderby: 'Count desc',
    });
    expect(plan!.windows).toEqual([{ start: NOW - DAY, end: NOW }]);
    expect(timespan(plan!.window)).toBe('2026-01-07T00:00:00.000Z/2026-01-08T00:00:00.000Z');
  });

  it('adds Total for averages so that they can be weighted, and orders by the query aggregation', () => {
    const [plan] = planRequests([query('chat', { agg: 'avg' })], NOW);
    expect(plan!.aggregation).toBe('Count,Total,Average');
    expect(plan!.orderby).toBe('Average desc');
  });

  it("uses Job Router's REST dimension names", () => {
    const [plan] = planRequests([query('router', { where: [['Operation', ['UpsertJob', 'GetJob']]], split: [] })], NOW);
    expect(plan!.filter).toBe("(OperationName eq 'UpsertJob' or OperationName eq 'GetJob') and StatusCodeSubClass eq '*'");
    expect(plan!.top).toBe(2 * 5);
  });

  it('splits by StatusCode when the error definition lists codes, without multiplying top by the classes', () => {
    const [plan] = planRequests([query('chat', { errors: { classes: ['5xx'], codes: ['429'] } })], NOW);
    expect(plan!.filter).toBe("Operation eq '*' and StatusCode eq '*' and StatusCodeClass eq '*'");
    expect(plan!.top).toBe(17 * 60);
  });

  it('never asks for fewer than 10 series and caps top', () => {
    const [small] = planRequests([query('chat', { split: [], where: [['StatusSubClass', ['5xx']]] })], NOW);
    expect(small!.filter).toBe("StatusCodeClass eq '5xx'");
    expect(small!.top).toBe(10);
    const [big] = planRequests([query('sms', { split: ['Operation', 'StatusCode', 'Country', 'NumberType'] })], NOW);
    expect(big!.top).toBe(MAX_TOP);
  });

  it('uses 100 as the guess for dimensions with unknown values (Call Recording operations)', () => {
    const [plan] = planRequests([query('recording')], NOW);
    expect(plan!.top).toBe(100 * 5);
  });

  it('asks for FULL as FULL, fixed Azure grains as they are, and the largest dividing Azure grain otherwise', () => {
    expect(planRequests([query('chat', { interval: { kind: 'full' } })], NOW)[0]!.interval).toBe('FULL');
    expect(planRequests([query('chat', { interval: { kind: 'fixed', ms: HOUR, iso: 'PT1H' } })], NOW)[0]!.interval).toBe('PT1H');
    expect(planRequests([query('chat', { interval: { kind: 'fixed', ms: 2 * HOUR, iso: 'PT2H' } })], NOW)[0]!.interval).toBe('PT1H');
    expect(planRequests([query('chat', { interval: { kind: 'fixed', ms: 45 * 60_000, iso: 'PT45M' } })], NOW)[0]!.interval).toBe('PT15M');
    expect(azureGrain(90_000)).toBe(60_000);
    expect(azureGrain(null)).toBeNull();
  });

  it('fetches ranges over 30 days in windows of at most 30 days', () => {
    const [plan] = planRequests([query('rooms', { range: { sinceMs: 75 * DAY } })], NOW);
    expect(plan!.windows).toEqual([
      { start: NOW - 75 * DAY, end: NOW - 45 * DAY },
      { start: NOW - 45 * DAY, end: NOW - 15 * DAY },
      { start: NOW - 15 * DAY, end: NOW },
    ]);
    expect(splitWindow({ start: 0, end: 30 * DAY })).toHaveLength(1);
  });

  it('asks for days instead of FULL when a FULL window needs several requests', () => {
    expect(planRequests([query('rooms', { interval: { kind: 'full' }, range: { sinceMs: 40 * DAY } })], NOW)[0]!.interval).toBe('P1D');
  });

  it('refuses a start more than 93 days ago, naming the retention', () => {
    expect(() => planRequests([query('chat', { range: { sinceMs: 94 * DAY } })], NOW)).toThrow(
      'the window starts at 2025-10-06T00:00:00Z, more than 93 days ago: Azure Monitor keeps platform metrics for 93 days (earliest start now: 2025-10-07T00:00:00Z)',
    );
    expect(() => planRequests([query('chat', { range: { sinceMs: 93 * DAY } })], NOW)).not.toThrow();
  });

  it('refuses an empty window', () => {
    expect(() => planRequests([query('chat', { range: { start: NOW, end: NOW } })], NOW)).toThrow('is empty');
  });

  it('gives one request group per metric, asking for what every query on it needs', () => {
    const a = query('chat', { where: [['Operation', ['SendChatMessage']]], split: [] });
    const b = query('chat', {
      where: [['StatusCode', ['429']]],
      split: [],
      agg: 'max',
      range: { sinceMs: 2 * DAY },
      interval: { kind: 'fixed', ms: HOUR, iso: 'PT1H' },
    });
    const c = query('router');
    const plans = planRequests([a, b, c], NOW);
    expect(plans.map((p) => p.metricnames)).toEqual(['APIRequestChat', 'ApiRequestRouter']);
    const chat = plans[0]!;
    expect(chat.queries).toEqual([a, b]);
    // Operation is filtered by one query only, StatusCode by the other: both become splits.
    expect(chat.filter).toBe("Operation eq '*' and StatusCode eq '*' and StatusCodeClass eq '*'");
    expect(chat.aggregation).toBe('Count,Maximum');
    expect(chat.window).toEqual({ start: NOW - 2 * DAY, end: NOW });
    // PT15M (auto over a day) and PT1H: the largest grain dividing both.
    expect(chat.interval).toBe('PT15M');
  });

  it('picks a grain on which every query window of the group starts and ends, so no window is widened', () => {
    const a = query('chat', { range: { sinceMs: 2000 * 60_000 } });
    const b = query('chat', { range: { sinceMs: 7 * DAY } });
    const [plan] = planRequests([a, b], NOW);
    // PT15M (auto over 2000 minutes) and PT1H (over 7 days) would fit PT15M, but the 2000-minute window starts
    // 8,080 minutes after the 7-day one: only PT5M (and PT1M) divide that.
    expect(plan!.interval).toBe('PT5M');
    const grain = 5 * 60_000;
    expect((plan!.window.end - 2000 * 60_000 - plan!.window.start) % grain).toBe(0);
  });

  it('keeps a value filter when every query of the group filters that dimension', () => {
    const a = query('chat', { where: [['Operation', ['SendChatMessage']]] });
    const b = query('chat', { where: [['Operation', ['GetChatThread', 'sendchatmessage']]] });
    expect(planRequests([a, b], NOW)[0]!.filter).toBe("(Operation eq 'SendChatMessage' or Operation eq 'GetChatThread') and StatusCodeClass eq '*'");
  });
});

describe('planRequests: the Resource dimension', () => {
  it('never sends Resource to Azure: a split or filter by it asks for the same request as without it', () => {
    const [plain] = planRequests([query('chat', { split: ['Operation'] })], NOW);
    const [withResource] = planRequests([query('chat', { split: ['Resource', 'Operation'], where: [['Resource', ['acs-a']]] })], NOW);
    expect(withResource!.filter).toBe("Operation eq '*' and StatusCodeClass eq '*'");
    expect(withResource!.filter).toBe(plain!.filter);
    expect(withResource!.top).toBe(plain!.top);
  });
});

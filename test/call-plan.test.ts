/** The calls of an estate run under the batch API's limits (call-plan.ts), and the quotas a plan meets (core/dry-run.ts). */
import { describe, expect, it } from 'vitest';
import { type CallPlan, quotaChecks } from '../src/core/dry-run.js';
import { groupOf } from '../src/sources/azure/batch-plan.js';
import { batchCalls, capGroups, idsPerCall, sendOrder, seriesPerResource, summarize } from '../src/sources/azure/call-plan.js';
import type { RequestPlan } from '../src/sources/azure/request-plan.js';
import type { ResourceInfo } from '../src/sources/azure/resource-info.js';

const DAY = 86_400_000;
const windows = [
  { start: 0, end: 30 * DAY },
  { start: 30 * DAY, end: 45 * DAY },
];
/** A request plan with what the call plan reads: the name, top, filter and windows. */
const plan = (name: string, top: number, filter = "Operation eq '*'"): RequestPlan =>
  ({ metricnames: name, metricnamespace: 'ns', aggregation: 'Count', interval: 'PT1H', filter, top, orderby: 'Count desc', windows }) as unknown as RequestPlan;
const resource = (sub: string, i: number): ResourceInfo => ({
  resource: {
    id: `subscriptions/${sub}/resourceGroups/rg/providers/Microsoft.Communication/CommunicationServices/acs-${i}`,
    subscription: sub,
    resourceGroup: 'rg',
    name: `acs-${i}`,
  },
  location: 'global',
  dataLocation: '',
  tags: {},
});
const S1 = '00000000-0000-4000-8000-000000000001';
const S2 = '00000000-0000-4000-8000-000000000002';

describe('send order', () => {
  it('takes subscriptions in turn, the one with the most calls first, each resource batch with every group and window together', () => {
    const S3 = '00000000-0000-4000-8000-000000000003';
    const resources = [
      ...Array.from({ length: 60 }, (_, i) => resource(S1, i)),
      ...Array.from({ length: 120 }, (_, i) => resource(S3, i)),
      ...Array.from({ length: 10 }, (_, i) => resource(S2, i)),
    ];
    const groups = [groupOf([plan('a', 85)]), groupOf([plan('c', 85)])];
    const calls = batchCalls(resources, groups);
    const ordered = sendOrder(calls);
    // S3: 3 batches x 2 groups x 2 windows (the most calls), S1 2 batches, S2 1: in turn, S3 first in each round.
    const order = [
      ['3:acs-0:0:0', '3:acs-0:0:1', '3:acs-0:1:0', '3:acs-0:1:1', '3:acs-50:0:0', '3:acs-50:0:1', '3:acs-50:1:0', '3:acs-50:1:1'],
      ['3:acs-100:0:0', '3:acs-100:0:1', '3:acs-100:1:0', '3:acs-100:1:1'],
    ].flat();
    const s1 = ['1:acs-0:0:0', '1:acs-0:0:1', '1:acs-0:1:0', '1:acs-0:1:1', '1:acs-50:0:0', '1:acs-50:0:1', '1:acs-50:1:0', '1:acs-50:1:1'];
    const s2 = ['2:acs-0:0:0', '2:acs-0:0:1', '2:acs-0:1:0', '2:acs-0:1:1'];
    const expected = order.flatMap((c, round) => [c, ...(round < s1.length ? [s1[round]!] : []), ...(round < s2.length ? [s2[round]!] : [])]);
    expect(ordered.map((c) => `${c.subscription.slice(-1)}:${c.resources[0]!.resource.name}:${c.gi}:${c.wi}`)).toEqual(expected);
    // The same calls, each once.
    expect(new Set(ordered)).toEqual(new Set(calls));
    expect(ordered).toHaveLength(calls.length);
  });
});

describe('series per call', () => {
  it('counts each metric top when split, one series when not', () => {
    expect(seriesPerResource(groupOf([plan('a', 85), plan('b', 300)]))).toBe(385);
    expect(seriesPerResource(groupOf([plan('a', 85, ''), plan('b', 300, '')]))).toBe(2);
  });

  it('keeps 50 ids a call under the cap, fewer above it', () => {
    expect(idsPerCall(groupOf([plan('a', 85)]))).toBe(50);
    // 2 x 10,000 series a resource: 500,000 / 20,000 = 25.
    expect(idsPerCall(groupOf([plan('a', 10_000), plan('b', 10_000)]))).toBe(25);
    // 3 x 10,000: 16 resources (480,000), not 17 (510,000).
    expect(idsPerCall(groupOf([plan('a', 10_000), plan('b', 10_000), plan('c', 10_000)]))).toBe(16);
    expect(idsPerCall(groupOf([plan('a', 10_000)]), 5_000)).toBe(1);
  });

  it('splits a group whose one resource would pass the cap, metrics in order', () => {
    const g = groupOf(['a', 'b', 'c', 'd', 'e'].map((n) => plan(n, 10_000)));
    expect(capGroups([g])).toEqual([g]);
    const split = capGroups([g], 25_000);
    expect(split.map((x) => [x.metricnames, x.top])).toEqual([
      ['a,b', 10_000],
      ['c,d', 10_000],
      ['e', 10_000],
    ]);
  });

  it('batch calls per group, subscription and window, each under the cap', () => {
    const resources = [...Array.from({ length: 70 }, (_, i) => resource(S1, i)), ...Array.from({ length: 50 }, (_, i) => resource(S2, i))];
    const groups = [groupOf([plan('a', 10_000), plan('b', 10_000)]), groupOf([plan('c', 85)])];
    const calls = batchCalls(resources, groups);
    // Group 0: 25 ids a call: S1 25+25+20, S2 25+25; group 1: S1 50+20, S2 50; each in 2 windows.
    expect(calls.map((c) => `${c.gi}:${c.subscription.slice(-1)}:${c.resources.length}:${c.wi}`)).toEqual([
      '0:1:25:0',
      '0:1:25:1',
      '0:1:25:0',
      '0:1:25:1',
      '0:1:20:0',
      '0:1:20:1',
      '0:2:25:0',
      '0:2:25:1',
      '0:2:25:0',
      '0:2:25:1',
      '1:1:50:0',
      '1:1:50:1',
      '1:1:20:0',
      '1:1:20:1',
      '1:2:50:0',
      '1:2:50:1',
    ]);
    expect(Math.max(...calls.map((c) => c.series))).toBe(500_000);
    expect(summarize(resources, groups, true)).toEqual([
      { subscription: S1, resources: 70, batchCalls: 10, perResourceCalls: 0, fallbackCalls: 280, largestBatch: 50, largestSeries: 500_000 },
      { subscription: S2, resources: 50, batchCalls: 6, perResourceCalls: 0, fallbackCalls: 200, largestBatch: 50, largestSeries: 500_000 },
    ]);
    expect(summarize(resources, groups, false).map((s) => [s.batchCalls, s.perResourceCalls, s.fallbackCalls])).toEqual([
      [0, 280, 0],
      [0, 200, 0],
    ]);
  });
});

describe('quotas', () => {
  const base: CallPlan = { graphPages: 1, lookupPages: 0, discovered: true, resources: 1, path: 'batch', groups: 1, windows: 1, subscriptions: [] };
  const sub = (perResourceCalls: number, fallbackCalls = 0) => ({
    subscription: S1,
    resources: 1,
    batchCalls: 0,
    perResourceCalls,
    fallbackCalls,
    largestBatch: 0,
    largestSeries: 0,
  });

  it('Resource Graph past 15 pages waits for the quota', () => {
    const [graph] = quotaChecks({ ...base, graphPages: 31 });
    expect(graph).toEqual({
      name: 'resource-graph',
      limit: '15 queries per 5 s per user',
      planned: 31,
      within: false,
      note: 'passes the quota: acs-metrics waits for it to reset about 2 times (10 s or more)',
    });
    expect(quotaChecks({ ...base, graphPages: 15 })[0]!.within).toBe(true);
  });

  it('ARM reads past the bucket of 250 in one subscription, and the fallback that would pass it', () => {
    const arm = quotaChecks({ ...base, path: 'per-resource', subscriptions: [sub(300)] })[1]!;
    expect([arm.planned, arm.within, arm.note]).toEqual([
      300,
      false,
      'past the bucket in one subscription: at 25/s the last 50 reads take at least 2 s; acs-metrics paces them so that none is refused',
    ]);
    const fallback = quotaChecks({ ...base, subscriptions: [sub(0, 400)] })[1]!;
    expect([fallback.within, fallback.note]).toEqual([
      true,
      'inside the bucket (but a refused batch API would mean 400 reads in one subscription: past the bucket, paced at 25/s, at least 6 s)',
    ]);
  });
});

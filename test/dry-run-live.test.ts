/**
 * --dry-run against the emulator: the plan sends no metrics request (Resource Graph may run), and the
 * real run that follows makes exactly the requests the plan counted: the batch path, the per-resource
 * path (--no-batch), the 403 fallback, the single-resource path, and export.
 */
import { readdirSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, liveEnv, openEstateHarness } from './emulator/harness.js';
import { makeEstate, SUBS } from './emulator/estate.js';
import { run } from './helpers/io.js';
import { tempDir } from './helpers/temp.js';

const [A, B, C] = SUBS;
const estate = makeEstate(130);
let h: Harness;
beforeAll(async () => {
  h = await openEstateHarness(estate, [C]);
});
afterAll(async () => {
  await h.close();
});
afterEach(() => h.emulator.reset());

interface PlanDoc {
  schemaVersion: number;
  kind: string;
  command: string;
  discovery: { ran: boolean; resourceGraphPages: number; subscriptionLookupPages: number };
  resources: number;
  path: string;
  metricGroups: number;
  windows: number;
  totals: { resourceGraphPages: number; batchCalls: number; perResourceCalls: number; billedMetricsCalls: number; perResourceCallsIfBatchRefused: number };
  subscriptions: {
    subscription: string;
    resources: number;
    batchCalls: number;
    perResourceCalls: number;
    perResourceCallsIfBatchRefused: number;
    largestBatch: number;
    largestBatchSeries: number;
  }[];
  quotas: { name: string; limit: string; planned: number; within: boolean; note: string }[];
  withinQuotas: boolean;
  pricing: string;
}

const inSub = (sub: string): number => estate.filter((r) => r.subscription === sub).length;
const subOf = (path: string): string => path.split('/')[2]!;

/** The plan (-o json), checking that it sent nothing but Resource Graph queries. */
async function plan(args: string[], env = liveEnv(h)): Promise<PlanDoc> {
  const r = await run([...args, '--dry-run', '-o', 'json'], { env });
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  expect(h.emulator.batchRequests).toHaveLength(0);
  expect(h.emulator.metricRequests).toHaveLength(0);
  expect(h.emulator.requests.length).toBe(h.emulator.graphRequests.length);
  const doc = JSON.parse(r.stdout) as PlanDoc;
  expect(doc.totals.resourceGraphPages).toBe(h.emulator.graphRequests.length);
  h.emulator.reset();
  return doc;
}

describe('--dry-run plans match the requests of the real run', () => {
  it('status over three subscriptions: batch calls per subscription, the 403 fallback, small Resource Graph pages', async () => {
    h.emulator.estate.pageSize = 40;
    try {
      const args = ['status', '--all-subscriptions', '--concurrency', '1'];
      const p = await plan(args);
      // 130 resources in pages of 40: 4 pages. A has 44, B 43, C 43; status asks 5 metric groups.
      expect(p.discovery).toEqual({ ran: true, resourceGraphPages: 4, subscriptionLookupPages: 0 });
      expect([p.resources, p.path, p.metricGroups, p.windows]).toEqual([130, 'batch', 5, 1]);
      expect(
        p.subscriptions.map((s) => [s.subscription, s.resources, s.batchCalls, s.perResourceCalls, s.perResourceCallsIfBatchRefused, s.largestBatch]),
      ).toEqual(
        [
          [A, 44, 5, 0, 220, 44],
          [B, 43, 5, 0, 215, 43],
          [C, 43, 5, 0, 215, 43],
        ].sort((x, y) => String(x[0]).localeCompare(String(y[0]))),
      );
      expect(p.totals).toEqual({ resourceGraphPages: 4, batchCalls: 15, perResourceCalls: 0, billedMetricsCalls: 15, perResourceCallsIfBatchRefused: 650 });
      expect(p.quotas.map((q) => [q.name, q.planned, q.within])).toEqual([
        ['resource-graph', 4, true],
        ['arm-reads', 0, true],
        ['batch-ids', 44, true],
        ['batch-series', expect.any(Number), true],
      ]);
      expect(p.pricing).toBe('https://azure.microsoft.com/pricing/details/monitor/');

      const real = await run([...args, '-o', 'json'], { env: liveEnv(h) });
      expect(real.code).toBe(0);
      expect(h.emulator.graphRequests).toHaveLength(p.totals.resourceGraphPages);
      const batch = h.emulator.batchRequests;
      for (const s of p.subscriptions) {
        const sent = batch.filter((q) => subOf(q.path) === s.subscription);
        if (s.subscription === C) {
          // Refused (403) once with --concurrency 1, then the fallback the plan announced.
          expect(sent.map((q) => q.status)).toEqual([403]);
          expect(h.emulator.metricRequests.filter((q) => subOf(q.path) === C)).toHaveLength(s.perResourceCallsIfBatchRefused);
        } else {
          expect(sent).toHaveLength(s.batchCalls);
          expect(sent.every((q) => q.status === 200)).toBe(true);
          expect(Math.max(...sent.map((q) => (JSON.parse(q.body!) as { resourceids: string[] }).resourceids.length))).toBe(s.largestBatch);
        }
      }
      expect(h.emulator.metricRequests).toHaveLength(inSub(C) * 5);
    } finally {
      h.emulator.estate.pageSize = 1000;
    }
  });

  it('--no-batch: per-resource calls per subscription', async () => {
    const args = ['query', '--subscription', A, '--subscription', B, '-m', 'chat', '--since', '7d', '--no-batch'];
    const p = await plan(args);
    expect([p.resources, p.path, p.metricGroups, p.windows]).toEqual([87, 'per-resource', 1, 1]);
    expect(p.totals).toEqual({ resourceGraphPages: 1, batchCalls: 0, perResourceCalls: 87, billedMetricsCalls: 87, perResourceCallsIfBatchRefused: 0 });
    const real = await run(args, { env: liveEnv(h) });
    expect(real.code).toBe(0);
    expect(h.emulator.graphRequests).toHaveLength(1);
    expect(h.emulator.batchRequests).toHaveLength(0);
    for (const s of p.subscriptions) expect(h.emulator.metricRequests.filter((q) => subOf(q.path) === s.subscription)).toHaveLength(s.perResourceCalls);
  });

  it('a window of 60 days is two windows: twice the calls', async () => {
    const args = ['usage', '--subscription', B, '-m', 'chat,sms', '--since', '60d'];
    const p = await plan(args);
    expect([p.resources, p.windows, p.totals.batchCalls]).toEqual([43, 2, 2]);
    await run(args, { env: liveEnv(h) });
    expect(h.emulator.batchRequests).toHaveLength(p.totals.batchCalls);
    expect(h.emulator.graphRequests).toHaveLength(p.totals.resourceGraphPages);
  });

  it('one resource: Metrics - List calls, no Resource Graph', async () => {
    const args = ['query', '--resource', estate[4]!.id, '-m', 'chat', '--since', '24h', '--compare', '1d'];
    const p = await plan(args);
    expect(p.discovery.ran).toBe(false);
    expect(p.totals).toEqual({ resourceGraphPages: 0, batchCalls: 0, perResourceCalls: 2, billedMetricsCalls: 2, perResourceCallsIfBatchRefused: 0 });
    const real = await run(args, { env: liveEnv(h) });
    expect(real.code).toBe(0);
    expect(h.emulator.requests).toHaveLength(2);
    expect(h.emulator.metricRequests).toHaveLength(2);
  });

  it('check with several rules and export plan what they send', async () => {
    const args = ['check', '--subscription', A, '--metric', 'chat,sms', '--max-error-rate', '5%', '--since', '6h'];
    const p = await plan(args);
    await run(args, { env: liveEnv(h) });
    expect(h.emulator.batchRequests).toHaveLength(p.totals.batchCalls);
    expect(h.emulator.graphRequests).toHaveLength(p.totals.resourceGraphPages);
    h.emulator.reset();

    const dir = tempDir('acs-dry-export-');
    const exportArgs = ['export', dir, '--subscription', B, '-m', 'chat,rooms', '--interval', 'PT1H', '--since', '45d'];
    const e = await plan(exportArgs);
    // The plan writes nothing: no manifest, no file.
    expect(readdirSync(dir)).toEqual([]);
    // 43 resources in one step per window (45 days: 30 + 15); chat and rooms have the same dimensions: one group, one call per window.
    expect([e.resources, e.windows, e.metricGroups, e.totals.batchCalls, e.totals.resourceGraphPages]).toEqual([43, 2, 1, 2, 1]);
    const real = await run(exportArgs, { env: liveEnv(h) });
    expect(real.code).toBe(0);
    expect(h.emulator.graphRequests).toHaveLength(e.totals.resourceGraphPages);
    expect(h.emulator.batchRequests).toHaveLength(e.totals.batchCalls);
    expect(h.emulator.metricRequests).toHaveLength(0);
    // Nothing left: the plan of a complete export is empty.
    h.emulator.reset();
    const again = await plan(exportArgs);
    expect(again.totals.batchCalls).toBe(0);
  });
});

describe('--dry-run text', () => {
  it('prints the plan per subscription, the quotas and the pricing link', async () => {
    const r = await run(['status', '--subscription', A, '--subscription', B, '--metric', 'chat', '--dry-run'], { env: liveEnv(h) });
    expect(r.code).toBe(0);
    expect(h.emulator.batchRequests).toHaveLength(0);
    expect(r.stdout).toBe(
      [
        'acs-metrics status --dry-run: the plan; no metrics request was sent.',
        'Resource Graph ran to find the resources (1 page; a real run reads them again): 87 resources in 2 subscriptions.',
        'Requests: metrics batch API (metrics:getBatch); 1 metric group x 1 window of at most 30 days.',
        '',
        'subscription                          resources  batch calls  per-resource calls  if batch refused',
        `${A}         44            1                   0                44`,
        `${B}         43            1                   0                43`,
        'total                                        87            2                   0                87',
        '',
        '"if batch refused": the per-resource calls that replace a subscription\'s batch calls should the batch API answer 401/403 (it needs Monitoring Reader at subscription scope).',
        '',
        'Quotas:',
        '  ok    Resource Graph: 1 (limit 15 queries per 5 s per user): inside the quota',
        '  ok    ARM reads: 0 (limit 250 reads, refilled 25/s, per subscription and principal): inside the bucket',
        '  ok    batch ids: 44 (limit 50 resource ids per call): calls are cut at 50 ids, one subscription and region each',
        // 44 resources x (16 chat operations + 1 more) x 5 status classes.
        '  ok    batch series: 3,740 (limit 500,000 time series per query): estimated from the split dimensions and top per resource and metric; calls that would pass it are split before they are sent',
        '',
        'Billed metrics calls: 2 (Azure Monitor bills metrics queries per call; prices: https://azure.microsoft.com/pricing/details/monitor/)',
        '',
      ].join('\n'),
    );
  });

  it('export takes -o only with --dry-run', async () => {
    const r = await run(['export', tempDir('acs-dry-o-'), '--subscription', A, '-o', 'json'], { env: liveEnv(h) });
    expect([r.code, r.stderr]).toEqual([2, 'error: -o/--output goes with --dry-run (an export writes files, not stdout)\n']);
    expect(h.emulator.requests).toHaveLength(0);
  });

  it('is refused with --fixture', async () => {
    const r = await run(['status', '--fixture', 'fixtures/sample-week.json', '--dry-run']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('error: --dry-run plans the requests to Azure, and --fixture sends none: drop one of them\n');
  });
});

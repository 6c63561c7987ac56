/**
 * An estate of 212 resources in three subscriptions against the emulator: batch calls of 50, one
 * subscription where the batch API is forbidden (per-resource fallback with one note), a resource
 * that 404s in a batch and one in the fallback, and throttling on the way; the live clock is off the
 * minute. Numbers are worked out from test/emulator/estate.ts by hand.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { liveEnv } from './emulator/harness.js';
import { estateSuite } from './emulator/estate-suite.js';
import { makeEstate, resourceDataset, SUBS } from './emulator/estate.js';
import type { EstateResource } from './emulator/estate-api.js';
import { run } from './helpers/io.js';
import { METRICS } from '../src/catalog/metrics.js';

/** What --metric all asks live: the current metrics (today's resources do not define the legacy one). */
const CURRENT = METRICS.filter((m) => !m.legacy);
import { withoutCost } from './helpers/cost.js';

const [A, B, C] = SUBS;
const gone = (sub: string, name: string): EstateResource => ({
  id: `/subscriptions/${sub}/resourceGroups/rg-0/providers/Microsoft.Communication/CommunicationServices/${name}`,
  subscription: sub,
  resourceGroup: 'rg-0',
  name,
  location: 'global',
  dataLocation: 'Europe',
  tags: {},
  dataset: resourceDataset(0),
  missing: true,
});
const estate = [...makeEstate(210), gone(A, 'acs-gone-a'), gone(C, 'acs-gone-c')];
const inSub = (sub: string): EstateResource[] => estate.filter((r) => r.subscription === sub);
const { h, dir } = estateSuite(estate, [C], 'acs-estate-');

/** Resource i over the 24 h window: chat requests and errors, sms requests. */
const chat = (i: number) => ({ requests: 24 * ((i % 5) + 1 + (i % 10 === 3 ? 2 : 0)), errors: i % 10 === 3 ? 48 : 0 });
const sms = (i: number) => (i % 4 === 0 ? 24 : 0);

type Metric = {
  metric: string;
  requests: number | null;
  errors: number | null;
  errorRate: number | null;
  worstOperation: { name: string; errors: number } | null;
  latest: string | null;
  error: string | null;
};
type Res = { id: string; name: string; requests: number; errors: number; error: string | null; metrics: Metric[] };
type Doc = { start: string; end: string; partial: boolean; resources: Res[] };

describe('status over the estate', () => {
  it('answers every resource exactly, in a handful of batch calls, with the failures named', async () => {
    h.emulator.inject({ kind: 'status', status: 429, headers: { 'retry-after': '0' } }, 2, 'batch');
    h.emulator.inject({ kind: 'status', status: 503, headers: { 'retry-after': '0' } }, 1, 'metrics');
    const r = await run(['status', '--all-subscriptions', '-o', 'json'], { env: liveEnv(h) });
    // Partial: printed, then exit 4.
    expect(r.code).toBe(4);
    const doc = JSON.parse(r.stdout) as Doc;
    expect(doc.start).toBe('2026-01-07T00:00:00Z');
    expect(doc.end).toBe('2026-01-08T00:00:00Z');
    expect(doc.partial).toBe(true);
    expect(doc.resources).toHaveLength(212);
    // Problems first: the two that failed, then the 21 with chat errors (33.3% for i % 10 == 3: 48 of 144 when i % 5 == 3).
    expect(
      doc.resources
        .slice(0, 2)
        .map((x) => x.name)
        .sort(),
    ).toEqual(['acs-gone-a', 'acs-gone-c']);
    expect(doc.resources[0]!.error).toMatch(/^APIRequestAuthentication: ResourceNotFound: resource not found .*; APIRequestCallAutomation: ResourceNotFound/);
    const goneA = doc.resources.find((x) => x.name === 'acs-gone-a')!;
    expect(goneA.metrics).toHaveLength(CURRENT.length);
    expect(goneA.metrics.every((m) => m.error === 'ResourceNotFound: resource not found (ResourceNotFound)')).toBe(true);
    const goneC = doc.resources.find((x) => x.name === 'acs-gone-c')!;
    expect(goneC.metrics.every((m) => m.error === 'ResourceNotFound: resource not found (HTTP 404 ResourceNotFound)')).toBe(true);
    expect(doc.resources.slice(2, 23).every((x) => x.errors === 48)).toBe(true);
    for (let i = 0; i < 210; i++) {
      const x = doc.resources.find((y) => y.name === `acs-${String(i).padStart(3, '0')}`)!;
      expect([x.name, x.requests, x.errors]).toEqual([x.name, chat(i).requests + sms(i), chat(i).errors]);
      const c = x.metrics.find((m) => m.metric === 'APIRequestChat')!;
      expect(c.latest).toBe('2026-01-07T23:00:00Z');
      expect(c.worstOperation).toEqual(i % 10 === 3 ? { name: 'GetChatThread', errors: 48, errorRate: 1 } : null);
      expect(x.metrics.map((m) => m.metric)).toEqual(sms(i) ? ['APIRequestChat', 'APIRequestSMS'] : ['APIRequestChat']);
    }
    // Requests: one Resource Graph query; A (71) and B (70): 2 batches of <= 50 x 5 metric groups each (+2 throttled);
    // C: refused (403) then 71 resources x 5 groups one by one (+1 throttled).
    expect(h.emulator.graphRequests).toHaveLength(1);
    const batch = h.emulator.batchRequests;
    const ok = batch.filter((q) => q.status === 200);
    expect(ok).toHaveLength(20);
    expect(batch.filter((q) => q.status === 429)).toHaveLength(2);
    const refused = batch.filter((q) => q.status === 403);
    expect(refused.length).toBeGreaterThanOrEqual(1);
    expect(refused.every((q) => q.path.includes(C))).toBe(true);
    for (const q of ok) {
      const ids = JSON.parse(q.body!).resourceids as string[];
      expect(ids.length).toBeLessThanOrEqual(50);
      expect(ids.every((id) => id.includes(q.path.split('/')[2]!))).toBe(true);
      expect(q.query.starttime).toBe('2026-01-07T00:00:00Z');
      expect(q.query.endtime).toBe('2026-01-08T00:00:00Z');
      expect(q.query.timespan).toBeUndefined();
    }
    expect(ok.map((q) => (JSON.parse(q.body!).resourceids as string[]).length).sort((a, b) => a - b)).toEqual(
      [...Array(5).fill(20), ...Array(5).fill(21), ...Array(10).fill(50)].sort((a, b) => a - b),
    );
    const perResource = h.emulator.metricRequests;
    expect(perResource.filter((q) => q.status === 200 || q.status === 404)).toHaveLength(inSub(C).length * 5);
    expect(perResource.every((q) => q.path.includes(C))).toBe(true);
    const notes = r.stderr.split('\n').filter((l) => l !== '');
    expect(notes.filter((l) => l.includes('batch API refused'))).toEqual([
      `note: the metrics batch API refused subscription ${C} (HTTP 403 AuthorizationFailed): using one request per resource there (slower); for the batch path, grant Monitoring Reader on the subscription (az role assignment create --role "Monitoring Reader" --scope /subscriptions/${C})`,
    ]);
    expect(notes.filter((l) => l.includes('acs-gone-'))).toEqual([
      `note: acs-gone-a (${estate[210]!.id}): no data for ${CURRENT.length} metrics: ResourceNotFound: resource not found (ResourceNotFound); the results are partial`,
      `note: acs-gone-c (${estate[211]!.id}): no data for ${CURRENT.length} metrics: ResourceNotFound: resource not found (HTTP 404 ResourceNotFound); the results are partial`,
    ]);
    expect(notes.at(-1)).toBe('note: the results are partial: 2 of 212 resources failed (named above); exit 4 (--allow-partial: 0)');
    expect(notes).toHaveLength(4);
    const allowed = await run(['status', '--all-subscriptions', '-o', 'json', '--allow-partial'], { env: liveEnv(h) });
    expect(allowed.code).toBe(0);
    expect(allowed.stdout).toBe(r.stdout);
    expect(
      allowed.stderr
        .split('\n')
        .filter((l) => l !== '')
        .at(-1),
    ).toBe('note: the results are partial: 2 of 212 resources failed (named above); --allow-partial: exit 0');
  }, 300_000); // Two runs; each paces C's 355 reads by ARM's bucket: 105 past its 250 at 25/s, 4.2 s.

  it('--no-batch asks per resource and gives the same report', async () => {
    const sel = ['--subscription', A, '--name', 'acs-00*', '--metric', 'chat,sms', '-o', 'json'];
    const batched = await run(['status', ...sel], { env: liveEnv(h) });
    const calls = h.emulator.requests.length;
    h.emulator.reset();
    const single = await run(['status', ...sel, '--no-batch'], { env: liveEnv(h) });
    expect(single.code).toBe(0);
    // The per-resource answers carry cost fields, the batch answers none: the data is the same.
    expect(withoutCost(single.stdout)).toBe(withoutCost(batched.stdout));
    // acs-000, 003, 006, 009 in A: 1 graph + 1 batch (chat and sms share a request) vs 1 graph + 4 resources x 1.
    expect(calls).toBe(2);
    expect(h.emulator.batchRequests).toHaveLength(0);
    expect(h.emulator.metricRequests).toHaveLength(4);
    expect(single.stderr).toBe('');
  });

  it('--save writes one batch body that replays to the same output', async () => {
    const file = join(dir, 'estate.json');
    const live = await run(['status', '--subscription', B, '--subscription', C, '--save', file], { env: liveEnv(h) });
    expect(live.code).toBe(4);
    const saved = JSON.parse(readFileSync(file, 'utf8')) as { values: { resourceid: string }[] };
    // 70 resources of B and 71 of C, 5 entries (metric groups) each.
    expect(saved.values).toHaveLength(141 * 5);
    const replay = await run(['status', '--fixture', file], { env: { NO_COLOR: '1' } });
    expect(replay.code).toBe(4);
    expect(replay.stdout).toBe(live.stdout);
    expect(replay.stdout.split('\n')[0]).toBe(
      '2026-01-07T00:00Z to 2026-01-08T00:00Z · 141 resources · 140 with traffic · 14 with errors · 1 failed: the results are partial',
    );
  });

  it('one resource and no --metric shows every metric', async () => {
    const r = await run(['status', '--resource', estate[3]!.id, '-o', 'csv'], { env: liveEnv(h) });
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\r\n').filter((l) => l !== '');
    expect(lines).toHaveLength(1 + CURRENT.length);
    expect(lines[0]).toBe('resource,metric,requests,errors,errorRate,worstOperation,latest,error,id');
    expect(lines[1]).toBe(`acs-003,chat,144,48,0.3333333333333333,GetChatThread,2026-01-07T23:00:00Z,,${estate[3]!.id}`);
    expect(lines.slice(2).map((l) => l.split(',').slice(1, 4).join(','))).toContain('email-engagement,0,');
    // The legacy metric is not asked: today's resources do not define it, and Azure answers 400 for the whole request.
    expect(r.stdout).not.toContain('networktraversal');
    expect(h.emulator.requests.some((q) => JSON.stringify(q.query).includes('APIRequestNetworkTraversal'))).toBe(false);
  });

  it("a metric the resources do not define, asked by name, is named as failed with Azure's reason", async () => {
    const r = await run(['status', '--resource', estate[3]!.id, '-m', 'chat,networktraversal'], { env: liveEnv(h) });
    expect(r.code).toBe(3);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(
      /^error: Azure Monitor rejected the request for APIRequestNetworkTraversal \(HTTP 400 BadRequest\): Failed to find metric configuration .*run "acs-metrics definitions" with the same --resource to compare\n$/,
    );
  });
});

describe('check over the estate', () => {
  it('gates every resource of a subscription, naming the failing and the failed ones', async () => {
    const r = await run(['check', '--subscription', A, '--metric', 'all', '--max-error-rate', '1%', '-o', 'json'], { env: liveEnv(h) });
    // acs-gone-a's data failed: exit 3 wins over the failing error rates.
    expect(r.code).toBe(3);
    const doc = JSON.parse(r.stdout) as { rules: { name: string; verdict: string; requests: number | null; errors: number | null; reason?: string }[] };
    const failed = doc.rules.filter((x) => x.verdict === 'fail').map((x) => x.name);
    // i % 10 == 3 in A (i % 3 == 0): 3, 33, 63, ..., 183: 7 resources.
    expect(failed).toEqual([3, 33, 63, 93, 123, 153, 183].map((i) => `chat on acs-${String(i).padStart(3, '0')}`));
    const errors = doc.rules.filter((x) => x.verdict === 'error');
    // Every metric with an error rate (all but email-engagement) of the missing resource.
    expect(errors).toHaveLength(CURRENT.length - 1);
    expect(errors.every((x) => x.name.endsWith(' on acs-gone-a'))).toBe(true);
    const lines = r.stderr.split('\n').filter((l) => l.startsWith('error:'));
    expect(lines).toContain(
      `error: rule "chat on acs-gone-a": acs-gone-a (${estate[210]!.id}): no data for APIRequestChat: ResourceNotFound: resource not found (ResourceNotFound)`,
    );
    // chat for 70 resources + sms for the 18 with sms traffic (i % 12 == 0 in A) are judged; quiet pairs are counted.
    const passed = doc.rules.filter((x) => x.verdict === 'pass' || x.verdict === 'no-data');
    expect(passed.length + failed.length).toBe(70 + 18);
    expect(r.stderr).toContain(
      `note: ${70 * (CURRENT.length - 1) - 88} resource and metric pairs have no traffic in the window and were not checked (--fail-on-no-data or --min-total checks them)`,
    );
  });
});

describe('bounds, throttling and query over several resources', () => {
  const few = ['--subscription', A, '--name', 'acs-00?', '--name', 'acs-gone-a'];

  it('asks per resource, with one note, when no batch endpoint is known for --endpoint', async () => {
    const r = await run(['status', ...few, '--metric', 'chat'], { env: liveEnv(h, { ACS_METRICS_BATCH_ENDPOINT: undefined }) });
    // acs-gone-a is not found: partial.
    expect(r.code).toBe(4);
    expect(h.emulator.batchRequests).toHaveLength(0);
    expect(h.emulator.metricRequests).toHaveLength(5);
    const host = new URL(h.emulator.endpoint).host;
    expect(r.stderr.split('\n').filter((l) => l.includes('batch'))).toEqual([
      `note: no metrics batch endpoint is known for ${host}: using one request per resource; give --batch-endpoint (or ACS_METRICS_BATCH_ENDPOINT) for the batch API`,
    ]);
  });

  it('never has more than --concurrency requests in flight', async () => {
    h.emulator.latencyMs = 30;
    try {
      const r = await run(['status', '--all-subscriptions', '--name', 'acs-0*', '--no-batch', '--concurrency', '3', '--metric', 'chat,router'], {
        env: liveEnv(h),
      });
      expect(r.code).toBe(0);
      // 100 resources acs-000..acs-099 x 2 metric groups, one by one.
      expect(h.emulator.metricRequests).toHaveLength(200);
      expect(h.emulator.maxInFlight).toBe(3);
    } finally {
      h.emulator.latencyMs = 0;
    }
  });

  it('a call throttled out fails only its resources and metrics, named', async () => {
    h.emulator.inject({ kind: 'status', status: 429, headers: { 'retry-after': '0' } }, 4, 'batch');
    const r = await run(['status', ...few, '--metric', 'chat,router', '--concurrency', '1', '-o', 'json'], { env: liveEnv(h) });
    expect(r.code).toBe(4);
    const doc = JSON.parse(r.stdout) as Doc;
    // The chat call (first) was throttled 4 times (3 retries): chat failed for acs-000, 003, 006, 009 and acs-gone-a;
    // router answered (no traffic), and acs-gone-a is not found there.
    expect(doc.partial).toBe(true);
    expect(doc.resources.map((x) => x.name)).toEqual(['acs-000', 'acs-003', 'acs-006', 'acs-009', 'acs-gone-a']);
    expect(doc.resources[0]!.metrics).toEqual([
      {
        metric: 'APIRequestChat',
        metricAlias: 'chat',
        requests: null,
        errors: null,
        errorRate: null,
        worstOperation: null,
        latest: null,
        error: 'TooManyRequests: throttled out (HTTP 429), still after 3 retries',
      },
    ]);
    expect(doc.resources[4]!.error).toBe(
      'APIRequestChat: TooManyRequests: throttled out (HTTP 429), still after 3 retries; ApiRequestRouter: ResourceNotFound: resource not found (ResourceNotFound)',
    );
    expect(h.emulator.batchRequests.map((q) => q.status)).toEqual([429, 429, 429, 429, 200]);
  });

  it('query splits by resource, and its JSON lists the resources with their failures', async () => {
    const r = await run(['query', ...few, '-m', 'chat', '--since', '24h', '-i', 'FULL', '-o', 'json'], { env: liveEnv(h) });
    expect(r.code).toBe(4);
    const doc = JSON.parse(r.stdout) as {
      partial: boolean;
      resources: { name: string; error: string | null }[];
      series: { dimensions: Record<string, string>; requests: number }[];
      requests: number;
    };
    expect(doc.partial).toBe(true);
    // In id order: rg-0 before rg-1.
    expect(doc.resources.map((x) => [x.name, x.error])).toEqual([
      ['acs-000', null],
      ['acs-006', null],
      ['acs-gone-a', 'ResourceNotFound: resource not found (ResourceNotFound)'],
      ['acs-003', null],
      ['acs-009', null],
    ]);
    // 24 x (1 + 6 (4 + 2 errors) + 2 + 5) = 336.
    expect(doc.requests).toBe(24 * (1 + 6 + 2 + 5));
    expect(r.stderr).toContain(
      'note: Azure Monitor: APIRequestChat failed for acs-gone-a: ResourceNotFound: resource not found (ResourceNotFound); the results are partial\n',
    );
    expect(r.stderr.endsWith('note: the results are partial: 1 of 5 resources failed (named above); exit 4 (--allow-partial: 0)\n')).toBe(true);
  });

  it('prints the status table, problems first, totals per resource', async () => {
    const r = await run(['status', '--subscription', A, '--name', 'acs-00[0-9]', '--name', 'acs-000', '--name', 'acs-003'], { env: liveEnv(h) });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      [
        '2026-01-07T00:00Z to 2026-01-08T00:00Z · 2 resources · 2 with traffic · 1 with errors',
        '┌──────────┬─────────┬──────────┬────────┬────────────┬────────────────────────────┬───────────────────┬─────────┐',
        '│ Resource │ Metric  │ Requests │ Errors │ Error rate │ Worst operation            │ Latest data       │ Problem │',
        '├──────────┼─────────┼──────────┼────────┼────────────┼────────────────────────────┼───────────────────┼─────────┤',
        '│ acs-003  │ chat    │      144 │     48 │      33.3% │ GetChatThread (48, 100.0%) │ 2026-01-07T23:00Z │         │',
        '│ acs-000  │ chat    │       24 │      0 │         0% │ -                          │ 2026-01-07T23:00Z │         │',
        '│          │ sms     │       24 │      0 │         0% │ -                          │ 2026-01-07T23:00Z │         │',
        '│          │ (total) │       48 │      0 │         0% │                            │                   │         │',
        '└──────────┴─────────┴──────────┴────────┴────────────┴────────────────────────────┴───────────────────┴─────────┘',
        '',
      ].join('\n'),
    );
  });
});

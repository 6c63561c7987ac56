/**
 * --subscription by display name: one Resource Graph query (resourcecontainers, tenant scope) turns
 * names into ids, then everything runs exactly as with the ids. Against the emulator's estate.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SUBSCRIPTIONS_QUERY } from '../src/sources/azure/subscription-names.js';
import { type Harness, liveEnv, openEstateHarness, RESOURCE, SUBSCRIPTION } from './emulator/harness.js';
import { makeEstate, SUBS } from './emulator/estate.js';
import type { EstateSubscription } from './emulator/estate-api.js';
import { skipToken } from './emulator/graph-shapes.js';
import { run } from './helpers/io.js';

const [A, B, C] = SUBS;
const NAMED: EstateSubscription[] = [
  { subscriptionId: A, name: 'Contoso Prod' },
  { subscriptionId: B, name: 'Contoso Dev' },
  { subscriptionId: C, name: 'Fabrikam Test' },
  { subscriptionId: SUBSCRIPTION, name: 'Emulator Own' },
];
let h: Harness;
const estate = makeEstate(12);
const dir = mkdtempSync(join(tmpdir(), 'acs-subnames-'));
beforeAll(async () => {
  h = await openEstateHarness(estate);
  h.emulator.estate.subscriptions = NAMED;
});
afterAll(async () => {
  await h.close();
  rmSync(dir, { recursive: true, force: true });
});
afterEach(() => {
  h.emulator.reset();
  Object.assign(h.emulator.estate, { subscriptions: NAMED, pageSize: 1000, truncate: false, quota: 15, quotaResetSeconds: 5 });
});

type Body = { query: string; subscriptions?: string[]; options: { $top: number; resultFormat: string; $skipToken?: string } };
const graphBodies = (): Body[] => h.emulator.graphRequests.map((q) => JSON.parse(q.body!) as Body);
const lookups = (): Body[] => graphBodies().filter((b) => b.query.startsWith('resourcecontainers'));

/** Runs argv, then the same with the id instead of the name: the outputs must be byte-identical. */
async function sameAsId(withName: string[], withId: string[]) {
  const byName = await run(withName, { env: liveEnv(h) });
  const nameGraph = graphBodies();
  const nameRequests = h.emulator.requests.map((q) => ({ method: q.method, url: q.url, body: q.body }));
  h.emulator.reset();
  const byId = await run(withId, { env: liveEnv(h) });
  expect(byId.code).toBe(0);
  expect(byName.stderr).toBe(byId.stderr);
  expect(byName.code).toBe(byId.code);
  expect(byName.stdout).toBe(byId.stdout);
  // The only request the name adds: the subscription lookup, first; the rest are the id run's requests.
  const idRequests = h.emulator.requests.map((q) => ({ method: q.method, url: q.url, body: q.body }));
  expect(nameGraph[0]).toEqual({ query: SUBSCRIPTIONS_QUERY, options: { $top: 1000, resultFormat: 'objectArray' } });
  expect(nameRequests.slice(1)).toEqual(idRequests);
  return byName;
}

describe('--subscription NAME', () => {
  it('resources: a name gives exactly the output of its id, after one tenant-scope Resource Graph query', async () => {
    const r = await sameAsId(['resources', '--subscription', 'Contoso Prod', '-o', 'json'], ['resources', '--subscription', A, '-o', 'json']);
    const doc = JSON.parse(r.stdout) as { resources: { name: string; subscriptionId: string }[] };
    // i % 3 == 0: acs-000, 003, 006, 009, in subscription A.
    expect(doc.resources.map((x) => x.name).sort()).toEqual(['acs-000', 'acs-003', 'acs-006', 'acs-009']);
    expect(new Set(doc.resources.map((x) => x.subscriptionId))).toEqual(new Set([A]));
  });

  it('the lookup is one Resource Graph request with no "subscriptions" in its body; discovery then asks for the id', async () => {
    const r = await run(['resources', '--subscription', 'Contoso Prod', '-o', 'csv'], { env: liveEnv(h) });
    expect(r.code).toBe(0);
    const bodies = graphBodies();
    expect(bodies).toHaveLength(2);
    expect(lookups()).toHaveLength(1);
    expect('subscriptions' in bodies[0]!).toBe(false);
    expect(bodies[0]!.query).toBe("resourcecontainers | where type =~ 'microsoft.resources/subscriptions' | project subscriptionId, name");
    expect(bodies[1]!.subscriptions).toEqual([A]);
    expect(bodies[1]!.query.startsWith('resources | where type =~')).toBe(true);
  });

  it.each(['contoso prod', 'CONTOSO PROD', 'cOnToSo pRoD'])('matches %j in any case', async (name) => {
    const r = await run(['resources', '--subscription', name, '-o', 'json'], { env: liveEnv(h) });
    expect(r.code).toBe(0);
    expect(graphBodies()[1]!.subscriptions).toEqual([A]);
    expect((JSON.parse(r.stdout) as { resources: unknown[] }).resources).toHaveLength(4);
  });

  it('a mix of a name and an id: the same as both ids', async () => {
    await sameAsId(
      ['resources', '--subscription', 'Contoso Dev', '--subscription', A, '-o', 'json'],
      ['resources', '--subscription', B, '--subscription', A, '-o', 'json'],
    );
  });

  it('two names, and a name given twice in another case: still one lookup', async () => {
    const r = await run(['resources', '--subscription', 'Fabrikam Test', '--subscription', 'contoso dev', '--subscription', 'CONTOSO DEV', '-o', 'json'], {
      env: liveEnv(h),
    });
    expect(r.code).toBe(0);
    expect(lookups()).toHaveLength(1);
    expect(graphBodies()[1]!.subscriptions).toEqual([C, B]);
    // C: i % 3 == 2 (acs-002, 005, 008, 011); B: i % 3 == 1 (acs-001, 004, 007, 010).
    expect((JSON.parse(r.stdout) as { resources: unknown[] }).resources).toHaveLength(8);
  });

  it('a typo: "did you mean" with the visible name, exit 3, and nothing else is asked', async () => {
    const r = await run(['resources', '--subscription', 'Contoso Prd'], { env: liveEnv(h) });
    expect(r.code).toBe(3);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('error: no subscription named "Contoso Prd": did you mean "Contoso Prod"? (or give the subscription id)\n');
    expect(h.emulator.requests).toHaveLength(1);
  });

  it('a name nothing resembles: the credential sees no subscription of that name', async () => {
    const r = await run(['status', '--subscription', 'Northwind'], { env: liveEnv(h) });
    expect(r.code).toBe(3);
    expect(r.stderr).toBe(
      'error: no subscription named "Northwind": the credential sees no subscription of that name (it sees 4 subscriptions); check the name, or give the subscription id\n',
    );
    expect(h.emulator.requests).toHaveLength(1);
  });

  it('no subscription visible at all', async () => {
    h.emulator.estate.subscriptions = [];
    const r = await run(['resources', '--subscription', 'Contoso Prod'], { env: liveEnv(h) });
    expect(r.code).toBe(3);
    expect(r.stderr).toBe('error: no subscription named "Contoso Prod": the credential sees no subscription at all (check the signed-in account and tenant)\n');
  });

  it('two subscriptions with that name: both ids, and a request for the id', async () => {
    h.emulator.estate.subscriptions = [
      { subscriptionId: A, name: 'Shared' },
      { subscriptionId: B, name: 'shared' },
      { subscriptionId: C, name: 'Fabrikam Test' },
    ];
    const r = await run(['query', '-m', 'chat', '--subscription', 'SHARED'], { env: liveEnv(h) });
    expect(r.code).toBe(3);
    expect(r.stderr).toBe(`error: 2 subscriptions are named "SHARED": ${A}, ${B}; give --subscription the id of the one you mean\n`);
    expect(h.emulator.requests).toHaveLength(1);
  });

  it('every bad name gets its own line', async () => {
    const r = await run(['resources', '--subscription', 'Contoso Prd', '--subscription', 'Contoso Prod', '--subscription', 'Northwind'], { env: liveEnv(h) });
    expect(r.code).toBe(3);
    expect(r.stderr).toBe(
      'error: no subscription named "Contoso Prd": did you mean "Contoso Prod"? (or give the subscription id)\n' +
        'error: no subscription named "Northwind": the credential sees no subscription of that name (it sees 4 subscriptions); check the name, or give the subscription id\n',
    );
  });

  it('query with -g and --name: the name is resolved, then the one-resource path (no discovery) runs as with the id', async () => {
    const withName = ['query', '-m', 'chat', '--since', '6h', '--subscription', 'contoso prod', '-g', 'rg-0', '--name', 'acs-000', '-o', 'json'];
    const r = await sameAsId(withName, ['query', '-m', 'chat', '--since', '6h', '--subscription', A, '-g', 'rg-0', '--name', 'acs-000', '-o', 'json']);
    // acs-000 (i = 0): 1 SendChatMessage per hour, over 6 hours.
    const doc = JSON.parse(r.stdout) as { series: { total: number }[] };
    expect(doc.series.reduce((s, x) => s + x.total, 0)).toBe(6);
  });

  it('a name never reaches the metrics APIs: every metrics request is about the id', async () => {
    const r = await run(['status', '--subscription', 'Contoso Prod', '--metric', 'chat', '-o', 'json'], { env: liveEnv(h) });
    expect(r.code).toBe(0);
    const metricsCalls = h.emulator.requests.filter((q) => !q.path.toLowerCase().includes('resourcegraph'));
    expect(metricsCalls.length).toBeGreaterThan(0);
    for (const q of metricsCalls) {
      const text = `${decodeURIComponent(q.url)} ${q.body ?? ''}`.toLowerCase();
      expect(text).not.toContain('contoso');
      expect(text).toContain(A);
    }
    const shortcut = await run(['query', '-m', 'chat', '--subscription', 'Contoso Prod', '-g', 'rg-0', '--name', 'acs-000'], { env: liveEnv(h) });
    expect(shortcut.code).toBe(0);
    const list = h.emulator.metricRequests.at(-1)!;
    expect(list.path).toBe(
      `/subscriptions/${A}/resourceGroups/rg-0/providers/Microsoft.Communication/CommunicationServices/acs-000/providers/Microsoft.Insights/metrics`,
    );
  });

  it.each([
    ['status', ['status', '--metric', 'chat,sms', '-o', 'json']],
    ['usage', ['usage', '--metric', 'chat', '-o', 'json']],
    ['check', ['check', '--metric', 'chat', '--max-error-rate', '5%']],
  ])('%s takes a name as it takes the id', async (_, args) => {
    await sameAsId([...args, '--subscription', 'Contoso Dev'], [...args, '--subscription', B]);
  });

  it('definitions with -g and --name: the name is resolved', async () => {
    const [, , , , rg, , , , name] = RESOURCE.split('/');
    await sameAsId(
      ['definitions', '--subscription', 'emulator own', '-g', rg!, '--name', name!, '--json'],
      ['definitions', '--subscription', SUBSCRIPTION, '-g', rg!, '--name', name!, '--json'],
    );
  });

  it('export: the manifest lists the same resources, with their ids', async () => {
    const a = join(dir, 'by-name');
    const b = join(dir, 'by-id');
    const byName = await run(['export', a, '--subscription', 'Fabrikam Test', '--metric', 'chat', '--since', '2h'], { env: liveEnv(h) });
    expect(byName.stderr).toBe(`note: exported 4 files (4 of 4 done, 0.0 MiB, 1 requests in all) to ${a}, up to 2026-01-08T00:00:00Z\n`);
    expect(byName.code).toBe(0);
    const byId = await run(['export', b, '--subscription', C, '--metric', 'chat', '--since', '2h'], { env: liveEnv(h) });
    expect(byId.code).toBe(0);
    const resources = (d: string) => (JSON.parse(readFileSync(join(d, 'acs-metrics-export.manifest'), 'utf8')) as { resources: string[] }).resources;
    expect(resources(a)).toEqual(resources(b));
    // C holds i % 3 == 2: acs-002, 005, 008, 011 (rg-0 for even i, rg-1 for odd), sorted by id.
    const id = (rg: string, n: string) => `/subscriptions/${C}/resourceGroups/${rg}/providers/Microsoft.Communication/CommunicationServices/${n}`;
    expect(resources(a)).toEqual([id('rg-0', 'acs-002'), id('rg-0', 'acs-008'), id('rg-1', 'acs-005'), id('rg-1', 'acs-011')]);
  });

  it('--debug tells which id each name is', async () => {
    const r = await run(['resources', '--subscription', 'Contoso Prod', '--debug', '-o', 'json'], { env: liveEnv(h) });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`debug: subscription "Contoso Prod" is ${A} (Resource Graph: 4 subscriptions visible)\n`);
  });

  it('pages the subscription list with $skipToken and waits out the quota like discovery', async () => {
    Object.assign(h.emulator.estate, { pageSize: 1, quota: 2, quotaResetSeconds: 1 });
    const [, , , , rg, , , , name] = RESOURCE.split('/');
    // One resource by its parts: the lookup is the only Resource Graph query.
    const r = await run(['query', '-m', 'chat', '--subscription', 'Emulator Own', '-g', rg!, '--name', name!, '--debug'], { env: liveEnv(h) });
    expect(r.code).toBe(0);
    expect(h.emulator.graphRequests).toHaveLength(4);
    const pages = lookups();
    expect(pages.map((b) => b.options.$skipToken)).toEqual([undefined, ...[1, 2, 3].map((n) => skipToken(n))]);
    // Page 2 answers remaining 0, resets after 1 s: page 3 waits for it (and gets no 429).
    expect(h.emulator.graphRequests.map((q) => q.status)).toEqual([200, 200, 200, 200]);
    expect(h.emulator.graphRequests[2]!.at - h.emulator.graphRequests[1]!.at).toBeGreaterThanOrEqual(990);
    expect(r.stderr).toContain('debug: Resource Graph quota used up: waiting 1s\n');
    expect(r.stderr).toContain(`debug: subscription "Emulator Own" is ${SUBSCRIPTION} (Resource Graph: 4 subscriptions visible)\n`);
  });

  it('a truncated subscription list is refused', async () => {
    Object.assign(h.emulator.estate, { pageSize: 3, truncate: true });
    const r = await run(['resources', '--subscription', 'Contoso Prod'], { env: liveEnv(h) });
    expect(r.code).toBe(3);
    expect(r.stderr).toBe(
      'error: Resource Graph truncated its answer (3 of 4 subscriptions) and gave no $skipToken to read the rest: give --subscription the subscription id instead of its name\n',
    );
  });

  it('Resource Graph refusing the lookup is one line, exit 3', async () => {
    h.emulator.inject({ kind: 'status', status: 403 }, 1, 'graph');
    const r = await run(['resources', '--subscription', 'Contoso Prod'], { env: liveEnv(h) });
    expect(r.code).toBe(3);
    expect(r.stderr).toBe(
      `error: access denied to Resource Graph on ${new URL(h.emulator.endpoint).host} (HTTP 403 AuthorizationFailed): listing resources needs the Reader role on the subscriptions\n`,
    );
  });

  it.each([
    [['resources', '--subscription', ''], 'invalid --subscription "": expected a subscription id (a GUID) or a subscription name'],
    [['resources', '--subscription', 'Contoso Prod', '--concurrency', '0'], 'invalid --concurrency "0": expected a whole number from 1 to 64'],
    [
      ['query', '-m', 'chat', '--subscription', 'Contoso Prod', '-g', 'rg/0', '--name', 'acs-000'],
      'invalid --resource-group "rg/0": expected a single name without "/", "..", "?", "#", "%" or spaces',
    ],
    [['definitions', '--subscription', 'Contoso Prod', '-g', 'rg-0'], '--subscription, --resource-group and --name go together: missing --name'],
    [
      ['definitions', '--subscription', 'Contoso Prod', '-g', 'rg-0', '--name', 'a b'],
      'invalid --name "a b": expected a single name without "/", "..", "?", "#", "%" or spaces',
    ],
    [['resources', '--subscription', 'Contoso Prod', '--resource', estate[0]!.id], 'give either --resource or --subscription, not both'],
  ])('%j: a usage error before any lookup', async (args, message) => {
    const r = await run(args, { env: liveEnv(h) });
    expect(r.stderr).toBe(`error: ${message}\n`);
    expect(r.code).toBe(2);
    expect(h.emulator.requests).toHaveLength(0);
  });
});

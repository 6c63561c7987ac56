/** `acs-metrics resources` and the selection options, against the emulator's Resource Graph. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, liveEnv, openEstateHarness } from './emulator/harness.js';
import { makeEstate, SUBS } from './emulator/estate.js';
import { run } from './helpers/io.js';
import { skipToken } from './emulator/graph-shapes.js';

let h: Harness;
const estate = makeEstate(12);
const dir = mkdtempSync(join(tmpdir(), 'acs-resources-'));
beforeAll(async () => {
  h = await openEstateHarness(estate);
});
afterAll(async () => {
  await h.close();
  rmSync(dir, { recursive: true, force: true });
});
afterEach(() => {
  h.emulator.reset();
  Object.assign(h.emulator.estate, { pageSize: 1000, truncate: false, quota: 15, quotaResetSeconds: 5 });
});

type Row = { id: string; name: string; subscriptionId: string; resourceGroup: string; location: string; dataLocation: string; tags: Record<string, string> };
const names = (stdout: string): string[] => (JSON.parse(stdout) as { resources: Row[] }).resources.map((r) => r.name);
const A = SUBS[0];
const B = SUBS[1];

describe('resources', () => {
  it('lists every resource the credential can see in one Resource Graph query, with the table totals', async () => {
    const r = await run(['resources', '--all-subscriptions'], { env: liveEnv(h) });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const lines = r.stdout.split('\n');
    expect(lines[1]).toMatch(/│ Name +│ Subscription +│ Resource group │ Data location │ Tags +│/);
    expect(lines[3]).toBe(`│ acs-000 │ ${A} │ rg-0           │ United States │ env=prod │`);
    expect(r.stdout.endsWith('12 resources in 3 subscriptions\n')).toBe(true);
    expect(h.emulator.graphRequests).toHaveLength(1);
    const body = JSON.parse(h.emulator.graphRequests[0]!.body!);
    expect(body.subscriptions).toBeUndefined();
    expect(body.query).toContain("where type =~ 'microsoft.communication/communicationservices'");
    expect(body.query).toContain('dataLocation = tostring(properties.dataLocation)');
  });

  it('groups the subscriptions into one query and pages with $skipToken', async () => {
    h.emulator.estate.pageSize = 3;
    const r = await run(['resources', '--subscription', A, '--subscription', B, '-o', 'json'], { env: liveEnv(h) });
    expect(r.code).toBe(0);
    // i % 3 == 0 in A, i % 3 == 1 in B: 8 resources, sorted by id (A's rg-0, A's rg-1, B's rg-0, B's rg-1).
    expect(names(r.stdout)).toEqual(['acs-000', 'acs-006', 'acs-003', 'acs-009', 'acs-004', 'acs-010', 'acs-001', 'acs-007']);
    const bodies = h.emulator.graphRequests.map((q) => JSON.parse(q.body!));
    expect(bodies).toHaveLength(3);
    expect(bodies.map((b) => b.subscriptions)).toEqual([
      [A, B],
      [A, B],
      [A, B],
    ]);
    expect(bodies.map((b) => b.options.$skipToken)).toEqual([undefined, skipToken(3), skipToken(6)]);
    const doc = JSON.parse(r.stdout) as { schemaVersion: number; resources: Row[] };
    expect(doc.schemaVersion).toBe(1);
    expect(doc.resources[0]).toEqual({
      id: `/subscriptions/${A}/resourceGroups/rg-0/providers/Microsoft.Communication/CommunicationServices/acs-000`,
      name: 'acs-000',
      subscriptionId: A,
      resourceGroup: 'rg-0',
      location: 'global',
      dataLocation: 'United States',
      tags: { env: 'prod' },
    });
  });

  it('narrows by resource group, name glob and tag', async () => {
    const r = await run(
      ['resources', '--all-subscriptions', '--resource-group', 'RG-0', '--name', 'acs-00?', '--name', 'acs-01*', '--tag', 'ENV=prod', '-o', 'json'],
      { env: liveEnv(h) },
    );
    expect(r.code).toBe(0);
    // rg-0 is even i; prod is even i; names acs-000..acs-009 and acs-01x: 0, 2, 4, 6, 8, 10.
    expect(names(r.stdout).sort()).toEqual(['acs-000', 'acs-002', 'acs-004', 'acs-006', 'acs-008', 'acs-010']);
  });

  it('writes CSV with tags as key=value and the full id', async () => {
    const r = await run(['resources', '--subscription', A, '--name', 'acs-003', '-o', 'csv'], { env: liveEnv(h) });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      'name,subscription,resourceGroup,location,dataLocation,tags,id\r\n' +
        `acs-003,${A},rg-1,global,United States,env=dev,/subscriptions/${A}/resourceGroups/rg-1/providers/Microsoft.Communication/CommunicationServices/acs-003\r\n`,
    );
  });

  it('never uses a truncated answer', async () => {
    Object.assign(h.emulator.estate, { pageSize: 5, truncate: true });
    const r = await run(['resources', '--all-subscriptions'], { env: liveEnv(h) });
    expect(r.code).toBe(3);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      'error: Resource Graph truncated its answer (5 of 12 resources) and gave no $skipToken to read the rest: narrow the selection with --subscription\n',
    );
  });

  it('waits for the quota to reset when x-ms-user-quota-remaining reaches 0', async () => {
    Object.assign(h.emulator.estate, { pageSize: 4, quota: 2, quotaResetSeconds: 1 });
    const started = Date.now();
    const r = await run(['resources', '--all-subscriptions', '--debug', '-o', 'json'], { env: liveEnv(h) });
    expect(r.code).toBe(0);
    expect(names(r.stdout)).toHaveLength(12);
    // Page 2 answers remaining 0, resets after 1 s: page 3 waits for it (and gets no 429).
    expect(h.emulator.graphRequests.map((q) => q.status)).toEqual([200, 200, 200]);
    expect(h.emulator.graphRequests[2]!.at - h.emulator.graphRequests[1]!.at).toBeGreaterThanOrEqual(990);
    expect(r.stderr).toContain('debug: Resource Graph quota used up: waiting 1s\n');
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
  });

  it('says when nothing matches (exit 3)', async () => {
    const r = await run(['resources', '--subscription', A, '--name', 'nope*'], { env: liveEnv(h) });
    expect(r.code).toBe(3);
    expect(r.stderr).toBe(
      `error: no Communication Services resource matches the selection (subscription ${A}, name nope*); Resource Graph found 4 in those subscriptions\n`,
    );
  });

  it('reads back its JSON with --resources-from, without Resource Graph', async () => {
    const listed = await run(['resources', '--subscription', B, '-o', 'json'], { env: liveEnv(h) });
    const file = join(dir, 'b.json');
    writeFileSync(file, listed.stdout);
    h.emulator.reset();
    const r = await run(['resources', '--resources-from', file, '-o', 'csv'], { env: liveEnv(h) });
    expect(r.code).toBe(0);
    expect(
      r.stdout
        .split('\r\n')
        .slice(1, -1)
        .map((l) => l.split(',')[0]),
    ).toEqual(['acs-004', 'acs-010', 'acs-001', 'acs-007']);
    expect(h.emulator.requests).toHaveLength(0);
  });

  it('reads ids one per line from stdin, skipping comments and repeats', async () => {
    const id = estate[5]!.id;
    const r = await run(['resources', '--resources-from', '-', '-o', 'json'], {
      env: liveEnv(h),
      stdin: `# mine\n${id}\n\n${id.toUpperCase().replace('SUBSCRIPTIONS', 'subscriptions')}\n`,
    });
    expect(r.code).toBe(0);
    expect(names(r.stdout)).toEqual(['acs-005']);
  });

  it.each([
    [['--subscription', ' '], 'error: invalid --subscription " ": expected a subscription id (a GUID) or a subscription name\n'],
    [['--name', 'acs-*'], "error: --name narrows a subscription's resources: give --subscription S (or --all-subscriptions) too\n"],
    [['--all-subscriptions', '--subscription', A], 'error: give either --all-subscriptions or --subscription, not both\n'],
    [['--all-subscriptions', '--tag', 'env'], 'error: invalid --tag "env": expected KEY=VALUE, e.g. --tag env=prod\n'],
    [['--resource', estate[0]!.id, '--subscription', A], 'error: give either --resource or --subscription, not both\n'],
    [['--resources-from', 'missing.txt'], 'error: cannot read missing.txt: no such file\n'],
    [[], 'error: no resources named: give --subscription S, --all-subscriptions, --resource ID or --resources-from FILE\n'],
    [['--all-subscriptions', '-o', 'xml'], 'error: invalid --output "xml": expected one of table, json, csv\n'],
    [['--all-subscriptions', '--concurrency', '0'], 'error: invalid --concurrency "0": expected a whole number from 1 to 64\n'],
    [
      ['--all-subscriptions', '--batch-endpoint', 'http://x'],
      'error: invalid --batch-endpoint "http://x": it must be an https URL (access tokens are never sent over plain http)\n',
    ],
  ])('%j is a usage error', async (args, message) => {
    const r = await run(['resources', ...args], { env: liveEnv(h) });
    expect(r.stderr).toBe(message);
    expect(r.code).toBe(message.includes('cannot read') ? 3 : 2);
    expect(h.emulator.requests).toHaveLength(0);
  });

  it('a bad line in --resources-from names the entry', async () => {
    const r = await run(['resources', '--resources-from', '-'], { env: liveEnv(h), stdin: `${estate[0]!.id}\nacs-x\n` });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error: --resources-from stdin: entry 2: invalid resource id "acs-x": it does not start with/);
  });
});

describe('Resource Graph throttling', () => {
  it('retries a 429 after its Retry-After', async () => {
    h.emulator.inject({ kind: 'status', status: 429, headers: { 'retry-after': '1' } }, 1, 'graph');
    const r = await run(['resources', '--all-subscriptions', '-o', 'json'], { env: liveEnv(h) });
    expect(r.code).toBe(0);
    expect(names(r.stdout)).toHaveLength(12);
    expect(h.emulator.graphRequests.map((q) => q.status)).toEqual([429, 200]);
    expect(h.emulator.graphRequests[1]!.at - h.emulator.graphRequests[0]!.at).toBeGreaterThanOrEqual(990);
  });
});

describe('Resource Graph refusals', () => {
  it('a 403 is one line naming the role, exit 3', async () => {
    h.emulator.inject({ kind: 'status', status: 403 }, 1, 'graph');
    const r = await run(['resources', '--subscription', A], { env: liveEnv(h) });
    expect(r.code).toBe(3);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      `error: access denied to Resource Graph on ${new URL(h.emulator.endpoint).host} (HTTP 403 AuthorizationFailed): listing resources needs the Reader role on the subscriptions\n`,
    );
  });
});

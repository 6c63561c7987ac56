/** `acs-metrics definitions` against the emulator: the catalog compared with live metric definitions. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { METRICS } from '../src/catalog/metrics.js';
import { diffDefinitions, toLiveDefinition } from '../src/sources/azure/definitions-diff.js';
import { run } from './helpers/io.js';
import { type Harness, liveEnv, openHarness, RESOURCE, TOKEN } from './emulator/harness.js';

const def = (name: string, dims: string[], over: Record<string, unknown> = {}) => ({
  name: { value: name, localizedValue: name },
  unit: 'Count',
  primaryAggregationType: 'Count',
  supportedAggregationTypes: ['None', 'Average', 'Count', 'Minimum', 'Maximum', 'Total'],
  metricAvailabilities: [{ timeGrain: 'PT1M', retention: 'P93D' }],
  dimensions: dims.map((d) => ({ value: d, localizedValue: d })),
  ...over,
});

// What a resource might say: Chat as in the catalog (dimension names in other case), Job Router
// without ApiVersion and with Region, Rooms without Minimum and in another unit, a metric the
// catalog lacks; the other catalog metrics are absent.
const DEFINITIONS = [
  def('apirequestchat', ['operation', 'STATUSCODE', 'StatusCodeClass']),
  def('ApiRequestRouter', ['OperationName', 'StatusCode', 'StatusCodeSubClass', 'Region']),
  def('ApiRequestRooms', ['Operation', 'StatusCode', 'StatusCodeClass'], {
    unit: 'Requests',
    supportedAggregationTypes: ['Average', 'Count', 'Maximum', 'Total'],
  }),
  def('APIRequestBrandNew', ['Operation']),
];

let h: Harness;
beforeAll(async () => {
  h = await openHarness(undefined, DEFINITIONS);
});
afterAll(async () => h?.close());
beforeEach(() => h.emulator.reset());

describe('diffDefinitions', () => {
  it('compares metrics, dimensions (ignoring case), aggregations and unit', () => {
    const diff = diffDefinitions(
      METRICS,
      DEFINITIONS.map((d) => toLiveDefinition(d)!),
    );
    const byRest = Object.fromEntries(diff.metrics.map((m) => [m.rest.toLowerCase(), m]));
    expect(byRest.apirequestchat).toMatchObject({ alias: 'chat', status: 'same', notes: [] });
    expect(byRest.apirequestrouter).toMatchObject({
      status: 'different',
      dimensions: { missing: ['ApiVersion'], extra: ['Region'] },
      // The resource says Count; the catalog follows the 2025 reference (Total).
      primaryAggregation: { catalog: 'Total', resource: 'Count' },
      notes: ['dimensions not on the resource: ApiVersion', 'dimensions not in the catalog: Region', 'primary aggregation Count (catalog: Total)'],
    });
    expect(byRest.apirequestrooms).toMatchObject({
      status: 'different',
      aggregations: { missing: ['Minimum'], extra: [] },
      unit: { catalog: 'Count', resource: 'Requests' },
    });
    expect(byRest.apirequestsms).toMatchObject({ status: 'catalog-only', notes: ['not on the resource'] });
    expect(byRest.apirequestnetworktraversal).toMatchObject({ status: 'catalog-only', legacy: true });
    expect(byRest.apirequestbrandnew).toMatchObject({ status: 'resource-only', notes: ['not in the catalog; dimensions Operation'] });
    expect(diff.differing).toBe(METRICS.length - 1 + 1);
  });
});

describe('acs-metrics definitions', () => {
  it('prints a table of the differences and exits 0', async () => {
    const r = await run(['definitions', '--resource', RESOURCE], { env: liveEnv(h) });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(h.emulator.requests.map((x) => [x.path, x.query])).toEqual([
      [
        `${RESOURCE}/providers/Microsoft.Insights/metricDefinitions`,
        { 'api-version': '2024-02-01', metricnamespace: 'Microsoft.Communication/CommunicationServices' },
      ],
    ]);
    expect(r.stdout.split('\n')[0]).toBe(`Metric definitions of ${RESOURCE} compared with the built-in catalog`);
    expect(r.stdout).toMatch(
      /│ router +│ ApiRequestRouter +│ different +│ dimensions not on the resource: ApiVersion +│\n│ +│ +│ +│ dimensions not in the catalog: Region +│\n/,
    );
    expect(r.stdout).toMatch(/│ networktraversal +│ APIRequestNetworkTraversal +│ catalog only +│ not on the resource \(a legacy metric\) +│/);
    expect(r.stdout).toMatch(/│ chat +│ apirequestchat +│ same +│/);
    expect(r.stdout).toMatch(/│ - +│ APIRequestBrandNew +│ resource only +│ not in the catalog; dimensions Operation/);
    // What the operator can do, not advice to a maintainer of the source.
    expect(
      r.stdout.endsWith(
        [
          '13 of 14 metrics differ from the built-in catalog.',
          'Operations the catalog lacks: "acs-metrics definitions --values --write-extra extra.json" saves them,',
          'and "--catalog-extra extra.json" makes query and check accept them.',
          'Anything else needs a new catalog: report it in an issue on the acs-metrics project, with the',
          'output of "acs-metrics definitions --json" (with the resource id left out if it is private).',
          '',
        ].join('\n'),
      ),
    ).toBe(true);
    expect(r.stdout).not.toContain('src/catalog');
  });

  it('fits --width, the terminal or COLUMNS like the other tables (the values table too)', async () => {
    const unlimited = await run(['definitions', '--resource', RESOURCE, '--values'], { env: liveEnv(h) });
    const widest = (text: string) => Math.max(...text.split('\n').map((l) => [...l].length));
    expect(widest(unlimited.stdout)).toBeGreaterThan(100);
    for (const [argv, env] of [
      [['--width', '60'], {}],
      [[], { COLUMNS: '60' }],
    ] as const) {
      const r = await run(['definitions', '--resource', RESOURCE, '--values', ...argv], { env: { ...liveEnv(h), ...env } });
      expect(r.code).toBe(0);
      // The resource id is never cut (it stays copyable, as URLs do): it gets a line of its own.
      expect(r.stdout.split('\n').slice(0, 3)).toEqual(['Metric definitions of', RESOURCE, 'compared with the built-in catalog']);
      expect(widest(r.stdout.replace(RESOURCE, ''))).toBeLessThanOrEqual(60);
      // REST names are cut in the middle as a last resort; differences and values wrap.
      expect(r.stdout).toMatch(/^│ router +│ ApiReq…outer │ different +│ \w+ +│$/m);
      expect(r.stdout).toContain("│ chat   │ Operation │ O'Brien          │ 24    │ not in  │\n│        │           │                  │       │ catalog │\n");
    }
    const bad = await run(['definitions', '--resource', RESOURCE, '--width', '5'], { env: liveEnv(h) });
    expect([bad.code, bad.stderr]).toEqual([2, 'error: invalid --width "5": expected a whole number of columns from 20 to 1000\n']);
  });

  it('prints JSON for scripts', async () => {
    const r = await run(['definitions', '--resource', RESOURCE, '--json'], { env: liveEnv(h) });
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc).toMatchObject({ schemaVersion: 1, resource: RESOURCE, differing: 13 });
    expect(doc.metrics.find((m: { rest: string }) => m.rest === 'ApiRequestRooms')).toEqual({
      alias: 'rooms',
      rest: 'ApiRequestRooms',
      displayName: 'ApiRequestRooms',
      status: 'different',
      legacy: false,
      dimensions: { missing: [], extra: [] },
      aggregations: { missing: ['Minimum'], extra: [] },
      unit: { catalog: 'Count', resource: 'Requests' },
      primaryAggregation: null,
      notes: ['aggregations not on the resource: Minimum', 'unit Requests (catalog: Count)'],
    });
  });

  it('says when the catalog matches', async () => {
    const original = h.emulator.definitions;
    h.emulator.definitions = METRICS.map((m) =>
      def(
        m.rest,
        m.dimensions.map((d) => d.rest),
        { primaryAggregationType: m.primaryAggregation === 'total' ? 'Total' : 'Count' },
      ),
    );
    try {
      const r = await run(['definitions', '--resource', RESOURCE], { env: liveEnv(h) });
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/The catalog matches the resource\.\n$/);
    } finally {
      h.emulator.definitions = original;
    }
  });

  it('fails in one line with exit 3 when the definitions cannot be fetched, never showing the token', async () => {
    h.emulator.inject({ kind: 'status', status: 403 }, 1, 'definitions');
    const r = await run(['definitions', '--resource', RESOURCE, '--debug'], { env: liveEnv(h) });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain(`error: access denied to ${RESOURCE} (HTTP 403 AuthorizationFailed): reading metrics needs the Monitoring Reader role`);
    expect(r.stderr + r.stdout).not.toContain(TOKEN);
  });

  it('--values lists the operation values seen over 30 days, flags those the catalog lacks, and --write-extra feeds --catalog-extra', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'acs-extra-'));
    try {
      const file = join(dir, 'extra.json');
      const r = await run(['definitions', '--resource', RESOURCE, '--write-extra', file, '--json'], { env: liveEnv(h) });
      expect(r.code).toBe(0);
      expect(r.stderr).toBe(`note: wrote 1 value not in the catalog to ${file}; pass it with --catalog-extra\n`);
      const doc = JSON.parse(r.stdout);
      expect(doc.values.start).toBe('2025-12-09T00:00:00Z');
      const chat = doc.values.metrics.find((m: { alias: string }) => m.alias === 'chat');
      // Two days of emulator traffic: 3/min + 1 per 10 min, 2/min + 1/h, 1 per 30 min, 1 per 2 h.
      expect(chat.seen).toEqual([
        { value: 'SendChatMessage', count: 2880 * 3 + 288, known: true },
        { value: 'GetChatThread', count: 2880 * 2 + 48, known: true },
        { value: 'Bad Route', count: 96, known: true },
        { value: "O'Brien", count: 24, known: false },
      ]);
      expect(chat.unknown).toEqual(["O'Brien"]);
      expect(chat.neverSeen).toHaveLength(14);
      // Only metrics the resource defines are asked for, split by their operation-like dimension, over one bucket.
      const asked = h.emulator.requests.filter((x) => x.path.endsWith('/metrics')).map((x) => [x.query.metricnames, x.query.interval, x.query.$filter]);
      expect(asked).toEqual([
        ['APIRequestChat', 'FULL', "Operation eq '*' and StatusCodeClass eq '*'"],
        ['ApiRequestRouter', 'FULL', "OperationName eq '*' and StatusCodeSubClass eq '*'"],
        ['ApiRequestRooms', 'FULL', "Operation eq '*' and StatusCodeClass eq '*'"],
      ]);
      const extra = JSON.parse(readFileSync(file, 'utf8'));
      expect(extra).toEqual({
        schemaVersion: 1,
        kind: 'acs-metrics-catalog-extra',
        resource: RESOURCE,
        start: '2025-12-09T00:00:00Z',
        end: '2026-01-08T00:00:00Z',
        metrics: { APIRequestChat: { dimension: 'Operation', values: ["O'Brien"] } },
      });

      const query = ['query', '--resource', RESOURCE, '-m', 'chat', '--since', '6h', '--operation', "O'Brien", '-o', 'json'];
      const refused = await run(query, { env: liveEnv(h) });
      expect(refused.code).toBe(2);
      expect(refused.stderr).toMatch(/^error: unknown operation "O'Brien" for chat \(APIRequestChat\)/);
      const accepted = await run([...query, '--catalog-extra', file], { env: liveEnv(h) });
      expect(accepted.code).toBe(0);
      expect(JSON.parse(accepted.stdout).query.filters).toEqual({ Operation: ["O'Brien"] });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a --catalog-extra file that is not one, in one line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'acs-extra-'));
    try {
      const file = join(dir, 'bad.json');
      writeFileSync(file, '{"metrics": {}}');
      const r = await run(['query', '--resource', RESOURCE, '-m', 'chat', '--since', '1h', '--catalog-extra', file], { env: liveEnv(h) });
      expect(r.code).toBe(2);
      expect(r.stderr).toBe(
        `error: ${file}: not a catalog extras file: expected "kind": "acs-metrics-catalog-extra" (write one with "acs-metrics definitions --write-extra FILE")\n`,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('needs a resource, refused before any request', async () => {
    const r = await run(['definitions'], { env: liveEnv(h) });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('error: no resource: give --resource ID (or set ACS_METRICS_RESOURCE), or --subscription, --resource-group and --name\n');
    expect(h.emulator.requests).toHaveLength(0);
  });

  it('documents the exit code in its help', async () => {
    const r = await run(['definitions', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Exit code 0 when the comparison was made');
  });
});

/**
 * The client against Azure's real answer shapes (test/emulator/graph-shapes.ts, batch-shapes.ts):
 * every shape gives exactly the numbers of the plain one; whole-call errors are named; the
 * 500,000-series cap is met by splitting calls before they are sent, and named when Azure still
 * answers QueryThrottledException. The estate is test/emulator/estate.ts: numbers by hand from it.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { resolveMetric } from '../src/catalog/resolve.js';
import { perResourceQuery } from '../src/core/usage.js';
import { GRAPH_QUERY } from '../src/sources/azure/discovery.js';
import { EstateSource } from '../src/sources/azure/estate-source.js';
import { parseResourceId } from '../src/sources/azure/resource-id.js';
import { batchError, ENTRY_COST } from './emulator/batch-shapes.js';
import { makeEstate, SUBS } from './emulator/estate.js';
import type { Shapes } from './emulator/estate-api.js';
import { INVALID_QUERY, readSkipToken, skipToken } from './emulator/graph-shapes.js';
import { DAY, type Harness, liveEnv, NOW, openEstateHarness, TOKEN } from './emulator/harness.js';
import { withoutCost } from './helpers/cost.js';
import { run } from './helpers/io.js';

const [A, B] = SUBS;
const estate = makeEstate(60);
let h: Harness;
let plain: string;
const STATUS = ['status', '--all-subscriptions', '-m', 'chat,sms', '-o', 'json'];
beforeAll(async () => {
  h = await openEstateHarness(estate);
  plain = (await run(STATUS, { env: liveEnv(h) })).stdout;
});
afterAll(async () => h.close());
afterEach(() => {
  h.emulator.reset();
  Object.assign(h.emulator.estate, { shapes: undefined, seriesCap: undefined, pageSize: 1000, truncate: false });
});

type Status = { partial: boolean; resources: { name: string; requests: number; errors: number }[]; cost?: { total: number; answers: number } };

/** Resource i over the last 24 h: chat 24 x (i % 5 + 1) plus 48 errors when i % 10 == 3; sms 24 when i % 4 == 0. */
function expectExact(doc: Status): void {
  expect(doc.resources).toHaveLength(60);
  for (let i = 0; i < 60; i++) {
    const r = doc.resources.find((x) => x.name === `acs-${String(i).padStart(3, '0')}`)!;
    const errors = i % 10 === 3 ? 48 : 0;
    expect([r.name, r.requests, r.errors]).toEqual([r.name, 24 * ((i % 5) + 1) + errors + (i % 4 === 0 ? 24 : 0), errors]);
  }
}

const graph = (body: unknown): Promise<Response> =>
  fetch(`${h.emulator.endpoint}/providers/Microsoft.ResourceGraph/resources?api-version=2024-04-01`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TOKEN}` },
    body: JSON.stringify(body),
  });

describe('Resource Graph shapes', () => {
  it('rows carry only the projected columns; a query without project gets whole rows', async () => {
    const projected = (await (await graph({ query: GRAPH_QUERY, options: { $top: 5 } })).json()) as { data: Record<string, unknown>[] };
    expect(projected.data[0]).toEqual({
      id: estate[0]!.id,
      name: 'acs-000',
      subscriptionId: A,
      resourceGroup: 'rg-0',
      location: 'global',
      dataLocation: 'United States',
      tags: { env: 'prod' },
    });
    const whole = (await (
      await graph({ query: "resources | where type =~ 'microsoft.communication/communicationservices'", options: { $top: 5 } })
    ).json()) as { data: Record<string, unknown>[] };
    expect(Object.keys(whole.data[0]!)).toContain('properties');
  });

  it('$skipToken is opaque base64 with +, / and =, taken back only byte for byte', async () => {
    h.emulator.estate.pageSize = 7;
    const first = (await (await graph({ query: GRAPH_QUERY, options: { $top: 1000 } })).json()) as { $skipToken: string };
    const token = first.$skipToken;
    expect(token).toBe(skipToken(7));
    expect([token.includes('+'), token.includes('/'), token.endsWith('=')]).toEqual([true, true, true]);
    expect(readSkipToken(token)).toBe(7);
    const page = await graph({ query: GRAPH_QUERY, options: { $top: 1000, $skipToken: token } });
    expect(page.status).toBe(200);
    for (const altered of [token.replace(/\+/g, ' '), encodeURIComponent(token), token.replace(/=+$/, '')]) {
      const r = await graph({ query: GRAPH_QUERY, options: { $top: 1000, $skipToken: altered } });
      expect(r.status, altered).toBe(400);
    }
  });

  it('small pages, in the table format too: the same resources, one request per page', async () => {
    const all = (await run(['resources', '--all-subscriptions', '-o', 'json'], { env: liveEnv(h) })).stdout;
    h.emulator.reset();
    h.emulator.estate.pageSize = 7;
    h.emulator.estate.shapes = { graphTable: true };
    const r = await run(['resources', '--all-subscriptions', '-o', 'json'], { env: liveEnv(h) });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(all);
    // 60 rows in pages of 7: 9 pages, each token sent back as it came.
    const bodies = h.emulator.graphRequests.map((q) => JSON.parse(q.body!) as { options: { $skipToken?: string } });
    expect(bodies.map((b) => b.options.$skipToken)).toEqual([undefined, ...[7, 14, 21, 28, 35, 42, 49, 56].map(skipToken)]);
  });

  it('a truncated table is refused', async () => {
    Object.assign(h.emulator.estate, { pageSize: 7, truncate: true, shapes: { graphTable: true } });
    const r = await run(['resources', '--all-subscriptions'], { env: liveEnv(h) });
    expect(r.code).toBe(3);
    expect(r.stderr).toBe(
      'error: Resource Graph truncated its answer (7 of 60 resources) and gave no $skipToken to read the rest: narrow the selection with --subscription\n',
    );
  });

  it('a 400 InvalidQuery names its details', async () => {
    h.emulator.inject({ kind: 'status', status: 400, body: INVALID_QUERY }, 1, 'graph');
    const r = await run(['status', '--all-subscriptions'], { env: liveEnv(h) });
    expect(r.code).toBe(3);
    expect(r.stderr).toBe(
      `error: Resource Graph on ${new URL(h.emulator.endpoint).host} failed (HTTP 400 BadRequest): ${INVALID_QUERY.error.message} (InvalidQuery: Query is invalid. Please refer to the documentation for the Azure Resource Graph service and fix the error before retrying.; UnknownTable: Table 'resourcez' could not be found.)\n`,
    );
  });
});

describe('batch shapes: the same numbers in every shape', () => {
  const shapes: [string, Shapes][] = [
    ['milliseconds in starttime/endtime', { millis: true }],
    ['a real region name', { region: 'eastus' }],
    ['no errorCode key on some entries', { noErrorCode: true }],
    ['metric ids "Sanitized"', { sanitized: true }],
    [
      'all of them, Resource Graph tables in small pages too',
      { millis: true, region: 'westeurope', noErrorCode: true, sanitized: true, cost: true, graphTable: true },
    ],
  ];
  for (const [what, s] of shapes) {
    it(what, async () => {
      h.emulator.estate.shapes = s;
      if (s.graphTable) h.emulator.estate.pageSize = 11;
      const r = await run(STATUS, { env: liveEnv(h) });
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(withoutCost(r.stdout)).toBe(withoutCost(plain));
      expectExact(JSON.parse(r.stdout) as Status);
    });
  }

  it('cost: the JSON and --debug give the sum of the cost fields', async () => {
    h.emulator.estate.shapes = { cost: true };
    const r = await run([...STATUS, '--debug'], { env: liveEnv(h) });
    expect(r.code).toBe(0);
    // chat and sms share one request: 3 subscriptions x 1 call of 20 entries, cost on entries 0, 2, ..., 18.
    expect(h.emulator.batchRequests).toHaveLength(3);
    expect((JSON.parse(r.stdout) as Status).cost).toEqual({ total: 30 * ENTRY_COST, answers: 30 });
    expect(r.stderr).toContain(`debug: Azure Monitor's answers carried a cost of ${30 * ENTRY_COST} in all (the sum of the "cost" fields of 30 answers)\n`);
    // Without cost fields there is no sum.
    expect((JSON.parse(plain) as Status).cost).toBeUndefined();
  });

  it('one resource: the cost of its Metrics - List answers (two windows of a 45-day range)', async () => {
    const r = await run(['query', '--resource', estate[0]!.id, '-m', 'chat', '--since', '45d', '-o', 'json'], { env: liveEnv(h) });
    expect(r.code).toBe(0);
    expect(h.emulator.metricRequests).toHaveLength(2);
    // The emulator's Metrics - List bodies say "cost": 0.
    expect((JSON.parse(r.stdout) as Status).cost).toEqual({ total: 0, answers: 2 });
  });

  it('529 (the data plane throttling) is retried: the same numbers', async () => {
    h.emulator.inject({ kind: 'status', status: 529, headers: { 'retry-after': '0' } }, 2, 'batch');
    const r = await run(STATUS, { env: liveEnv(h) });
    expect(r.code).toBe(0);
    expect(h.emulator.batchRequests.map((q) => q.status).sort()).toEqual([200, 200, 200, 529, 529]);
    expect(withoutCost(r.stdout)).toBe(withoutCost(plain));
  });
});

describe('whole-call errors', () => {
  const one = ['status', '--subscription', B, '-m', 'chat'];
  // Resources come sorted by id: rg-0 before rg-1, so acs-004 is first in B.
  const first = estate
    .filter((r) => r.subscription === B)
    .map((r) => r.id)
    .sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase()))[0]!;

  it('a 400 with error.additionalInfo[] fails the call, with the service message', async () => {
    const body = batchError(
      'BadRequest',
      'Detected invalid time range parameters for API version 2024-02-01. Please use only starttime and endtime to specify a time range.',
    ).body;
    h.emulator.inject({ kind: 'status', status: 400, body }, 1, 'batch');
    const r = await run(one, { env: liveEnv(h) });
    expect(r.code).toBe(3);
    expect(r.stderr).toBe(
      `error: every resource failed; the first, ${first}: Azure Monitor answered HTTP 400 BadRequest: Detected invalid time range parameters for API version 2024-02-01. Please use only starttime and endtime to specify a time range.\n`,
    );
  });

  it('a 404 PathNotFound points at --batch-endpoint', async () => {
    h.emulator.estate.shapes = { pathNotFound: true };
    const r = await run(one, { env: liveEnv(h) });
    expect(r.code).toBe(3);
    expect(r.stderr).toBe(`error: every resource failed; the first, ${first}: the endpoint has no such path (HTTP 404 PathNotFound): check --batch-endpoint\n`);
  });

  it('QueryThrottledException is named', async () => {
    // 20 resources in B answer 22 chat series (acs-013 and acs-043 have two); the cap is lowered to 20.
    h.emulator.estate.seriesCap = 20;
    const r = await run(one, { env: liveEnv(h) });
    expect(r.code).toBe(3);
    expect(r.stderr).toBe(
      `error: every resource failed; the first, ${first}: the batch call asked for more time series than Azure Monitor answers in one query (500,000; HTTP 400 QueryThrottledException: The query would return 22 time series, more than the limit of 20. Reduce the number of resources, metrics or dimension values in the query.): narrow the query (fewer split dimensions, --operation) and run again\n`,
    );
  });
});

describe('the series cap: calls are split before they are sent', () => {
  const ids = estate.filter((r) => r.subscription === B).map((r) => parseResourceId(r.id));
  const quiet = { warn: () => {}, note: () => {}, trace: () => {} };
  const source = (seriesCap?: number) =>
    new EstateSource({
      selection: { kind: 'ids', ids },
      endpoint: h.emulator.endpoint,
      batchEndpoint: h.emulator.endpoint,
      concurrency: 1,
      timeoutMs: 10_000,
      env: liveEnv(h),
      now: NOW,
      log: quiet,
      ...(seriesCap ? { seriesCap } : {}),
    });
  const queries = [perResourceQuery(resolveMetric('chat'), { sinceMs: DAY }, { kind: 'auto' }, false)];

  it('at 1,000 series a call (85 estimated per resource: 16 chat operations + 1, x 5 status classes), 20 resources go in calls of 11 and 9', async () => {
    h.emulator.estate.seriesCap = 20;
    const plan = await source(1000).plan(queries);
    expect(plan.subscriptions).toEqual([
      { subscription: B, resources: 20, batchCalls: 2, perResourceCalls: 0, fallbackCalls: 20, largestBatch: 11, largestSeries: 935 },
    ]);
    const got = await source(1000).fetch(queries);
    expect(h.emulator.batchRequests.map((q) => (JSON.parse(q.body!) as { resourceids: string[] }).resourceids.length)).toEqual([11, 9]);
    expect(h.emulator.batchRequests.every((q) => q.status === 200)).toBe(true);
    const chat = got.metrics.filter((m) => m.errorCode === undefined);
    expect(new Set(chat.map((m) => m.resourceId?.toLowerCase())).size).toBe(20);
  });

  it('without the split the same calls meet QueryThrottledException (the emulator enforces the cap)', async () => {
    h.emulator.estate.seriesCap = 20;
    await expect(source().fetch(queries)).rejects.toThrow(/QueryThrottledException/);
    expect(h.emulator.batchRequests.map((q) => (JSON.parse(q.body!) as { resourceids: string[] }).resourceids.length)).toEqual([20]);
  });
});

/** AzureSource against the loopback emulator: what it asks, what it returns, how it fails. */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { query } from './helpers/query.js';
import { runQuery } from '../src/core/run-query.js';
import { AzureSource, type AzureSourceOptions } from '../src/sources/azure/azure-source.js';
import { parseResourceId } from '../src/sources/azure/resource-id.js';
import { DAY, type Harness, NOW, NOW_MINUTE, openHarness, RESOURCE, testDataset, TOKEN } from './emulator/harness.js';

let h: Harness;
beforeAll(async () => {
  h = await openHarness();
});
afterAll(async () => h?.close());
beforeEach(() => h.emulator.reset());

function source(over: Partial<AzureSourceOptions> = {}) {
  const lines: string[] = [];
  const src = new AzureSource({
    resource: parseResourceId(RESOURCE),
    endpoint: h.emulator.endpoint,
    timeoutMs: 5000,
    env: { ACS_METRICS_ACCESS_TOKEN: TOKEN },
    now: NOW,
    log: { warn: (l) => lines.push(`warning: ${l}`), note: (l) => lines.push(`note: ${l}`), trace: (l) => lines.push(`debug: ${l}`) },
    retry: { baseDelayMs: 10 },
    ...over,
  });
  return { src, lines };
}

async function failure(p: Promise<unknown>): Promise<{ name: string; exitCode?: number; message: string }> {
  try {
    await p;
  } catch (err) {
    const e = err as { name: string; exitCode?: number; message: string };
    return { name: e.name, exitCode: e.exitCode, message: e.message };
  }
  throw new Error('expected a failure');
}

const statuses = () => h.emulator.requests.map((r) => r.status);

describe('AzureSource requests', () => {
  it('sends one Metrics - List request with the planned parameters, without a leading double slash', async () => {
    const { src } = source();
    const r = await src.fetch([query('chat', { where: [['Operation', ["O'Brien", 'SendChatMessage']]] })]);
    expect(h.emulator.requests).toHaveLength(1);
    const req = h.emulator.requests[0]!;
    expect(req.path).toBe(`${RESOURCE}/providers/Microsoft.Insights/metrics`);
    expect(req.query).toEqual({
      'api-version': '2024-02-01',
      timespan: '2026-01-07T00:00:00.000Z/2026-01-08T00:00:00.000Z',
      interval: 'PT15M',
      metricnames: 'APIRequestChat',
      metricnamespace: 'Microsoft.Communication/CommunicationServices',
      aggregation: 'Count',
      $filter: "(Operation eq 'O''Brien' or Operation eq 'SendChatMessage') and StatusCodeClass eq '*'",
      top: '10',
      orderby: 'Count desc',
    });
    expect(req.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(req.headers['user-agent']).toMatch(/^acs-metrics\/\d+\.\d+\.\d+ azsdk-js-arm-monitor\/8\.0\.0/);
    expect(r.anchor).toBe(NOW);
    expect(r.raw).toHaveLength(1);
    expect(r.metrics).toHaveLength(1);
    const dims = r.metrics[0]!.series.map((s) => s.dimensions);
    expect(dims).toEqual([
      { operation: 'SendChatMessage', statuscodeclass: '2xx' },
      { operation: 'SendChatMessage', statuscodeclass: '4xx' },
      { operation: "O'Brien", statuscodeclass: '2xx' },
    ]);
    // The clock is 00:00:37.250: the request asks for the window floored to the minute.
    expect(r.metrics[0]).toMatchObject({ name: 'APIRequestChat', origin: 'Azure Monitor', intervalMs: 15 * 60_000, start: NOW_MINUTE - DAY, end: NOW_MINUTE });
  });

  it('returns what the core needs for error rates', async () => {
    const q = query('chat', { split: ['Operation'] });
    const { src } = source();
    const result = runQuery(q, await src.fetch([q]));
    const send = result.series.find((s) => s.dimensions.Operation === 'SendChatMessage')!;
    expect(send.requests).toBe(24 * 60 * 3 + 24 * 6);
    expect(send.errors).toBe(24 * 6);
  });

  it('asks for Job Router by its own dimension names', async () => {
    const { src } = source();
    await src.fetch([query('router', { split: ['Operation', 'StatusCode'] })]);
    expect(h.emulator.requests[0]!.query.$filter).toBe("OperationName eq '*' and StatusCode eq '*' and StatusCodeSubClass eq '*'");
  });

  it('fetches ranges over 30 days in windows and joins them into one body per metric', async () => {
    const q = query('rooms', { range: { sinceMs: 75 * DAY }, interval: { kind: 'fixed', ms: DAY, iso: 'P1D' } });
    const { src } = source();
    const r = await src.fetch([q]);
    // Windows are fetched concurrently: compare them in time order.
    expect(h.emulator.requests.map((x) => x.query.timespan).sort()).toEqual([
      '2025-10-25T00:00:00.000Z/2025-11-24T00:00:00.000Z',
      '2025-11-24T00:00:00.000Z/2025-12-24T00:00:00.000Z',
      '2025-12-24T00:00:00.000Z/2026-01-08T00:00:00.000Z',
    ]);
    expect(r.raw).toHaveLength(1);
    const body = r.raw[0] as { timespan: string; value: { timeseries: { data: unknown[] }[] }[] };
    expect(body.timespan).toBe('2025-10-25T00:00:00Z/2026-01-08T00:00:00Z');
    expect(body.value[0]!.timeseries.map((s) => s.data.length)).toEqual([75, 75]);
    const result = runQuery(q, r);
    expect(result.requests).toBe(75 * 24 * 3);
  });

  it('refuses a start beyond the 93-day retention before any request', async () => {
    const { src } = source();
    const f = await failure(src.fetch([query('rooms', { range: { sinceMs: 100 * DAY } })]));
    expect(f).toMatchObject({ name: 'UsageError', exitCode: 2 });
    expect(f.message).toContain('more than 93 days ago: Azure Monitor keeps platform metrics for 93 days');
    expect(h.emulator.requests).toHaveLength(0);
  });

  it('fetches the last 24h when no range is given, and says so', async () => {
    const { src, lines } = source();
    await src.fetch([query('chat', { range: {} })]);
    expect(h.emulator.requests[0]!.query.timespan).toBe('2026-01-07T00:00:00.000Z/2026-01-08T00:00:00.000Z');
    expect(lines).toContain('note: no --since or --start: fetching the last 24h');
  });

  it('warns when a response holds exactly `top` series', async () => {
    const { src, lines } = source();
    await src.fetch([query('chat', { split: ['Operation'] })]);
    expect(lines.filter((l) => l.startsWith('warning'))).toEqual([]);
    // Two operations asked for, classes split: top is 2 x 5 = 10, and the data has 10 such series.
    const base = testDataset();
    h.emulator.dataset = {
      metrics: base.metrics.map((m) =>
        m.name !== 'APIRequestChat'
          ? m
          : {
              ...m,
              series: ['Op0', 'Op1'].flatMap((operation) =>
                ['1xx', '2xx', '3xx', '4xx', '5xx'].map((cls) => ({ ...m.series[0]!, dims: { operation, statuscode: `${cls[0]}00`, statuscodeclass: cls } })),
              ),
            },
      ),
    };
    try {
      const { src: s2, lines: l2 } = source();
      await s2.fetch([query('chat', { where: [['Operation', ['Op0', 'Op1']]] })]);
      expect(h.emulator.requests.at(-1)!.query.top).toBe('10');
      expect(l2.filter((l) => l.startsWith('warning'))).toEqual([
        'warning: Azure Monitor returned 10 series for APIRequestChat, the most acs-metrics asked for (top=10): some series may be missing; narrow the query with --operation or --status-class',
      ]);
    } finally {
      h.emulator.dataset = base;
    }
  });

  it('asks the credential for a token scoped to the endpoint (sovereign clouds), once', async () => {
    const scopes: string[] = [];
    const credential = {
      getToken: async (s: string | string[]) => {
        scopes.push(...([] as string[]).concat(s));
        return { token: TOKEN, expiresOnTimestamp: Date.now() + 3_600_000 };
      },
    };
    await source({ credential }).src.fetch([query('chat'), query('router')]);
    expect(new Set(scopes)).toEqual(new Set([`${h.emulator.endpoint}/.default`]));
    expect(h.emulator.requests).toHaveLength(2);
  });

  it('logs requests and answers with --debug, never the token', async () => {
    const { src, lines } = source();
    await src.fetch([query('chat')]);
    const debug = lines.filter((l) => l.startsWith('debug:'));
    expect(debug[0]).toMatch(
      /^debug: GET https:\/\/127\.0\.0\.1:\d+\/subscriptions\/.*\/providers\/Microsoft\.Insights\/metrics\?api-version=2024-02-01&timespan=.* \(authorization: <redacted>\)$/,
    );
    expect(debug[1]).toMatch(/^debug: HTTP 200 in \d+ ms \(x-ms-request-id emu-1\)$/);
    expect(lines.join('\n')).not.toContain(TOKEN);
  });
});

describe('the SDK client', () => {
  it("replaces the SDK's retry policy (unbounded Retry-After, no 529 throttling) and logs every attempt", async () => {
    const { openClient } = await import('../src/sources/azure/client.js');
    const { client } = await openClient({
      endpoint: h.emulator.endpoint,
      timeoutMs: 1000,
      env: { ACS_METRICS_ACCESS_TOKEN: TOKEN },
      now: NOW,
      log: { warn() {}, note() {}, trace() {} },
    });
    const names = client.pipeline.getOrderedPolicies().map((p) => p.name);
    expect(names).not.toContain('defaultRetryPolicy');
    const at = (n: string) => names.indexOf(n);
    expect(at('acsMetricsRetryPolicy')).toBeGreaterThan(-1);
    // The debug log sees each attempt, with its Authorization header already set (and never shows it).
    expect(at('acsMetricsDebugPolicy')).toBeGreaterThan(at('acsMetricsRetryPolicy'));
    expect(at('acsMetricsDebugPolicy')).toBeGreaterThan(at('bearerTokenAuthenticationPolicy'));
  });
});

describe('AzureSource failures', () => {
  it('retries 429 honouring Retry-After, then succeeds', async () => {
    h.emulator.inject({ kind: 'status', status: 429, headers: { 'retry-after': '1' } });
    const { src, lines } = source();
    const r = await src.fetch([query('chat')]);
    expect(r.metrics).toHaveLength(1);
    expect(statuses()).toEqual([429, 200]);
    const [a, b] = h.emulator.requests;
    expect(b!.at - a!.at).toBeGreaterThanOrEqual(950);
    expect(lines).toContain('debug: throttled (HTTP 429): retrying in 1s (retry 1 of 3)');
  });

  it('gives up on 429 after 3 retries', async () => {
    h.emulator.inject({ kind: 'status', status: 429, headers: { 'retry-after': '0' } }, 10);
    const f = await failure(source().src.fetch([query('chat')]));
    expect(f).toEqual({ name: 'DataError', exitCode: 3, message: 'Azure Monitor is throttling requests (HTTP 429), still after 3 retries; try again later' });
    expect(statuses()).toEqual([429, 429, 429, 429]);
  });

  it('does not wait longer than it may: a long Retry-After gives up at once', async () => {
    h.emulator.inject({ kind: 'status', status: 429, headers: { 'retry-after': '120' } });
    const f = await failure(source().src.fetch([query('chat')]));
    expect(f.message).toBe('Azure Monitor is throttling requests (HTTP 429) and asked to wait 2m, longer than acs-metrics waits; try again later');
    expect(statuses()).toEqual([429]);
  });

  it('retries 529 (the metrics back end throttling) with back-off', async () => {
    h.emulator.inject({ kind: 'status', status: 529 }, 2);
    expect((await source().src.fetch([query('chat')])).metrics).toHaveLength(1);
    expect(statuses()).toEqual([529, 529, 200]);
    h.emulator.reset();
    h.emulator.inject({ kind: 'status', status: 529 }, 10);
    const f = await failure(source().src.fetch([query('chat')]));
    expect(f.message).toBe('the Azure Monitor metrics back end is busy (HTTP 529), still after 3 retries; try again later');
  });

  it('retries 500 and reports it with the service message', async () => {
    h.emulator.inject({ kind: 'status', status: 500 }, 10);
    const f = await failure(source().src.fetch([query('chat')]));
    expect(f.message).toBe(
      'Azure Monitor failed for APIRequestChat (HTTP 500 InternalServerError: Something went wrong.), still after 3 retries; try again later',
    );
    expect(statuses()).toHaveLength(4);
  });

  const oneShot: [string, number, string][] = [
    [
      '401',
      401,
      'Azure rejected the access token in ACS_METRICS_ACCESS_TOKEN (HTTP 401 InvalidAuthenticationToken): it has expired or is for another tenant or cloud; get a new one (az account get-access-token)',
    ],
    [
      '403',
      403,
      `access denied to ${RESOURCE} (HTTP 403 AuthorizationFailed): reading metrics needs the Monitoring Reader role on the resource (or its resource group or subscription)`,
    ],
    ['404', 404, `resource not found: ${RESOURCE} (HTTP 404 ResourceNotFound): check the subscription, resource group and name`],
  ];
  for (const [label, status, message] of oneShot) {
    it(`reports ${label} in one line without retrying`, async () => {
      h.emulator.inject({ kind: 'status', status });
      expect(await failure(source().src.fetch([query('chat')]))).toEqual({ name: 'DataError', exitCode: 3, message });
      expect(statuses()).toEqual([status]);
    });
  }

  it('reports a 400 with the service message, flat or wrapped, and the catalog hint', async () => {
    const message =
      'Failed to find metric configuration for provider: Microsoft.Communication, resource Type: CommunicationServices, metric: APIRequestChat, Valid metrics: APIRequestChats,ApiRequests';
    const expected = `Azure Monitor rejected the request for APIRequestChat (HTTP 400 BadRequest): ${message} (did you mean APIRequestChats?); the built-in catalog may not match this resource: run "acs-metrics definitions" with the same --resource to compare`;
    h.emulator.inject({ kind: 'status', status: 400, body: { code: 'BadRequest', message } });
    expect((await failure(source().src.fetch([query('chat')]))).message).toBe(expected);
    h.emulator.inject({ kind: 'status', status: 400, body: { error: { code: 'BadRequest', message } } });
    expect((await failure(source().src.fetch([query('chat')]))).message).toBe(expected);
  });

  it("reports the emulator's own 400 for a metric the resource lacks", async () => {
    const f = await failure(source().src.fetch([query('sms')]));
    expect(f.message).toMatch(
      /^Azure Monitor rejected the request for APIRequestSMS \(HTTP 400 BadRequest\): Failed to find metric configuration for provider: Microsoft\.Communication, resource Type: CommunicationServices, metric: APIRequestSMS, Valid metrics: APIRequestChat,ApiRequestRouter,ApiRequestRooms.*run "acs-metrics definitions" with the same --resource to compare$/,
    );
  });

  it('keeps a per-metric failure inside a 200 for the core to report', async () => {
    h.emulator.inject({ kind: 'metric-error', errorCode: 'InvalidSamplingType', errorMessage: 'Sampling type is not found.' });
    const q = query('chat');
    const r = await source().src.fetch([q, query('rooms')]);
    const chat = r.metrics.find((m) => m.name === 'APIRequestChat')!;
    expect(chat).toMatchObject({ errorCode: 'InvalidSamplingType', errorMessage: 'Sampling type is not found.', series: [] });
    expect(r.metrics.find((m) => m.name === 'ApiRequestRooms')!.errorCode).toBeUndefined();
    expect(() => runQuery(q, r)).toThrow('Azure Monitor: APIRequestChat failed: InvalidSamplingType: Sampling type is not found.');
  });

  it('retries an answer slower than the timeout (reads are idempotent), then reports a request that never answers', async () => {
    h.emulator.inject({ kind: 'slow', delayMs: 4000 });
    const r = await source({ timeoutMs: 1000 }).src.fetch([query('chat')]);
    expect(r.metrics).toHaveLength(1);
    expect(statuses()).toEqual([0, 200]);
    h.emulator.reset();
    h.emulator.inject({ kind: 'hang' }, 10);
    const started = Date.now();
    const f = await failure(source({ timeoutMs: 1000 }).src.fetch([query('chat')]));
    expect(f).toEqual({
      name: 'DataError',
      exitCode: 3,
      message: `no answer from ${new URL(h.emulator.endpoint).host} within 1s (4 attempts); raise --timeout`,
    });
    expect(h.emulator.requests).toHaveLength(4);
    // 4 attempts of 1 s and 10 + 20 + 40 ms of back-off.
    expect(Date.now() - started).toBeGreaterThanOrEqual(4000);
    expect(Date.now() - started).toBeLessThan(6000);
  });

  it('retries a cut-short or invalid body like a 500, then says what was wrong with it', async () => {
    const host = new URL(h.emulator.endpoint).host;
    for (const kind of ['truncated', 'cut', 'invalid-json'] as const) {
      h.emulator.reset();
      h.emulator.inject({ kind });
      expect((await source().src.fetch([query('chat')])).metrics).toHaveLength(1);
      expect(statuses()).toEqual([200, 200]);
    }
    h.emulator.reset();
    h.emulator.inject({ kind: 'cut', keep: 8123 }, 10);
    expect((await failure(source().src.fetch([query('chat')]))).message).toBe(
      `the answer from ${host} is not valid JSON: it ends after 8,123 bytes (4 attempts); try again`,
    );
    h.emulator.reset();
    h.emulator.inject({ kind: 'truncated' }, 10);
    expect((await failure(source().src.fetch([query('chat')]))).message).toBe(
      `the answer from ${host} was cut off: the connection closed before the end of its body (4 attempts); try again`,
    );
    h.emulator.reset();
    h.emulator.inject({ kind: 'invalid-json' }, 10);
    expect((await failure(source().src.fetch([query('chat')]))).message).toBe(
      `the answer from ${host} is not valid JSON: unexpected text in its 28 bytes (Unexpected token 'h', ..."alue": [ this is not"...) (4 attempts); try again`,
    );
  });

  it('retries a reset connection, then reports it', async () => {
    h.emulator.inject({ kind: 'reset' });
    expect((await source().src.fetch([query('chat')])).metrics).toHaveLength(1);
    h.emulator.reset();
    h.emulator.inject({ kind: 'reset' }, 10);
    const f = await failure(source().src.fetch([query('chat')]));
    expect(f.message).toBe(`the connection to ${new URL(h.emulator.endpoint).host} was closed before an answer came (ECONNRESET); try again`);
    expect(h.emulator.requests).toHaveLength(4);
  });

  it('reports a refused connection with the host, at once', async () => {
    const { createServer } = await import('node:net');
    const srv = createServer();
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
    const port = (srv.address() as { port: number }).port;
    await new Promise<void>((r) => srv.close(() => r()));
    const f = await failure(source({ endpoint: `https://127.0.0.1:${port}` }).src.fetch([query('chat')]));
    expect(f.message).toBe(`cannot reach 127.0.0.1:${port}: connection refused (ECONNREFUSED); check --endpoint and your network`);
  });

  it('stops promptly on interrupt, while waiting for an answer or for a retry', async () => {
    h.emulator.inject({ kind: 'slow', delayMs: 10_000 });
    const c1 = new AbortController();
    setTimeout(() => c1.abort(), 200);
    let started = Date.now();
    expect(await failure(source().src.fetch([query('chat')], c1.signal))).toMatchObject({ name: 'InterruptedError', exitCode: 130 });
    expect(Date.now() - started).toBeLessThan(2000);

    h.emulator.reset();
    h.emulator.inject({ kind: 'status', status: 429, headers: { 'retry-after': '20' } });
    const c2 = new AbortController();
    setTimeout(() => c2.abort(), 300);
    started = Date.now();
    expect(await failure(source().src.fetch([query('chat')], c2.signal))).toMatchObject({ name: 'InterruptedError', exitCode: 130 });
    expect(Date.now() - started).toBeLessThan(2000);
  });
});

/** `acs-metrics query` against the loopback emulator, in-process: options, requests, errors, --save. */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { run } from './helpers/io.js';
import { type Harness, liveEnv, openHarness, RESOURCE, SUBSCRIPTION, TOKEN } from './emulator/harness.js';
import { withoutCost } from './helpers/cost.js';

let h: Harness;
let dir: string;
beforeAll(async () => {
  h = await openHarness();
  dir = mkdtempSync(join(tmpdir(), 'acs-metrics-live-'));
});
afterAll(async () => {
  await h?.close();
  rmSync(dir, { recursive: true, force: true });
});
beforeEach(() => h.emulator.reset());

const live = (argv: string[], env: Record<string, string | undefined> = {}, signal?: AbortSignal) => run(argv, { env: liveEnv(h, env), cwd: dir, signal });
const chat = ['query', '--resource', RESOURCE, '-m', 'chat', '--since', '24h'];
const SHAPE = 'expected /subscriptions/<subscription-guid>/resourceGroups/<group>/providers/Microsoft.Communication/CommunicationServices/<name>';
const host = () => new URL(h.emulator.endpoint).host;
const LATE_NOTE = 'note: the last bucket (2026-01-07T23:45:00Z) may be incomplete: Azure Monitor data arrives a few minutes late\n';

describe('live query output', () => {
  it('prints a table of the live data', async () => {
    const r = await live(chat);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(
      `${LATE_NOTE}note: chat (APIRequestChat) retires on 2028-09-30 (no new customers since 2026-10-23); see https://learn.microsoft.com/azure/communication-services/acs-retirement-and-breaking-changes-guide\n`,
    );
    expect(r.stdout).toMatch(/^Chat API Requests \(APIRequestChat\) · count per PT15M · 2026-01-07T00:00Z – 2026-01-08T00:00Z\n/);
    expect(r.stdout).toMatch(/│ SendChatMessage │ 4,464 │ +60\.1% │ +144 │ +3\.2% │/);
    expect(r.stdout).toMatch(/│ Total +│ 7,428 │/);
  });

  it('prints JSON with totals and error rates', async () => {
    const r = await live([...chat, '-o', 'json']);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.query).toMatchObject({ metric: 'APIRequestChat', interval: 'PT15M', start: '2026-01-07T00:00:00Z', end: '2026-01-08T00:00:00Z' });
    expect(doc.total).toBe(7428);
    expect(doc.errors).toBe(216);
  });

  it('prints CSV and a chart', async () => {
    const csv = await live([...chat, '-o', 'csv', '--split-by', 'none']);
    expect(csv.code).toBe(0);
    expect(csv.stdout.split('\r\n')[0]).toBe('timestamp,value');
    expect(csv.stdout.split('\r\n')).toHaveLength(96 + 2);
    const chart = await live([...chat, '-o', 'chart', '--width', '80']);
    expect(chart.code).toBe(0);
    expect(chart.stdout).toContain('── SendChatMessage');
  });

  it('sends the parameters the query needs: filters, splits, status dimensions, aggregation, grain, top, order', async () => {
    const r = await live([
      'query',
      '--resource',
      RESOURCE,
      '-m',
      'chat',
      '--operation',
      'SendChatMessage,GetChatThread',
      '--status-class',
      '4xx',
      '--split-by',
      'operation',
      '--errors',
      '429',
      '-a',
      'avg',
      '--interval',
      '2h',
      '--since',
      '12h',
    ]);
    expect(r.code).toBe(0);
    expect(h.emulator.metricRequests.map((x) => x.query)).toEqual([
      {
        'api-version': '2024-02-01',
        timespan: '2026-01-07T12:00:00.000Z/2026-01-08T00:00:00.000Z',
        interval: 'PT1H',
        metricnames: 'APIRequestChat',
        metricnamespace: 'Microsoft.Communication/CommunicationServices',
        aggregation: 'Count,Total,Average',
        $filter: "(Operation eq 'SendChatMessage' or Operation eq 'GetChatThread') and StatusCode eq '*' and StatusCodeClass eq '4xx'",
        top: '120',
        orderby: 'Average desc',
      },
    ]);
  });

  it('builds the resource id from --subscription, --resource-group and --name', async () => {
    const r = await live(['query', '--subscription', SUBSCRIPTION, '--resource-group', 'rg-test', '--name', 'acs-test', '-m', 'chat', '--since', '1h']);
    expect(r.code).toBe(0);
    expect(h.emulator.requests[0]!.path).toBe(`${RESOURCE}/providers/Microsoft.Insights/metrics`);
  });

  it('takes the resource from ACS_METRICS_RESOURCE', async () => {
    const r = await live(['query', '-m', 'chat', '--since', '1h'], { ACS_METRICS_RESOURCE: RESOURCE });
    expect(r.code).toBe(0);
    expect(h.emulator.requests).toHaveLength(1);
  });

  it('fetches ranges over 30 days in 30-day windows', async () => {
    const r = await live(['query', '--resource', RESOURCE, '-m', 'rooms', '--since', '60d', '--split-by', 'none', '-o', 'json']);
    expect(r.code).toBe(0);
    // Windows are fetched concurrently: compare them in time order.
    expect(h.emulator.requests.map((x) => x.query.timespan).sort()).toEqual([
      '2025-11-09T00:00:00.000Z/2025-12-09T00:00:00.000Z',
      '2025-12-09T00:00:00.000Z/2026-01-08T00:00:00.000Z',
    ]);
    expect(JSON.parse(r.stdout).total).toBe(60 * 24 * 3);
  });
});

describe('live query refusals before any request', () => {
  const refusals: [string, string[], Record<string, string>, string][] = [
    [
      'a subscription that is not a GUID',
      ['--resource', RESOURCE.replace(SUBSCRIPTION, 'prod')],
      {},
      `error: invalid resource id "${RESOURCE.replace(SUBSCRIPTION, 'prod')}": the subscription "prod" is not a GUID; ${SHAPE}\n`,
    ],
    [
      'another resource type',
      ['--resource', RESOURCE.replace('Microsoft.Communication/CommunicationServices', 'Microsoft.Web/sites')],
      {},
      `error: invalid resource id "${RESOURCE.replace('Microsoft.Communication/CommunicationServices', 'Microsoft.Web/sites')}": it names a Microsoft.Web/sites resource, not Microsoft.Communication/CommunicationServices; ${SHAPE}\n`,
    ],
    ['".." in the id', ['--resource', `${RESOURCE}/../x`], {}, `error: invalid resource id "${RESOURCE}/../x": it contains ".."; ${SHAPE}\n`],
    ['a query string', ['--resource', `${RESOURCE}?x=1`], {}, `error: invalid resource id "${RESOURCE}?x=1": it contains "?"; ${SHAPE}\n`],
    [
      'a bad id in the environment',
      [],
      { ACS_METRICS_RESOURCE: 'acs-test' },
      `error: ACS_METRICS_RESOURCE: invalid resource id "acs-test": it does not start with /subscriptions/<subscription-guid>; ${SHAPE}\n`,
    ],
    ['--resource with --name', ['--resource', RESOURCE, '--name', 'x'], {}, 'error: give either --resource or --name, not both\n'],
    [
      '--resource-group without a subscription',
      ['--resource-group', 'rg', '--name', 'x'],
      {},
      "error: --resource-group, --name narrow a subscription's resources: give --subscription S (or --all-subscriptions) too\n",
    ],
    ['--fixture with --resource', ['--resource', RESOURCE, '--fixture', 'x.json'], {}, 'error: give either --fixture or --resource, not both\n'],
    [
      'a plain http endpoint',
      ['--resource', RESOURCE, '--endpoint', 'http://127.0.0.1:1'],
      {},
      'error: invalid --endpoint "http://127.0.0.1:1": it must be an https URL (access tokens are never sent over plain http)\n',
    ],
    [
      'an endpoint with a path',
      ['--resource', RESOURCE, '--endpoint', 'https://management.azure.com/x'],
      {},
      'error: invalid --endpoint "https://management.azure.com/x": give only the scheme and host, e.g. https://management.chinacloudapi.cn\n',
    ],
    [
      'a bad timeout',
      ['--resource', RESOURCE, '--timeout', 'soon'],
      {},
      'error: invalid --timeout "soon": expected a duration from 1s to 1h, such as 30s, 2m or PT30S\n',
    ],
    [
      'a start beyond the retention',
      ['--resource', RESOURCE, '--since', '100d'],
      {},
      'error: the window starts at 2025-09-30T00:00:00Z, more than 93 days ago: Azure Monitor keeps platform metrics for 93 days (earliest start now: 2025-10-07T00:00:00Z)\n',
    ],
    // The clock is at 2026-01-08T00:00:37.250Z: a window after it has no data yet (it was an empty table, exit 0).
    [
      'a window after now',
      ['--resource', RESOURCE, '--start', '2026-01-09T00:00:00Z', '--end', '2026-01-10T00:00:00Z'],
      {},
      'error: the window starts at 2026-01-09T00:00:00Z, after now (2026-01-08T00:00:37Z): Azure Monitor has no data for it yet; give a --start in the past, or --since\n',
    ],
    ['--save into a missing directory', ['--resource', RESOURCE, '--save', 'nowhere/x.json'], {}, 'error: cannot write nowhere/x.json: no such directory\n'],
  ];
  for (const [label, args, env, stderr] of refusals) {
    it(`refuses ${label}`, async () => {
      const r = await live(['query', '-m', 'chat', ...args], env);
      expect(r.stderr).toBe(stderr);
      expect(r.code).toBe(stderr.includes('cannot write') ? 3 : 2);
      expect(r.stdout).toBe('');
      expect(h.emulator.requests).toHaveLength(0);
    });
  }

  it('accepts a timeout in ISO 8601', async () => {
    const r = await live([...chat, '--timeout', 'PT30S']);
    expect(r.code).toBe(0);
  });
});

describe('live query errors: one line, exit 3', () => {
  const cases: [string, Parameters<Harness['emulator']['inject']>[0], number, string][] = [
    [
      '401',
      { kind: 'status', status: 401 },
      1,
      'error: Azure rejected the access token in ACS_METRICS_ACCESS_TOKEN (HTTP 401 InvalidAuthenticationToken): it has expired or is for another tenant or cloud; get a new one (az account get-access-token)\n',
    ],
    [
      '403',
      { kind: 'status', status: 403 },
      1,
      `error: access denied to ${RESOURCE} (HTTP 403 AuthorizationFailed): reading metrics needs the Monitoring Reader role on the resource (or its resource group or subscription)\n`,
    ],
    [
      '404',
      { kind: 'status', status: 404 },
      1,
      `error: resource not found: ${RESOURCE} (HTTP 404 ResourceNotFound): check the subscription, resource group and name\n`,
    ],
    [
      '429 for good',
      { kind: 'status', status: 429, headers: { 'retry-after': '0' } },
      10,
      'error: Azure Monitor is throttling requests (HTTP 429), still after 3 retries; try again later\n',
    ],
    [
      'a per-metric failure',
      { kind: 'metric-error', errorCode: 'InvalidSamplingType', errorMessage: 'Sampling type is not found.' },
      1,
      'error: Azure Monitor: APIRequestChat failed: InvalidSamplingType: Sampling type is not found.\n',
    ],
    [
      'a cut-short body, every attempt',
      { kind: 'cut', keep: 100 },
      10,
      'error: the answer from HOST is not valid JSON: it ends after 100 bytes (4 attempts); try again\n',
    ],
  ];
  for (const [label, fault, times, stderr] of cases) {
    it(`reports ${label}`, async () => {
      h.emulator.inject(fault, times);
      const r = await live(chat);
      expect(r.stderr).toBe(stderr.replace('HOST', host()));
      expect(r.code).toBe(3);
      expect(r.stdout).toBe('');
    });
  }

  it('reports an unknown metric with the service message and the catalog hint', async () => {
    const r = await live(['query', '--resource', RESOURCE, '-m', 'email', '--since', '1h']);
    expect(r.code).toBe(3);
    expect(r.stderr).toBe(
      'error: Azure Monitor rejected the request for ApiRequests (HTTP 400 BadRequest): Failed to find metric configuration for provider: Microsoft.Communication, resource Type: CommunicationServices, metric: ApiRequests, Valid metrics: APIRequestChat,ApiRequestRouter,ApiRequestRooms; the built-in catalog may not match this resource: run "acs-metrics definitions" with the same --resource to compare\n',
    );
  });

  it('retries a 529 and a 429 with Retry-After, then answers', async () => {
    h.emulator.inject({ kind: 'status', status: 429, headers: { 'retry-after': '1' } });
    h.emulator.inject({ kind: 'status', status: 529 });
    const r = await live([...chat, '-o', 'json', '--debug']);
    expect(r.code).toBe(0);
    expect(h.emulator.requests.map((x) => x.status)).toEqual([429, 529, 200]);
    const [a, b, c] = h.emulator.requests.map((x) => x.at);
    expect(b! - a!).toBeGreaterThanOrEqual(950);
    expect(c! - b!).toBeGreaterThanOrEqual(1900);
    expect(r.stderr).toContain('debug: throttled (HTTP 429): retrying in 1s (retry 1 of 3)\n');
    expect(r.stderr).toContain('debug: throttled (HTTP 529): retrying in 2s (retry 2 of 3)\n');
  });

  it('retries a request that timed out, then times out with the host, the timeout and the attempts', async () => {
    h.emulator.inject({ kind: 'slow', delayMs: 5000 });
    expect((await live([...chat, '--timeout', '1s'])).code).toBe(0);
    expect(h.emulator.requests.map((x) => x.status)).toEqual([0, 200]);
    h.emulator.reset();
    h.emulator.inject({ kind: 'hang' }, 10);
    const waits: number[] = [];
    const r = await run([...chat, '--timeout', '1s'], { env: liveEnv(h), cwd: dir, sleep: async (ms) => void waits.push(ms) });
    expect(waits).toEqual([1000, 2000, 4000]);
    expect(r.stderr).toBe(`error: no answer from ${host()} within 1s (4 attempts); raise --timeout\n`);
    expect(r.code).toBe(3);
  });

  it('never shows the token, not even with --debug', async () => {
    const ok = await live([...chat, '--debug', '-o', 'json']);
    expect(ok.code).toBe(0);
    expect(ok.stderr).toMatch(/^debug: GET https:\/\/127\.0\.0\.1:\d+\/subscriptions\/.* \(authorization: <redacted>\)$/m);
    h.emulator.inject({ kind: 'status', status: 401 });
    const bad = await live([...chat, '--debug']);
    expect(bad.code).toBe(3);
    for (const out of [ok.stdout, ok.stderr, bad.stdout, bad.stderr]) expect(out).not.toContain(TOKEN);
  });

  it('stops on interrupt with exit 130 and writes no --save file', async () => {
    h.emulator.inject({ kind: 'slow', delayMs: 10_000 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 300);
    const started = Date.now();
    const r = await live([...chat, '--save', 'interrupted.json'], {}, controller.signal);
    expect(r.code).toBe(130);
    expect(Date.now() - started).toBeLessThan(3000);
    expect(readdirSync(dir).filter((f) => f.includes('interrupted'))).toEqual([]);
  });
});

describe('--save', () => {
  for (const format of ['table', 'json', 'csv', 'chart']) {
    it(`writes a fixture that --fixture replays to byte-identical ${format} output`, async () => {
      const file = `saved-${format}.json`;
      const args = ['-m', 'chat', '--since', '24h', '--split-by', 'operation,statuscode', '--errors', '5xx,429', '-o', format];
      const a = await live(['query', '--resource', RESOURCE, ...args, '--save', file]);
      expect(a.code).toBe(0);
      expect(a.stderr).toContain(`note: saved the response to ${file}\n`);
      const b = await live(['query', '--fixture', file, ...args]);
      expect(b.code).toBe(0);
      expect(withoutCost(b.stdout)).toBe(withoutCost(a.stdout));
      const doc = JSON.parse(readFileSync(join(dir, file), 'utf8'));
      expect(doc.value[0].name.value).toBe('APIRequestChat');
      expect(JSON.stringify(doc)).not.toContain(TOKEN);
    });
  }

  it('saves a long range as one joined body', async () => {
    const a = await live(['query', '--resource', RESOURCE, '-m', 'rooms', '--since', '45d', '-o', 'json', '--save', 'rooms.json']);
    expect(a.code).toBe(0);
    expect(h.emulator.requests).toHaveLength(2);
    const doc = JSON.parse(readFileSync(join(dir, 'rooms.json'), 'utf8'));
    expect(doc.timespan).toBe('2025-11-24T00:00:00Z/2026-01-08T00:00:00Z');
    const b = await live(['query', '--fixture', 'rooms.json', '-m', 'rooms', '--since', '45d', '-o', 'json']);
    expect(withoutCost(b.stdout)).toBe(withoutCost(a.stdout));
  });

  it('with --fixture, writes the data it read', async () => {
    const sample = join(import.meta.dirname, '..', 'fixtures', 'sample-week.json');
    const args = ['-m', 'sms', '--since', '2d', '-o', 'csv'];
    const a = await run(['query', '--fixture', sample, ...args, '--save', 'copy.json'], { cwd: dir });
    expect(a.code).toBe(0);
    const b = await run(['query', '--fixture', 'copy.json', ...args], { cwd: dir });
    expect(b.stdout).toBe(a.stdout);
    expect(JSON.parse(readFileSync(join(dir, 'copy.json'), 'utf8'))).toEqual(JSON.parse(readFileSync(sample, 'utf8')));
  });

  it('leaves an existing file untouched and no temp file when the query fails', async () => {
    writeFileSync(join(dir, 'keep.json'), 'original');
    h.emulator.inject({ kind: 'status', status: 403 });
    const r = await live([...chat, '--save', 'keep.json']);
    expect(r.code).toBe(3);
    expect(readFileSync(join(dir, 'keep.json'), 'utf8')).toBe('original');
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('replaces an existing file atomically on success', async () => {
    writeFileSync(join(dir, 'replace.json'), 'old');
    const r = await live([...chat, '--save', 'replace.json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, 'replace.json'), 'utf8')).timespan).toBe('2026-01-07T00:00:00Z/2026-01-08T00:00:00Z');
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});

describe('live definitions against the emulator', () => {
  it('lists the default aggregation Azure gives each metric, so the catalog compares equal', async () => {
    const r = await live(['definitions', '--resource', RESOURCE, '-o', 'json']);
    expect(r.stdout).toBe((await live(['definitions', '--resource', RESOURCE, '--json'])).stdout);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as { metrics: { rest: string; status: string; primaryAggregation: unknown }[] };
    const onResource = doc.metrics.filter((m) => m.status !== 'catalog-only');
    expect(onResource.map((m) => [m.rest, m.status, m.primaryAggregation])).toEqual([
      ['APIRequestChat', 'same', null],
      ['ApiRequestRouter', 'same', null],
      ['ApiRequestRooms', 'same', null],
    ]);
  });

  it('refuses an unknown format before any request', async () => {
    h.emulator.reset();
    const r = await live(['definitions', '--resource', RESOURCE, '-o', 'csv']);
    expect([r.code, r.stdout, r.stderr]).toEqual([2, '', 'error: invalid --output "csv": expected one of table, json\n']);
    expect(h.emulator.requests).toHaveLength(0);
  });
});

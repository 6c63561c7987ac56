/**
 * Issue 18: nothing lost under faults. Twelve resources in three subscriptions (four each) against the
 * emulator's fault schedule: answers cut short or not JSON, timeouts and per-metric failures inside a
 * batch answer fail only what they touch, named; partial results exit 4 after the data; every resource
 * failed is exit 3. Numbers come from test/emulator/estate.ts (resource i: 24 x (i % 5 + 1) chat
 * requests a day, and 48 GetChatThread 500s when i % 10 == 3). Retry waits are recorded, not slept.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, liveEnv, openEstateHarness } from './emulator/harness.js';
import { makeEstate } from './emulator/estate.js';
import { run } from './helpers/io.js';

const estate = makeEstate(12);
let h: Harness;
beforeAll(async () => {
  h = await openEstateHarness(estate);
});
afterAll(async () => h?.close());
afterEach(() => h.emulator.reset());

let waits: number[] = [];
const live = (argv: string[]) => {
  waits = [];
  return run(argv, { env: liveEnv(h), sleep: async (ms) => void waits.push(ms) });
};
const host = () => new URL(h.emulator.endpoint).host;
const chatRequests = (i: number): number => 24 * ((i % 5) + 1 + (i % 10 === 3 ? 2 : 0));
const index = (name: string): number => Number(name.slice(4));
/** The resources of a subscription (resource i is in SUBS[i % 3]), by index. */
const inSub = (s: number): number[] => estate.map((_, i) => i).filter((i) => i % 3 === s);

type Doc = {
  partial: boolean;
  resources: { name: string; error?: string | null; requests: number; metrics: { metric: string; requests: number | null; error: string | null }[] }[];
};
const statusArgs = ['status', '--all-subscriptions', '--metric', 'chat', '--concurrency', '1', '-o', 'json'];

/** Every resource not in `failed` has its exact chat requests; those in `failed` have an error and no numbers. */
function expectExact(doc: Doc, failed: readonly number[], error: string): void {
  expect(doc.resources).toHaveLength(12);
  for (const x of doc.resources) {
    const i = index(x.name);
    const chat = x.metrics.find((m) => m.metric === 'APIRequestChat')!;
    if (failed.includes(i)) expect([x.name, chat.requests, chat.error]).toEqual([x.name, null, error]);
    else expect([x.name, chat.requests, chat.error]).toEqual([x.name, chatRequests(i), null]);
  }
}

describe('an answer that does not arrive whole is retried like a 500', () => {
  it('a batch answer cut short once: retried, every resource exact, exit 0', async () => {
    h.emulator.faultAt('batch', 0, { kind: 'cut' });
    const r = await live(statusArgs);
    expect(r.code).toBe(0);
    expectExact(JSON.parse(r.stdout) as Doc, [], '');
    expect(h.emulator.batchRequests.map((q) => q.status)).toEqual([200, 200, 200, 200]);
    expect(waits).toEqual([1000]);
  });

  it('cut short on every attempt: only the resources of that call fail, named with the byte count; the others are printed; exit 4', async () => {
    // --concurrency 1: the first call is subscription A's (acs-000, 003, 006, 009), attempts 0 to 3.
    for (let k = 0; k < 4; k++) h.emulator.faultAt('batch', k, { kind: 'cut', keep: 8123 });
    const r = await live(statusArgs);
    const error = `BadAnswer: the answer from ${host()} is not valid JSON: it ends after 8,123 bytes (4 attempts)`;
    expect(r.code).toBe(4);
    const doc = JSON.parse(r.stdout) as Doc;
    expect(doc.partial).toBe(true);
    expectExact(doc, inSub(0), error);
    expect(waits).toEqual([1000, 2000, 4000]);
    const notes = r.stderr.split('\n').filter((l) => l !== '');
    expect(notes).toEqual([
      // In id order: rg-0 (acs-000, 006) before rg-1 (acs-003, 009).
      ...[0, 6, 3, 9].map((i) => `note: acs-00${i} (${estate[i]!.id}): no data for APIRequestChat: ${error}; the results are partial`),
      'note: the results are partial: 4 of 12 resources failed (named above); exit 4 (--allow-partial: 0)',
    ]);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('a 200 without a "values" list fails only its resources, named', async () => {
    h.emulator.faultAt('batch', 0, { kind: 'status', status: 200, body: { value: [] } });
    const r = await live(statusArgs);
    expect(r.code).toBe(4);
    expectExact(JSON.parse(r.stdout) as Doc, inSub(0), `NotABatchResponse: the answer from ${host()} is not a metrics batch response (no "values" list)`);
  });

  it('per resource (--no-batch): a body that is not JSON on every attempt fails that resource alone', async () => {
    for (let k = 0; k < 4; k++) h.emulator.faultAt('metrics', k, { kind: 'invalid-json' });
    const r = await live([...statusArgs, '--no-batch']);
    expect(r.code).toBe(4);
    // The first request is for the first resource by id: acs-000.
    expectExact(
      JSON.parse(r.stdout) as Doc,
      [0],
      `BadAnswer: the answer from ${host()} is not valid JSON: unexpected text in its 28 bytes (Unexpected token 'h', ..."alue": [ this is not"...) (4 attempts)`,
    );
  });

  it('a connection that closes mid-body, once per call: every resource exact', async () => {
    for (let k = 0; k < 6; k += 2) h.emulator.faultAt('batch', k, { kind: 'truncated' });
    const r = await live(statusArgs);
    expect(r.code).toBe(0);
    expectExact(JSON.parse(r.stdout) as Doc, [], '');
    expect(h.emulator.batchRequests).toHaveLength(6);
  });
});

describe('timeouts are retried with the same bounded back-off', () => {
  it('a batch call that never answers once: retried after --timeout, every resource exact', async () => {
    h.emulator.faultAt('batch', 0, { kind: 'hang' });
    const started = Date.now();
    const r = await live([...statusArgs, '--timeout', '1s']);
    expect(r.code).toBe(0);
    expectExact(JSON.parse(r.stdout) as Doc, [], '');
    expect(h.emulator.batchRequests.map((q) => q.status)).toEqual([0, 200, 200, 200]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect(waits).toEqual([1000]);
  });

  it("never answering on every attempt fails only that call's resources, after 4 attempts", async () => {
    for (let k = 0; k < 4; k++) h.emulator.faultAt('batch', k, { kind: 'hang' });
    const r = await live([...statusArgs, '--timeout', '1s']);
    expect(r.code).toBe(4);
    expectExact(JSON.parse(r.stdout) as Doc, inSub(0), `Timeout: no answer from ${host()} within 1s (4 attempts) (raise --timeout)`);
  }, 20_000);
});

describe('a metric that failed inside a batch answer fails alone, named, never "no traffic"', () => {
  const failing = () => estate[4]!.id;
  it("status: that resource's chat row says why; its sms row and every other resource are exact; exit 4", async () => {
    h.emulator.inject(
      { kind: 'metric-error', errorCode: 'InternalError', errorMessage: 'metric store unavailable', metric: 'APIRequestChat', resource: failing() },
      3,
      'batch',
    );
    const r = await live(['status', '--all-subscriptions', '--metric', 'chat,sms', '-o', 'json']);
    expect(r.code).toBe(4);
    const doc = JSON.parse(r.stdout) as Doc;
    const x = doc.resources.find((y) => y.name === 'acs-004')!;
    expect(x.metrics.map((m) => [m.metric, m.requests, m.error])).toEqual([
      ['APIRequestChat', null, 'InternalError: metric store unavailable'],
      ['APIRequestSMS', 24, null],
    ]);
    expect(doc.resources[0]!.name).toBe('acs-004');
    expectExact(doc, [4], 'InternalError: metric store unavailable');
    expect(r.stderr).toContain(`note: acs-004 (${failing()}): no data for APIRequestChat: InternalError: metric store unavailable; the results are partial\n`);
  });

  it('check: the rule of that resource is an error (exit 3), not a pass without traffic', async () => {
    h.emulator.inject(
      { kind: 'metric-error', errorCode: 'InternalError', errorMessage: 'metric store unavailable', metric: 'APIRequestChat', resource: failing() },
      3,
      'batch',
    );
    const r = await live(['check', '--all-subscriptions', '--metric', 'chat', '--max-error-rate', '50%', '-o', 'json']);
    expect(r.code).toBe(3);
    const doc = JSON.parse(r.stdout) as { rules: { name: string; verdict: string }[] };
    expect(doc.rules.find((x) => x.name === 'chat on acs-004')!.verdict).toBe('error');
    expect(doc.rules.filter((x) => x.verdict === 'pass')).toHaveLength(11);
  });

  it("query: the resource is listed with its error, the total is the others' exact sum; exit 4, 0 with --allow-partial", async () => {
    const args = ['query', '--all-subscriptions', '-m', 'chat', '--since', '24h', '-i', 'FULL', '-o', 'json'];
    h.emulator.inject(
      { kind: 'metric-error', errorCode: 'InternalError', errorMessage: 'metric store unavailable', metric: 'APIRequestChat', resource: failing() },
      3,
      'batch',
    );
    const r = await live(args);
    expect(r.code).toBe(4);
    const doc = JSON.parse(r.stdout) as { partial: boolean; requests: number; resources: { name: string; error: string | null }[] };
    expect(doc.partial).toBe(true);
    expect(doc.resources.filter((x) => x.error !== null)).toEqual([{ id: failing(), name: 'acs-004', error: 'InternalError: metric store unavailable' }]);
    expect(doc.requests).toBe(
      estate
        .map((_, i) => i)
        .filter((i) => i !== 4)
        .reduce((n, i) => n + chatRequests(i), 0),
    );
    h.emulator.reset();
    h.emulator.inject(
      { kind: 'metric-error', errorCode: 'InternalError', errorMessage: 'metric store unavailable', metric: 'APIRequestChat', resource: failing() },
      3,
      'batch',
    );
    const allowed = await live([...args, '--allow-partial']);
    expect(allowed.code).toBe(0);
    expect(allowed.stdout).toBe(r.stdout);
  });
});

describe('every resource failed: exit 3', () => {
  it('status and query, when every call fails for good', async () => {
    for (const argv of [statusArgs, ['query', '--all-subscriptions', '-m', 'chat', '--since', '24h']]) {
      h.emulator.reset();
      h.emulator.inject({ kind: 'status', status: 500 }, 1000, 'batch');
      const r = await live(argv);
      expect(r.code).toBe(3);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(
        /^error: every resource failed; the first, \/subscriptions\/.*: Azure Monitor answered|^error: every resource failed; the first, \/subscriptions\/.*: HTTP 500 InternalServerError, still after 3 retries\n$/,
      );
    }
  });
});

describe('Resource Graph quota exhaustion', () => {
  it('waits as the quota headers say and carries on', async () => {
    h.emulator.faultAt('graph', 0, { kind: 'graph-quota', resetSeconds: 3 });
    const r = await live(statusArgs);
    expect(r.code).toBe(0);
    expectExact(JSON.parse(r.stdout) as Doc, [], '');
    expect(h.emulator.graphRequests.map((q) => q.status)).toEqual([429, 200]);
    expect(waits).toEqual([3000]);
  });
});

describe('--help tells of exit 4 and --allow-partial', () => {
  for (const command of ['query', 'status', 'usage', 'export']) {
    it(command, async () => {
      const r = await run([command, '--help']);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('--allow-partial');
      expect(r.stdout.replace(/\s+/g, ' ')).toMatch(/4 partial: .*--allow-partial makes it 0/);
    });
  }
});

describe("Azure's long 400 message in the status table", () => {
  const failing = () => estate[4]!.id;
  const message =
    'Metric: APIRequestChat does not support requested dimension combination: operationname,statuscode,statussubclass, supported ones are: Operation,StatusCode,StatusSubClass,ApiVersion,GeoDimension, TraceId: {4732ea53-769d-46dc-b01c-1bc97dfec019}';
  it('the Problem column shows its code and first sentence, cut with …; JSON and CSV keep it whole', async () => {
    const args = ['status', '--subscription', estate[1]!.subscription, '--metric', 'chat', '--concurrency', '1'];
    h.emulator.inject({ kind: 'metric-error', errorCode: 'BadRequest', errorMessage: message, metric: 'APIRequestChat', resource: failing() }, 1, 'batch');
    const table = await run([...args, '--width', '200'], { env: { ...liveEnv(h), NO_COLOR: '1' } });
    expect(table.code).toBe(4);
    // By hand: acs-007 3, acs-001 2 and acs-010 1 SendChatMessage an hour, 24 hours.
    expect(table.stdout).toBe(
      [
        '2026-01-07T00:00Z to 2026-01-08T00:00Z · 4 resources · 3 with traffic · 0 with errors · 1 failed: the results are partial',
        `┌──────────┬────────┬──────────┬────────┬────────────┬─────────────────┬───────────────────┬${'─'.repeat(82)}┐`,
        `│ Resource │ Metric │ Requests │ Errors │ Error rate │ Worst operation │ Latest data       │ Problem${' '.repeat(74)}│`,
        `├──────────┼────────┼──────────┼────────┼────────────┼─────────────────┼───────────────────┼${'─'.repeat(82)}┤`,
        '│ acs-004  │ chat   │        - │      - │          - │ -               │ -                 │ failed: BadRequest: Metric: APIRequestChat does not support requested dimension… │',
        `│ acs-007  │ chat   │       72 │      0 │         0% │ -               │ 2026-01-07T23:00Z │ ${' '.repeat(80)} │`,
        `│ acs-001  │ chat   │       48 │      0 │         0% │ -               │ 2026-01-07T23:00Z │ ${' '.repeat(80)} │`,
        `│ acs-010  │ chat   │       24 │      0 │         0% │ -               │ 2026-01-07T23:00Z │ ${' '.repeat(80)} │`,
        `└──────────┴────────┴──────────┴────────┴────────────┴─────────────────┴───────────────────┴${'─'.repeat(82)}┘`,
        '',
      ].join('\n'),
    );
    // The note on stderr, JSON and CSV keep Azure's whole message.
    expect(table.stderr).toContain(`note: acs-004 (${failing()}): no data for APIRequestChat: BadRequest: ${message}; the results are partial\n`);
    for (const [format, read] of [
      ['json', (out: string) => (JSON.parse(out) as Doc).resources.find((x) => x.name === 'acs-004')!.metrics[0]!.error],
      ['csv', (out: string) => out.split('\r\n')[1]!.split(',"')[1]!.split('",')[0]!.replace(/""/g, '"')],
    ] as const) {
      h.emulator.inject({ kind: 'metric-error', errorCode: 'BadRequest', errorMessage: message, metric: 'APIRequestChat', resource: failing() }, 1, 'batch');
      const r = await run([...args, '-o', format], { env: liveEnv(h) });
      expect(r.code).toBe(4);
      expect(read(r.stdout)).toBe(`BadRequest: ${message}`);
    }
  });
});

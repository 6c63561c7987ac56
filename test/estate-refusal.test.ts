/**
 * A subscription that refuses the metrics batch API (401/403): once the refusal is known no getBatch
 * call of that subscription is sent, not even a retry of one throttled before it, and every piece
 * (resource, metric group) is read exactly once, by batch or one resource at a time, with exact
 * numbers. Twelve resources in three subscriptions (test/emulator/estate.ts): resource i has
 * 24 x (i % 5 + 1) chat requests a day, 48 GetChatThread 500s more when i % 10 == 3, and 24 sms
 * when i % 4 == 0; `--metric all` asks five metric groups, one batch call each per subscription.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../src/cli/main.js';
import { makeEstate, SUBS } from './emulator/estate.js';
import { type Harness, liveEnv, openEstateHarness } from './emulator/harness.js';
import type { RecordedRequest } from './emulator/server.js';
import { testIo } from './helpers/io.js';

const [A, , C] = SUBS;
const estate = makeEstate(12);
let h: Harness;
beforeAll(async () => {
  h = await openEstateHarness(estate, [C]);
});
afterAll(async () => h?.close());
afterEach(() => h.emulator.reset());

const REFUSED = 'the metrics batch API refused subscription';
const requests = (i: number): number => 24 * ((i % 5) + 1 + (i % 10 === 3 ? 2 : 0)) + (i % 4 === 0 ? 24 : 0);
const ofSub = (sub: string, list: readonly RecordedRequest[]) => list.filter((q) => q.path.toLowerCase().includes(sub));

type Doc = { resources: { name: string; requests: number; error: string | null }[] };

/**
 * A status run of one subscription (with --debug: a line per attempt as it is sent); `sleep` serves
 * the retry waits. `sentAfter`: the getBatch attempts for the subscription sent after the refusal was
 * noted (the client's own order of events, not when the emulator got them).
 */
async function status(sub: string, concurrency: number, sleep?: (stderr: () => string) => Promise<void>) {
  const t = testIo({ env: liveEnv(h), ...(sleep ? { sleep: () => sleep(() => t.err()) } : {}) });
  const argv = ['status', '--subscription', sub, '--metric', 'all', '--concurrency', String(concurrency), '-o', 'json', '--debug'];
  const code = await main(argv, t.io);
  const lines = t.err().split('\n');
  const noted = lines.findIndex((l) => l.includes(REFUSED));
  const getBatch = (l: string) => new RegExp(`POST \\S+/subscriptions/${sub}/metrics:getBatch`, 'i').test(l);
  const [sent, sentAfter] = [lines.filter(getBatch), lines.slice(noted + 1).filter(getBatch)];
  return { code, doc: JSON.parse(t.out()) as Doc, refusals: lines.filter((l) => l.includes(REFUSED)).length, noted, sent, sentAfter };
}

/** Every resource of the subscription with its exact requests, none failed. */
function expectExact(doc: Doc, sub: string): void {
  const mine = estate.map((r, i) => ({ r, i })).filter(({ r }) => r.subscription === sub);
  expect(doc.resources.map((x) => [x.name, x.requests, x.error]).sort()).toEqual(mine.map(({ r, i }) => [r.name, requests(i), null]).sort());
}

/** The Metrics - List requests: one per resource and metric group, each once. */
function expectEachOnce(list: readonly RecordedRequest[], pieces: number): void {
  const keys = list.map((q) => `${q.path.toLowerCase()} ${q.query.metricnames}`);
  expect(new Set(keys).size).toBe(keys.length);
  expect(keys).toHaveLength(pieces);
}

describe('a subscription refuses the batch API', () => {
  it('a call throttled before the refusal is not sent again after it; its resources are read one by one, once', async () => {
    // --concurrency 2: the first call (metric group 0) is throttled; while it waits, the second is
    // refused; the wait ends only once the refusal is on stderr.
    h.emulator.faultAt('batch', 0, { kind: 'status', status: 429, headers: { 'retry-after': '1' } });
    const r = await status(C, 2, async (stderr) => {
      for (let n = 0; n < 1000 && !stderr().includes(REFUSED); n++) await new Promise((done) => setTimeout(done, 5));
    });
    expect(r.code).toBe(0);
    expectExact(r.doc, C);
    const batch = ofSub(C, h.emulator.batchRequests);
    expect(batch.map((q) => q.status)).toEqual([429, 403]);
    // None after the refusal was known: not the throttled call's retry, not the three calls queued.
    expect(r.noted).toBeGreaterThan(0);
    expect(r.sent).toHaveLength(2);
    expect(r.sentAfter).toEqual([]);
    // 4 resources (acs-002, 005, 008, 011) x 5 metric groups, one by one.
    expectEachOnce(h.emulator.metricRequests, 4 * 5);
    expect(r.refusals).toBe(1);
  });

  it('a call answered after the refusal keeps its answer: its resources are not read again', async () => {
    // A allows the batch API; here its first call (metric group 0) answers late, and the second is refused.
    h.emulator.faultAt('batch', 0, { kind: 'slow', delayMs: 800 });
    h.emulator.faultAt('batch', 1, { kind: 'status', status: 403 });
    const r = await status(A, 2);
    expect(r.code).toBe(0);
    expectExact(r.doc, A);
    // In the order they arrived: the late answer's call first.
    expect(ofSub(A, h.emulator.batchRequests).map((q) => q.status)).toEqual([200, 403]);
    expect(r.sentAfter).toEqual([]);
    // 4 resources (acs-000, 003, 006, 009) x the 4 metric groups the late answer did not bring.
    expectEachOnce(h.emulator.metricRequests, 4 * 4);
  });

  it('with every call at once (--concurrency 8): those sent before the refusal end refused, and every piece is read once', async () => {
    const r = await status(C, 8);
    expect(r.code).toBe(0);
    expectExact(r.doc, C);
    expect(ofSub(C, h.emulator.batchRequests).map((q) => q.status)).toEqual([403, 403, 403, 403, 403]);
    expect(r.sentAfter).toEqual([]);
    expectEachOnce(h.emulator.metricRequests, 4 * 5);
  });
});

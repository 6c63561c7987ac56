/**
 * status over a live estate sends each request once and says each thing once (src/cli/status-live.ts):
 * when a metric has no data on any resource, the stream tells it exactly; only when a resource answers
 * another window (another grid, rare) is that metric's request group asked for again, hushed, never
 * the whole estate and never Resource Graph. Its output is the non-streaming path's (--save keeps
 * every answer and builds the report from all of them), byte for byte. Against the loopback emulator:
 * 12 resources in three subscriptions, one of which refuses the batch API (per-resource reads, a note).
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { liveEnv } from './emulator/harness.js';
import { estateSuite } from './emulator/estate-suite.js';
import { makeEstate, SUBS } from './emulator/estate.js';
import type { Fault } from './emulator/server.js';
import { run } from './helpers/io.js';

const [A, , C] = SUBS;
const estate = makeEstate(12);
const { h, dir } = estateSuite(estate, [C], 'acs-status-once-');

/** Every request the emulator got, as sent (method, path and query, body). */
const sent = (): string[] => h.emulator.requests.map((r) => `${r.method} ${r.url} ${r.body ?? ''}`);
const repeated = (lines: readonly string[]): string[] => lines.filter((l, i) => lines.indexOf(l) !== i);
/** The lines on stderr but --debug's. */
const stderrLines = (s: string): string[] => s.split('\n').filter((l) => l !== '' && !l.startsWith('debug: '));
/** What the stream made of the answers (a --debug line when it could not reduce them exactly). */
const keptAside = (s: string): string[] => s.split('\n').filter((l) => l.startsWith('debug: status: '));

/** status with the faults on both metrics APIs for the whole run, streamed and then with --save (every answer kept). */
async function both(args: readonly string[], faults: readonly Fault[]) {
  const inject = () => faults.forEach((f) => (['batch', 'metrics'] as const).forEach((api) => h.emulator.inject(f, 100_000, api)));
  inject();
  const streamed = await run(['status', '--all-subscriptions', '--debug', ...args], { env: liveEnv(h) });
  const requests = sent();
  const batch = h.emulator.batchRequests.length;
  const perResource = h.emulator.metricRequests.length;
  h.emulator.reset();
  inject();
  const saved = await run(['status', '--all-subscriptions', '--debug', ...args, '--save', join(dir, `${args.join('')}.json`)], { env: liveEnv(h) });
  return { streamed, requests, batch, perResource, saved };
}

describe('status over a live estate: each request once', () => {
  it('-m all, where one metric has no entry in any answer: one read, each note once, the --save output', async () => {
    const { streamed, requests, batch, perResource, saved } = await both(['-m', 'all', '-o', 'json'], [{ kind: 'metric-absent', metric: 'APIRequestRouter' }]);
    // 5 request groups of the 12 current metrics; subscriptions A and B (4 resources each) one batch call
    // a group; C refuses it (one refused call a group: the first goes out before the refusal is seen,
    // the others are not sent) and its 4 resources are read one by one.
    expect(repeated(requests).length).toBe(0);
    expect(perResource).toBe(4 * 5);
    expect(batch).toBeLessThanOrEqual(2 * 5 + 5);
    expect(streamed.code).toBe(saved.code);
    expect(streamed.stdout).toBe(saved.stdout);
    // Router, with no data at all, fails on every resource with the old path's message: the data's
    // metrics in its order (the first resource's groups in the order they are asked).
    const noData =
      'Azure Monitor: no data for router (ApiRequestRouter); the data holds APIRequestChat, APIRequestSMS, APIRequestAuthentication, ' +
      'APIRequestCallAutomation, ApiRequestRooms, ApiRequests, APIRequestsAdvancedMessaging, APIRequestCallRecording, ' +
      'AcsCallAutomationCallbackEvent, DeliveryStatusUpdate, UserEngagement';
    const doc = JSON.parse(streamed.stdout) as { resources: { metrics: { metricAlias: string; error: string | null }[] }[] };
    expect(doc.resources).toHaveLength(12);
    for (const r of doc.resources) expect(r.metrics.find((m) => m.metricAlias === 'router')?.error).toBe(noData);
    expect(stderrLines(streamed.stderr).filter((l) => l === `note: router: ${noData}`)).toHaveLength(1);
    expect(repeated(stderrLines(streamed.stderr))).toEqual([]);
    expect(stderrLines(streamed.stderr)).toEqual(stderrLines(saved.stderr).filter((l) => !l.startsWith('note: saved ')));
    expect(streamed.stderr.match(/note: the metrics batch API refused/g)).toHaveLength(1);
    // Exact in the stream: nothing kept aside was read.
    expect(keptAside(streamed.stderr)).toEqual([]);
  });

  it('-m all, where some metrics have no traffic (Azure answers "timeseries": []): one read', async () => {
    const { streamed, requests, perResource, saved } = await both(['-m', 'all'], []);
    expect(repeated(requests).length).toBe(0);
    expect(perResource).toBe(4 * 5);
    expect(streamed.stdout).toBe(saved.stdout);
    expect(repeated(stderrLines(streamed.stderr))).toEqual([]);
    expect(keptAside(streamed.stderr)).toEqual([]);
  });

  it('a resource answering a later window (another grid): only that group asked for again, each note once, the --save output', async () => {
    const late = estate.find((r) => r.subscription === A)!.id;
    const { streamed, requests, perResource, saved } = await both(['-m', 'chat,sms'], [{ kind: 'late-start', resource: late, ms: 3_600_000 }]);
    // chat and sms are one request group, and both are inexact: the group's calls are sent twice (the
    // batch calls of A and B, C's 4 reads), Resource Graph once (the source finds its resources once).
    const again = repeated(requests);
    expect(again.length).toBeGreaterThan(0);
    expect(again.every((l) => /metrics:getBatch|providers\/Microsoft\.Insights\/metrics/.test(l))).toBe(true);
    expect(again.every((l) => /metricnames=APIRequestChat%2CAPIRequestSMS|metricnames=APIRequestChat,APIRequestSMS/.test(l))).toBe(true);
    const graph = requests.filter((l) => l.includes('/providers/Microsoft.ResourceGraph/resources'));
    expect(graph.length).toBeGreaterThan(0);
    expect(repeated(graph)).toEqual([]);
    expect(perResource).toBe(4 * 2);
    expect(streamed.code).toBe(0);
    expect(streamed.stdout).toBe(saved.stdout);
    expect(repeated(stderrLines(streamed.stderr))).toEqual([]);
    expect(stderrLines(streamed.stderr)).toEqual(stderrLines(saved.stderr).filter((l) => !l.startsWith('note: saved ')));
    expect(streamed.stderr.match(/note: the metrics batch API refused/g)).toHaveLength(1);
    // The stream could not reduce chat and sms exactly (it says why for the last it found).
    expect(keptAside(streamed.stderr)).toHaveLength(1);
    expect(keptAside(streamed.stderr)[0]).toMatch(
      /^debug: status: (chat|sms): resources' data on different grids or windows: asking again for chat, sms, to tell their rows from all their answers at once$/,
    );
  });

  it('query --compare over an estate: Resource Graph asked once for both windows', async () => {
    const plain = await run(['query', '--all-subscriptions', '-m', 'chat', '--since', '1h', '-o', 'json'], { env: liveEnv(h) });
    const once = h.emulator.graphRequests.length;
    h.emulator.reset();
    const compared = await run(['query', '--all-subscriptions', '-m', 'chat', '--since', '1h', '--compare', '1d', '-o', 'json'], { env: liveEnv(h) });
    expect([plain.code, compared.code]).toEqual([0, 0]);
    expect(once).toBeGreaterThan(0);
    expect(h.emulator.graphRequests.length).toBe(once);
  });
});

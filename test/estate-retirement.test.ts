/**
 * Retirement readiness over an estate of 200 resources in three subscriptions (batch forbidden in one,
 * so it goes per resource), clock off the minute: `usage` numbers worked out from
 * test/emulator/estate.ts, an export interrupted and resumed byte for byte, and its replay.
 */
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { chatErrorsPerHour, chatPerHour, makeEstate, resourceName, SUBS, smsPerHour } from './emulator/estate.js';
import { type Harness, liveEnv, openEstateHarness } from './emulator/harness.js';
import { run } from './helpers/io.js';
import { readTree, tempDir } from './helpers/temp.js';
import { withoutCost } from './helpers/cost.js';

const C = SUBS[2];
const estate = makeEstate(200);
let h: Harness;
beforeAll(async () => {
  h = await openEstateHarness(estate, [C]);
});
afterAll(async () => {
  await h.close();
});
afterEach(() => h.emulator.reset());

interface Channel {
  alias: string;
  requests: number;
  errors: number | null;
  firstDay: string;
  lastDay: string;
  lifecycle: { status: string };
}
interface Resource {
  name: string;
  clear: boolean;
  channels: Channel[];
}

describe('usage over the estate', () => {
  it('gives each resource its chat and sms traffic over two days, worked out from the estate', async () => {
    const r = await run(['usage', '--all-subscriptions', '--since', '2d', '-o', 'json'], { env: liveEnv(h) });
    expect(r.stderr).not.toMatch(/^error/m);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as { window: { start: string; end: string }; resources: Resource[] };
    expect(doc.window).toEqual({ start: '2026-01-06T00:00:00Z', end: '2026-01-08T00:00:00Z' });
    expect(doc.resources).toHaveLength(200);
    for (let i = 0; i < 200; i++) {
      const res = doc.resources.find((x) => x.name === resourceName(i))!;
      const expected: [string, number, number | null, string, string, string][] = [
        ['chat', 48 * (chatPerHour(i) + chatErrorsPerHour(i)), 48 * chatErrorsPerHour(i), '2026-01-06', '2026-01-07', 'retiring'],
      ];
      if (smsPerHour(i) > 0) expected.push(['sms', 48 * smsPerHour(i), 0, '2026-01-06', '2026-01-07', 'retiring']);
      expected.sort((a, b) => b[1] - a[1]);
      expect(
        res.channels.map((c) => [c.alias, c.requests, c.errors, c.firstDay, c.lastDay, c.lifecycle.status]),
        res.name,
      ).toEqual(expected);
      expect(res.clear).toBe(false);
    }
    // One note for the subscription where the batch API is forbidden.
    expect(r.stderr.match(/the metrics batch API refused subscription/g)).toHaveLength(1);
  });

  it('--fail-on retiring names every resource and channel with traffic', async () => {
    const r = await run(['usage', '--subscription', SUBS[0], '--since', '1d', '-m', 'sms', '--fail-on', 'retiring', '-o', 'csv'], { env: liveEnv(h) });
    expect(r.code).toBe(1);
    const failing = r.stderr.split('\n').filter((l) => l.startsWith('fail: '));
    // Subscription A holds resources i = 0, 3, 6, ...; sms traffic when i % 4 === 0: i = 0, 12, 24, ... (every 12th).
    const expected = estate
      .filter((_, i) => i % 3 === 0 && i % 4 === 0)
      .map((r) => `fail: ${r.name}: sms (APIRequestSMS, retiring 2028-09-30) had 24 requests, the last on 2026-01-07`);
    expect(failing).toEqual(expected);
  });
});

describe('export of the estate', () => {
  const args = (dir: string) => ['export', dir, '--subscription', SUBS[0], '--subscription', C, '-m', 'chat,sms,auth', '--interval', 'PT1H', '--since', '2d'];

  it('an export interrupted halfway and resumed gives byte-identical files; its replay answers as live', async () => {
    const whole = tempDir();
    const full = await run(args(whole), { env: liveEnv(h) });
    expect(full.stderr).not.toMatch(/^error/m);
    expect(full.code).toBe(0);
    const reference = readTree(whole);
    const inAC = estate.filter((r) => r.subscription === SUBS[0] || r.subscription === C).length;
    expect(reference.size).toBe(inAC * 3 * 2 + 1); // a settled file and the 3-hour tail per resource and metric

    const dir = tempDir();
    const stop = new AbortController();
    h.emulator.reset();
    const watcher = setInterval(() => {
      if (h.emulator.requests.length >= 20) stop.abort();
    }, 1);
    const first = await run(args(dir), { env: liveEnv(h), signal: stop.signal });
    clearInterval(watcher);
    expect(first.code).toBe(130);
    const second = await run(args(dir), { env: liveEnv(h) });
    expect(second.code).toBe(0);
    const resumed = readTree(dir);
    expect([...resumed.keys()].sort()).toEqual([...reference.keys()].sort());
    for (const [file, text] of reference) if (!file.endsWith('.manifest')) expect(resumed.get(file), file).toBe(text);

    // The replay of the export gives the same usage, status and query as live.
    for (const argv of [
      ['usage', '-m', 'chat,sms,auth', '-o', 'json'],
      ['status', '-m', 'chat,sms,auth', '-o', 'json'],
      ['query', '-m', 'chat', '--split-by', 'resource', '--interval', '1h', '-o', 'csv'],
    ]) {
      const window = ['--start', '2026-01-06T00:00:00Z', '--end', '2026-01-08T00:00:00Z'];
      const replay = await run([...argv, ...window, '--fixture', dir]);
      const live = await run([...argv, ...window, '--subscription', SUBS[0], '--subscription', C], { env: liveEnv(h) });
      expect(replay.code, argv.join(' ')).toBe(0);
      expect(withoutCost(replay.stdout), argv.join(' ')).toBe(withoutCost(live.stdout));
    }
  }, 60_000);
});

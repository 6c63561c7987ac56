/** `acs-metrics check` against the loopback Azure Monitor emulator: the same gates on live data. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Harness, liveEnv, openHarness, RESOURCE } from './emulator/harness.js';
import { run } from './helpers/io.js';

let h: Harness;
let dir: string;
beforeAll(async () => {
  h = await openHarness();
  dir = mkdtempSync(join(tmpdir(), 'acs-metrics-check-live-'));
});
afterAll(async () => {
  await h?.close();
  rmSync(dir, { recursive: true, force: true });
});
beforeEach(() => h.emulator.reset());

const live = (argv: string[]) => run(argv, { env: liveEnv(h), cwd: dir });

/**
 * The emulator's last hour of Chat (minute data ending at "now", 2026-01-08T00:00Z): SendChatMessage
 * 180 x 200 and 6 x 429, GetChatThread 120 x 200 and 1 x 500, Bad Route 2 x 404: 309 requests,
 * 9 errors (4xx and 5xx) = 2.91%, 1 error of class 5xx = 0.32%.
 */
describe('check on live data', () => {
  const chat = ['check', '--resource', RESOURCE, '--metric', 'chat', '--since', '1h'];

  it('computes the rate from the counts of the last hour', async () => {
    const pass = await live([...chat, '--max-error-rate', '3%']);
    expect(pass.code).toBe(0);
    expect(pass.stdout.split('\n')[0]).toBe('PASS  chat  error rate 2.91% <= 3.00%  requests 309  errors 9  worst Bad Route 100.00%');
    expect(pass.stdout).toContain('window 2026-01-07T23:00:00Z - 2026-01-08T00:00:00Z');
    const fail = await live([...chat, '--max-error-rate', '2.9%']);
    expect([fail.code, fail.stdout.split('\n')[0]]).toEqual([1, 'FAIL  chat  error rate 2.91% > 2.90%  requests 309  errors 9  worst Bad Route 100.00%']);
    const only5xx = await live([...chat, '--errors', '5xx', '--max-error-rate', '0.3%']);
    expect([only5xx.code, only5xx.stdout.split('\n')[0]]).toEqual([
      1,
      'FAIL  chat  error rate 0.32% > 0.30%  requests 309  errors 1  worst GetChatThread 0.83%',
    ]);
  });

  it('fetches every rule of a rules file, one request per metric', async () => {
    writeFileSync(
      join(dir, 'gates.json'),
      JSON.stringify({
        defaults: { since: '1h', minRequests: 10 },
        rules: [
          { name: 'chat 5xx', metric: 'chat', errors: '5xx', maxErrorRate: '1%' },
          { name: 'chat send', metric: 'chat', operations: ['SendChatMessage'], maxErrorRate: '5%', level: 'warn' },
          { name: 'router', metric: 'router', maxErrorRate: '10%', minTotal: 60 },
        ],
      }),
    );
    const r = await live(['check', '--resource', RESOURCE, '--config', 'gates.json', '-o', 'json']);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    // router: UpsertJob 60 x 200 and 4 x 409 in the hour: 4 / 64 = 6.25%.
    expect(doc.rules.map((x: { name: string; verdict: string; requests: number; errors: number }) => [x.name, x.verdict, x.requests, x.errors])).toEqual([
      ['chat 5xx', 'pass', 309, 1],
      ['chat send', 'pass', 186, 6],
      ['router', 'pass', 64, 4],
    ]);
    expect(h.emulator.metricRequests.map((x) => x.query.metricnames)).toEqual(['APIRequestChat', 'ApiRequestRouter']);
  });

  it('a failed request is exit 3, never a pass', async () => {
    h.emulator.inject({ kind: 'status', status: 403 }, 10);
    const r = await live([...chat, '--max-error-rate', '50%']);
    expect(r.code).toBe(3);
    expect(r.stdout).toMatch(/^ERROR  chat  /);
    expect(r.stderr).toMatch(/^error: /);
  });

  it('a metric that failed inside a 200 is exit 3', async () => {
    h.emulator.inject({ kind: 'metric-error', errorCode: 'Throttled', errorMessage: 'slow down' }, 10);
    const r = await live([...chat, '--max-error-rate', '50%']);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('Throttled');
  });
});

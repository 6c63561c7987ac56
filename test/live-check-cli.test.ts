/** `acs-metrics check` on live data: several rules share one request per metric. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { run } from './helpers/io.js';
import { type Harness, liveEnv, openHarness, RESOURCE } from './emulator/harness.js';

let h: Harness;
let dir: string;
beforeAll(async () => {
  h = await openHarness();
  dir = mkdtempSync(join(tmpdir(), 'acs-metrics-check-'));
});
afterAll(async () => {
  await h?.close();
  rmSync(dir, { recursive: true, force: true });
});
beforeEach(() => h.emulator.reset());

it('gates live data: one Metrics - List request per metric for all the rules on it', async () => {
  writeFileSync(
    join(dir, 'rules.json'),
    JSON.stringify({
      defaults: { since: '6h' },
      rules: [
        { name: 'send', metric: 'chat', operations: ['SendChatMessage'], maxErrorRate: '5%' },
        { name: 'threads', metric: 'chat', operations: ['GetChatThread'], maxErrorRate: '0.5%', errors: ['5xx'] },
        { name: 'jobs', metric: 'router', minTotal: 10 },
      ],
    }),
  );
  const r = await run(['check', '--resource', RESOURCE, '--config', 'rules.json', '-o', 'json'], { env: liveEnv(h), cwd: dir });
  const doc = JSON.parse(r.stdout);
  expect(doc.rules.map((x: { name: string; verdict: string }) => [x.name, x.verdict])).toEqual([
    ['send', 'pass'],
    ['threads', 'fail'],
    ['jobs', 'pass'],
  ]);
  expect(r.code).toBe(1);
  // Requests go out concurrently: compare them by metric name.
  expect(h.emulator.metricRequests.map((x) => [x.query.metricnames, x.query.$filter]).sort()).toEqual([
    ['APIRequestChat', "(Operation eq 'SendChatMessage' or Operation eq 'GetChatThread') and StatusCodeClass eq '*'"],
    ['ApiRequestRouter', "OperationName eq '*' and StatusCodeSubClass eq '*'"],
  ]);
});

it('fails with exit 3, never a pass, when Azure cannot answer', async () => {
  h.emulator.inject({ kind: 'status', status: 403 });
  const r = await run(['check', '--resource', RESOURCE, '-m', 'chat', '--since', '1h', '--max-error-rate', '1%'], { env: liveEnv(h), cwd: dir });
  expect(r.code).toBe(3);
  expect(r.stderr).toMatch(/^error: access denied to .* \(HTTP 403 AuthorizationFailed\): reading metrics needs the Monitoring Reader role/);
});

/** query --compare and check --baseline on live data: both windows fetched from the emulator. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { tempDir } from './helpers/temp.js';
import { run } from './helpers/io.js';
import { type Harness, liveEnv, openHarness, RESOURCE } from './emulator/harness.js';

let h: Harness;
beforeAll(async () => {
  h = await openHarness();
});
afterAll(async () => {
  await h?.close();
});

it('query --compare 1d fetches the current and the baseline window (minute-floored, a day apart)', async () => {
  h.emulator.reset();
  const r = await run(['query', '--resource', RESOURCE, '-m', 'chat', '--since', '1h', '--compare', '1d', '--split-by', 'none', '-o', 'json'], {
    env: liveEnv(h),
  });
  expect(r.code).toBe(0);
  const spans = h.emulator.requests.map((q) => new URL(q.url, 'https://x').searchParams.get('timespan'));
  expect(spans).toEqual(['2026-01-07T23:00:00.000Z/2026-01-08T00:00:00.000Z', '2026-01-06T23:00:00.000Z/2026-01-07T00:00:00.000Z']);
  const doc = JSON.parse(r.stdout);
  // The same traffic every day: 3 + 2 a minute, plus 1 per 10, per 60, per 30 and per 120 minutes: 300 + 6 + 1 + 2 + 0..1.
  expect(doc.baseline.requests).toBe(doc.requests);
  expect(doc.series[0].status).toBe('both');
  expect(doc.change.total).toBe(0);
});

it('check --baseline 1d live: no change passes; the baseline beyond 93 days is a usage error', async () => {
  const ok = await run(['check', '--resource', RESOURCE, '-m', 'chat', '--since', '1h', '--baseline', '1d', '--max-error-rate-increase', '0.5pp'], {
    env: liveEnv(h),
  });
  expect(ok.code).toBe(0);
  expect(ok.stdout).toContain('+0.00pp <= +0.5pp');
  const old = await run(['check', '--resource', RESOURCE, '-m', 'chat', '--since', '1h', '--baseline', '100d', '--max-traffic-drop', '50%'], {
    env: liveEnv(h),
  });
  // The retention error names the baseline's window, not "the window" (the current one is within it).
  const retention =
    'error: the baseline window starts at 2025-09-29T23:00:00Z, more than 93 days ago: Azure Monitor keeps platform metrics for 93 days (earliest start now: 2025-10-07T00:00:00Z)\n';
  expect([old.code, old.stdout, old.stderr]).toEqual([2, '', retention]);
  const query = await run(['query', '--resource', RESOURCE, '-m', 'chat', '--since', '1h', '--compare', '100d'], { env: liveEnv(h) });
  expect([query.code, query.stdout, query.stderr]).toEqual([2, '', retention]);
  const window = await run(
    ['query', '--resource', RESOURCE, '-m', 'chat', '--since', '1h', '--baseline-start', '2025-09-29T23:00:00Z', '--baseline-end', '2025-09-30T00:00:00Z'],
    { env: liveEnv(h) },
  );
  expect([window.code, window.stdout, window.stderr]).toEqual([2, '', retention]);
});

it('a rules file: each window beyond the retention names its rule, and the baseline says it is the baseline', async () => {
  const file = join(tempDir(), 'rules.json');
  writeFileSync(
    file,
    JSON.stringify({
      rules: [
        { name: 'fresh', metric: 'chat', since: '1h', maxErrorRate: '5%' },
        { name: 'old one', metric: 'sms', since: '100d', maxErrorRate: '5%' },
        { name: 'old baseline', metric: 'chat', since: '1h', baseline: '100d', maxTrafficDrop: '50%' },
      ],
    }),
  );
  h.emulator.reset();
  const r = await run(['check', '--resource', RESOURCE, '--config', file], { env: liveEnv(h) });
  expect([r.code, r.stdout]).toEqual([2, '']);
  expect(r.stderr).toBe(
    [
      'error: rule "old one": the window starts at 2025-09-30T00:00:00Z, more than 93 days ago: Azure Monitor keeps platform metrics for 93 days (earliest start now: 2025-10-07T00:00:00Z)',
      'error: rule "old baseline": the baseline window starts at 2025-09-29T23:00:00Z, more than 93 days ago: Azure Monitor keeps platform metrics for 93 days (earliest start now: 2025-10-07T00:00:00Z)',
      '',
    ].join('\n'),
  );
  // Refused before anything is fetched.
  expect(h.emulator.requests).toEqual([]);
});

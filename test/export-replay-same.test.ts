/**
 * Issue 19 item 2: an export replays to the live answers in every command. The same estate (the
 * emulator's, clock off the minute) is asked live and from an export folder; stdout and the exit code
 * must be the same for status, check --metric all, query and usage. An export holds the 12 current
 * metrics, which is what --metric all asks live; the legacy Network Traversal metric, which today's
 * resources do not define, is neither asked nor missed.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, liveEnv, openEstateHarness } from './emulator/harness.js';
import { makeEstate, SUBS } from './emulator/estate.js';
import { metricsBody, writeFixture } from './helpers/fixture.js';
import { run } from './helpers/io.js';
import { tempDir } from './helpers/temp.js';

let h: Harness;
const dir = join(tempDir(), 'export');
// Resources 0, 3, 6 and 9 of the estate: chat on each (errors on acs-003 only), sms on 0 (i % 4 === 0).
const selection = ['--subscription', SUBS[0]];

beforeAll(async () => {
  h = await openEstateHarness(makeEstate(12));
  const e = await run(['export', dir, ...selection, '--interval', 'PT1H', '--since', '2d'], { env: liveEnv(h) });
  expect(e.code).toBe(0);
}, 60_000);
afterAll(async () => {
  await h.close();
});

describe('an export folder gives the live answers', () => {
  const cases: [string, string[]][] = [
    ['status table', ['status', '--since', '1d', '--width', '120']],
    ['status json', ['status', '--since', '1d', '-o', 'json']],
    ['status csv', ['status', '--since', '12h', '-o', 'csv']],
    ['check --metric all', ['check', '-m', 'all', '--since', '1d', '--max-error-rate', '5%']],
    ['check --metric all json', ['check', '-m', 'all', '--since', '1d', '--min-requests', '1', '--max-error-rate', '40%', '-o', 'json']],
    ['query', ['query', '-m', 'chat', '--since', '1d', '-o', 'json']],
    ['usage', ['usage', '--since', '2d', '-o', 'json']],
  ];
  for (const [name, argv] of cases) {
    it(name, async () => {
      const live = await run([...argv, ...selection], { env: liveEnv(h) });
      const replay = await run([...argv, '--fixture', dir]);
      expect(replay.stdout).toBe(live.stdout);
      expect(replay.code).toBe(live.code);
      expect(replay.stderr).not.toContain('error:');
      expect(replay.stderr).not.toContain('failed');
    });
  }

  it("the numbers are the estate's: chat on acs-003 has 144 requests and 48 errors in the last day (check exits 1)", async () => {
    const r = await run(['check', '-m', 'all', '--since', '1d', '--max-error-rate', '5%', '--fixture', dir]);
    expect(r.code).toBe(1);
    // Resource 3: (3 % 5) + 1 = 4 requests an hour of SendChatMessage and 2 errors an hour: 144 and 48 in 24 h.
    expect(r.stdout).toContain('FAIL  chat on acs-003  error rate 33.33% > 5.00%  requests 144  errors 48');
    expect(r.stderr).not.toContain('networktraversal');
  });

  it('status of every metric: the export holds what live asks, so nothing is noted missing, and exits 0', async () => {
    const r = await run(['status', '--since', '1d', '--fixture', dir]);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')[0]).toBe('2026-01-07T00:00Z to 2026-01-08T00:00Z · 4 resources · 4 with traffic · 1 with errors');
    expect(r.stderr).toBe('');
  });

  it('status names a legacy metric the files do not hold when it is asked for by name', async () => {
    const r = await run(['status', '--since', '1d', '-m', 'chat,networktraversal', '--fixture', dir]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('note: no networktraversal (APIRequestNetworkTraversal) data in the files: not shown\n');
  });
});

describe('files without some metric', () => {
  it('status on a file of Chat only shows Chat and notes the rest, not "failed"', async () => {
    const chat = metricsBody([
      { name: 'APIRequestChat', series: [{ dims: { operation: 'SendChatMessage', statuscode: '201', statuscodeclass: '2xx' }, counts: [5, 7] }] },
    ]);
    const file = writeFixture(chat);
    const r = await run(['status', '--fixture', file, '-o', 'csv']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(',chat,12,0,');
    expect(r.stdout).not.toContain('sms');
    expect(r.stderr).toMatch(/^note: no sms \(APIRequestSMS\), .* data in the files: not shown\n$/);
  });

  it('check on a named metric the files do not hold stays an error (exit 3): a gate never passes on missing data', async () => {
    const file = writeFixture(metricsBody([{ name: 'APIRequestChat', series: [{ dims: { operation: 'SendChatMessage' }, counts: [5, 7] }] }]));
    const r = await run(['check', '--fixture', file, '-m', 'sms', '--min-total', '1']);
    expect(r.code).toBe(3);
  });
});

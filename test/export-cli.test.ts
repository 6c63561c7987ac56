/**
 * `acs-metrics export` against the Azure Monitor emulator (clock off the minute): files that replay to
 * the live answers, a resumed export byte-identical to an uninterrupted one, verification, refusals.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, liveEnv, openHarness, RESOURCE } from './emulator/harness.js';
import { run } from './helpers/io.js';
import { readTree, tempDir } from './helpers/temp.js';
import { withoutCost } from './helpers/cost.js';

const MANIFEST = 'acs-metrics-export.manifest';

describe('export', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await openHarness();
  });
  afterAll(async () => {
    await h.close();
  });
  const live = (argv: string[], opts: { signal?: AbortSignal } = {}) => run(argv, { env: liveEnv(h), ...opts });
  const exportArgs = (dir: string) => ['export', dir, '--resource', RESOURCE, '-m', 'chat,router,rooms', '--interval', 'PT1H'];

  it('writes a settled file per metric and 30-day window and a 3-hour tail, with a manifest, and the files replay to the live answers', async () => {
    const dir = join(tempDir(), 'out');
    const r = await live([...exportArgs(dir), '--since', '3d']);
    expect(r.stdout).toBe('');
    expect(r.code).toBe(0);
    const written = readTree(dir);
    const data = [...written.keys()].filter((f) => f !== MANIFEST).sort();
    const folder = '00000000-0000-4000-8000-000000000001/rg-test/acs-test';
    expect(data).toEqual(
      ['APIRequestChat', 'ApiRequestRooms', 'ApiRequestRouter'].flatMap((m) => [
        `${folder}/${m}/20260105T0000Z-20260107T2100Z-PT1H.json`,
        `${folder}/${m}/20260107T2100Z-20260108T0000Z-PT1H-tail.json`,
      ]),
    );
    const manifest = JSON.parse(written.get(MANIFEST)!);
    // Chat and Rooms share their dimensions and so one batch request; Job Router has its own. One
    // request per metric group gives both the settled file and the tail.
    expect(manifest).toMatchObject({
      schemaVersion: 2,
      grain: 'PT1H',
      overlap: 'PT3H',
      window: { start: '2026-01-05T00:00:00Z', end: '2026-01-08T00:00:00Z' },
      requests: 2,
    });
    // The settled file holds the hours before 21:00, the tail the last three: each point once.
    const chat = (f: string) => JSON.parse(written.get(f)!).values[0];
    const settled = chat(data[0]!);
    const tail = chat(data[1]!);
    expect([settled.starttime, settled.endtime, tail.starttime, tail.endtime]).toEqual([
      '2026-01-05T00:00:00Z',
      '2026-01-07T21:00:00Z',
      '2026-01-07T21:00:00Z',
      '2026-01-08T00:00:00Z',
    ]);
    expect(settled.value[0].timeseries[0].data.at(-1).timeStamp).toBe('2026-01-07T20:00:00Z');
    expect(tail.value[0].timeseries[0].data.map((p: { timeStamp: string }) => p.timeStamp)).toEqual([
      '2026-01-07T21:00:00Z',
      '2026-01-07T22:00:00Z',
      '2026-01-07T23:00:00Z',
    ]);
    expect(manifest.items.every((i: { status: string }) => i.status === 'done')).toBe(true);
    // Every dimension split, every aggregation, in one request per file.
    const chatRequest = h.emulator.requests.find((q) => q.path.endsWith('metrics:getBatch') && q.query.metricnames === 'APIRequestChat,ApiRequestRooms')!;
    expect(chatRequest.query).toMatchObject({
      interval: 'PT1H',
      aggregation: 'Count,Total,Average,Minimum,Maximum',
      filter: "Operation eq '*' and StatusCode eq '*' and StatusCodeClass eq '*'",
    });
    for (const metric of ['chat', 'rooms', 'router']) {
      const argv = ['-m', metric, '--since', '2d', '--interval', '1h', '-o', 'json'];
      const replay = await run(['query', '--fixture', dir, ...argv]);
      const answer = await live(['query', '--resource', RESOURCE, ...argv]);
      expect(replay.code).toBe(0);
      expect(withoutCost(replay.stdout)).toBe(withoutCost(answer.stdout));
    }
    const verified = await run(['export', '--verify', dir]);
    expect(verified).toMatchObject({ code: 0, stderr: '' });
    expect(verified.stdout).toBe('OK: 6 of 6 files match their sha256; 1 resource, 3 metrics, 2026-01-05T00:00:00Z to 2026-01-08T00:00:00Z at PT1H\n');
  });

  it('an interrupted export continues where it stopped and gives byte-identical files', async () => {
    const whole = join(tempDir(), 'whole');
    expect((await live([...exportArgs(whole), '--concurrency', '1'])).code).toBe(0);
    const reference = readTree(whole);
    expect(reference.size).toBe(3 * 5 + 1); // 93 days: windows of 30, 30, 30 and 3 days, and the tail

    const dir = join(tempDir(), 'resumed');
    const stop = new AbortController();
    const before = h.emulator.requests.length;
    const watcher = setInterval(() => {
      if (h.emulator.requests.length - before >= 5) stop.abort();
    }, 1);
    const first = await live([...exportArgs(dir), '--concurrency', '1'], { signal: stop.signal });
    clearInterval(watcher);
    expect(first.code).toBe(130);
    expect(first.stderr).toMatch(/note: interrupted: [1-9]\d* of 15 files exported; run the same command again to continue\n/);
    const partial = JSON.parse(readFileSync(join(dir, MANIFEST), 'utf8'));
    const doneFirst = partial.items.filter((i: { status: string }) => i.status === 'done').length;
    expect(doneFirst).toBeGreaterThan(0);
    expect(doneFirst).toBeLessThan(15);

    const second = await live([...exportArgs(dir), '--concurrency', '1']);
    expect(second.code).toBe(0);
    expect(second.stderr).toContain(`continuing the export: ${doneFirst} of 15 files already done`);
    const resumed = readTree(dir);
    for (const [file, text] of reference) if (file !== MANIFEST) expect(resumed.get(file), file).toBe(text);
    expect([...resumed.keys()].sort()).toEqual([...reference.keys()].sort());
  });

  it('verify names a changed or missing file (exit 3)', async () => {
    const dir = join(tempDir(), 'tampered');
    expect((await live([...exportArgs(dir), '--since', '1d'])).code).toBe(0);
    const manifest = JSON.parse(readFileSync(join(dir, MANIFEST), 'utf8'));
    const file = manifest.items[0].file as string;
    writeFileSync(join(dir, file), readFileSync(join(dir, file), 'utf8').replace(/\n$/, ' \n'));
    const r = await run(['export', '--verify', dir]);
    expect(r.code).toBe(3);
    expect(r.stderr).toBe(`error: ${file}: changed since it was exported (sha256 differs)\n`);
    expect(r.stdout).toMatch(/^FAILED: 5 of 6 files match their sha256/);
  });

  it('a metric the resource lacks fails alone (partial: exit 4); the rest is kept, and a rerun retries it', async () => {
    const dir = join(tempDir(), 'partial');
    const r = await live(['export', dir, '--resource', RESOURCE, '-m', 'chat,sms', '--interval', 'PT1H', '--since', '1d']);
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/^error: .*\/APIRequestSMS\/20260107T0000Z-20260107T2100Z-PT1H\.json: .*APIRequestSMS/m);
    const manifest = JSON.parse(readFileSync(join(dir, MANIFEST), 'utf8'));
    expect(manifest.items.map((i: { metric: string; status: string }) => [i.metric, i.status])).toEqual([
      ['APIRequestChat', 'done'],
      ['APIRequestChat', 'done'],
      ['APIRequestSMS', 'failed'],
      ['APIRequestSMS', 'failed'],
    ]);
    const again = await live(['export', dir, '--resource', RESOURCE, '-m', 'chat,sms', '--interval', 'PT1H', '--since', '1d']);
    expect(again.code).toBe(3); // nothing could be fetched this time
    expect(again.stderr).toContain('continuing the export: 2 of 4 files already done');
    expect(r.stderr).toContain('note: the results are partial: 2 of 4 files failed (named above); exit 4 (--allow-partial: 0)\n');
    const allowed = await live([
      'export',
      join(tempDir(), 'allowed'),
      '--resource',
      RESOURCE,
      '-m',
      'chat,sms',
      '--interval',
      'PT1H',
      '--since',
      '1d',
      '--allow-partial',
    ]);
    expect(allowed.code).toBe(0);
    expect(allowed.stderr).toContain('note: the results are partial: 2 of 4 files failed (named above); --allow-partial: exit 0\n');
  });

  it('refuses a folder that holds other things, another plan, and a bad interval (exit 2, nothing fetched)', async () => {
    const busy = tempDir();
    writeFileSync(join(busy, 'notes.txt'), 'mine');
    const before = h.emulator.requests.length;
    const r1 = await live([...exportArgs(busy), '--since', '1d']);
    expect(r1.code).toBe(2);
    expect(r1.stderr).toMatch(/^error: .* is not empty and holds no acs-metrics export: give a new or empty folder\n$/);
    const dir = join(tempDir(), 'plan');
    expect((await live([...exportArgs(dir), '--since', '1d'])).code).toBe(0);
    const r2 = await live(['export', dir, '--resource', RESOURCE, '-m', 'chat', '--interval', 'PT1M', '--since', '1d']);
    expect(r2.code).toBe(2);
    expect(r2.stderr).toBe(`error: ${dir} holds an export at PT1H, not PT1M: run it without --interval to extend it, or export to another folder\n`);
    const r3 = await live(['export', join(tempDir(), 'x'), '--resource', RESOURCE, '--interval', 'PT5M']);
    expect(r3).toMatchObject({ code: 2, stderr: 'error: invalid --interval "PT5M": an export is at PT1M (default) or PT1H\n' });
    expect(h.emulator.requests.length).toBe(before + 2);
  });
});

describe('export progress', () => {
  it('shows steps done, left, rate and ETA on a terminal, and nothing off one', async () => {
    const h = await openHarness();
    try {
      const args = (dir: string) => ['export', dir, '--resource', RESOURCE, '-m', 'chat', '--interval', 'PT1H', '--since', '1d'];
      const tty = await run(args(join(tempDir(), 'tty')), { env: liveEnv(h), isTTY: true });
      expect(tty.code).toBe(0);
      expect(tty.stderr).toMatch(/^\r\u001b\[2Kexport: 1\/1 steps, 0 left, [\d.]+\/s, ETA 0s\n/);
      const piped = await run(args(join(tempDir(), 'piped')), { env: liveEnv(h) });
      expect(piped.stderr).not.toContain('steps');
    } finally {
      await h.close();
    }
  });
});

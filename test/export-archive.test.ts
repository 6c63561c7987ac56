/**
 * `acs-metrics export` as an archive kept current: runs on several simulated days (the emulator's
 * clock and the CLI's moved between runs, Azure's newest minutes filled in late), each fetching only
 * what came since the last one plus the 3-hour tail, which is replaced; every point stored once; the
 * replay equal to live; a span lost when a run comes too late; a changed selection; temp files of a
 * killed run; one run at a time.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveMetric } from '../src/catalog/resolve.js';
import { buildMetric, type Dataset } from './emulator/dataset.js';
import { makeEstate, resourceName } from './emulator/estate.js';
import { DAY, type Harness, HOUR, liveEnv, NOW, NOW_MINUTE, openEstateHarness, openHarness, RESOURCE } from './emulator/harness.js';
import { run } from './helpers/io.js';
import { readTree, tempDir } from './helpers/temp.js';
import { withoutCost } from './helpers/cost.js';

const MANIFEST = 'acs-metrics-export.manifest';
const FOLDER = '00000000-0000-4000-8000-000000000001/rg-test/acs-test/APIRequestChat';
const MINUTE = 60_000;

/** Chat from 10 days before NOW to 120 days after it, hourly, with counts that differ hour by hour. */
function longDataset(): Dataset {
  const chat = resolveMetric('chat');
  const hourly = (k: number) => (t: number) => (Math.floor(t / HOUR) % 7) + k;
  return {
    metrics: [
      buildMetric(chat, NOW_MINUTE - 10 * DAY, NOW_MINUTE + 120 * DAY, HOUR, [
        { dims: { Operation: 'SendChatMessage', StatusCode: '201', StatusSubClass: '2xx' }, count: hourly(3) },
        { dims: { Operation: 'GetChatThread', StatusCode: '500', StatusSubClass: '5xx' }, count: hourly(0) },
      ]),
    ],
  };
}

/** Every point of every data file: `series|timestamp`, with duplicates kept. */
function storedPoints(dir: string): string[] {
  const keys: string[] = [];
  for (const [file, text] of readTree(dir)) {
    if (!file.endsWith('.json')) continue;
    for (const entry of JSON.parse(text).values) {
      for (const m of entry.value) {
        for (const s of m.timeseries) for (const p of s.data) keys.push(`${m.name.value}|${JSON.stringify(s.metadatavalues)}|${p.timeStamp}`);
      }
    }
  }
  return keys;
}

describe('export keeps itself current', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await openHarness(longDataset());
    h.emulator.estate.lateMs = 150 * MINUTE; // the last 2.5 hours before the clock are half there
  }, 60_000);
  afterAll(async () => {
    await h.close();
  });
  /** A run of the CLI, and the emulator, at this clock. */
  const at = (clock: number, argv: string[]) => {
    h.emulator.clock = clock;
    return run(argv, { env: liveEnv(h), now: new Date(clock) });
  };
  const args = (dir: string) => ['export', dir, '--resource', RESOURCE, '-m', 'chat', '--interval', 'PT1H'];
  const chatJson = (clock: number, argv: string[]) =>
    at(clock, ['query', ...argv, '-m', 'chat', '--interval', '1h', '--split-by', 'operation,statuscode', '-o', 'json']);

  it('fetches only what came since the last run and the 3-hour tail, which it replaces; every point once; replays as live', async () => {
    const dir = join(tempDir(), 'archive');
    const first = await at(NOW, [...args(dir), '--since', '3d']);
    expect(first).toMatchObject({ code: 0, stdout: '' });
    const afterFirst = readTree(dir);
    const settled1 = `${FOLDER}/20260105T0000Z-20260107T2100Z-PT1H.json`;
    expect([...afterFirst.keys()].sort()).toEqual([
      `${FOLDER}/20260105T0000Z-20260107T2100Z-PT1H.json`,
      `${FOLDER}/20260107T2100Z-20260108T0000Z-PT1H-tail.json`,
      MANIFEST,
    ]);

    // A day and 5h13m later: one request, from where the settled data ends (21:00) to now.
    const second = NOW + DAY + 5 * HOUR + 13 * MINUTE;
    h.emulator.reset();
    const r2 = await at(second, args(dir));
    expect(r2.code).toBe(0);
    expect(h.emulator.batchRequests.map((q) => [q.query.starttime, q.query.endtime])).toEqual([['2026-01-07T21:00:00Z', '2026-01-09T05:13:00Z']]);
    expect(r2.stderr).toBe(
      `note: exported 2 files (3 of 3 done, 0.0 MiB, 2 requests in all) to ${dir}, up to 2026-01-09T05:13:00Z\n`.replace(
        '0.0 MiB',
        r2.stderr.match(/\d+\.\d MiB/)![0],
      ),
    );
    const afterSecond = readTree(dir);
    expect(afterSecond.get(settled1)).toBe(afterFirst.get(settled1)); // settled data is never written again
    expect([...afterSecond.keys()].sort()).toEqual([
      settled1,
      `${FOLDER}/20260107T2100Z-20260109T0200Z-PT1H.json`,
      `${FOLDER}/20260109T0200Z-20260109T0513Z-PT1H-tail.json`,
      MANIFEST,
    ]);
    // The hours Azure had only half of at the first run (22:00 and 23:00) now hold their whole count.
    const sendAt = (t: string) => {
      const text = afterSecond.get(`${FOLDER}/20260107T2100Z-20260109T0200Z-PT1H.json`)!;
      const s = JSON.parse(text).values[0].value[0].timeseries.find(
        (x: { metadatavalues: { value: string }[] }) => x.metadatavalues[0]!.value === 'SendChatMessage',
      );
      return s.data.find((p: { timeStamp: string }) => p.timeStamp === t).count;
    };
    const full = (t: string) => (Math.floor(Date.parse(t) / HOUR) % 7) + 3;
    expect(sendAt('2026-01-07T22:00:00Z')).toBe(full('2026-01-07T22:00:00Z'));
    expect(sendAt('2026-01-07T23:00:00Z')).toBe(full('2026-01-07T23:00:00Z'));
    const firstTail = JSON.parse(afterFirst.get(`${FOLDER}/20260107T2100Z-20260108T0000Z-PT1H-tail.json`)!).values[0].value[0].timeseries;
    expect(firstTail.find((x: { metadatavalues: { value: string }[] }) => x.metadatavalues[0]!.value === 'SendChatMessage').data[2].count).toBe(
      Math.floor(full('2026-01-07T23:00:00Z') / 2),
    );

    // A third run 2 days later, then a fourth at the same time: nothing to fetch.
    const third = NOW + 3 * DAY + 17 * MINUTE;
    expect((await at(third, args(dir))).code).toBe(0);
    h.emulator.reset();
    const again = await at(third, args(dir));
    expect(again.code).toBe(0);
    expect(h.emulator.requests).toEqual([]);
    expect(again.stderr).toMatch(/^note: .*: the export is up to date \(4 files, to 2026-01-11T00:17:00Z\); check it with: acs-metrics export --verify /);

    const points = storedPoints(dir);
    expect(points.length).toBeGreaterThan(0);
    expect(new Set(points).size).toBe(points.length);
    // The archive answers as live does at the third run's clock, over its whole window.
    const window = ['--start', '2026-01-05T00:00:00Z', '--end', '2026-01-11T00:17:00Z'];
    const replay = await chatJson(third, ['--fixture', dir, ...window]);
    const live = await chatJson(third, ['--resource', RESOURCE, ...window]);
    expect(replay.code).toBe(0);
    expect(live.code).toBe(0);
    expect(withoutCost(replay.stdout)).toBe(withoutCost(live.stdout));
    expect(await run(['export', '--verify', dir])).toMatchObject({ code: 0, stderr: '' });
  }, 60_000);

  it('a series whose last files failed is retried, not extended over them, until they are written', async () => {
    const dir = join(tempDir(), 'retry');
    expect((await at(NOW, [...args(dir), '--since', '1d'])).code).toBe(0);
    // Planned files that overlap: the old tail with its replacements (while they are not written) only.
    const overlaps = () => {
      const items = JSON.parse(readFileSync(join(dir, MANIFEST), 'utf8')).items.sort((a: { start: number }, b: { start: number }) => a.start - b.start);
      return items.filter(
        (x: { start: number; replaces?: string[] }, k: number) => k > 0 && x.start < items[k - 1].end && !x.replaces?.includes(items[k - 1].file),
      ).length;
    };
    h.emulator.inject({ kind: 'status', status: 400, body: { error: { code: 'BadRequest', message: 'no' } } }, 1000);
    try {
      expect((await at(NOW + DAY, args(dir))).code).toBe(3);
      expect((await at(NOW + 2 * DAY, args(dir))).code).toBe(3);
      expect(overlaps()).toBe(0);
    } finally {
      h.emulator.reset();
    }
    const r = await at(NOW + 2 * DAY, args(dir));
    expect(r.code).toBe(0);
    expect(overlaps()).toBe(0);
    const points = storedPoints(dir);
    expect(new Set(points).size).toBe(points.length);
    const window = ['--start', '2026-01-07T00:00:00Z', '--end', '2026-01-10T00:00:00Z'];
    expect(withoutCost((await chatJson(NOW + 2 * DAY, ['--fixture', dir, ...window])).stdout)).toBe(
      withoutCost((await chatJson(NOW + 2 * DAY, ['--resource', RESOURCE, ...window])).stdout),
    );
  }, 60_000);

  it('--fixture DIR reads the files the manifest lists as done, not a file a killed run left half-way', async () => {
    const dir = join(tempDir(), 'reader');
    expect((await at(NOW, [...args(dir), '--since', '1d'])).code).toBe(0);
    const query = ['-m', 'chat', '--split-by', 'operation', '-o', 'csv'];
    const before = await chatJson(NOW, ['--fixture', dir]);
    const csv = await at(NOW, ['query', '--fixture', dir, ...query]);
    // A replacement of the tail written by a run killed before its manifest update: other numbers.
    const tail = readTree(dir).get(`${FOLDER}/20260107T2100Z-20260108T0000Z-PT1H-tail.json`)!;
    writeFileSync(
      join(dir, FOLDER, '20260107T2100Z-20260108T0300Z-PT1H.json'),
      tail.replace(/"count": (\d+)/g, (_, n) => `"count": ${Number(n) + 1}`),
    );
    expect(await chatJson(NOW, ['--fixture', dir])).toEqual(before);
    expect(await at(NOW, ['query', '--fixture', dir, ...query])).toEqual(csv);
    // An export whose first run wrote nothing yet.
    const manifest = JSON.parse(readFileSync(join(dir, MANIFEST), 'utf8'));
    for (const i of manifest.items) i.status = 'pending';
    writeFileSync(join(dir, MANIFEST), JSON.stringify(manifest));
    expect(await at(NOW, ['query', '--fixture', dir, '-m', 'chat'])).toMatchObject({
      code: 3,
      stderr: `error: ${dir}: the export holds no finished file yet: run acs-metrics export ${dir}\n`,
    });
  }, 60_000);

  it('a run after more than 93 days reports the exact span lost, in its output and the manifest (exit 4)', async () => {
    const dir = join(tempDir(), 'late');
    expect((await at(NOW, [...args(dir), '--since', '1d'])).code).toBe(0);
    const later = NOW + 100 * DAY;
    const r = await at(later, args(dir));
    expect(r.code).toBe(4);
    // The first run's tail can no longer be fetched again: it is kept as it is, and the loss starts after it.
    expect(r.stderr).toContain(
      'warning: acs-test: 2026-01-08T00:00:00Z to 2026-01-15T00:00:00Z (7d) is lost for APIRequestChat: Azure keeps 93 days and this export did not run in time (recorded in acs-metrics-export.manifest)\n',
    );
    const manifest = JSON.parse(readFileSync(join(dir, MANIFEST), 'utf8'));
    expect(manifest.gaps).toEqual([
      { resource: RESOURCE, metric: 'APIRequestChat', start: '2026-01-08T00:00:00Z', end: '2026-01-15T00:00:00Z', found: '2026-04-18T00:00:37.250Z' },
    ]);
    expect(manifest.items.find((i: { file: string }) => i.file.endsWith('-tail.json') && i.start === Date.parse('2026-01-07T21:00:00Z')).tail).toBeUndefined();
    const points = storedPoints(dir);
    expect(new Set(points).size).toBe(points.length);
    expect(points.some((p) => p.endsWith('|2026-01-14T23:00:00Z'))).toBe(false);
    expect(points.some((p) => p.endsWith('|2026-01-15T00:00:00Z'))).toBe(true);
    // The next run has nothing lost: exit 0.
    expect((await at(later + DAY, args(dir))).code).toBe(0);
  }, 60_000);

  it('an interrupted extension continues and gives byte-identical files', async () => {
    const whole = join(tempDir(), 'whole');
    const cut = join(tempDir(), 'cut');
    for (const dir of [whole, cut]) expect((await at(NOW, [...args(dir), '--since', '40d', '--concurrency', '1'])).code).toBe(0);
    const later = NOW + 35 * DAY + 2 * HOUR;
    expect((await at(later, [...args(whole), '--concurrency', '1'])).code).toBe(0);
    const stop = new AbortController();
    h.emulator.clock = later;
    h.emulator.reset();
    const watcher = setInterval(() => {
      if (h.emulator.batchRequests.length >= 1) stop.abort();
    }, 1);
    const first = await run([...args(cut), '--concurrency', '1'], { env: liveEnv(h), now: new Date(later), signal: stop.signal });
    clearInterval(watcher);
    expect(first.code).toBe(130);
    const resumed = await at(later, [...args(cut), '--concurrency', '1']);
    expect(resumed.code).toBe(0);
    const a = readTree(whole);
    const b = readTree(cut);
    expect([...b.keys()].sort()).toEqual([...a.keys()].sort());
    for (const [file, text] of a) if (file !== MANIFEST) expect(b.get(file), file).toBe(text);
  });
});

describe('export: a changed selection, temp files, the lock', () => {
  const estate = makeEstate(3);
  let h: Harness;
  beforeAll(async () => {
    h = await openEstateHarness(estate);
  });
  afterAll(async () => {
    await h.close();
  });
  const live = (argv: string[]) => run(argv, { env: liveEnv(h) });
  const base = ['-m', 'chat', '--interval', 'PT1H', '--since', '1d'];
  const files = (dir: string, name: string) => [...readTree(dir).keys()].filter((f) => f.includes(`/${name}/`)).sort();

  it('a resource that joined the selection is exported whole; one that left is kept, not extended (issue 19 item 3)', async () => {
    const dir = join(tempDir(), 'sel');
    expect((await live(['export', dir, '--resource', estate[0]!.id, '--resource', estate[1]!.id, ...base])).code).toBe(0);
    const before = readTree(dir);
    const r = await live(['export', dir, '--resource', estate[2]!.id, ...base]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`note: ${dir}: ${resourceName(2)} joined the selection: exporting its whole window\n`);
    expect(r.stderr).toContain(`note: ${dir}: ${resourceName(0)}, ${resourceName(1)} left the selection: their files are kept and no longer extended\n`);
    // The third resource's files are those of an export of it alone.
    const alone = join(tempDir(), 'alone');
    expect((await live(['export', alone, '--resource', estate[2]!.id, ...base])).code).toBe(0);
    expect(files(dir, resourceName(2))).toEqual(files(alone, resourceName(2)));
    expect(files(dir, resourceName(2))).toHaveLength(2);
    for (const f of files(alone, resourceName(2))) expect(readFileSync(join(dir, f), 'utf8')).toBe(readFileSync(join(alone, f), 'utf8'));
    for (const [f, text] of before) if (f !== MANIFEST) expect(readFileSync(join(dir, f), 'utf8')).toBe(text);
    const manifest = JSON.parse(readFileSync(join(dir, MANIFEST), 'utf8'));
    expect(manifest.resources).toEqual([estate[2]!.id]);
    expect(manifest.items).toHaveLength(6);
    // A bare `export DIR` continues the latest selection.
    const bare = await live(['export', dir]);
    expect(bare.code).toBe(0);
    expect(bare.stderr).toMatch(/the export is up to date \(6 files/);
  }, 60_000);

  it('temp files a killed run left are removed on resume; other files are not (issue 19 item 15)', async () => {
    const dir = join(tempDir(), 'temps');
    expect((await live(['export', dir, '--resource', estate[0]!.id, ...base])).code).toBe(0);
    const manifest = JSON.parse(readFileSync(join(dir, MANIFEST), 'utf8'));
    const item = manifest.items[0].file as string;
    const folder = join(dir, ...item.split('/').slice(0, -1));
    const name = item.split('/').at(-1)!;
    const gone = await deadPid();
    const stale = [join(folder, `.${name}.${gone}.0badc0de.tmp`), join(dir, `.${MANIFEST}.${gone}.12345678.tmp`)];
    const kept = [
      join(folder, `.notes.json.${gone}.0badc0de.tmp`), // not a file of the export
      join(folder, `.${name}.${process.pid}.0badc0de.tmp`), // a live process's
      join(folder, `${name}.tmp`), // not our pattern
    ];
    for (const f of [...stale, ...kept]) writeFileSync(f, 'half');
    const r = await live(['export', dir, '--resource', estate[0]!.id, ...base]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`note: ${dir}: removed 2 temp files left by an interrupted run\n`);
    const left = [...readTree(dir).keys()].map((f) => join(dir, f));
    for (const f of stale) expect(left).not.toContain(f);
    for (const f of kept) expect(left).toContain(f);
  }, 60_000);

  it('two runs at once: the second waits for the first; a live lock refuses; a dead one is taken over', async () => {
    const dir = join(tempDir(), 'locked');
    h.emulator.latencyMs = 300;
    h.emulator.reset();
    try {
      const [a, b] = await Promise.all([
        live(['export', dir, '--resource', estate[0]!.id, ...base]),
        live(['export', dir, '--resource', estate[0]!.id, ...base]),
      ]);
      // One exported; the other waited, then found it up to date (or, on a machine so loaded that the
      // first took over 5 s, was refused). The files were fetched and written once.
      const [first, second] = a.stderr.includes('note: exported') ? [a, b] : [b, a];
      expect(first.code).toBe(0);
      if (second.code === 0) expect(second.stderr).toMatch(/the export is up to date/);
      else expect(second).toMatchObject({ code: 3, stderr: expect.stringMatching(/^error: .* is being exported by another run \(pid \d+ on /) });
      expect(h.emulator.batchRequests.filter((q) => q.body?.includes(estate[0]!.name))).toHaveLength(1);
    } finally {
      h.emulator.latencyMs = 0;
    }
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)'], { stdio: 'ignore' });
    try {
      writeFileSync(join(dir, 'acs-metrics-export.lock'), JSON.stringify({ pid: child.pid, host: hostname(), started: '2026-01-08T00:00:00.000Z' }));
      const refused = await live(['export', dir]);
      expect(refused.code).toBe(3);
      expect(refused.stderr).toBe(
        `error: ${dir} is being exported by another run (pid ${child.pid} on ${hostname()}, since 2026-01-08T00:00:00.000Z): wait for it to end, or remove ${join(dir, 'acs-metrics-export.lock')} if that run is gone\n`,
      );
    } finally {
      child.kill();
    }
    const gone = await deadPid();
    const lock = JSON.stringify({ pid: gone, host: hostname(), started: '2026-01-08T00:00:00.000Z' });
    writeFileSync(join(dir, 'acs-metrics-export.lock'), lock);
    const taken = await live(['export', dir]);
    expect(taken.code).toBe(0);
    expect(taken.stderr).toContain(`note: ${dir}: took over the lock of a run that is gone (pid ${gone} on ${hostname()}, since 2026-01-08T00:00:00.000Z)\n`);
    expect(readTree(dir).has('acs-metrics-export.lock')).toBe(false);
    // A first run killed before its manifest left only its lock: the folder is still a new export.
    const fresh = join(tempDir(), 'fresh');
    mkdirSync(fresh);
    writeFileSync(join(fresh, 'acs-metrics-export.lock'), lock);
    expect((await live(['export', fresh, '--resource', estate[0]!.id, ...base])).code).toBe(0);
  }, 60_000);
});

/** The pid of a process that has ended. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '0'], { stdio: 'ignore' });
  await new Promise((r) => child.on('exit', r));
  return child.pid!;
}

/**
 * `acs-metrics usage`: a hand-made estate of three resources whose numbers are worked out below, and
 * the sample week checked against `query` over the same window.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { metricsBody, writeFixture } from './helpers/fixture.js';
import { run } from './helpers/io.js';

const RG = '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Communication/CommunicationServices';
const A = `${RG}/acs-a`;
const B = `${RG}/acs-b`;
const C = `${RG}/acs-c`;
const SAMPLE = join(import.meta.dirname, '..', 'fixtures', 'sample-week.json');

const s = (op: string, code: string, counts: (number | null)[]) => ({ dims: { operation: op, statuscode: code, statuscodeclass: `${code[0]}xx` }, counts });

/** Daily buckets from 2026-01-01 (four days) of the given metrics, for one resource. */
function entry(resourceid: string, metrics: { name: string; series: ReturnType<typeof s>[] }[]) {
  const body = metricsBody(metrics, '2026-01-01T00:00:00Z', 86_400_000) as { value: unknown[] };
  return { starttime: '2026-01-01T00:00:00Z', endtime: '2026-01-05T00:00:00Z', interval: 'P1D', resourceid, value: body.value };
}

// acs-a: Chat (retiring) SendChatMessage 0,10,20,0 ok + 0,0,2,0 failing (32 requests, 2 errors, 2026-01-02 to 01-03),
//        GetChatMessage 0,0,0,5 (5); Auth (active) CreateToken 7 on each day (28).
// acs-b: Call Automation (breaking) Answer Call 3,0,0,0 (3, on 2026-01-01 only); Auth 1,1,1,1 (4).
// acs-c: Auth only, 2,2,2,2 (8): clear. Chat rows of acs-c exist but are all zero: no traffic.
const estate = {
  values: [
    entry(A, [
      {
        name: 'APIRequestChat',
        series: [s('SendChatMessage', '201', [0, 10, 20, 0]), s('SendChatMessage', '500', [0, 0, 2, 0]), s('GetChatMessage', '200', [0, 0, 0, 5])],
      },
      { name: 'APIRequestAuthentication', series: [s('CreateToken', '200', [7, 7, 7, 7])] },
    ]),
    entry(B, [
      { name: 'APIRequestCallAutomation', series: [s('Answer Call', '200', [3, 0, 0, 0])] },
      { name: 'APIRequestAuthentication', series: [s('CreateToken', '200', [1, 1, 1, 1])] },
    ]),
    entry(C, [
      { name: 'APIRequestChat', series: [s('SendChatMessage', '201', [0, 0, 0, 0])] },
      { name: 'APIRequestAuthentication', series: [s('CreateToken', '200', [2, 2, 2, 2])] },
    ]),
  ],
};
const file = writeFixture(estate, 'estate.json');

interface Channel {
  alias: string;
  requests: number;
  errors: number | null;
  firstDay: string;
  lastDay: string;
  operations: { name: string; requests: number }[];
  lifecycle: { status: string };
}

describe('usage over a hand-made estate', () => {
  it('gives a row per resource and channel with traffic, with the numbers worked out by hand', async () => {
    const r = await run(['usage', '--fixture', file, '-o', 'json']);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.window).toEqual({ start: '2026-01-01T00:00:00Z', end: '2026-01-05T00:00:00Z' });
    const byName = Object.fromEntries(doc.resources.map((x: { name: string }) => [x.name, x]));
    expect(Object.keys(byName)).toEqual(['acs-a', 'acs-b', 'acs-c']);
    const a = byName['acs-a'].channels as Channel[];
    expect(a.map((c) => [c.alias, c.lifecycle.status, c.requests, c.errors, c.firstDay, c.lastDay])).toEqual([
      ['chat', 'retiring', 37, 2, '2026-01-02', '2026-01-04'],
      ['auth', 'active', 28, 0, '2026-01-01', '2026-01-04'],
    ]);
    expect(a[0]!.operations).toEqual([
      { name: 'SendChatMessage', requests: 32 },
      { name: 'GetChatMessage', requests: 5 },
    ]);
    expect(byName['acs-a'].clear).toBe(false);
    const b = byName['acs-b'].channels as Channel[];
    expect(b.map((c) => [c.alias, c.lifecycle.status, c.requests, c.firstDay, c.lastDay])).toEqual([
      ['callautomation', 'breaking', 3, '2026-01-01', '2026-01-01'],
      ['auth', 'active', 4, '2026-01-01', '2026-01-04'],
    ]);
    expect(byName['acs-b'].clear).toBe(true);
    expect((byName['acs-c'].channels as Channel[]).map((c) => [c.alias, c.requests])).toEqual([['auth', 8]]);
    expect(byName['acs-c'].clear).toBe(true);
  });

  it('--fail-on retiring exits 1 naming the resource and channel; --fail-on breaking names acs-b', async () => {
    const retiring = await run(['usage', '--fixture', file, '--fail-on', 'retiring', '-o', 'csv']);
    expect(retiring.code).toBe(1);
    expect(retiring.stderr).toBe('fail: acs-a: chat (APIRequestChat, retiring 2028-09-30) had 37 requests, the last on 2026-01-04\n');
    const breaking = await run(['usage', '--fixture', file, '--fail-on', 'breaking', '-o', 'csv']);
    expect(breaking.code).toBe(1);
    expect(breaking.stderr).toBe('fail: acs-b: callautomation (APIRequestCallAutomation, breaking 2028-09-30) had 3 requests, the last on 2026-01-01\n');
    // The last day holds only GetChatMessage's 5 requests: still chat traffic.
    const last = await run(['usage', '--fixture', file, '--fail-on', 'retiring', '--since', '1d', '-o', 'csv']);
    expect(last.code).toBe(1);
    expect(last.stderr).toBe('fail: acs-a: chat (APIRequestChat, retiring 2028-09-30) had 5 requests, the last on 2026-01-04\n');
    // The first day has no chat traffic anywhere: the gate passes.
    const quiet = await run(['usage', '--fixture', file, '--fail-on', 'retiring', '--start', '2026-01-01', '--end', '2026-01-02', '-o', 'csv']);
    expect([quiet.code, quiet.stderr]).toEqual([0, '']);
  });

  it('the table lists clear resources; CSV has a row per channel; Markdown a section per resource', async () => {
    const table = await run(['usage', '--fixture', file]);
    expect(table.stdout.split('\n')[0]).toBe(
      'ACS usage by resource and channel · 2026-01-01T00:00:00Z – 2026-01-05T00:00:00Z · 3 resources, 5 channels with traffic',
    );
    expect(table.stdout).toContain('clear (no traffic on a retiring channel): acs-b, acs-c\n');
    const csv = await run(['usage', '--fixture', file, '-o', 'csv']);
    const lines = csv.stdout.trim().split('\r\n');
    expect(lines[0]).toBe('resource,resource_id,channel,metric,lifecycle,lifecycle_date,requests,errors,first_day,last_day,busiest_operations,clear');
    expect(lines[1]).toBe(`acs-a,${A},chat,APIRequestChat,retiring,2028-09-30,37,2,2026-01-02,2026-01-04,SendChatMessage 32; GetChatMessage 5,false`);
    expect(lines).toHaveLength(6);
    const md = await run(['usage', '--fixture', file, '-o', 'markdown']);
    expect(md.stdout).toContain('**1** of 3 resources uses a retiring channel.');
    expect(md.stdout).toContain('## acs-a\n');
    expect(md.stdout).toContain('## acs-c (clear)\n');
    expect(md.stdout).toContain('| Chat API Requests | retiring 2028-09-30 | 37 | 2 (5.4%) | 2026-01-02 | 2026-01-04 | SendChatMessage 32, GetChatMessage 5 |');
  });

  it('refuses bad options with one line each', async () => {
    const r = await run(['usage', '--fixture', file, '--fail-on', 'soon', '-o', 'pdf']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      'error: invalid --output "pdf": expected one of table, json, csv, markdown, chart\nerror: invalid --fail-on "soon": expected retiring or breaking (comma list)\n',
    );
  });
});

describe('usage of the sample week', () => {
  it("each channel's requests and errors equal query's over the same window", async () => {
    const u = JSON.parse((await run(['usage', '--fixture', SAMPLE, '--since', '3d', '-o', 'json'])).stdout);
    const channels = u.resources[0].channels as Channel[];
    expect(channels).toHaveLength(13);
    for (const alias of ['chat', 'sms', 'router', 'email-delivery', 'callbacks']) {
      const q = JSON.parse((await run(['query', '--fixture', SAMPLE, '-m', alias, '--since', '3d', '--split-by', 'none', '-o', 'json'])).stdout);
      const ch = channels.find((c) => c.alias === alias)!;
      expect([ch.requests, ch.errors]).toEqual([q.requests, q.errors]);
    }
  });
});

describe('usage live (the emulator, clock off the minute)', () => {
  it('asks each metric once and reports what query reports for the same window', async () => {
    const { openHarness, liveEnv, RESOURCE } = await import('./emulator/harness.js');
    const h = await openHarness();
    try {
      const u = await run(['usage', '--resource', RESOURCE, '-m', 'chat,router,rooms', '--since', '30d', '-o', 'json'], { env: liveEnv(h) });
      expect(u.stderr).not.toMatch(/^error/m);
      expect(u.code).toBe(0);
      expect(h.emulator.requests).toHaveLength(3);
      const channels = JSON.parse(u.stdout).resources[0].channels as Channel[];
      expect(channels.map((c) => c.alias).sort()).toEqual(['chat', 'rooms', 'router']);
      for (const ch of channels) {
        const q = JSON.parse(
          (await run(['query', '--resource', RESOURCE, '-m', ch.alias, '--since', '30d', '--split-by', 'none', '-o', 'json'], { env: liveEnv(h) })).stdout,
        );
        expect([ch.alias, ch.requests, ch.errors]).toEqual([ch.alias, q.requests, q.errors]);
      }
      expect(channels.find((c) => c.alias === 'rooms')!.firstDay).toBe('2025-12-09');
    } finally {
      await h.close();
    }
  });
});

describe('usage and status tables in an 80-column terminal', () => {
  it.each([['usage'], ['status']])('%s fits 80 columns', async (command) => {
    const r = await run([command, '--fixture', SAMPLE], { isTTY: true, columns: 80, env: { NO_COLOR: '1' } });
    expect(r.code).toBe(0);
    const widest = Math.max(...r.stdout.split('\n').map((l) => [...l].length));
    expect(widest).toBeLessThanOrEqual(80);
    expect(widest).toBeGreaterThan(60);
  });
});

/**
 * Messages that name files or resources list a few and count the rest ("and 1,437 more"): a folder of
 * 1,440 files once made `status` print 67 MB, every Problem cell and a note listing every path.
 */
import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fewFiles, fewNames } from '../src/core/few.js';
import { metricsBody } from './helpers/fixture.js';
import { run } from './helpers/io.js';
import { tempDir } from './helpers/temp.js';

describe('fewNames and fewFiles', () => {
  it('lists up to three, then counts the rest', () => {
    expect(fewNames(['a', 'b', 'c'])).toBe('a, b, c');
    expect(fewNames(['a', 'b', 'a', 'c'])).toBe('a, b, c');
    expect(fewNames(Array.from({ length: 1440 }, (_, i) => `n${i}`))).toBe('n0, n1, n2 and 1,437 more');
  });
  it('files: under their common folder when there are more than three', () => {
    expect(fewFiles(['/d/a.json', '/d/b.json'])).toBe('/d/a.json, /d/b.json');
    expect(fewFiles(['/d/x/a.json', '/d/y/b.json', '/d/b.json', '/d/c.json'])).toBe('4 files in /d (x/a.json, y/b.json, b.json and 1 more)');
    expect(fewFiles(['/a.json', '/b.json', '/c.json', '/e.json'])).toBe('4 files in / (a.json, b.json, c.json and 1 more)');
    expect(fewFiles(['a.json', 'b.json', 'c.json', 'e.json'])).toBe('a.json, b.json, c.json and 1 more files');
  });
});

/** A folder of `n` hourly Chat files of one resource (day folders, as an export writes them). */
function folder(n: number, resource = 'acs-a'): string {
  const dir = tempDir();
  for (let h = 0; h < n; h++) {
    const body = metricsBody(
      [{ name: 'APIRequestChat', series: [{ dims: { operation: 'SendChatMessage', statuscode: '201', statuscodeclass: '2xx' }, counts: [5] }] }],
      new Date(Date.UTC(2026, 0, 1, h)).toISOString(),
    ) as { value: { id: string }[] };
    body.value[0]!.id = `/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Communication/CommunicationServices/${resource}/providers/Microsoft.Insights/metrics/APIRequestChat`;
    mkdirSync(join(dir, `day-${Math.floor(h / 24)}`), { recursive: true });
    writeFileSync(join(dir, `day-${Math.floor(h / 24)}`, `chat-${String(h).padStart(3, '0')}.json`), JSON.stringify(body));
  }
  return dir;
}

describe('a folder of many files', () => {
  const dir = folder(200);

  it('status: each message names the metric, the folder and three files', async () => {
    const r = await run(['status', '--fixture', dir, '--metric', 'chat,sms']);
    const files = `200 files in ${dir} (day-0/chat-000.json, day-0/chat-001.json, day-0/chat-002.json and 197 more)`;
    expect(r.stderr).toContain(`${files}: no data for sms (APIRequestSMS)`);
    expect(r.stderr).not.toContain('chat-003.json');
    expect(r.stdout).not.toContain('chat-003.json');
    // Bounded whatever the folder holds: a few hundred bytes a metric, not a path per file.
    expect(r.stdout.length + r.stderr.length).toBeLessThan(3_000);
  });

  it('query: the same data in a folder and its copy is one note, not a note per pair of files', async () => {
    const a = folder(30);
    const b = join(tempDir(), 'copy');
    cpSync(a, b, { recursive: true });
    const r = await run(['query', '--fixture', a, '--fixture', b, '-m', 'chat', '-o', 'json']);
    const rel = (d: string) => relative(tmpdir(), d);
    expect(r.code).toBe(0);
    const notes = r.stderr.split('\n').filter((l) => l.includes('hold the same'));
    expect(notes).toEqual([
      // The files of the pairs in order (a's first file, its copy, a's second...), under the folder both are in.
      `note: 60 files in ${tmpdir()} (${rel(a)}/day-0/chat-000.json, ${rel(b)}/day-0/chat-000.json, ${rel(a)}/day-0/chat-001.json and 57 more) hold the same APIRequestChat points (30 of them, in 30 pairs of files such as ${a}/day-0/chat-000.json and ${b}/day-0/chat-000.json): counted once`,
    ]);
    expect(notes[0]!.length).toBeLessThan(400);
    expect(JSON.parse(r.stdout).total).toBe(150);
  });

  it('the resources a query combines: three named, the rest counted', async () => {
    const dirs = ['acs-a', 'acs-b', 'acs-c', 'acs-d', 'acs-e'].map((name) => folder(1, name));
    const r = await run(['query', ...dirs.flatMap((d) => ['--fixture', d]), '-m', 'chat', '--split-by', 'operation', '-o', 'json']);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(
      'note: the totals combine 5 resources (acs-a, acs-b, acs-c and 2 more): add resource to --split-by, or filter with --resource-name, to see them apart',
    );
    const missing = await run(['query', ...dirs.flatMap((d) => ['--fixture', d]), '-m', 'chat', '--resource-name', 'acs-z']);
    expect([missing.code, missing.stderr]).toEqual([3, 'error: no resource "acs-z" in the APIRequestChat data: it holds acs-a, acs-b, acs-c and 2 more\n']);
  });
});

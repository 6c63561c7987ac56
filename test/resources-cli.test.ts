import { copyFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { run } from './helpers/io.js';
import { metricsBody, writeFixture } from './helpers/fixture.js';

const RG = '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Communication/CommunicationServices';
const A = `${RG}/acs-a`;
const B = `${RG}/acs-b`;
const C = `${RG}/acs-c`;

const s = (op: string, code: string, counts: number[]) => ({ dims: { operation: op, statuscode: code, statuscodeclass: `${code[0]}xx` }, counts });

/** A batch body: one entry per resource, two hourly buckets each. */
function batch(): object {
  const entry = (resourceid: string, series: ReturnType<typeof s>[]) => {
    const body = metricsBody([{ name: 'APIRequestChat', series }]) as { value: unknown[] };
    return { starttime: '2026-01-01T00:00:00Z', endtime: '2026-01-01T02:00:00Z', interval: 'PT1H', resourceid, value: body.value };
  };
  return {
    values: [
      // acs-a: Send 10+20 = 30, Get 5+5 = 10 (40); acs-b: Send 1+2 ok and 1 failed (4); acs-c: Get 100+200 (300).
      entry(A, [s('SendChatMessage', '201', [10, 20]), s('GetChatMessage', '200', [5, 5])]),
      entry(B, [s('SendChatMessage', '201', [1, 2]), s('SendChatMessage', '503', [1, 0])]),
      entry(C, [s('GetChatMessage', '200', [100, 200])]),
    ],
  };
}

const file = writeFixture(batch(), 'batch.json');
const made = [file];
afterAll(() => {
  for (const f of made) rmSync(dirname(f), { recursive: true, force: true });
});
type Series = { dimensions: Record<string, string>; total: number; errors: number };
const rows = (doc: { series: Series[] }) => doc.series.map((x) => [x.dimensions, x.total, x.errors]);

describe('several resources in one batch body', () => {
  it('splits by Resource first when the split is the default one; JSON keeps the full id', async () => {
    const r = await run(['query', '--fixture', file, '-m', 'chat', '-o', 'json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.query.splitBy).toEqual(['Resource', 'Operation']);
    expect(rows(doc)).toEqual([
      [{ Resource: C, Operation: 'GetChatMessage' }, 300, 0],
      [{ Resource: A, Operation: 'SendChatMessage' }, 30, 0],
      [{ Resource: A, Operation: 'GetChatMessage' }, 10, 0],
      [{ Resource: B, Operation: 'SendChatMessage' }, 4, 1],
    ]);
    expect(doc.total).toBe(344);
  });

  it('shows a resource by its name in the table and CSV', async () => {
    const table = await run(['query', '--fixture', file, '-m', 'chat']);
    expect(table.code).toBe(0);
    expect(table.stdout).toBe(
      [
        'Chat API Requests (APIRequestChat) · count per PT1H · 2026-01-01T00:00Z – 2026-01-01T02:00Z',
        '┌──────────┬─────────────────┬───────┬────────┬────────┬────────────┬───────┐',
        '│ Resource │ Operation       │ Count │  Share │ Errors │ Error rate │ Trend │',
        '├──────────┼─────────────────┼───────┼────────┼────────┼────────────┼───────┤',
        '│ acs-c    │ GetChatMessage  │   300 │  87.2% │      0 │         0% │ ▅█    │',
        '│ acs-a    │ SendChatMessage │    30 │   8.7% │      0 │         0% │ ▅█    │',
        '│ acs-a    │ GetChatMessage  │    10 │   2.9% │      0 │         0% │ ██    │',
        '│ acs-b    │ SendChatMessage │     4 │   1.2% │      1 │      25.0% │ ██    │',
        '│ Total    │                 │   344 │ 100.0% │      1 │       0.3% │ ▅█    │',
        '└──────────┴─────────────────┴───────┴────────┴────────┴────────────┴───────┘',
        '',
      ].join('\n'),
    );

    const chart = await run(['query', '--fixture', file, '-m', 'chat', '-o', 'chart', '--width', '80']);
    expect(chart.code).toBe(0);
    expect(chart.stdout).toContain('acs-b · SendChatMessage');
    expect(chart.stdout).not.toContain('/subscriptions/');

    const csv = await run(['query', '--fixture', file, '-m', 'chat', '--split-by', 'resource', '-o', 'csv']);
    expect(csv.stdout).toBe(
      [
        'Resource,timestamp,value',
        'acs-c,2026-01-01T00:00:00Z,100',
        'acs-c,2026-01-01T01:00:00Z,200',
        'acs-a,2026-01-01T00:00:00Z,15',
        'acs-a,2026-01-01T01:00:00Z,25',
        'acs-b,2026-01-01T00:00:00Z,2',
        'acs-b,2026-01-01T01:00:00Z,2',
        '',
      ].join('\r\n'),
    );
  });

  it('combines the resources with a note when the user chose a split without Resource', async () => {
    const r = await run(['query', '--fixture', file, '-m', 'chat', '--split-by', 'operation', '-o', 'json']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(
      'note: the totals combine 3 resources (acs-a, acs-b, acs-c): add resource to --split-by, or filter with --resource-name, to see them apart\n',
    );
    const doc = JSON.parse(r.stdout);
    expect(rows(doc)).toEqual([
      [{ Operation: 'GetChatMessage' }, 310, 0],
      [{ Operation: 'SendChatMessage' }, 34, 1],
    ]);
  });

  it('filters by resource name or full id, in any case', async () => {
    const byName = await run(['query', '--fixture', file, '-m', 'chat', '--resource-name', 'ACS-B', '-o', 'json']);
    expect(byName.stderr).toBe('');
    const doc = JSON.parse(byName.stdout);
    expect(doc.query.filters).toEqual({ Resource: [B] });
    expect(doc.query.splitBy).toEqual(['Operation']);
    expect(rows(doc)).toEqual([[{ Operation: 'SendChatMessage' }, 4, 1]]);

    const two = await run(['query', '--fixture', file, '-m', 'chat', '--resource-name', `acs-a,${C}`, '--split-by', 'none', '-o', 'json']);
    expect(JSON.parse(two.stdout).total).toBe(340);

    const table = await run(['query', '--fixture', file, '-m', 'chat', '--resource-name', 'acs-a']);
    expect(table.stdout.split('\n')[0]).toContain('Resource: acs-a');
  });

  it('refuses a resource name the data does not hold (exit 3)', async () => {
    const r = await run(['query', '--fixture', file, '-m', 'chat', '--resource-name', 'acs-z']);
    expect(r.code).toBe(3);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('error: no resource "acs-z" in the APIRequestChat data: it holds acs-a, acs-b, acs-c\n');
  });

  it('check judges each resource on its own, or gates the one named', async () => {
    const all = await run(['check', '--fixture', file, '-m', 'chat', '--max-error-rate', '0.5%', '--min-requests', '1', '-o', 'json']);
    // acs-a 0 of 40, acs-b 1 of 4 (25%: fails), acs-c 0 of 300.
    expect(all.code).toBe(1);
    const doc = JSON.parse(all.stdout) as { rules: { name: string; verdict: string; requests: number; errors: number }[] };
    expect(doc.rules.map((r) => [r.name, r.verdict, r.requests, r.errors])).toEqual([
      ['chat on acs-a', 'pass', 40, 0],
      ['chat on acs-b', 'fail', 4, 1],
      ['chat on acs-c', 'pass', 300, 0],
    ]);
    expect(all.stderr).not.toContain('the totals combine');
    // acs-b alone: 1 error in 4 requests = 25%.
    const one = await run(['check', '--fixture', file, '-m', 'chat', '--resource-name', 'acs-b', '--max-error-rate', '0.5%', '--min-requests', '1']);
    expect(one.code).toBe(1);
    expect(one.stdout).toContain('25.00%');
  });
});

describe('the same data given twice', () => {
  const chat = writeFixture(metricsBody([{ name: 'APIRequestChat', series: [s('SendChatMessage', '201', [10, 20, 30])] }]), 'a.json');
  const copy = join(dirname(chat), 'b.json');
  copyFileSync(chat, copy);
  made.push(chat);

  it('counts a file given twice, or a copy of it, once with a note', async () => {
    for (const second of [chat, copy]) {
      const r = await run(['query', '--fixture', chat, '--fixture', second, '--split-by', 'none', '-o', 'json']);
      expect(r.code).toBe(0);
      expect(JSON.parse(r.stdout).total).toBe(60);
      const names = second === chat ? `${chat} holds the same APIRequestChat points more than once` : `${chat} and ${copy} hold the same APIRequestChat points`;
      expect(r.stderr).toBe(`note: ${names} (3 of them): counted once\n`);
    }
  });

  it('refuses two files that disagree on a point (exit 3), naming both', async () => {
    const other = writeFixture(metricsBody([{ name: 'APIRequestChat', series: [s('SendChatMessage', '201', [10, 21, 30])] }]), 'c.json');
    made.push(other);
    const r = await run(['query', '--fixture', chat, '--fixture', other]);
    expect(r.code).toBe(3);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      `error: ${chat} and ${other} hold different APIRequestChat points for (Operation=SendChatMessage, StatusCode=201, StatusSubClass=2xx, Resource=x) at 2026-01-01T01:00:00Z: count 20 in ${chat}, 21 in ${other}; keep one of them\n`,
    );
  });
});

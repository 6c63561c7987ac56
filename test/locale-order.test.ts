/**
 * Output order does not depend on the machine's locale: ties (equal totals) are broken by text in one
 * fixed collation ('en'), so an Estonian or Lithuanian machine (where "z" sorts between "s" and "t",
 * or "y" next to "i") prints what an English one prints, and a CI comparing outputs sees no difference.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '..');
const dir = mkdtempSync(join(tmpdir(), 'acs-locale-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** One resource's Chat, three operations of equal traffic (a tie all the way down). */
function fixture(): string {
  const ops = ['Tau', 'Zeta', 'Sigma', 'Ypsilon', 'Iota'];
  const timeseries = ops.map((op) => ({
    metadatavalues: [
      { name: { value: 'Operation' }, value: op },
      { name: { value: 'StatusCode' }, value: '200' },
      { name: { value: 'StatusSubClass' }, value: '2xx' },
    ],
    data: [0, 1].map((h) => ({ timeStamp: `2026-01-01T0${h}:00:00Z`, count: 5 })),
  }));
  const body = {
    timespan: '2026-01-01T00:00:00Z/2026-01-01T02:00:00Z',
    interval: 'PT1H',
    value: [
      {
        id: '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Communication/CommunicationServices/acs/providers/Microsoft.Insights/metrics/APIRequestChat',
        name: { value: 'APIRequestChat' },
        unit: 'Count',
        timeseries,
      },
    ],
  };
  const file = join(dir, 'tie.json');
  writeFileSync(file, JSON.stringify(body));
  return file;
}

describe('locale', () => {
  it('query and usage print the same order under en_US, et_EE and lt_LT', () => {
    const file = fixture();
    const outputs = (args: string[]): string[] =>
      ['en_US.UTF-8', 'et_EE.UTF-8', 'lt_LT.UTF-8'].map((locale) => {
        const r = spawnSync(process.execPath, [join(ROOT, 'bin', 'acs-metrics.js'), ...args, '--fixture', file], {
          cwd: ROOT,
          encoding: 'utf8',
          env: { ...process.env, NO_COLOR: '1', LC_ALL: locale, LANG: locale },
        });
        expect(r.status).toBe(0);
        return r.stdout;
      });
    const query = outputs(['query', '-m', 'chat', '--split-by', 'operation', '-o', 'csv']);
    expect(
      query[0]!
        .split(/\r?\n/)
        .filter((l) => l.endsWith(',5'))
        .map((l) => l.split(',')[0]),
    ).toEqual(['Iota', 'Sigma', 'Tau', 'Ypsilon', 'Zeta'].flatMap((op) => [op, op]));
    expect(query[1]).toBe(query[0]);
    expect(query[2]).toBe(query[0]);
    const usage = outputs(['usage', '-m', 'chat', '--top-operations', '5', '-o', 'json']);
    expect(usage[1]).toBe(usage[0]);
    expect(usage[2]).toBe(usage[0]);
  });
});

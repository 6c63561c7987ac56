/**
 * The parts status keeps aside while it streams (src/sources/spool.ts): read back whole, in the data's
 * order (resource by resource, part by part) whatever order they came in, the same data as handed on
 * (a parsed answer's columnar series come back as their points); in memory where no file can be
 * written; the temporary folder gone after close.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { MetricData } from '../src/core/model.js';
import { DataSpool } from '../src/sources/spool.js';
import { parseMetricsBody } from '../src/sources/parse-response.js';

const root = mkdtempSync(join(tmpdir(), 'acs-spool-test-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Resource i's answer of one metric: counts i, i + 1 and a bucket without data. */
function part(i: number, metric: string): MetricData[] {
  const data = [{ timeStamp: '2026-01-07T00:00:00Z', count: i }, { timeStamp: '2026-01-07T01:00:00Z', count: i + 1 }, { timeStamp: '2026-01-07T02:00:00Z' }];
  const value = [{ name: { value: metric }, unit: 'Count', timeseries: [{ metadatavalues: [{ name: { value: 'operation' }, value: 'Send' }], data }] }];
  const entry = {
    resourceid: `/subscriptions/s/resourceGroups/rg/providers/Microsoft.Communication/CommunicationServices/acs-${i}`,
    starttime: '2026-01-07T00:00:00Z',
    endtime: '2026-01-07T03:00:00Z',
    interval: 'PT1H',
    value,
  };
  return parseMetricsBody({ values: [entry] }, 'Azure Monitor');
}

/** Data as JSON sees it (a columnar series as its points). */
const plain = (metrics: readonly MetricData[]): unknown => JSON.parse(JSON.stringify(metrics));

describe('DataSpool', () => {
  it('gives back every part (or the metrics wanted) in the data order, the same data, and leaves nothing behind', async () => {
    const dir = mkdtempSync(join(root, 'a-'));
    const spool = new DataSpool(dir);
    const handed: [number, number, string][] = [
      [2, 1, 'APIRequestSMS'],
      [0, 1, 'APIRequestSMS'],
      [2, 0, 'APIRequestChat'],
      [1, 0, 'APIRequestChat'],
      [0, 0, 'APIRequestChat'],
    ];
    for (const [i, p, m] of handed) spool.add(i, p, part(i, m));
    expect(readdirSync(dir)).toHaveLength(1);
    const back = await spool.read();
    const want = [part(0, 'APIRequestChat'), part(0, 'APIRequestSMS'), part(1, 'APIRequestChat'), part(2, 'APIRequestChat'), part(2, 'APIRequestSMS')].flat();
    expect(back).toEqual(plain(want));
    expect(back.map((m) => [m.resourceId?.slice(-5), m.name, m.series[0]!.points.map((p) => p.count ?? null)])).toEqual([
      ['acs-0', 'APIRequestChat', [0, 1, null]],
      ['acs-0', 'APIRequestSMS', [0, 1, null]],
      ['acs-1', 'APIRequestChat', [1, 2, null]],
      ['acs-2', 'APIRequestChat', [2, 3, null]],
      ['acs-2', 'APIRequestSMS', [2, 3, null]],
    ]);
    // Only the data wanted (what the stream could not reduce), still in the data's order.
    const sms = await spool.read((m) => m.name === 'APIRequestSMS');
    expect(sms).toEqual(plain([part(0, 'APIRequestSMS'), part(2, 'APIRequestSMS')].flat()));
    spool.close();
    expect(readdirSync(dir)).toEqual([]);
  });

  it('keeps the parts in memory where no file can be written', async () => {
    const missing = join(root, 'no', 'such', 'folder');
    const spool = new DataSpool(missing);
    spool.add(1, 0, part(1, 'APIRequestChat'));
    spool.add(0, 0, part(0, 'APIRequestChat'));
    expect((await spool.read()).map((m) => m.resourceId?.slice(-5))).toEqual(['acs-0', 'acs-1']);
    spool.close();
    expect(existsSync(missing)).toBe(false);
  });
});

/**
 * Issue 18: status degrades per resource. A replayed batch body where one resource's chat data has no
 * Operation split (saved by another tool) gives that resource rows that say so, with its numbers; the
 * other resources keep their worst operation; when no resource has the split the estate is still shown
 * (it used to fail as a whole: "the APIRequestChat data is not split by Operation", exit 3).
 */
import { describe, expect, it } from 'vitest';
import { metricsBody, writeFixture } from './helpers/fixture.js';
import { run } from './helpers/io.js';

const id = (name: string): string =>
  `/subscriptions/00000000-0000-4000-8000-0000000000a1/resourceGroups/rg/providers/Microsoft.Communication/CommunicationServices/${name}`;
const START = '2026-01-07T20:00:00Z';

/** A batch entry of one resource with chat series over 4 hours. */
function entry(name: string, series: { dims: Record<string, string>; counts: number[] }[]) {
  const body = metricsBody([{ name: 'APIRequestChat', series }], START) as { timespan: string; value: unknown[] };
  const [starttime, endtime] = body.timespan.split('/');
  return { resourceid: id(name), starttime, endtime, interval: 'PT1H', value: body.value };
}

const split = entry('acs-split', [
  { dims: { operation: 'SendChatMessage', statuscode: '201', statuscodeclass: '2xx' }, counts: [10, 10, 10, 10] },
  { dims: { operation: 'GetChatThread', statuscode: '500', statuscodeclass: '5xx' }, counts: [1, 0, 1, 0] },
]);
// Saved without the Operation split: status codes only.
const unsplit = entry('acs-unsplit', [
  { dims: { statuscode: '200', statuscodeclass: '2xx' }, counts: [5, 5, 5, 5] },
  { dims: { statuscode: '503', statuscodeclass: '5xx' }, counts: [0, 2, 0, 2] },
]);

type Doc = {
  partial: boolean;
  resources: {
    name: string;
    requests: number;
    errors: number;
    metrics: { requests: number; errors: number; worstOperation: unknown; error: string | null; note?: string }[];
  }[];
};

describe("status when a resource's data lacks the Operation split", () => {
  it("that resource's rows say so, with its exact numbers; the others keep their worst operation; exit 0", async () => {
    const file = writeFixture({ values: [split, unsplit] });
    const r = await run(['status', '--fixture', file, '--metric', 'chat', '-o', 'json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as Doc;
    expect(doc.partial).toBe(false);
    const byName = Object.fromEntries(doc.resources.map((x) => [x.name, x]));
    expect(byName['acs-split']!.metrics[0]).toMatchObject({
      requests: 42,
      errors: 2,
      worstOperation: { name: 'GetChatThread', errors: 2, errorRate: 1 },
      error: null,
    });
    expect(byName['acs-split']!.metrics[0]!.note).toBeUndefined();
    expect(byName['acs-unsplit']!.metrics[0]).toMatchObject({
      requests: 24,
      errors: 4,
      worstOperation: null,
      error: null,
      note: 'the data is not split by Operation',
    });
  });

  it('the table says it in the Problem column', async () => {
    const file = writeFixture({ values: [split, unsplit] });
    const r = await run(['status', '--fixture', file, '--metric', 'chat', '--width', '200'], { env: { NO_COLOR: '1' } });
    expect(r.code).toBe(0);
    const row = r.stdout.split('\n').find((l) => l.includes('acs-unsplit'))!;
    expect(
      row
        .split('│')
        .map((c) => c.trim())
        .slice(1, -1),
    ).toEqual(['acs-unsplit', 'chat', '24', '4', '16.7%', '-', '2026-01-07T23:00Z', 'the data is not split by Operation']);
  });

  it('each resource counts the metric once, in its totals and rows, in every output and with every metric (it was counted twice)', async () => {
    const file = writeFixture({ values: [split, unsplit] });
    for (const metric of [['--metric', 'chat'], ['--metric', 'all'], []]) {
      const r = await run(['status', '--fixture', file, ...metric, '-o', 'json']);
      expect(r.code).toBe(0);
      const doc = JSON.parse(r.stdout) as Doc;
      // By hand: acs-split 4 x 10 + 1 + 1 = 42 requests, 2 errors; acs-unsplit 4 x 5 + 2 + 2 = 24, 4.
      expect(doc.resources.map((x) => [x.name, x.requests, x.errors, x.metrics.length])).toEqual([
        ['acs-unsplit', 24, 4, 1],
        ['acs-split', 42, 2, 1],
      ]);
    }
    const csv = await run(['status', '--fixture', file, '--metric', 'chat', '-o', 'csv']);
    expect(csv.stdout.trim().split('\n')).toHaveLength(3); // the header and one row per resource
    const table = await run(['status', '--fixture', file, '--metric', 'chat', '--width', '200'], { env: { NO_COLOR: '1' } });
    expect(table.stdout.split('\n').filter((l) => l.includes('│ chat ')).length).toBe(2);
  });

  it('no resource split by Operation: the estate is still shown', async () => {
    const other = entry('acs-other', [{ dims: { statuscode: '200', statuscodeclass: '2xx' }, counts: [1, 1, 1, 1] }]);
    const file = writeFixture({ values: [unsplit, other] });
    const r = await run(['status', '--fixture', file, '--metric', 'chat', '-o', 'json']);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as Doc;
    expect(doc.resources.map((x) => [x.name, x.requests, x.errors, x.metrics[0]!.note])).toEqual([
      ['acs-unsplit', 24, 4, 'the data is not split by Operation'],
      ['acs-other', 4, 0, 'the data is not split by Operation'],
    ]);
  });
});

describe('a batch entry whose metric has no errorCode key (or "success" in any case) answered', () => {
  it('counts its data, is not a failure, and the run is not partial', async () => {
    const noKey = entry('acs-nokey', [{ dims: { operation: 'SendChatMessage', statuscode: '201', statuscodeclass: '2xx' }, counts: [3, 3, 3, 3] }]);
    delete (noKey.value[0] as { errorCode?: string }).errorCode;
    const lower = entry('acs-lower', [{ dims: { operation: 'SendChatMessage', statuscode: '201', statuscodeclass: '2xx' }, counts: [1, 1, 1, 1] }]);
    (lower.value[0] as { errorCode?: string }).errorCode = 'success';
    const r = await run(['status', '--fixture', writeFixture({ values: [noKey, lower] }), '--metric', 'chat', '-o', 'json']);
    expect([r.code, r.stderr]).toEqual([0, '']);
    const doc = JSON.parse(r.stdout) as Doc;
    expect(doc.partial).toBe(false);
    expect(doc.resources.map((x) => [x.name, x.requests, x.metrics[0]!.error])).toEqual([
      ['acs-nokey', 12, null],
      ['acs-lower', 4, null],
    ]);
  });
});

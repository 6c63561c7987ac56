import { describe, expect, it } from 'vitest';
import { mergeBodies } from '../src/sources/azure/merge-bodies.js';

const series = (op: string, points: [string, number][]) => ({
  metadatavalues: [{ name: { value: 'operation', localizedValue: 'operation' }, value: op }],
  data: points.map(([t, count]) => ({ timeStamp: t, count })),
});
const body = (timespan: string, cost: number, ts: unknown[], extra: Record<string, unknown> = {}) => ({
  cost,
  timespan,
  interval: 'P1D',
  value: [
    {
      id: 'x',
      type: 'Microsoft.Insights/metrics',
      name: { value: 'APIRequestChat', localizedValue: 'Chat API Requests' },
      unit: 'Count',
      timeseries: ts,
      errorCode: 'Success',
      ...extra,
    },
  ],
  namespace: 'microsoft.communication/communicationservices',
  resourceregion: 'global',
});

describe('mergeBodies', () => {
  it('returns a single body as it came', () => {
    const b = body('a/b', 1, []);
    expect(mergeBodies([b])).toBe(b);
  });

  it('joins windows: one timespan, series matched by dimensions, points in order, no duplicate edge point', () => {
    const a = body('2026-01-01T00:00:00Z/2026-01-03T00:00:00Z', 2, [
      series('Send', [
        ['2026-01-01T00:00:00Z', 1],
        ['2026-01-02T00:00:00Z', 2],
      ]),
      series('Get', [['2026-01-01T00:00:00Z', 5]]),
    ]);
    const b = body('2026-01-03T00:00:00Z/2026-01-05T00:00:00Z', 3, [
      series('Get', [['2026-01-03T00:00:00Z', 6]]),
      series('Send', [
        ['2026-01-02T00:00:00Z', 99],
        ['2026-01-03T00:00:00Z', 3],
      ]),
      series('New', [['2026-01-04T00:00:00Z', 7]]),
    ]);
    const merged = mergeBodies([a, b]) as ReturnType<typeof body>;
    expect(merged.timespan).toBe('2026-01-01T00:00:00Z/2026-01-05T00:00:00Z');
    expect(merged.cost).toBe(5);
    expect(merged.interval).toBe('P1D');
    expect(merged.value).toHaveLength(1);
    expect(merged.value[0]!.timeseries).toEqual([
      series('Send', [
        ['2026-01-01T00:00:00Z', 1],
        ['2026-01-02T00:00:00Z', 2],
        ['2026-01-03T00:00:00Z', 3],
      ]),
      series('Get', [
        ['2026-01-01T00:00:00Z', 5],
        ['2026-01-03T00:00:00Z', 6],
      ]),
      series('New', [['2026-01-04T00:00:00Z', 7]]),
    ]);
  });

  it('keeps a per-metric failure of any window', () => {
    const a = body('a/b', 0, [series('Send', [['2026-01-01T00:00:00Z', 1]])]);
    const b = body('b/c', 0, [], { errorCode: 'Throttled', errorMessage: 'try later' });
    const merged = mergeBodies([a, b]) as ReturnType<typeof body>;
    expect(merged.value[0]).toMatchObject({ errorCode: 'Throttled', errorMessage: 'try later' });
  });
});

/**
 * The plan of an export kept current (core/export-plan.ts), over random sequences of runs: every
 * bucket of a series is stored once (no two files overlap), the files and the recorded gaps cover the
 * whole window without a hole, settled data is never fetched again, no request is longer than 30
 * days, files start on the bucket grid, and Parquet files hold one month each.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { resolveMetric } from '../src/catalog/resolve.js';
import { EXPORT_WINDOW_MS, type ExportGap, type ExportItem, monthOf, planExtension, RETENTION_MS } from '../src/core/export-plan.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const resource = {
  id: '/subscriptions/s/resourceGroups/g/providers/Microsoft.Communication/CommunicationServices/a',
  subscription: 's',
  resourceGroup: 'g',
  name: 'a',
};
const metric = resolveMetric('chat');

/** Applies a plan as a run that succeeds: its items done, replaced tails gone, finalized tails settled. */
function runOnce(items: ExportItem[], plan: ReturnType<typeof planExtension>): ExportItem[] {
  for (const t of plan.settled) delete t.tail;
  const replaced = new Set(plan.items.flatMap((i) => i.replaces ?? []));
  return [...items.filter((i) => !replaced.has(i.file)), ...plan.items.map((i) => ({ ...i, replaces: undefined }))];
}

describe('planExtension', () => {
  it('stores every bucket once and covers the window, over any sequence of runs', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(MINUTE, HOUR),
        fc.constantFrom<'json' | 'parquet'>('json', 'parquet'),
        fc.integer({ min: 0, max: 1000 }),
        fc.array(fc.integer({ min: 1, max: 140 * 24 * 60 }), { minLength: 1, maxLength: 6 }),
        (grainMs, format, startMinute, stepsInMinutes) => {
          const origin = Date.UTC(2026, 0, 1) + startMinute * MINUTE;
          let items: ExportItem[] = [];
          const gaps: ExportGap[] = [];
          let end = origin;
          let first = true;
          for (const step of stepsInMinutes) {
            end += step * MINUTE;
            const settledBefore = Math.max(origin, ...items.filter((i) => !i.tail).map((i) => i.end));
            const plan = planExtension({
              items,
              origin,
              grainMs,
              resources: [resource],
              metrics: [metric],
              end,
              oldest: first ? origin : end - RETENTION_MS,
              format,
            });
            first = false;
            for (const i of plan.items) {
              expect(i.fetch.end - i.fetch.start).toBeLessThanOrEqual(EXPORT_WINDOW_MS);
              expect(i.start).toBeGreaterThanOrEqual(i.fetch.start);
              expect(i.end).toBeLessThanOrEqual(i.fetch.end);
              // Settled data is never fetched again.
              expect(i.fetch.start).toBeGreaterThanOrEqual(settledBefore);
              expect((i.start - origin) % grainMs).toBe(0);
              if (i.end !== end) expect((i.end - origin) % grainMs).toBe(0);
              if (format === 'parquet') expect(monthOf(i.end - 1 - ((i.end - 1 - origin) % grainMs))).toBe(monthOf(i.start));
            }
            gaps.push(...plan.gaps);
            items = runOnce(items, plan);
            // Only the last 3 hours (whole buckets) are a tail: one file, or one per month in Parquet.
            const tails = items.filter((i) => i.tail);
            expect(tails.length).toBeLessThanOrEqual(format === 'parquet' ? 2 : 1);
            if (tails.length > 0) {
              expect(Math.max(...tails.map((t) => t.end))).toBe(end);
              expect(end - Math.min(...tails.map((t) => t.start))).toBeLessThan(3 * HOUR + grainMs);
            }
          }
          // Files and gaps tile [origin, end) exactly: no overlap (no point twice), no hole.
          const spans = [...items, ...gaps].map((x) => [x.start, x.end] as const).sort((a, b) => a[0] - b[0]);
          let at = origin;
          for (const [s, e] of spans) {
            expect(s).toBe(at);
            expect(e).toBeGreaterThan(s);
            at = e;
          }
          expect(at).toBe(end);
          expect(new Set(items.map((i) => i.file)).size).toBe(items.length);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('a run within 3 hours of the last fetches the tail again and nothing before it', () => {
    const origin = Date.UTC(2026, 0, 1);
    const first = planExtension({ items: [], origin, grainMs: HOUR, resources: [resource], metrics: [metric], end: origin + 2 * DAY, oldest: origin });
    expect(first.items.map((i) => [new Date(i.start).toISOString(), new Date(i.end).toISOString(), i.tail === true])).toEqual([
      ['2026-01-01T00:00:00.000Z', '2026-01-02T21:00:00.000Z', false],
      ['2026-01-02T21:00:00.000Z', '2026-01-03T00:00:00.000Z', true],
    ]);
    const again = planExtension({
      items: first.items,
      origin,
      grainMs: HOUR,
      resources: [resource],
      metrics: [metric],
      end: origin + 2 * DAY + 20 * MINUTE,
      oldest: origin,
    });
    expect(
      again.items.map((i) => [
        new Date(i.fetch.start).toISOString(),
        new Date(i.start).toISOString(),
        new Date(i.end).toISOString(),
        i.tail === true,
        i.replaces,
      ]),
    ).toEqual([['2026-01-02T21:00:00.000Z', '2026-01-02T21:00:00.000Z', '2026-01-03T00:20:00.000Z', true, [first.items[1]!.file]]]);
  });
});

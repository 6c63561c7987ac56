/** formatTime's fast path for whole minutes (issue 22: 4.2 of 8.3 s of a PT1M month) writes what toISOString writes. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatTime } from '../src/core/time.js';

/** The formatter before the fast path: the oracle. */
function viaIso(ms: number): string {
  const s = new Date(ms).toISOString();
  return s.endsWith(':00.000Z') ? `${s.slice(0, 16)}:00Z` : s.replace(/\.000Z$/, 'Z');
}

const MAX = 8.64e15;

describe('formatTime', () => {
  it('any time, whole minutes or not, in and out of 1970-9999, in any order (property)', () => {
    const times = fc.oneof(
      fc.integer({ min: -MAX / 60_000, max: MAX / 60_000 }).map((m) => m * 60_000),
      fc.integer({ min: 0, max: 253_402_300_800_000 / 60_000 + 5 }).map((m) => m * 60_000),
      fc.integer({ min: -MAX, max: MAX }),
      fc.constantFrom(0, 59_999, 60_000, 86_340_000, 86_400_000, 253_402_300_740_000, 253_402_300_800_000, -60_000, Date.UTC(2024, 1, 29, 23, 59)),
    );
    fc.assert(
      fc.property(fc.array(times, { minLength: 1, maxLength: 20 }), (list) => list.every((t) => formatTime(t) === viaIso(t))),
      { numRuns: 2000 },
    );
  });

  it('every day of 1970-9999 (its date written by arithmetic, not by toISOString)', () => {
    const bad: string[] = [];
    for (let day = 0; day * 86_400_000 < 253_402_300_800_000; day++) {
      const ms = day * 86_400_000 + 60_000 * (day % 1440);
      if (formatTime(ms) !== viaIso(ms) && bad.push(`${ms}: ${formatTime(ms)}`) > 5) break;
    }
    expect(bad).toEqual([]);
  });

  it('hand-checked stamps', () => {
    expect(formatTime(Date.UTC(2026, 0, 7, 13))).toBe('2026-01-07T13:00:00Z');
    expect(formatTime(Date.UTC(2026, 0, 7, 9, 5))).toBe('2026-01-07T09:05:00Z');
    expect(formatTime(Date.UTC(2026, 0, 7, 23, 59, 30))).toBe('2026-01-07T23:59:30Z');
    expect(formatTime(Date.UTC(2024, 1, 29, 0, 1))).toBe('2024-02-29T00:01:00Z');
    expect(() => formatTime(Number.NaN)).toThrow(RangeError);
  });
});

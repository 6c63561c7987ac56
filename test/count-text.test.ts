/** core/count-text.ts: counts written as Intl.NumberFormat('en-US', { maximumFractionDigits: 2 }) writes them, whole numbers without it. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { countText } from '../src/core/count-text.js';

const intl = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });

describe('countText', () => {
  it('is Intl.NumberFormat for any number: whole, fractional, negative, -0, huge (property)', () => {
    const numbers = fc.oneof(
      fc.integer({ min: -1e6, max: 1e15 }),
      fc.constantFrom(0, -0, 999, 1000, 999_999, 1_000_000, Number.MAX_SAFE_INTEGER, 2 ** 53, 1e21, 12.345, 0.005, 1e-7),
      fc.double({ noNaN: true, noDefaultInfinity: true }),
    );
    fc.assert(
      fc.property(numbers, (n) => countText(n) === intl.format(n)),
      { numRuns: 5000 },
    );
  });

  it('hand-checked', () => {
    expect([0, 7, 4321, 1_234_567, 12.345].map(countText)).toEqual(['0', '7', '4,321', '1,234,567', '12.35']);
  });
});

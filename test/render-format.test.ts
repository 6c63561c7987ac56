import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatMinute, formatNumber, formatPercent, ratioOf, seriesLabel } from '../src/render/format.js';
import { maxPerGroup, sparkline } from '../src/render/sparkline.js';
import { metric } from './render-result.js';

describe('formatNumber', () => {
  it('uses thousands separators and at most 2 decimals', () => {
    expect(formatNumber(1234567)).toBe('1,234,567');
    expect(formatNumber(0)).toBe('0');
    expect(formatNumber(1.23456)).toBe('1.23');
    expect(formatNumber(2.5)).toBe('2.5');
    expect(formatNumber(-1234.5)).toBe('-1,234.5');
  });
  it('prints null as "-", never 0, and tiny values as <0.01', () => {
    expect(formatNumber(null)).toBe('-');
    expect(formatNumber(0.004)).toBe('<0.01');
    expect(formatNumber(-0.0001)).toBe('>-0.01');
  });
});

describe('formatPercent', () => {
  it('gives one decimal from 0.1% up', () => {
    expect(formatPercent(30 / 120)).toBe('25.0%');
    expect(formatPercent(1)).toBe('100.0%');
    expect(formatPercent(0.025)).toBe('2.5%');
    expect(formatPercent(0.001)).toBe('0.1%');
  });
  it('keeps small rates visible with two significant digits at most', () => {
    expect(formatPercent(0.0003)).toBe('0.03%');
    expect(formatPercent(1 / 3000)).toBe('0.033%');
    expect(formatPercent(0.0000001)).toBe('<0.0001%');
    expect(formatPercent(0)).toBe('0%');
    expect(formatPercent(null)).toBe('-');
  });
  it('ratioOf is null without a denominator', () => {
    expect(ratioOf(3, 0)).toBeNull();
    expect(ratioOf(null, 5)).toBeNull();
    expect(ratioOf(3, null)).toBeNull();
    expect(ratioOf(3, 120)).toBe(0.025);
  });
});

describe('labels', () => {
  it('formats times to the minute in UTC', () => {
    expect(formatMinute(Date.UTC(2026, 0, 7, 13))).toBe('2026-01-07T13:00Z');
    expect(formatMinute(Date.UTC(2026, 0, 7, 13, 0, 5))).toBe('2026-01-07T13:00:05Z');
  });
  it('writes what toISOString cut to the minute writes, for any time (property)', () => {
    const viaIso = (ms: number): string => {
      const iso = new Date(ms).toISOString();
      return iso.slice(16, 23) === ':00.000' ? `${iso.slice(0, 16)}Z` : iso.replace(/\.000Z$/, 'Z');
    };
    const times = fc.oneof(
      fc.integer({ min: -1.44e11, max: 1.44e11 }).map((m) => m * 60_000),
      fc.integer({ min: -8.64e15, max: 8.64e15 }),
      fc.constantFrom(0, -60_000, 253_402_300_740_000, 253_402_300_800_000, Date.UTC(2024, 1, 29, 23, 59)),
    );
    fc.assert(
      fc.property(times, (t) => formatMinute(t) === viaIso(t)),
      { numRuns: 3000 },
    );
  });
  it('joins split dimension values, "(all)" without a split', () => {
    const [op, , sub] = metric('chat').dimensions;
    const s = { dimensions: { Operation: 'SendChatMessage', StatusSubClass: '5xx' }, points: [], total: 1, requests: 1, errors: 0 };
    expect(seriesLabel(s, [op!, sub!])).toBe('SendChatMessage · 5xx');
    expect(seriesLabel(s, [])).toBe('(all)');
  });
});

describe('sparkline', () => {
  it('maps a known series to exact bars', () => {
    expect(sparkline([0, 1, 2, 3, 4, 5, 6, 7])).toBe('▁▂▃▄▅▆▇█');
    expect(sparkline([0, 14, 7, null, 14])).toBe('▁█▅ █');
  });
  it('renders flat series without dividing by zero', () => {
    expect(sparkline([0, 0, 0])).toBe('▁▁▁');
    expect(sparkline([5, 5, 5])).toBe('███');
    expect(sparkline([null, null])).toBe('  ');
    expect(sparkline([])).toBe('');
  });
  it('shows a trickle as more than zero', () => {
    expect(sparkline([0, 1, 1000])).toBe('▁▂█');
  });
  it('downsamples by maximum per group so a spike is never hidden', () => {
    expect(maxPerGroup([1, 2, null, null, 5], 2)).toEqual([2, null, 5]);
    expect(maxPerGroup([9, 0, 3, null, null], 2)).toEqual([9, 3, null]);
    expect(sparkline([9, 0, 0, 0], 2)).toBe('█▁');
    expect(sparkline([0, 0, 0, 9, 0, 0], 3)).toBe('▁█▁');
    expect(sparkline([0, 0, 0, 0, 0, 0, 0, 0, 0, 9], 4)).toBe('▁▁▁█');
    expect(sparkline([1, 2, 3], 10)).toBe('▃▆█');
  });
});

describe('formatNumber of whole numbers (without Intl)', () => {
  it('writes what Intl.NumberFormat en-US writes, for every safe integer (property)', () => {
    const intl = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });
    fc.assert(
      fc.property(fc.oneof(fc.integer(), fc.maxSafeInteger(), fc.integer({ min: -1_000_000, max: 1_000_000 })), (n) => {
        expect(formatNumber(n)).toBe(intl.format(n).replace(/^-0$/, '0'));
      }),
      { numRuns: 2000 },
    );
    expect(formatNumber(-0)).toBe('0');
    expect(formatNumber(Number.MAX_SAFE_INTEGER)).toBe('9,007,199,254,740,991');
    expect(formatNumber(-1000)).toBe('-1,000');
  });
});

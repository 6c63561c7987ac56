/**
 * An accumulator makes its columns as points bring their keys, and only for the aggregation read
 * from it (issue 22: a month of minutes is 43,200 buckets; six columns for every group and its error
 * twin took 170 MB of a PT1M query).
 */
import { describe, expect, it } from 'vitest';
import { Accumulator } from '../src/core/accumulate.js';

const N = 43_200;
const COLUMN = N * 8;
const point = { count: 3, total: 6, minimum: 1, maximum: 4, average: 2 };

describe('Accumulator columns', () => {
  it('holds nothing until a point arrives (the error accumulator of a group without errors)', () => {
    expect(new Accumulator(N, 'count').bytes).toBe(0);
  });

  it('a count keeps count and total only; the same numbers as an accumulator keeping everything', () => {
    const lean = new Accumulator(N, 'count');
    const full = new Accumulator(N);
    for (const a of [lean, full]) {
      a.add(7, point);
      a.add(7, { ...point, count: 2, total: 1 });
    }
    expect(lean.bytes).toBe(2 * COLUMN);
    expect(full.bytes).toBe(6 * COLUMN);
    expect(lean.value(7, 'count')).toBe(5);
    expect(lean.overall('count')).toBe(5);
    expect(lean.requests()).toBe(5);
    expect(lean.value(6, 'count')).toBeNull();
    expect(full.value(7, 'count')).toBe(5);
  });

  it('average keeps its four columns and weighs by count: (6 + 1) / (3 + 2)', () => {
    const a = new Accumulator(N, 'average');
    a.add(0, point);
    a.add(0, { ...point, count: 2, total: 1 });
    expect(a.bytes).toBe(4 * COLUMN);
    expect(a.value(0, 'average')).toBeCloseTo(7 / 5, 12);
    expect(a.overall('average')).toBeCloseTo(7 / 5, 12);
  });

  it('minimum and maximum keep their own column beside count and total', () => {
    const lo = new Accumulator(N, 'minimum');
    const hi = new Accumulator(N, 'maximum');
    for (const a of [lo, hi]) {
      a.add(1, point);
      a.add(1, { minimum: -2, maximum: 9 });
    }
    expect([lo.bytes, hi.bytes]).toEqual([3 * COLUMN, 3 * COLUMN]);
    expect([lo.value(1, 'minimum'), lo.overall('minimum')]).toEqual([-2, -2]);
    expect([hi.value(1, 'maximum'), hi.overall('maximum')]).toEqual([9, 9]);
  });
});

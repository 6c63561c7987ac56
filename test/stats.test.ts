import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { binomialCdf, comparePoissonCounts, compareProportions, normalQuantile, wilsonInterval } from '../src/core/stats.js';

/**
 * Known values: p-values of R's prop.test(c(x1, x2), c(n1, n2), correct = FALSE) and
 * poisson.test(c(a, b), c(1, 1)) (= binom.test(a, a + b)), computed independently with SciPy
 * (chi2_contingency(correction=False), binomtest); Newcombe intervals from SciPy's Wilson intervals.
 */
describe('two proportions: z-test and Newcombe interval', () => {
  it('30/1000 against 10/1000, worked by hand: pooled 0.02, se 0.0062610, z 3.1944, p 0.0014013', () => {
    const t = compareProportions(30, 1000, 10, 1000, 0.95);
    expect(t.difference).toBeCloseTo(0.02, 12);
    expect(t.z).toBeCloseTo(0.02 / Math.sqrt(0.02 * 0.98 * 0.002), 10);
    expect(t.pValue).toBeCloseTo(0.001401301580960214, 7);
    expect(t.lower).toBeCloseTo(0.007819328386507701, 7);
    expect(t.upper).toBeCloseTo(0.033308722153987703, 7);
  });

  it('either side of 5%: 20/1000 vs 10/1000 is p 0.0658, 21/1000 vs 10/1000 is p 0.0465', () => {
    expect(compareProportions(20, 1000, 10, 1000, 0.95).pValue).toBeCloseTo(0.06582831837519067, 6);
    expect(compareProportions(21, 1000, 10, 1000, 0.95).pValue).toBeCloseTo(0.04646439895506516, 6);
    const t = compareProportions(22, 1000, 10, 1000, 0.95);
    expect(t.pValue).toBeCloseTo(0.03247640247287817, 6);
    expect(t.lower).toBeCloseTo(0.0008549588222418261, 7);
    expect(t.upper).toBeCloseTo(0.023986612264989972, 7);
  });

  it('tiny samples: 3/10 against 0/10 is p 0.0603, its interval spans zero', () => {
    const t = compareProportions(3, 10, 0, 10, 0.95);
    expect(t.pValue).toBeCloseTo(0.06028917399060221, 6);
    expect(t.lower).toBeCloseTo(-0.037592434579050704, 7);
    expect(t.upper).toBeCloseTo(0.6032218525388546, 7);
    expect(compareProportions(1, 200, 0, 200, 0.95).pValue).toBeCloseTo(0.3167048239469161, 6);
  });

  it('no errors on either side: p 1, no z', () => {
    const t = compareProportions(0, 50, 0, 70, 0.95);
    expect(t).toMatchObject({ difference: 0, pValue: 1, z: null });
  });

  it('Wilson interval of 30/1000 and the normal quantiles', () => {
    const w = wilsonInterval(30, 1000, normalQuantile(0.975));
    expect(w.lower).toBeCloseTo(0.021093738828834696, 8);
    expect(w.upper).toBeCloseTo(0.042503414147587126, 8);
    expect(normalQuantile(0.975)).toBeCloseTo(1.959963984540054, 8);
    expect(normalQuantile(0.995)).toBeCloseTo(2.5758293035489004, 8);
    expect(normalQuantile(0.025)).toBeCloseTo(-1.959963984540054, 8);
  });

  const sample = fc.integer({ min: 1, max: 5000 }).chain((n) => fc.tuple(fc.integer({ min: 0, max: n }), fc.constant(n)));

  it('properties: p in [0, 1], symmetric under swapping the windows, the interval holds the difference', () => {
    fc.assert(
      fc.property(sample, sample, fc.constantFrom(0.9, 0.95, 0.99), ([x1, n1], [x2, n2], conf) => {
        const a = compareProportions(x1, n1, x2, n2, conf);
        const b = compareProportions(x2, n2, x1, n1, conf);
        expect(a.pValue).toBeGreaterThanOrEqual(0);
        expect(a.pValue).toBeLessThanOrEqual(1);
        expect(b.pValue).toBeCloseTo(a.pValue, 12);
        expect(b.lower).toBeCloseTo(-a.upper, 12);
        expect(a.lower).toBeLessThanOrEqual(a.difference + 1e-12);
        expect(a.upper).toBeGreaterThanOrEqual(a.difference - 1e-12);
      }),
    );
  });

  it('property: more errors in the current window never raise the p-value once it is above the baseline rate', () => {
    fc.assert(
      fc.property(fc.integer({ min: 10, max: 3000 }), fc.integer({ min: 0, max: 1000 }), fc.integer({ min: 0, max: 3000 }), (n, x2raw, extra) => {
        const x2 = Math.min(x2raw, n);
        const x1 = Math.min(x2 + extra, n - 1);
        if (x1 < x2) return;
        const p = compareProportions(x1, n, x2, n, 0.95).pValue;
        const q = compareProportions(x1 + 1, n, x2, n, 0.95).pValue;
        expect(q).toBeLessThanOrEqual(p + 1e-9);
      }),
    );
  });

  it('property: a wider confidence gives a wider interval', () => {
    fc.assert(
      fc.property(sample, sample, ([x1, n1], [x2, n2]) => {
        const a = compareProportions(x1, n1, x2, n2, 0.9);
        const b = compareProportions(x1, n1, x2, n2, 0.99);
        expect(b.lower).toBeLessThanOrEqual(a.lower + 1e-12);
        expect(b.upper).toBeGreaterThanOrEqual(a.upper - 1e-12);
      }),
    );
  });
});

describe('two counts: the exact conditional (binomial) test', () => {
  it('either side of 5%: 40 vs 60 is p 0.0569, 39 vs 61 is p 0.0352', () => {
    expect(comparePoissonCounts(40, 60)).toBeCloseTo(0.05688793364098089, 9);
    expect(comparePoissonCounts(60, 40)).toBeCloseTo(0.05688793364098089, 9);
    expect(comparePoissonCounts(39, 61)).toBeCloseTo(0.035200200217704855, 9);
  });

  it('tiny samples, worked by hand: 0 vs 5 is 2/2^5 = 0.0625; 0 vs 6 is 2/2^6 = 0.03125; 0 vs 0 is 1', () => {
    expect(comparePoissonCounts(0, 5)).toBeCloseTo(0.0625, 12);
    expect(comparePoissonCounts(0, 6)).toBeCloseTo(0.03125, 12);
    expect(comparePoissonCounts(0, 0)).toBe(1);
    expect(comparePoissonCounts(3, 3)).toBe(1);
  });

  it('large and far apart', () => {
    expect(comparePoissonCounts(1000, 1100)).toBeCloseTo(0.03072070786424249, 8);
    expect(comparePoissonCounts(25, 100) / 8.085440546853493e-12).toBeCloseTo(1, 6);
    expect(comparePoissonCounts(2_000_000, 2_010_000)).toBeLessThan(1e-6);
  });

  it('binomial CDF against a direct sum', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 60 }), fc.integer({ min: 0, max: 60 }), fc.double({ min: 0.01, max: 0.99, noNaN: true }), (n, k, p) => {
        let sum = 0;
        let term = (1 - p) ** n;
        for (let i = 0; i <= Math.min(k, n); i++) {
          sum += term;
          term *= ((n - i) / (i + 1)) * (p / (1 - p));
        }
        expect(binomialCdf(k, n, p)).toBeCloseTo(Math.min(sum, 1), 9);
      }),
    );
  });

  it('properties: p in [0, 1], symmetric, and falls as the counts move apart', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 100_000 }), fc.integer({ min: 0, max: 100_000 }), (a, b) => {
        const p = comparePoissonCounts(a, b);
        expect(p).toBeGreaterThanOrEqual(0);
        expect(p).toBeLessThanOrEqual(1);
        expect(comparePoissonCounts(b, a)).toBe(p);
        if (a <= b) expect(comparePoissonCounts(a, b + 1)).toBeLessThanOrEqual(p + 1e-12);
      }),
    );
  });
});

/**
 * The statistics of a before/after comparison, as pure functions (no dependency):
 *
 * - error rates (two proportions): the two-proportion z-test with a pooled standard error, without
 *   continuity correction (R: prop.test(x, n, correct = FALSE); its p-value), and Newcombe's hybrid
 *   Wilson score interval for the difference of the two proportions (Newcombe 1998, method 10);
 * - request counts over windows of the same length (two Poisson rates): the exact conditional test,
 *   which given the sum n = a + b tests a ~ Binomial(n, 1/2) (R: poisson.test(c(a, b), c(1, 1)), the
 *   same as binom.test(a, a + b, 0.5)); two-sided p = min(1, 2 * P(X <= min(a, b))).
 *
 * Special functions: erfc (Numerical Recipes' Chebyshev fit, relative error < 1.2e-7), the inverse
 * normal CDF (Acklam, relative error < 1.2e-9), the regularized incomplete beta
 * function (Lentz's continued fraction) with a Lanczos log-gamma.
 */

/** erfc(x), relative error below 1.2e-7 everywhere. */
export function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t *
          (1.00002368 +
            t *
              (0.37409196 +
                t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? r : 2 - r;
}

/** The standard normal CDF. */
export const normalCdf = (x: number): number => 0.5 * erfc(-x / Math.SQRT2);

/** The standard normal quantile: the x with normalCdf(x) = p, for 0 < p < 1. */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`normalQuantile: p must be in (0, 1), got ${p}`);
  const a = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const low = 0.02425;
  let x: number;
  if (p < low) {
    const q = Math.sqrt(-2 * Math.log(p));
    x = (((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) / ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1);
  } else if (p <= 1 - low) {
    const q = p - 0.5;
    const r = q * q;
    x =
      ((((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r + a[5]!) * q) /
      (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r + b[4]!) * r + 1);
  } else {
    const q = Math.sqrt(-2 * Math.log(1 - p));
    x = -(((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) / ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1);
  }
  return x;
}

/** ln Γ(x) for x > 0 (Lanczos, g = 7, n = 9). */
export function logGamma(x: number): number {
  const g = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012,
    9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const y = x - 1;
  let s = g[0]!;
  for (let i = 1; i < 9; i++) s += g[i]! / (y + i);
  const t = y + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (y + 0.5) * Math.log(t) - t + Math.log(s);
}

/** Continued fraction of the incomplete beta function (modified Lentz). */
function betaFraction(a: number, b: number, x: number): number {
  const tiny = 1e-300;
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  if (Math.abs(d) < tiny) d = tiny;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= 10_000; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((a + m2 - 1) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < 1e-15) break;
  }
  return h;
}

/** The regularized incomplete beta function I_x(a, b), a, b > 0, 0 <= x <= 1. */
export function incompleteBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const front = Math.exp(logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log(1 - x));
  return x < (a + 1) / (a + b + 2) ? (front * betaFraction(a, b, x)) / a : 1 - (front * betaFraction(b, a, 1 - x)) / b;
}

/** P(X <= k) for X ~ Binomial(n, p). */
export function binomialCdf(k: number, n: number, p: number): number {
  if (k < 0) return 0;
  if (k >= n) return 1;
  return incompleteBeta(1 - p, n - k, k + 1);
}

const clamp01 = (v: number): number => Math.min(1, Math.max(0, v));

/** Wilson's score interval for x successes out of n at quantile z. */
export function wilsonInterval(x: number, n: number, z: number): { lower: number; upper: number } {
  if (n <= 0) return { lower: 0, upper: 1 };
  const z2 = z * z;
  const center = (x + z2 / 2) / (n + z2);
  const half = (z / (n + z2)) * Math.sqrt((x * (n - x)) / n + z2 / 4);
  return { lower: clamp01(center - half), upper: clamp01(center + half) };
}

export interface ProportionTest {
  /** p1 - p2. */
  readonly difference: number;
  /** Newcombe's hybrid score interval for p1 - p2 at the confidence. */
  readonly lower: number;
  readonly upper: number;
  /** Two-sided p-value of the two-proportion z-test (1 when both proportions are 0 or both 1). */
  readonly pValue: number;
  readonly z: number | null;
}

/**
 * Compares x1/n1 (the current window) with x2/n2 (the baseline): the difference, its Newcombe
 * interval at `confidence` and the z-test's two-sided p-value. n1 and n2 must be positive.
 */
export function compareProportions(x1: number, n1: number, x2: number, n2: number, confidence: number): ProportionTest {
  if (!(n1 > 0 && n2 > 0)) throw new RangeError('compareProportions: both samples need requests');
  const z = normalQuantile(1 - (1 - confidence) / 2);
  const p1 = x1 / n1;
  const p2 = x2 / n2;
  const w1 = wilsonInterval(x1, n1, z);
  const w2 = wilsonInterval(x2, n2, z);
  const difference = p1 - p2;
  const lower = difference - Math.sqrt((p1 - w1.lower) ** 2 + (w2.upper - p2) ** 2);
  const upper = difference + Math.sqrt((w1.upper - p1) ** 2 + (p2 - w2.lower) ** 2);
  const pooled = (x1 + x2) / (n1 + n2);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2));
  if (!(se > 0)) return { difference, lower, upper, pValue: 1, z: null };
  const stat = difference / se;
  return { difference, lower, upper, pValue: clamp01(erfc(Math.abs(stat) / Math.SQRT2)), z: stat };
}

/**
 * The exact two-sided test that two Poisson counts over equal exposures (windows of the same length)
 * come from the same rate: min(1, 2 P(X <= min(a, b))) for X ~ Binomial(a + b, 1/2).
 */
export function comparePoissonCounts(a: number, b: number): number {
  const n = a + b;
  if (n <= 0) return 1;
  return clamp01(2 * binomialCdf(Math.min(a, b), n, 0.5));
}

/**
 * `check --baseline`: rules on change against a baseline window. Pure.
 *
 * A change rule fails only when the change is beyond its threshold AND statistically significant at
 * the rule's confidence (p-value below 1 - confidence):
 * - maxErrorRateIncrease (percentage points) and maxErrorRateRatio (times): the two-proportion z-test
 *   (core/stats.ts compareProportions; Newcombe's interval of the difference is reported with it);
 * - maxTrafficDrop and maxTrafficRise (percent of the baseline's requests): the exact conditional
 *   test of two Poisson counts over windows of the same length (comparePoissonCounts).
 * Fewer requests than minRequests on either side (for the traffic rules: in the baseline) is "not
 * enough data" (verdict no-data), as for absolute rules. Change rules apply to the rule's totals.
 */
import { type BaselineSpec, baselineRange, shapeProblem } from './compare.js';
import type { QueryResult } from './model.js';
import { comparePoissonCounts, compareProportions } from './stats.js';
import { UsageError } from '../errors.js';
import { countText } from './count-text.js';

export interface ChangeRules {
  readonly baseline: BaselineSpec;
  /** Fail when the error rate rises by more than this (a fraction: 0.005 = 0.5 percentage points). */
  readonly maxErrorRateIncrease?: number;
  /** Fail when the error rate is more than this many times the baseline's. */
  readonly maxErrorRateRatio?: number;
  /** Fail when requests fall by more than this fraction of the baseline's (0.5 = 50%). */
  readonly maxTrafficDrop?: number;
  /** Fail when requests rise by more than this fraction of the baseline's (3 = 300%). */
  readonly maxTrafficRise?: number;
  /** 0.95 by default. */
  readonly confidence: number;
}

export const DEFAULT_CONFIDENCE = 0.95;

export type ChangeKind = 'maxErrorRateIncrease' | 'maxErrorRateRatio' | 'maxTrafficDrop' | 'maxTrafficRise';
export const CHANGE_KINDS: readonly ChangeKind[] = ['maxErrorRateIncrease', 'maxErrorRateRatio', 'maxTrafficDrop', 'maxTrafficRise'];

export interface ChangeCheck {
  readonly kind: ChangeKind;
  readonly verdict: 'pass' | 'fail' | 'no-data';
  /** The observed change: points (fraction), ratio (times), or drop/rise (fraction); null without data. */
  readonly observed: number | null;
  readonly threshold: number;
  /** The test's two-sided p-value; null without data. */
  readonly pValue: number | null;
  /** Newcombe's interval of the error-rate difference (error-rate checks only). */
  readonly interval?: { readonly lower: number; readonly upper: number };
  /** One line: what was seen against what is allowed. */
  readonly text: string;
}

export interface BaselineOutcome {
  readonly window: { readonly start: number; readonly end: number };
  readonly requests: number;
  readonly errors: number | null;
  readonly errorRate: number | null;
  readonly checks: readonly ChangeCheck[];
}

/** The baseline's range for a rule whose current window came out as `current`. */
export const ruleBaselineRange = (rules: ChangeRules, current: QueryResult) => baselineRange(rules.baseline, current);

/** Throws a UsageError when the two windows cannot be compared (other length, other buckets). */
export function assertComparable(current: QueryResult, baseline: QueryResult, spec?: BaselineSpec): void {
  const problem = shapeProblem(current, baseline, '--baseline', spec);
  if (problem) throw new UsageError(problem);
}

const pct = (fraction: number, digits = 2): string => `${(fraction * 100).toFixed(digits)}%`;
const signedPct = (f: number): string => (f === 0 ? '0%' : f > 0 ? `+${pct(f, 1)}` : `-${pct(-f, 1)}`);
const pp = (fraction: number): string => `${fraction >= 0 ? '+' : ''}${(fraction * 100).toFixed(2)}pp`;
/** p=0.0014, p=0.057, p<0.0001 */
export const formatP = (p: number): string => (p < 0.0001 ? 'p<0.0001' : `p=${p < 0.01 ? p.toPrecision(2) : p.toFixed(3)}`);
const times = (r: number): string => (Number.isFinite(r) ? `${Number(r.toFixed(2))}x` : 'from 0');
const confText = (c: number): string => `${Number((c * 100).toFixed(2))}%`;

/**
 * The change checks of a rule: current requests and errors against the baseline's. `minRequests`
 * is the rule's; errors are null when the data cannot count them (the caller made that an error).
 */
export function evaluateChanges(
  rules: ChangeRules,
  minRequests: number,
  now: { requests: number; errors: number | null },
  before: { requests: number; errors: number | null },
): ChangeCheck[] {
  const bench = changeBench(rules, minRequests, now.requests, before.requests);
  return [...errorRateChanges(rules, bench, now, before), ...trafficChanges(rules, bench)];
}

/** What every change check uses: the two request counts, the "not enough data" check and the verdict. */
interface ChangeBench {
  readonly c: number;
  readonly b: number;
  readonly notEnough: (kind: ChangeKind, threshold: number, both: boolean) => ChangeCheck | undefined;
  readonly judge: (beyond: boolean, p: number, seen: string, limit: string, above: string, within: string) => { verdict: 'pass' | 'fail'; text: string };
}

function changeBench(rules: ChangeRules, minRequests: number, c: number, b: number): ChangeBench {
  const alpha = 1 - rules.confidence;
  const significant = (p: number): boolean => p < alpha;
  const notEnough = (kind: ChangeKind, threshold: number, both: boolean): ChangeCheck | undefined => {
    const short = [
      both && c < minRequests ? `${c} request${c === 1 ? '' : 's'} now` : '',
      b < minRequests ? `${b} request${b === 1 ? '' : 's'} in the baseline` : '',
    ].filter(Boolean);
    if (short.length === 0) return undefined;
    return {
      kind,
      verdict: 'no-data',
      observed: null,
      threshold,
      pValue: null,
      text: `not enough data to compare: ${short.join(', ')} (min-requests ${minRequests})`,
    };
  };
  const judge = (beyond: boolean, p: number, seen: string, limit: string, above: string, within: string) => {
    if (!beyond) return { verdict: 'pass' as const, text: `${seen} ${within} ${limit}` };
    if (!significant(p))
      return { verdict: 'pass' as const, text: `${seen} ${above} ${limit} but not significant (${formatP(p)} at ${confText(rules.confidence)} confidence)` };
    return { verdict: 'fail' as const, text: `${seen} ${above} ${limit} (${formatP(p)})` };
  };
  return { c, b, notEnough, judge };
}

/** The error-rate change rules (+pp and ratio), by the two-proportion test and Newcombe's interval. */
function errorRateChanges(
  rules: ChangeRules,
  { c, b, notEnough, judge }: ChangeBench,
  now: { errors: number | null },
  before: { errors: number | null },
): ChangeCheck[] {
  const checks: ChangeCheck[] = [];
  const errorKinds: [ChangeKind, number | undefined][] = [
    ['maxErrorRateIncrease', rules.maxErrorRateIncrease],
    ['maxErrorRateRatio', rules.maxErrorRateRatio],
  ];
  for (const [kind, threshold] of errorKinds) {
    if (threshold === undefined) continue;
    const missing = notEnough(kind, threshold, true);
    if (missing || now.errors === null || before.errors === null) {
      checks.push(missing ?? { kind, verdict: 'no-data', observed: null, threshold, pValue: null, text: 'errors cannot be counted' });
      continue;
    }
    const t = compareProportions(now.errors, c, before.errors, b, rules.confidence);
    const rate = now.errors / c;
    const baseRate = before.errors / b;
    const interval = { lower: t.lower, upper: t.upper };
    const ci = `${confText(rules.confidence)} CI ${pp(t.lower)} to ${pp(t.upper)}`;
    if (kind === 'maxErrorRateIncrease') {
      const diff = rate - baseRate;
      const j = judge(
        diff > threshold,
        t.pValue,
        `error rate ${pct(rate)} vs ${pct(baseRate)} baseline: ${pp(diff)}`,
        `+${Number((threshold * 100).toFixed(6))}pp`,
        '>',
        '<=',
      );
      checks.push({ kind, verdict: j.verdict, observed: diff, threshold, pValue: t.pValue, interval, text: `${j.text}; ${ci}` });
    } else {
      const ratio = baseRate === 0 ? (rate === 0 ? 1 : Number.POSITIVE_INFINITY) : rate / baseRate;
      const j = judge(ratio > threshold, t.pValue, `error rate ${pct(rate)} vs ${pct(baseRate)} baseline: ${times(ratio)}`, `${threshold}x`, '>', '<=');
      checks.push({
        kind,
        verdict: j.verdict,
        observed: Number.isFinite(ratio) ? ratio : null,
        threshold,
        pValue: t.pValue,
        interval,
        text: `${j.text}; ${ci}`,
      });
    }
  }

  return checks;
}

/** The traffic change rules (drop and rise), by the exact Poisson test. */
function trafficChanges(rules: ChangeRules, { c, b, notEnough, judge }: ChangeBench): ChangeCheck[] {
  const checks: ChangeCheck[] = [];
  const trafficKinds: [ChangeKind, number | undefined][] = [
    ['maxTrafficDrop', rules.maxTrafficDrop],
    ['maxTrafficRise', rules.maxTrafficRise],
  ];
  for (const [kind, threshold] of trafficKinds) {
    if (threshold === undefined) continue;
    const missing = notEnough(kind, threshold, false);
    if (missing) {
      checks.push(missing);
      continue;
    }
    const p = comparePoissonCounts(c, b);
    const seen = `requests ${countText(c)} vs ${countText(b)} baseline`;
    const limit = pct(threshold, Number.isInteger(threshold * 100) ? 0 : 2);
    if (kind === 'maxTrafficDrop') {
      const drop = (b - c) / b;
      const j = judge(drop > threshold, p, `${seen}: ${signedPct(-drop)}`, `a drop of ${limit}`, 'beyond', 'within');
      checks.push({ kind, verdict: j.verdict, observed: drop, threshold, pValue: p, text: j.text });
    } else {
      const rise = (c - b) / b;
      const j = judge(rise > threshold, p, `${seen}: ${signedPct(rise)}`, `a rise of ${limit}`, 'beyond', 'within');
      checks.push({ kind, verdict: j.verdict, observed: rise, threshold, pValue: p, text: j.text });
    }
  }
  return checks;
}

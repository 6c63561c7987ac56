/**
 * `check`: error-rate and volume gates. Pure: a rule becomes a Query, runQuery applies it to the
 * data, and the verdict comes from request counts over the whole window (errors / requests), never
 * from an average of per-bucket rates. No I/O here; the command and the renderers do that.
 *
 * Threshold semantics: a rule fails when its error rate is strictly above maxErrorRate (a rate exactly
 * at the threshold passes), when its requests are below minTotal or above maxTotal. Fewer requests
 * than minRequests leave the error rate "not enough data" (verdict no-data), which fails the run only
 * with failOnNoData. Data that cannot answer the rule (metric absent, no status dimension, a query
 * that failed) gives verdict "error": never a pass.
 */
import { aggregationDef } from '../catalog/aggregations.js';
import { operationDimension } from '../catalog/resolve.js';
import type { MetricDef } from '../catalog/types.js';
import { CliError, EXIT } from '../errors.js';
import type { DimensionFilter, ErrorDefinition, Query, QueryResult, RangeSpec } from './model.js';
import { runQuery, type QueryData } from './run-query.js';
import { assertComparable, type BaselineOutcome, type ChangeRules, evaluateChanges, ruleBaselineRange } from './baseline-gate.js';
import { countText } from './count-text.js';

export type Level = 'error' | 'warn';
export const LEVELS: readonly Level[] = ['error', 'warn'];

/**
 * pass: every check held; fail: an error-level rule's check failed; warn: a warn-level rule's check
 * failed; no-data: fewer requests than minRequests; error: the data could not answer the rule.
 */
export type Verdict = 'pass' | 'fail' | 'warn' | 'no-data' | 'error';

/** An exact decimal threshold: ratio = num / 10^scale (so 1% and 0.01 compare exactly with 10/1000). */
export interface Rate {
  readonly ratio: number;
  readonly num: bigint;
  readonly scale: number;
}

export interface GateRule {
  readonly name: string;
  readonly level: Level;
  readonly metric: MetricDef;
  readonly filters: readonly DimensionFilter[];
  readonly range: RangeSpec;
  readonly errors: ErrorDefinition;
  /** Fail when errors / requests is above this; undefined: no error-rate check. */
  readonly maxErrorRate?: Rate;
  /** Below this many requests the error rate is "not enough data" (per operation with perOperation). */
  readonly minRequests: number;
  /** Fail when the window has fewer requests than this (traffic vanished). */
  readonly minTotal?: number;
  /** Fail when the window has more requests than this. */
  readonly maxTotal?: number;
  /** Apply maxErrorRate (and minRequests) to each operation on its own. */
  readonly perOperation: boolean;
  /** A no-data verdict fails the run (error-level rules only). */
  readonly failOnNoData: boolean;
  /** Rules on change against a baseline window (check --baseline); see core/baseline-gate.ts. */
  readonly change?: ChangeRules;
}

export interface OperationResult {
  readonly name: string;
  /** pass/fail against maxErrorRate, or no-data below minRequests; pass when the rule has no rate check. */
  readonly verdict: 'pass' | 'fail' | 'no-data';
  readonly requests: number;
  readonly errors: number | null;
  readonly errorRate: number | null;
}

export interface RuleResult {
  readonly rule: GateRule;
  readonly verdict: Verdict;
  /** Whether this rule makes the run fail (exit 1): fail, or no-data with failOnNoData at level error. */
  readonly failsRun: boolean;
  /** Requests over the window (0 when the window has no data); null only with verdict error. */
  readonly requests: number | null;
  /** Error requests; null when unknown (verdict error, or no status dimension for a volume-only rule). */
  readonly errors: number | null;
  /** errors / requests; null when either is unknown or there were no requests. */
  readonly errorRate: number | null;
  readonly window: { readonly start: number; readonly end: number } | null;
  /** The operation with the highest error rate among those with at least minRequests requests and an error. */
  readonly worstOperation: OperationResult | null;
  /** Every operation seen, highest error rate first (empty when the data is not split by Operation). */
  readonly operations: readonly OperationResult[];
  /** One line: why the verdict is what it is. */
  readonly reason: string;
  /** runQuery's notes and gate notes, for stderr. */
  readonly notes: readonly string[];
  /** The baseline and the change checks, for rules with a baseline (absent when the rule could not be evaluated). */
  readonly baseline?: BaselineOutcome;
}

export interface CheckOutcome {
  readonly results: readonly RuleResult[];
  /** Every rule was evaluated and none fails the run. */
  readonly passed: boolean;
  /** 0 passed, 1 a rule failed the run, 3 a rule could not be evaluated (wins over 1). */
  readonly exitCode: number;
}

// ---------------------------------------------------------------------------------------------------
// Thresholds

const RATE_TEXT = /^([+-]?)(\d+(?:\.\d*)?|\.\d+)(?:e([+-]?\d+))?\s*(%?)$/i;

/**
 * The finest threshold: 8 decimal places of the fraction (0.000001%). Finer ones cannot be shown by
 * the reports (which print at most 6 decimals of a percent) nor told apart from the counts of a window.
 */
export const MAX_RATE_SCALE = 8;
/** Exponents beyond this cannot give a threshold in range (and 10^n of a huge n would never end). */
const MAX_EXPONENT = 100;
const RATE_RANGE = 'use 0% to 100% with at most 6 decimal places (0.000001%), or a fraction with at most 8 (0.00000001)';

/**
 * An error-rate threshold: "1%", "0.5%", "0.01" (a bare number is a fraction: 0.01 = 1%). Returns
 * the rate, or a one-line reason why the text is not one (the caller names the flag or place).
 */
export function parseRate(input: string | number): Rate | { readonly error: string } {
  const text = typeof input === 'number' ? String(input) : input.trim();
  const m = RATE_TEXT.exec(text);
  if (!m || (typeof input === 'number' && !Number.isFinite(input))) {
    return { error: 'expected a rate such as 1%, 0.5% or 0.01' };
  }
  const [, sign, body, exp, percent] = m;
  const exponent = Number(exp ?? 0);
  if (!(Math.abs(exponent) <= MAX_EXPONENT)) return { error: `exponent out of range: ${RATE_RANGE}` };
  const [whole = '', frac = ''] = body!.split('.');
  let num = BigInt(`${whole}${frac}` || '0');
  let scale = frac.length - exponent + (percent ? 2 : 0);
  if (scale < 0) {
    num *= 10n ** BigInt(-scale);
    scale = 0;
  }
  if (sign === '-' && num !== 0n) return { error: 'an error rate cannot be negative' };
  if (percent && num > 10n ** BigInt(scale)) return { error: 'an error rate cannot be over 100%' };
  if (!percent && num >= 10n ** BigInt(scale)) {
    return { error: `a bare number is a fraction (0.01 = 1%); did you mean ${body}%?` };
  }
  // Strip trailing zeros so that the scale is minimal (1.50% -> 15/1000).
  while (scale > 0 && num % 10n === 0n && num !== 0n) {
    num /= 10n;
    scale -= 1;
  }
  if (num === 0n) scale = 0;
  if (scale > MAX_RATE_SCALE) return { error: `finer than check can compare: ${RATE_RANGE}` };
  return { ratio: Number(num) / 10 ** scale, num, scale };
}

export function isRate(v: Rate | { readonly error: string }): v is Rate {
  return 'ratio' in v;
}

/** Whether errors / requests is above the threshold, exactly for whole counts. */
export function exceeds(errors: number, requests: number, max: Rate): boolean {
  if (requests <= 0) return false;
  if (Number.isSafeInteger(errors) && Number.isSafeInteger(requests)) {
    return BigInt(errors) * 10n ** BigInt(max.scale) > max.num * BigInt(requests);
  }
  return errors / requests > max.ratio;
}

/** The threshold as a percent with at least two decimals, exact: 1% -> "1.00%", 0.125% -> "0.125%". */
export function formatRateThreshold(max: Rate): string {
  // percent = num / 10^(scale-2)
  const s = max.scale - 2;
  let text: string;
  if (s <= 0) text = (max.num * 10n ** BigInt(-s)).toString();
  else {
    const digits = max.num.toString().padStart(s + 1, '0');
    text = `${digits.slice(0, digits.length - s)}.${digits.slice(digits.length - s)}`;
  }
  const [w, f = ''] = text.split('.');
  return `${w}.${f.padEnd(2, '0')}%`;
}

/**
 * An observed rate as a percent with two decimals, more when needed so that a rate above (or below)
 * the threshold never prints equal to it, and a small non-zero rate never prints as 0.00%.
 */
export function formatObservedRate(ratio: number | null, max?: Rate): string {
  if (ratio === null || !Number.isFinite(ratio)) return '-';
  const pct = ratio * 100;
  const limit = max ? formatRateThreshold(max) : undefined;
  // At least as many decimals as the threshold shows: 0.125% against 0.125%, not 0.13%.
  const first = limit ? Math.max(2, limit.length - limit.indexOf('.') - 2) : 2;
  for (let d = first; d <= Math.max(6, first); d++) {
    const text = `${pct.toFixed(d)}%`;
    const same = limit !== undefined && ratio !== max!.ratio && Number(text.slice(0, -1)) === Number(limit.slice(0, -1));
    if (!same && !(pct > 0 && Number(text.slice(0, -1)) === 0)) return text;
  }
  return `${pct.toPrecision(3)}%`;
}

/** 4,321 */
export function formatCount(n: number | null): string {
  return n === null ? '-' : countText(n);
}

// ---------------------------------------------------------------------------------------------------
// Queries and evaluation

export { operationDimension };

/** The Query of a rule: counts over the window, split by Operation unless told otherwise. */
export function ruleQuery(rule: GateRule, splitByOperation = true): Query {
  const op = operationDimension(rule.metric);
  return {
    metric: rule.metric,
    aggregation: aggregationDef('count'),
    filters: rule.filters,
    splitBy: splitByOperation && op ? [op] : [],
    interval: { kind: 'auto' },
    range: rule.range,
    errors: rule.errors,
  };
}

/**
 * Whether the rule can split by Operation on this data: yes unless the metric's series exist and none
 * has an Operation dimension (then only a rule that needs operations, per operation or filtered by
 * them, goes on to runQuery's "not split by Operation" data error).
 */
function canSplitByOperation(rule: GateRule, data: QueryData): boolean {
  const op = operationDimension(rule.metric);
  if (!op) return false;
  if (rule.perOperation || rule.filters.some((f) => f.dimension === op)) return true;
  const key = rule.metric.rest.toLowerCase();
  const series = data.metrics.filter((m) => m.name.toLowerCase() === key && m.errorCode === undefined).flatMap((m) => m.series);
  return series.length === 0 || series.some((s) => op.rest.toLowerCase() in s.dimensions);
}

/**
 * Runs a rule's query on the data and judges it; a DataError becomes verdict "error". A rule with a
 * baseline also runs over the baseline window on `baselineData` (the same data for files).
 */
export function checkRule(rule: GateRule, data: QueryData, baselineData: QueryData = data): RuleResult {
  let result: QueryResult;
  let judged: RuleResult;
  let split: boolean;
  try {
    split = canSplitByOperation(rule, data);
    result = runQuery(ruleQuery(rule, split), data);
    judged = split
      ? evaluateRule(rule, result)
      : evaluateRule(rule, result, [`${rule.metric.rest} data is not split by Operation: no worst operation for "${rule.name}"`]);
    if (rule.change === undefined || judged.verdict === 'error') return judged;
    const base = runQuery({ ...ruleQuery(rule, split), range: ruleBaselineRange(rule.change, result), clipToData: false }, baselineData);
    assertComparable(result, base, rule.change.baseline);
    return withBaseline(rule, judged, result, base);
  } catch (err) {
    if (err instanceof CliError && err.exitCode === EXIT.DATA) return errorResult(rule, err.problems.join('; '));
    throw err;
  }
}

/** Adds the change checks to a rule's verdict: a significant change beyond a threshold fails it. */
function withBaseline(rule: GateRule, judged: RuleResult, current: QueryResult, base: QueryResult): RuleResult {
  const change = rule.change!;
  const needsErrors = change.maxErrorRateIncrease !== undefined || change.maxErrorRateRatio !== undefined;
  const count = (r: QueryResult) => ({ requests: r.requests ?? 0, errors: r.requests === null ? 0 : r.errors });
  const now = count(current);
  const before = count(base);
  if (needsErrors && (now.errors === null || before.errors === null)) {
    return { ...errorResult(rule, noErrorDimension(rule)), requests: judged.requests, window: judged.window, notes: judged.notes };
  }
  const checks = evaluateChanges(change, rule.minRequests, now, before);
  const baseline: BaselineOutcome = {
    window: { start: base.start, end: base.end },
    requests: before.requests,
    errors: before.errors,
    errorRate: ratio(before.errors, before.requests),
    checks,
  };
  const failed = checks.filter((c) => c.verdict === 'fail').map((c) => c.text);
  const noData = checks.filter((c) => c.verdict === 'no-data').map((c) => c.text);
  const held = checks.filter((c) => c.verdict === 'pass').map((c) => c.text);
  const notes = [...judged.notes, ...base.notes.filter((n) => !judged.notes.includes(n)).map((n) => `baseline: ${n}`)];
  let verdict = judged.verdict;
  let reason: string;
  const own = judged.reason === '' ? [] : [judged.reason];
  if (failed.length > 0) {
    if (verdict !== 'fail') verdict = rule.level === 'error' ? 'fail' : 'warn';
    reason = [...(judged.verdict === 'fail' || judged.verdict === 'warn' ? own : []), ...failed].join('; ');
  } else if (noData.length > 0 && verdict === 'pass') {
    verdict = 'no-data';
    reason = [...noData, ...own, ...held].join('; ');
  } else {
    reason = [...own, ...noData, ...held].join('; ');
  }
  const failsRun = verdict === 'fail' || (verdict === 'no-data' && rule.failOnNoData && rule.level === 'error');
  return { ...judged, verdict, failsRun, reason, notes, baseline };
}

/** A rule that could not be evaluated (the data could not be obtained or cannot answer it). */
export function errorResult(rule: GateRule, reason: string): RuleResult {
  return {
    rule,
    verdict: 'error',
    failsRun: true,
    requests: null,
    errors: null,
    errorRate: null,
    window: null,
    worstOperation: null,
    operations: [],
    reason,
    notes: [],
  };
}

const ratio = (errors: number | null, requests: number): number | null => (errors === null || requests <= 0 ? null : errors / requests);

/** Why errors cannot be counted on the data: the metric's error dimensions are not in it. */
function noErrorDimension(rule: GateRule): string {
  const m = rule.metric;
  const e = m.errors;
  if (e.kind === 'none') return `${m.rest} has no error rate: ${e.reason}`;
  if (e.kind === 'value') return `${m.rest} data has no ${e.dimension} dimension, so errors cannot be counted; use data split by ${e.dimension}`;
  const dims = rule.errors.codes.length > 0 ? e.codeDimension : `${e.classDimension} or ${e.codeDimension}`;
  return `${m.rest} data has no ${dims} dimension, so errors cannot be counted; use data split by ${rule.errors.codes.length > 0 ? e.codeDimension : e.classDimension}`;
}

/** Judges a rule on its query's result. */
export function evaluateRule(rule: GateRule, result: QueryResult, extraNotes: readonly string[] = []): RuleResult {
  const notes = [...result.notes, ...extraNotes];
  const window = { start: result.start, end: result.end };
  // No point in the window: zero requests (and so zero errors), never an invented rate.
  const requests = result.requests ?? 0;
  const errors = result.requests === null ? 0 : result.errors;
  if (rule.maxErrorRate !== undefined && errors === null) {
    return { ...errorResult(rule, noErrorDimension(rule)), requests, window, notes };
  }
  const operations = operationResults(rule, result);
  const worstOperation = operations.find((o) => o.requests >= rule.minRequests && o.errors !== null && o.errors > 0) ?? null;
  const errorRate = ratio(errors, requests);
  const checks: Checks = { failed: [], held: [] };
  totalChecks(rule, requests, checks);
  if (rule.maxErrorRate !== undefined) errorRateCheck(rule, rule.maxErrorRate, { requests, errors: errors!, errorRate, operations }, checks);
  const { verdict, reason } = verdictOf(rule, checks);
  const failsRun = verdict === 'fail' || (verdict === 'no-data' && rule.failOnNoData && rule.level === 'error');
  return { rule, verdict, failsRun, requests, errors, errorRate, window, worstOperation, operations, reason, notes };
}

/** What a rule's checks found: the lines that failed and held, and why the error rate was not judged. */
interface Checks {
  readonly failed: string[];
  readonly held: string[];
  noData?: string;
}

/** Each operation of the result judged on its own against maxErrorRate, highest error rate first. */
function operationResults(rule: GateRule, result: QueryResult): OperationResult[] {
  if (result.query.splitBy.length === 0) return [];
  const max = rule.maxErrorRate;
  const operations = result.series.map((s): OperationResult => {
    const name = Object.values(s.dimensions)[0] || '(none)';
    const opRequests = s.requests ?? 0;
    const opErrors = s.requests === null ? 0 : s.errors;
    const rate = ratio(opErrors, opRequests);
    let verdict: OperationResult['verdict'] = 'pass';
    if (max !== undefined) {
      if (opRequests < rule.minRequests) verdict = 'no-data';
      else if (opErrors !== null && exceeds(opErrors, opRequests, max)) verdict = 'fail';
    }
    return { name, verdict, requests: opRequests, errors: opErrors, errorRate: rate };
  });
  operations.sort(
    (a, b) => (b.errorRate ?? -1) - (a.errorRate ?? -1) || (b.errors ?? -1) - (a.errors ?? -1) || b.requests - a.requests || a.name.localeCompare(b.name, 'en'),
  );
  return operations;
}

/** minTotal and maxTotal on the window's requests. */
function totalChecks(rule: GateRule, requests: number, checks: Checks): void {
  if (rule.minTotal !== undefined) {
    if (requests < rule.minTotal) checks.failed.push(`requests ${formatCount(requests)} < min-total ${formatCount(rule.minTotal)}`);
    else checks.held.push(`requests ${formatCount(requests)} >= min-total ${formatCount(rule.minTotal)}`);
  }
  if (rule.maxTotal !== undefined) {
    if (requests > rule.maxTotal) checks.failed.push(`requests ${formatCount(requests)} > max-total ${formatCount(rule.maxTotal)}`);
    else checks.held.push(`requests ${formatCount(requests)} <= max-total ${formatCount(rule.maxTotal)}`);
  }
}

/** The window's counts a rule's error rate is judged on. */
interface Counts {
  readonly requests: number;
  readonly errors: number;
  readonly errorRate: number | null;
  readonly operations: readonly OperationResult[];
}

/** maxErrorRate on the window (or on each operation with perOperation), unless too few requests. */
function errorRateCheck(rule: GateRule, max: Rate, counts: Counts, checks: Checks): void {
  const { requests, errors, errorRate, operations } = counts;
  const limit = formatRateThreshold(max);
  if (requests < rule.minRequests) {
    checks.noData = `not enough data: ${formatCount(requests)} request${requests === 1 ? '' : 's'}, min-requests ${formatCount(rule.minRequests)}`;
  } else if (rule.perOperation) {
    const bad = operations.filter((o) => o.verdict === 'fail');
    const judged = operations.filter((o) => o.verdict !== 'no-data');
    if (bad.length > 0) {
      const first = bad[0]!;
      const more = bad.length > 1 ? ` (and ${bad.length - 1} more operation${bad.length > 2 ? 's' : ''})` : '';
      checks.failed.push(`${first.name} error rate ${formatObservedRate(first.errorRate, max)} > ${limit}${more}`);
    } else if (judged.length === 0) {
      checks.noData = `not enough data: no operation has min-requests ${formatCount(rule.minRequests)}`;
    } else {
      const skipped = operations.length - judged.length;
      checks.held.push(`every operation <= ${limit} (${judged.length} checked${skipped > 0 ? `, ${skipped} below min-requests` : ''})`);
    }
  } else if (exceeds(errors, requests, max)) {
    checks.failed.push(`error rate ${formatObservedRate(errorRate, max)} > ${limit}`);
  } else {
    checks.held.push(`error rate ${formatObservedRate(errorRate, max)} <= ${limit}`);
  }
}

/** The verdict of what the checks found, and the line that says why. */
function verdictOf(rule: GateRule, { failed, held, noData }: Checks): { verdict: Verdict; reason: string } {
  if (failed.length > 0) return { verdict: rule.level === 'error' ? 'fail' : 'warn', reason: [...failed, ...(noData ? [noData] : [])].join('; ') };
  if (noData !== undefined) return { verdict: 'no-data', reason: [noData, ...held].join('; ') };
  return { verdict: 'pass', reason: held.join('; ') };
}

/** Evaluates every rule on the same data. */
export function checkRules(rules: readonly GateRule[], data: QueryData, baselineData: QueryData = data): CheckOutcome {
  return outcome(rules.map((r) => checkRule(r, data, baselineData)));
}

export function outcome(results: readonly RuleResult[]): CheckOutcome {
  const anyError = results.some((r) => r.verdict === 'error');
  const anyFail = results.some((r) => r.failsRun);
  return { results, passed: !anyFail, exitCode: anyError ? EXIT.DATA : anyFail ? EXIT.GATE_FAILED : EXIT.OK };
}

/** Counts of verdicts for summaries. */
export function tally(results: readonly RuleResult[]): Record<Verdict, number> {
  const t: Record<Verdict, number> = { pass: 0, fail: 0, warn: 0, 'no-data': 0, error: 0 };
  for (const r of results) t[r.verdict] += 1;
  return t;
}

/** A default rule name from its metric and operations: "chat", "chat SendChatMessage". */
export function defaultRuleName(metric: MetricDef, filters: readonly DimensionFilter[]): string {
  const op = operationDimension(metric);
  const ops = filters.find((f) => f.dimension === op)?.values ?? [];
  return ops.length > 0 ? `${metric.alias} ${ops.join(',')}` : metric.alias;
}

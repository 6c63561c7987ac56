/** The baseline part of the check reports: both windows and the change, with the tests' p-values. Pure. */
import { formatP } from '../core/baseline-gate.js';
import { formatCount, formatObservedRate, type RuleResult } from '../core/gate.js';
import { formatTime } from '../core/time.js';
import { formatChangePercent, formatPoints } from './compare-format.js';

/**
 * "baseline 2026-01-06T00:00:00Z - 2026-01-07T00:00:00Z: requests 302 -> 200 (-33.8%), error rate
 * 0.66% -> 5.00% (+4.34pp)"; undefined for a rule without a baseline outcome.
 */
export function baselineLine(r: RuleResult): string | undefined {
  const b = r.baseline;
  if (!b) return undefined;
  const now = r.requests ?? 0;
  const parts = [
    `requests ${formatCount(b.requests)} -> ${formatCount(now)} (${b.requests === 0 ? 'from 0' : formatChangePercent((now - b.requests) / b.requests)})`,
  ];
  if (b.errorRate !== null || r.errorRate !== null) {
    const diff = b.errorRate !== null && r.errorRate !== null ? formatPoints(r.errorRate - b.errorRate) : '-';
    parts.push(`error rate ${formatObservedRate(b.errorRate)} -> ${formatObservedRate(r.errorRate)} (${diff})`);
  }
  return `baseline ${formatTime(b.window.start)} - ${formatTime(b.window.end)}: ${parts.join(', ')}`;
}

/** The change checks as JSON: name, verdict, observed, threshold, pValue, interval. */
export function baselineJson(r: RuleResult): object | undefined {
  const b = r.baseline;
  if (!b) return undefined;
  const change = r.rule.change!;
  return {
    window: { start: formatTime(b.window.start), end: formatTime(b.window.end) },
    shift: change.baseline.kind === 'shift' ? change.baseline.ms / 1000 : null,
    confidence: change.confidence,
    requests: b.requests,
    errors: b.errors,
    errorRate: b.errorRate,
    change: {
      requests: (r.requests ?? 0) - b.requests,
      requestsPercent: b.requests === 0 ? null : ((r.requests ?? 0) - b.requests) / b.requests,
      errorRatePoints: r.errorRate !== null && b.errorRate !== null ? r.errorRate - b.errorRate : null,
    },
    checks: b.checks.map((c) => ({
      rule: c.kind,
      verdict: c.verdict,
      observed: c.observed,
      threshold: c.threshold,
      pValue: c.pValue,
      interval: c.interval ?? null,
      text: c.text,
    })),
  };
}

/** "p=0.0014" of the first failing check (else the first check with a p-value), for short places. */
export function pValueText(r: RuleResult): string {
  const checks = r.baseline?.checks ?? [];
  const c = checks.find((x) => x.verdict === 'fail' && x.pValue !== null) ?? checks.find((x) => x.pValue !== null);
  return c?.pValue != null ? formatP(c.pValue) : '';
}

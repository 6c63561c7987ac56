/**
 * `check --junit FILE`: one <testcase> per rule in one <testsuite name="acs-metrics check">, for CI
 * test reports. fail -> <failure>; error (data could not answer) -> <error>; no-data -> <skipped>, or
 * <failure> when it fails the run (failOnNoData); warn -> a passing testcase with <system-out>. Pure.
 */
import { type CheckOutcome, formatCount, formatObservedRate, formatRateThreshold, type RuleResult, tally } from '../core/gate.js';
import { formatTime } from '../core/time.js';
import { baselineLine } from './baseline-report.js';
import { worstText } from './check-report.js';

/** Characters XML 1.0 does not allow at all (C0 controls but tab/LF/CR, lone surrogates, U+FFFE/U+FFFF). */

const ILLEGAL = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/** Text content: illegal characters dropped, & < > escaped. */
export function xmlText(text: string): string {
  return text.replace(ILLEGAL, '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** An attribute value (double-quoted): also quotes, and whitespace kept through attribute normalization. */
export function xmlAttr(text: string): string {
  return xmlText(text).replace(/"/g, '&quot;').replace(/'/g, '&apos;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;').replace(/\t/g, '&#9;');
}

/** The details of a rule for the testcase body. */
function details(r: RuleResult): string {
  const rule = r.rule;
  const lines = [`metric: ${rule.metric.alias} (${rule.metric.rest})`, `level: ${rule.level}`];
  for (const f of rule.filters) lines.push(`${f.dimension.name}: ${f.values.join(', ')}`);
  if (r.window) lines.push(`window: ${formatTime(r.window.start)} - ${formatTime(r.window.end)}`);
  if (rule.maxErrorRate) {
    lines.push(
      `error rate: ${formatObservedRate(r.errorRate, rule.maxErrorRate)} (max ${formatRateThreshold(rule.maxErrorRate)}${rule.perOperation ? ', per operation' : ''})`,
    );
  }
  lines.push(`requests: ${formatCount(r.requests)}`, `errors: ${formatCount(r.errors)} (${[...rule.errors.classes, ...rule.errors.codes].join(', ')})`);
  if (rule.maxErrorRate) lines.push(`min requests: ${formatCount(rule.minRequests)}`);
  if (rule.minTotal !== undefined) lines.push(`min total: ${formatCount(rule.minTotal)}`);
  if (rule.maxTotal !== undefined) lines.push(`max total: ${formatCount(rule.maxTotal)}`);
  const worst = worstText(r);
  if (worst) lines.push(`worst operation: ${worst}`);
  for (const op of rule.perOperation ? r.operations.filter((o) => o.verdict === 'fail') : []) {
    lines.push(
      `failing operation: ${op.name} ${formatObservedRate(op.errorRate, rule.maxErrorRate)} (requests ${formatCount(op.requests)}, errors ${formatCount(op.errors)})`,
    );
  }
  const base = baselineLine(r);
  if (base) lines.push(base);
  for (const c of r.baseline?.checks ?? []) lines.push(`${c.kind} (${c.verdict}): ${c.text}`);
  lines.push(`result: ${r.reason}`);
  return lines.join('\n');
}

export interface JunitOptions {
  /** When the check ran (testsuite timestamp). */
  readonly timestamp: Date;
}

export function renderJunit(outcome: CheckOutcome, options: JunitOptions): string {
  const t = tally(outcome.results);
  const failures = t.fail + outcome.results.filter((r) => r.verdict === 'no-data' && r.failsRun).length;
  const skipped = outcome.results.filter((r) => r.verdict === 'no-data' && !r.failsRun).length;
  const errors = t.error;
  const tests = outcome.results.length;
  const counts = `tests="${tests}" failures="${failures}" errors="${errors}" skipped="${skipped}"`;
  const stamp = options.timestamp.toISOString().replace(/\.\d{3}Z$/, 'Z');
  const out = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="acs-metrics" ${counts} time="0">`,
    `  <testsuite name="acs-metrics check" ${counts} time="0" timestamp="${stamp}">`,
  ];
  for (const r of outcome.results) {
    const open = `    <testcase name="${xmlAttr(r.rule.name)}" classname="acs-metrics.${xmlAttr(r.rule.metric.alias)}" time="0">`;
    const body = xmlText(details(r));
    const message = xmlAttr(r.reason);
    out.push(open);
    switch (r.verdict) {
      case 'fail':
        out.push(`      <failure message="${message}" type="threshold">${body}</failure>`);
        break;
      case 'error':
        out.push(`      <error message="${message}" type="data">${body}</error>`);
        break;
      case 'no-data':
        if (r.failsRun) out.push(`      <failure message="${message}" type="no-data">${body}</failure>`);
        else out.push(`      <skipped message="${message}"/>`, `      <system-out>${body}</system-out>`);
        break;
      case 'warn':
        out.push(`      <system-out>WARNING: ${body}</system-out>`);
        break;
      case 'pass':
        out.push(`      <system-out>${body}</system-out>`);
        break;
    }
    out.push('    </testcase>');
  }
  out.push('  </testsuite>', '</testsuites>', '');
  return out.join('\n');
}

/**
 * GitHub Actions output for `check` (when GITHUB_ACTIONS=true): workflow-command annotations
 * (`::error title=...::message`) and a markdown table for $GITHUB_STEP_SUMMARY. Pure.
 *
 * Escaping follows the runner's rules: in messages % CR LF become %25 %0D %0A; in properties also
 * : and , become %3A and %2C. Data-derived text is made safe (no control characters) first.
 */
import { type CheckOutcome, formatCount, formatObservedRate, formatRateThreshold, type RuleResult, tally } from '../core/gate.js';
import { formatTime } from '../core/time.js';
import { baselineLine } from './baseline-report.js';
import { verdictLabel, worstText } from './check-report.js';
import { safeText } from './safe.js';

export function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/** ::error for a rule that fails the run or could not be evaluated; ::warning for warn and no-data. */
function annotationKind(r: RuleResult): 'error' | 'warning' | undefined {
  if (r.verdict === 'fail' || r.verdict === 'error' || (r.verdict === 'no-data' && r.failsRun)) return 'error';
  if (r.verdict === 'warn' || r.verdict === 'no-data') return 'warning';
  return undefined;
}

/** One workflow command line per rule that did not pass; '' when every rule passed. */
export function githubAnnotations(outcome: CheckOutcome): string {
  const lines: string[] = [];
  for (const r of outcome.results) {
    const kind = annotationKind(r);
    if (!kind) continue;
    const title = `acs-metrics check: ${safeText(r.rule.name)}`;
    let message = `${verdictLabel(r)} ${safeText(r.rule.name)} (${r.rule.metric.alias}): ${safeText(r.reason)}`;
    if (r.verdict !== 'error') {
      message += ` (requests ${formatCount(r.requests)}, errors ${formatCount(r.errors)}`;
      const worst = worstText(r);
      message += worst ? `, worst ${worst})` : ')';
      const base = baselineLine(r);
      if (base) message += `; ${safeText(base)}`;
    }
    lines.push(`::${kind} title=${escapeProperty(title)}::${escapeData(message)}`);
  }
  return lines.length ? `${lines.join('\n')}\n` : '';
}

/** A markdown table cell: no line breaks, markdown and HTML punctuation backslash-escaped. */
export function mdCell(text: string): string {
  return safeText(text)
    .replace(/[\\`*_{}[\]<>#!|~&$]/g, (ch) => `\\${ch}`)
    .replace(/\s+/g, ' ')
    .trim();
}

const ICON: Record<RuleResult['verdict'], string> = { pass: '✅', fail: '❌', warn: '⚠️', 'no-data': '➖', error: '🛑' };

/** The markdown appended to $GITHUB_STEP_SUMMARY: a heading, a table of the rules, a summary line. */
export function githubStepSummary(outcome: CheckOutcome): string {
  const t = tally(outcome.results);
  const state = t.error ? 'ERROR' : outcome.passed ? 'PASSED' : 'FAILED';
  const out = [
    `### acs-metrics check: ${state}`,
    '',
    '| Result | Rule | Metric | Error rate | Max | Requests | Errors | Worst operation | Details |',
    '|---|---|---|---:|---:|---:|---:|---|---|',
  ];
  for (const r of outcome.results) {
    const max = r.rule.maxErrorRate;
    const icon = r.verdict === 'no-data' && r.failsRun ? ICON.fail : ICON[r.verdict];
    const cells = [
      `${icon} ${verdictLabel(r)}`,
      mdCell(r.rule.name),
      mdCell(r.rule.metric.alias),
      r.verdict === 'error' ? '' : formatObservedRate(r.errorRate, max),
      max ? `${formatRateThreshold(max)}${r.rule.perOperation ? ' per operation' : ''}` : '',
      r.requests === null ? '' : formatCount(r.requests),
      r.errors === null ? '' : formatCount(r.errors),
      mdCell(worstText(r)),
      mdCell([r.reason, baselineLine(r)].filter(Boolean).join('; ')),
    ];
    out.push(`| ${cells.join(' | ')} |`);
  }
  const windows = [...new Set(outcome.results.filter((r) => r.window).map((r) => `${formatTime(r.window!.start)} – ${formatTime(r.window!.end)}`))];
  const n = outcome.results.length;
  out.push(
    '',
    `${n} rule${n === 1 ? '' : 's'}: ${t.pass} passed, ${t.fail} failed, ${t.warn} warned, ${t['no-data']} not enough data, ${t.error} not evaluated.` +
      (windows.length === 1 ? ` Window: ${windows[0]}.` : ''),
    '',
  );
  return out.join('\n');
}

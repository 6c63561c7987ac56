/**
 * The `check` report: one line per rule on stdout, then a summary line; or JSON (schemaVersion 1).
 * Pure: colour comes in as a chalk instance (identity functions when colour is off).
 */
import { errorDefinitionJson } from './json.js';
import type { ChalkInstance } from 'chalk';
import {
  type CheckOutcome,
  formatCount,
  formatObservedRate,
  formatRateThreshold,
  type OperationResult,
  type RuleResult,
  tally,
  type Verdict,
} from '../core/gate.js';
import { formatTime } from '../core/time.js';
import { safeText } from './safe.js';
import { baselineJson, baselineLine } from './baseline-report.js';
import { fitFields } from './report-lines.js';
import { displayWidth, wrapText } from './text-width.js';

const LABEL: Record<Verdict, string> = { pass: 'PASS', fail: 'FAIL', warn: 'WARN', 'no-data': 'NO DATA', error: 'ERROR' };

/** The verdict label as shown: PASS, FAIL, WARN, NO DATA, ERROR. */
export function verdictLabel(result: RuleResult): string {
  return LABEL[result.verdict];
}

function paint(result: RuleResult, text: string, c: ChalkInstance): string {
  switch (result.verdict) {
    case 'pass':
      return c.green(text);
    case 'fail':
    case 'error':
      return c.red.bold(text);
    case 'warn':
      return c.yellow(text);
    case 'no-data':
      return result.failsRun ? c.red.bold(text) : c.yellow(text);
  }
}

/** "SendChatMessage 7.90%", or '' when there is nothing worth naming. */
export function worstText(result: RuleResult): string {
  const w = result.worstOperation;
  if (!w || result.operations.length <= 1) return '';
  return `${safeText(w.name)} ${formatObservedRate(w.errorRate, result.rule.maxErrorRate)}`;
}

/** Reasons up to this long are padded into a column. */
const REASON_ALIGN = 48;

const pad = (text: string, width: number): string => text + ' '.repeat(Math.max(0, width - [...text].length));

/**
 * The human report: a line per rule, failing operations under their rule, and a summary line. With a
 * width, a line that does not fit breaks between its fields, the rest indented under the rule name.
 */
export function renderCheckText(outcome: CheckOutcome, c: ChalkInstance, width?: number): string {
  const rows = outcome.results.map((r) => ({
    r,
    label: verdictLabel(r),
    name: safeText(r.rule.name),
    reason: safeText(r.reason),
  }));
  const labelW = Math.max(0, ...rows.map((x) => x.label.length));
  const nameW = Math.max(0, ...rows.map((x) => [...x.name].length));
  // Reasons are aligned up to a width; a longer one pushes its own line's columns out.
  const reasonW = Math.max(
    0,
    ...rows
      .filter((x) => x.r.verdict !== 'error')
      .map((x) => [...x.reason].length)
      .filter((n) => n <= REASON_ALIGN),
  );
  const reqW = Math.max(0, ...rows.map((x) => formatCount(x.r.requests).length));
  const errW = Math.max(0, ...rows.map((x) => formatCount(x.r.errors).length));
  const indent = labelW + 2;
  const under = (text: string, style: (t: string) => string = (t) => t): string[] =>
    fitFields(' '.repeat(indent), [text], indent, width).map((l) => ' '.repeat(indent) + style(l.slice(indent)));

  const lines: string[] = [];
  for (const { r, label, name, reason } of rows) {
    const prefix = `${pad(label, labelW)}  `;
    const worst = worstText(r);
    const requests = `requests ${formatCount(r.requests)}`;
    const errors = `errors ${formatCount(r.errors)}`;
    // Aligned in columns when the line fits; else its fields, broken where they must be.
    const aligned =
      r.verdict === 'error'
        ? `${prefix}${pad(name, nameW)}  ${reason}`
        : `${prefix}${pad(name, nameW)}  ${pad(reason, reasonW)}  requests ${pad(formatCount(r.requests), reqW)}  errors ${pad(formatCount(r.errors), errW)}${worst ? `  worst ${worst}` : ''}`.trimEnd();
    const fitted =
      width === undefined || displayWidth(aligned) <= width
        ? [aligned]
        : fitFields(prefix, r.verdict === 'error' ? [name, reason] : [name, reason, requests, errors, worst ? `worst ${worst}` : ''], indent, width);
    lines.push(paint(r, pad(label, labelW), c) + fitted[0]!.slice(labelW), ...fitted.slice(1));
    const base = baselineLine(r);
    if (base) lines.push(...under(safeText(base), c.dim));
    if (r.rule.perOperation && r.rule.maxErrorRate) {
      for (const op of r.operations.filter((o) => o.verdict === 'fail')) {
        const text = `- ${safeText(op.name)} ${formatObservedRate(op.errorRate, r.rule.maxErrorRate)} > ${formatRateThreshold(r.rule.maxErrorRate)}  requests ${formatCount(op.requests)}  errors ${formatCount(op.errors)}`;
        lines.push(...under(text).map((l, i) => (i === 0 ? l.replace(/^( *)-/, (_, sp: string) => `${sp}${c.dim('-')}`) : l)));
      }
    }
  }
  lines.push('', ...summaryLines(outcome, c, width));
  return `${lines.join('\n')}\n`;
}

/**
 * "check FAILED: 4 rules: 1 failed, 1 passed, 1 warning, 1 not enough data; window 2026-01-07T23:00:00Z -
 * 2026-01-08T00:00:00Z" (the window when every evaluated rule had the same one).
 */
export function summaryLine(outcome: CheckOutcome, c: ChalkInstance): string {
  return summaryLines(outcome, c, undefined)[0]!;
}

/** The summary, broken before its window (and at spaces) when it does not fit `width`. */
function summaryLines(outcome: CheckOutcome, c: ChalkInstance, width: number | undefined): string[] {
  const t = tally(outcome.results);
  const noDataFailing = outcome.results.filter((r) => r.verdict === 'no-data' && r.failsRun).length;
  const parts: string[] = [];
  if (t.error) parts.push(`${t.error} could not be evaluated`);
  if (t.fail) parts.push(`${t.fail} failed`);
  if (t.pass) parts.push(`${t.pass} passed`);
  if (t.warn) parts.push(`${t.warn} warning${t.warn === 1 ? '' : 's'}`);
  if (t['no-data']) parts.push(`${t['no-data']} not enough data${noDataFailing ? ` (${noDataFailing} failing the run)` : ''}`);
  const n = outcome.results.length;
  const [head, headStyle] = t.error ? ['check ERROR', c.red.bold] : outcome.passed ? ['check PASSED', c.green.bold] : ['check FAILED', c.red.bold];
  const windows = [...new Set(outcome.results.filter((r) => r.window).map((r) => `${formatTime(r.window!.start)} - ${formatTime(r.window!.end)}`))];
  const counts = `: ${n} rule${n === 1 ? '' : 's'}: ${parts.join(', ')}`;
  const window = windows.length === 1 ? `; window ${windows[0]}` : '';
  if (width === undefined || displayWidth(head + counts + window) <= width) return [headStyle(head) + counts + c.dim(window)];
  const first = wrapText(head + counts + (window ? ';' : ''), width);
  const rest = window ? wrapText(window.slice(2), width).map((l) => c.dim(l)) : [];
  return [headStyle(head) + first[0]!.slice(head.length), ...first.slice(1), ...rest];
}

// ---------------------------------------------------------------------------------------------------
// JSON

export interface OperationJson {
  name: string;
  verdict: OperationResult['verdict'];
  errorRate: number | null;
  requests: number;
  errors: number | null;
}

export interface RuleJson {
  name: string;
  metric: string;
  metricName: string;
  level: 'error' | 'warn';
  verdict: Verdict;
  failsRun: boolean;
  errorRate: number | null;
  maxErrorRate: number | null;
  requests: number | null;
  errors: number | null;
  minRequests: number;
  minTotal: number | null;
  maxTotal: number | null;
  perOperation: boolean;
  failOnNoData: boolean;
  errorDefinition: object;
  filters: Record<string, string[]>;
  window: { start: string; end: string } | null;
  worstOperation: { name: string; errorRate: number | null; requests: number; errors: number | null } | null;
  operations?: OperationJson[];
  reason: string;
  /** Rules with a baseline only: both windows' counts, the change and each change check with its p-value. */
  baseline?: object;
}

export interface CheckJson {
  schemaVersion: 1;
  passed: boolean;
  exitCode: number;
  summary: { rules: number; pass: number; fail: number; warn: number; noData: number; error: number };
  rules: RuleJson[];
}

export function checkJson(outcome: CheckOutcome): CheckJson {
  const t = tally(outcome.results);
  return {
    schemaVersion: 1,
    passed: outcome.passed,
    exitCode: outcome.exitCode,
    summary: { rules: outcome.results.length, pass: t.pass, fail: t.fail, warn: t.warn, noData: t['no-data'], error: t.error },
    rules: outcome.results.map((r) => {
      const rule = r.rule;
      const json: RuleJson = {
        name: rule.name,
        metric: rule.metric.alias,
        metricName: rule.metric.rest,
        level: rule.level,
        verdict: r.verdict,
        failsRun: r.failsRun,
        errorRate: r.errorRate,
        maxErrorRate: rule.maxErrorRate?.ratio ?? null,
        requests: r.requests,
        errors: r.errors,
        minRequests: rule.minRequests,
        minTotal: rule.minTotal ?? null,
        maxTotal: rule.maxTotal ?? null,
        perOperation: rule.perOperation,
        failOnNoData: rule.failOnNoData,
        errorDefinition: errorDefinitionJson(rule.metric, rule.errors),
        filters: Object.fromEntries(rule.filters.map((f) => [f.dimension.name, [...f.values]])),
        window: r.window ? { start: formatTime(r.window.start), end: formatTime(r.window.end) } : null,
        worstOperation: r.worstOperation
          ? { name: r.worstOperation.name, errorRate: r.worstOperation.errorRate, requests: r.worstOperation.requests, errors: r.worstOperation.errors }
          : null,
        reason: r.reason,
      };
      const base = baselineJson(r);
      if (base) json.baseline = base;
      if (rule.perOperation) {
        json.operations = r.operations.map((o) => ({ name: o.name, verdict: o.verdict, errorRate: o.errorRate, requests: o.requests, errors: o.errors }));
      }
      return json;
    }),
  };
}

export function renderCheckJson(outcome: CheckOutcome): string {
  return `${JSON.stringify(checkJson(outcome), null, 2)}\n`;
}

/**
 * `alerts`: the rules of `check` as Azure Monitor alert rules. Pure: a rule becomes one alert per
 * check it makes (min total, max total, error rate), and a mapping that says how faithful they are:
 *
 * - count and volume bounds are static metric criteria on the rule's metric, with its filters as
 *   dimension conditions and the metric's aggregation: exact (a filter naming several values of one
 *   dimension is approximate: a metric alert judges each value on its own, not their sum);
 * - an error rate has no metric-alert form (a criterion takes one metric and a fixed threshold): with
 *   a workspace it is a log search alert computing the rate over the channel's log table (exact);
 *   without one, an error-count criterion with a dynamic threshold (approximate);
 * - a change against a baseline, and a fixed (start/end) window, have no alert form (not mapped).
 *
 * The rule's status is its least exact part; the parts that map are written.
 */
import { aggregationDef } from '../catalog/aggregations.js';
import { LOG_TABLES, NO_LOG_TABLE } from '../catalog/log-tables.js';
import { METRIC_NAMESPACE } from '../catalog/metrics.js';
import { operationDimension } from '../catalog/resolve.js';
import type { MetricDef } from '../catalog/types.js';
import { errorRateQuery, logSplitColumns, unmappedLogFilters } from './alert-kql.js';
import { alertWindow } from './alert-window.js';
import { formatRateThreshold, type GateRule } from './gate.js';

export type Mapping =
  { readonly kind: 'exact' } | { readonly kind: 'approximate'; readonly how: string } | { readonly kind: 'not-mapped'; readonly why: string };

export interface DimensionCondition {
  /** REST dimension name (catalog). */
  readonly name: string;
  readonly operator: 'Include';
  readonly values: readonly string[];
}

interface CriterionBase {
  readonly name: string;
  readonly metricName: string;
  readonly metricNamespace: string;
  readonly timeAggregation: 'Count' | 'Total';
  readonly dimensions: readonly DimensionCondition[];
}

export interface StaticCriterion extends CriterionBase {
  readonly kind: 'static';
  readonly operator: 'GreaterThan' | 'LessThan';
  readonly threshold: number;
}

export interface DynamicCriterion extends CriterionBase {
  readonly kind: 'dynamic';
  readonly operator: 'GreaterThan';
  readonly alertSensitivity: 'Medium';
  readonly failingPeriods: { readonly numberOfEvaluationPeriods: number; readonly minFailingPeriodsToAlert: number };
}

/** Which check of the rule an alert stands for; also the end of its name. */
export type AlertCheck = 'min-total' | 'max-total' | 'error-rate';

interface AlertBase {
  /** Stable and readable: acs-<rule>-<check>, so that a re-run updates the same alert rule. */
  readonly name: string;
  readonly rule: string;
  readonly check: AlertCheck;
  readonly description: string;
  /** 1 (Error) for error-level rules, 2 (Warning) for warn. */
  readonly severity: 1 | 2;
  readonly windowSize: string;
  readonly evaluationFrequency: string;
}

export interface MetricAlertPlan extends AlertBase {
  readonly type: 'metric';
  readonly criterion: StaticCriterion | DynamicCriterion;
}

export interface LogAlertPlan extends AlertBase {
  readonly type: 'log';
  readonly table: string;
  readonly query: string;
  /** Columns the alert splits by: one alert per resource (and operation). */
  readonly splitBy: readonly string[];
}

export type AlertPlan = MetricAlertPlan | LogAlertPlan;

export interface RulePlan {
  readonly rule: GateRule;
  readonly mapping: Mapping;
  readonly alerts: readonly AlertPlan[];
}

export interface AlertOptions {
  /** A Log Analytics workspace is given: rate rules become log search alerts. */
  readonly workspace: boolean;
}

/** Lower-case words joined by dashes: "chat errors (sms)" -> "chat-errors-sms". */
export function slug(text: string): string {
  const s = text
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return s === '' ? 'rule' : s.slice(0, 200).replace(/-+$/, '');
}

export const alertName = (rule: GateRule, check: AlertCheck): string => `acs-${slug(rule.name)}-${check}`;

type Part = { readonly mapping: Mapping; readonly alert?: AlertPlan };
const exact: Mapping = { kind: 'exact' };

/** The rule's filters as dimension conditions (REST names). */
export function filterConditions(rule: GateRule): DimensionCondition[] {
  return rule.filters.map((f) => ({ name: f.dimension.rest, operator: 'Include', values: [...f.values] }));
}

const timeAggregation = (metric: MetricDef): 'Count' | 'Total' => aggregationDef(metric.primaryAggregation).wire as 'Count' | 'Total';

/** A filter with several values of one dimension makes a metric alert judge each value apart. */
function splitFilters(rule: GateRule): Mapping {
  const many = rule.filters.filter((f) => f.values.length > 1);
  if (many.length === 0) return exact;
  const f = many[0]!;
  return {
    kind: 'approximate',
    how: `a metric alert judges each of the ${f.values.length} ${f.dimension.name} values (${f.values.join(', ')}) on its own, not their sum`,
  };
}

function staticPart(rule: GateRule, base: Omit<AlertBase, 'name' | 'check' | 'description'>, check: 'min-total' | 'max-total', bound: number): Part {
  const less = check === 'min-total';
  const criterion: StaticCriterion = {
    kind: 'static',
    name: check,
    metricName: rule.metric.rest,
    metricNamespace: METRIC_NAMESPACE,
    timeAggregation: timeAggregation(rule.metric),
    operator: less ? 'LessThan' : 'GreaterThan',
    threshold: bound,
    dimensions: filterConditions(rule),
  };
  const description = `acs-metrics rule "${rule.name}": ${less ? 'fewer' : 'more'} than ${bound} requests in ${base.windowSize}`;
  return { mapping: splitFilters(rule), alert: { ...base, type: 'metric', name: alertName(rule, check), check, description, criterion } };
}

/** The dimension conditions that pick a rule's errors, or why one criterion cannot say it. */
function errorConditions(rule: GateRule): DimensionCondition[] | string {
  const dimRest = (name: string): string => rule.metric.dimensions.find((d) => d.name === name)!.rest;
  const e = rule.metric.errors;
  if (e.kind === 'value') return [{ name: dimRest(e.dimension), operator: 'Include', values: [...(rule.errors.values ?? e.values)] }];
  if (e.kind !== 'status') return `${rule.metric.alias} counts nothing that fails`;
  const { classes, codes } = rule.errors;
  if (classes.length > 0 && codes.length > 0) {
    return `errors mixing classes and codes (${[...classes, ...codes].join(',')}) are not one dimension condition`;
  }
  return classes.length > 0
    ? [{ name: dimRest(e.classDimension), operator: 'Include', values: [...classes] }]
    : [{ name: dimRest(e.codeDimension), operator: 'Include', values: [...codes] }];
}

/** The rule's conditions and the error conditions; one condition per dimension (the values both allow). */
function withErrors(filters: readonly DimensionCondition[], errors: readonly DimensionCondition[]): DimensionCondition[] {
  const out = filters.map((f) => {
    const e = errors.find((x) => x.name === f.name);
    return e ? { ...f, values: f.values.filter((v) => e.values.some((w) => w.toLowerCase() === v.toLowerCase())) } : f;
  });
  return [...out, ...errors.filter((e) => !filters.some((f) => f.name === e.name))];
}

function ratePart(rule: GateRule, base: Omit<AlertBase, 'name' | 'check' | 'description'>, options: AlertOptions): Part {
  const threshold = formatRateThreshold(rule.maxErrorRate!);
  const description = `acs-metrics rule "${rule.name}": error rate above ${threshold} in ${base.windowSize}`;
  const common = { ...base, name: alertName(rule, 'error-rate'), check: 'error-rate' as const, description };
  if (options.workspace) {
    const table = LOG_TABLES[rule.metric.alias];
    if (table === undefined) {
      const why = NO_LOG_TABLE[rule.metric.alias] ?? 'it has no resource log table';
      return { mapping: { kind: 'not-mapped', why: `error rate of ${rule.metric.alias}: no log search form, ${why}` } };
    }
    const unmapped = unmappedLogFilters(rule);
    if (unmapped.length > 0) {
      return { mapping: { kind: 'not-mapped', why: `the ${unmapped[0]!.dimension.name} filter has no column in ${table}` } };
    }
    const alert: LogAlertPlan = { ...common, type: 'log', table, query: errorRateQuery(rule, table), splitBy: logSplitColumns(rule) };
    const mapping: Mapping = rule.failOnNoData ? { kind: 'approximate', how: 'failOnNoData: a log search alert does not fire on too few requests' } : exact;
    return { mapping, alert };
  }
  const errors = errorConditions(rule);
  if (typeof errors === 'string') return { mapping: { kind: 'not-mapped', why: `error rate: ${errors}; give --workspace for a log search alert` } };
  const op = operationDimension(rule.metric);
  const perOp = rule.perOperation && op !== undefined && !rule.filters.some((f) => f.dimension.rest === op.rest);
  const criterion: DynamicCriterion = {
    kind: 'dynamic',
    name: 'error-count',
    metricName: rule.metric.rest,
    metricNamespace: METRIC_NAMESPACE,
    timeAggregation: timeAggregation(rule.metric),
    operator: 'GreaterThan',
    alertSensitivity: 'Medium',
    failingPeriods: { numberOfEvaluationPeriods: 1, minFailingPeriodsToAlert: 1 },
    dimensions: [...withErrors(filterConditions(rule), errors), ...(perOp ? [{ name: op.rest, operator: 'Include' as const, values: ['*'] }] : [])],
  };
  const empty = criterion.dimensions.find((d) => d.values.length === 0);
  if (empty) return { mapping: { kind: 'not-mapped', why: `error rate: the ${empty.name} filter leaves no errors to count` } };
  return {
    mapping: {
      kind: 'approximate',
      how: `error rate above ${threshold} became an error-count criterion with a dynamic threshold (a metric alert has no ratio); give --workspace for an exact log search alert`,
    },
    alert: { ...common, type: 'metric', criterion },
  };
}

/** The least exact of the parts; the reasons of the parts at that level, joined. */
function combine(mappings: readonly Mapping[]): Mapping {
  const notMapped = mappings.flatMap((m) => (m.kind === 'not-mapped' ? [m.why] : []));
  if (notMapped.length > 0) return { kind: 'not-mapped', why: notMapped.join('; ') };
  const approx = mappings.flatMap((m) => (m.kind === 'approximate' ? [m.how] : []));
  return approx.length > 0 ? { kind: 'approximate', how: [...new Set(approx)].join('; ') } : exact;
}

/** One rule as alert rules. */
export function planRule(rule: GateRule, options: AlertOptions): RulePlan {
  // A start, or an end (which a since counts back from), is a fixed window.
  const absolute = rule.range.start !== undefined || rule.range.end !== undefined;
  const window = alertWindow(rule.range.sinceMs, absolute);
  if (window.kind === 'not-mapped') return { rule, mapping: { kind: 'not-mapped', why: window.why }, alerts: [] };
  const base = {
    rule: rule.name,
    severity: rule.level === 'error' ? (1 as const) : (2 as const),
    windowSize: window.windowSize,
    evaluationFrequency: window.evaluationFrequency,
  };
  const parts: Part[] = [];
  if (window.kind === 'approximate') parts.push({ mapping: { kind: 'approximate', how: window.how } });
  if (rule.minTotal !== undefined) parts.push(staticPart(rule, base, 'min-total', rule.minTotal));
  if (rule.maxTotal !== undefined) parts.push(staticPart(rule, base, 'max-total', rule.maxTotal));
  if (rule.maxErrorRate !== undefined) parts.push(ratePart(rule, base, options));
  if (rule.change !== undefined) parts.push({ mapping: { kind: 'not-mapped', why: 'a change against a baseline window has no alert form' } });
  return { rule, mapping: combine(parts.map((p) => p.mapping)), alerts: parts.flatMap((p) => (p.alert ? [p.alert] : [])) };
}

/** Every rule as alert rules, in the rules' order. */
export function planAlerts(rules: readonly GateRule[], options: AlertOptions): RulePlan[] {
  return rules.map((r) => planRule(r, options));
}

/** Pairs of rules whose alerts would have the same name (one would overwrite the other). */
export function nameClashes(plans: readonly RulePlan[]): string[] {
  const seen = new Map<string, string>();
  const clashes: string[] = [];
  for (const p of plans) {
    for (const a of p.alerts) {
      const other = seen.get(a.name);
      if (other !== undefined && other !== p.rule.name)
        clashes.push(`rules "${other}" and "${p.rule.name}" would both write the alert rule ${a.name}: rename one`);
      seen.set(a.name, p.rule.name);
    }
  }
  return clashes;
}

/**
 * One rule of a rules file checked as a whole, with the defaults: the filters of its metric
 * (operations, status codes and classes), what its metric can count as an error, whether it checks
 * anything, its baseline and change rules, its name; then the GateRule it makes. Each field on its
 * own is read by rule-fields.ts.
 */
import { type CatalogExtra, extraFor } from '../catalog/extra.js';
import { operationDimension, type OperationOptions, resolveDimension, resolveOperation } from '../catalog/resolve.js';
import type { MetricDef } from '../catalog/types.js';
import { CHANGE_KINDS, type ChangeRules, DEFAULT_CONFIDENCE } from '../core/baseline-gate.js';
import { defaultErrors } from '../core/classify.js';
import type { BaselineSpec } from '../core/compare.js';
import { defaultRuleName, type GateRule } from '../core/gate.js';
import type { DimensionFilter, RangeSpec } from '../core/model.js';
import { errorsFor, noErrorRateProblem } from './query-options.js';
import { type Fields, RANGE_KEYS, readFields } from './rule-fields.js';
import { type Add, found, type Obj, readStringList, reportProblems } from './rule-values.js';

export const DEFAULT_MIN_REQUESTS = 1;

export interface RulesFileOptions {
  /** --since/--start/--end from the command line: replaces the defaults' window (a rule's own wins). */
  readonly range?: RangeSpec;
  /** --fail-on-no-data: on for every rule, whatever the file says. */
  readonly failOnNoData?: boolean;
  /** --catalog-extra: operation values accepted beyond the catalog's. */
  readonly extra?: CatalogExtra;
  /** Receives warnings (an operation accepted outside a documented but incomplete list). */
  readonly warn?: (line: string) => void;
  /** --baseline or --baseline-start/--baseline-end: the baseline of every rule without its own. */
  readonly baseline?: BaselineSpec;
  /** --confidence: of every rule without its own. */
  readonly confidence?: number;
}

/** What the rules of a file share: the defaults (as given and as read), the file's and the command line's options, the names taken. */
export interface RuleSetting {
  readonly defaults: Obj;
  readonly defaultFields: Fields;
  /** The file's top-level failOnNoData. */
  readonly failOnNoData: boolean | undefined;
  readonly options: RulesFileOptions;
  /** Each rule name given so far, with the place of its rule. */
  readonly names: Map<string, string>;
}

/** One rule as read: its place, its keys as given, its fields, and a field's value falling back to the defaults'. */
interface Rule {
  readonly raw: Obj;
  readonly place: string;
  readonly own: Fields;
  readonly pick: <K extends keyof Fields>(key: K) => Fields[K];
}

/** Checks one rule (its keys known to be valid names); returns it, or undefined when it has a problem. */
export function checkRule(raw: Obj, place: string, setting: RuleSetting, add: Add): GateRule | undefined {
  let problems = 0;
  const report: Add = (at, message) => {
    problems += 1;
    add(at, message);
  };
  const { defaults, defaultFields, options } = setting;
  const own = readFields(raw, place, report);
  const pick = <K extends keyof Fields>(key: K): Fields[K] => (own[key] !== undefined ? own[key] : defaultFields[key]);
  const rule: Rule = { raw, place, own, pick };
  // The rule's own metric when it names one (even a bad one), else the defaults'.
  const metric = raw.metric !== undefined ? own.metric : defaultFields.metric;
  if (raw.metric === undefined && defaults.metric === undefined) {
    report(place, 'no metric: give "metric" (an alias such as chat, or set it in defaults)');
  }
  const filters = metric ? metricFilters(rule, metric, options, report) : [];
  if (metric) checkErrorKind(rule, metric, defaults, report);
  if (!hasChecks(raw) && !hasChecks(defaults)) {
    report(
      place,
      'nothing to check: give maxErrorRate, minTotal, maxTotal, or a change rule (maxErrorRateIncrease, maxErrorRateRatio, maxTrafficDrop, maxTrafficRise) with a baseline',
    );
  }
  const change = changeRules(rule, metric, setting, report);
  checkTotals(rule, defaults, report);
  const name = ruleName(rule, metric, filters, setting.names, report);
  if (problems > 0 || !metric || name === undefined) return undefined;

  const maxErrorRate = pick('maxErrorRate');
  const minTotal = pick('minTotal');
  const maxTotal = pick('maxTotal');
  const range = RANGE_KEYS.some((k) => raw[k] !== undefined) ? own.range : (options.range ?? defaultFields.range);
  return {
    name,
    level: pick('level') ?? 'error',
    metric,
    filters,
    range: range ?? {},
    errors: pick('errors') ?? defaultErrors(metric),
    ...(maxErrorRate !== undefined ? { maxErrorRate } : {}),
    minRequests: pick('minRequests') ?? DEFAULT_MIN_REQUESTS,
    ...(minTotal !== undefined ? { minTotal } : {}),
    ...(maxTotal !== undefined ? { maxTotal } : {}),
    perOperation: pick('perOperation') ?? false,
    failOnNoData: options.failOnNoData === true || (pick('failOnNoData') ?? setting.failOnNoData ?? false),
    ...(change ? { change } : {}),
  };
}

const hasChecks = (o: Obj): boolean =>
  o.maxErrorRate !== undefined || o.minTotal !== undefined || o.maxTotal !== undefined || CHANGE_KINDS.some((k) => o[k] !== undefined);

/** The rule's filters, resolved against its metric: operations, status codes, status classes. */
function metricFilters(rule: Rule, metric: MetricDef, options: RulesFileOptions, add: Add): DimensionFilter[] {
  const { raw, place, pick } = rule;
  const filters: DimensionFilter[] = [];
  const ops = readOperations(raw, place, metric, add, { extra: extraFor(options.extra, metric), warn: options.warn });
  const opDim = operationDimension(metric);
  if (ops && ops.length > 0 && opDim) filters.push({ dimension: opDim, values: ops });
  const dimension = (key: string, name: string) => reportProblems(`${place}.${key}`, add, () => resolveDimension(metric, name));
  const codes = pick('statusCodes');
  const codeDim = codes && codes.length > 0 ? dimension('statusCodes', 'StatusCode') : undefined;
  if (codes && codeDim) filters.push({ dimension: codeDim, values: codes });
  const classes = pick('statusClasses');
  const classDim = classes && classes.length > 0 ? dimension('statusClasses', 'StatusSubClass') : undefined;
  if (classes && classDim) filters.push({ dimension: classDim, values: classes });
  return filters;
}

function readOperations(o: Obj, place: string, metric: MetricDef, add: Add, ops: OperationOptions): string[] | undefined {
  const list = readStringList(o, 'operations', (key) => `${place}.${key}`, add, false);
  if (!list) return undefined;
  const out: string[] = [];
  list.forEach((name, i) => {
    const op = reportProblems(`${place}.operations[${i}]`, add, () => resolveOperation(metric, name, ops));
    if (op !== undefined) out.push(op);
  });
  return out.length === list.length ? [...new Set(out)] : undefined;
}

/** What counts as an error follows the metric: "errors" applies only to status classes and codes; a metric without errors has no error rate. */
function checkErrorKind(rule: Rule, metric: MetricDef, defaults: Obj, add: Add): void {
  const { raw, place, pick } = rule;
  const given = pick('errors');
  if (given !== undefined && metric.errors.kind !== 'status') {
    reportProblems(raw.errors !== undefined ? `${place}.errors` : 'defaults.errors', add, () => errorsFor(metric, given, '"errors"'));
  }
  if (metric.errors.kind === 'none' && (raw.maxErrorRate ?? defaults.maxErrorRate) !== undefined) {
    add(
      raw.maxErrorRate !== undefined ? `${place}.maxErrorRate` : place,
      noErrorRateProblem(metric, '"maxErrorRate"')!.replace(/--min-total or --max-total/, '"minTotal" or "maxTotal"'),
    );
  }
}

/** The rule's change rules and the baseline they compare with; each without the other is a problem. */
function changeRules(rule: Rule, metric: MetricDef | undefined, setting: RuleSetting, add: Add): ChangeRules | undefined {
  const { raw, place, own, pick } = rule;
  const { defaults, defaultFields, options } = setting;
  const ownBaseline = raw.baseline !== undefined || raw.baselineStart !== undefined || raw.baselineEnd !== undefined;
  const baseline = ownBaseline ? own.baseline : (options.baseline ?? defaultFields.baseline);
  const changeKeys = CHANGE_KINDS.filter((k) => pick(k) !== undefined);
  const anyBaselineGiven = ownBaseline || options.baseline !== undefined || ['baseline', 'baselineStart', 'baselineEnd'].some((k) => defaults[k] !== undefined);
  if (changeKeys.length > 0 && !anyBaselineGiven) {
    add(place, `"${changeKeys[0]}" compares with a baseline: give "baseline": "7d" (or "baselineStart" and "baselineEnd"), or --baseline`);
  }
  if (ownBaseline && changeKeys.length === 0) {
    add(place, '"baseline" needs a rule on change: give maxErrorRateIncrease, maxErrorRateRatio, maxTrafficDrop or maxTrafficRise');
  }
  if (metric && metric.errors.kind === 'none') {
    for (const k of ['maxErrorRateIncrease', 'maxErrorRateRatio'] as const) {
      if (pick(k) === undefined) continue;
      add(
        raw[k] !== undefined ? `${place}.${k}` : place,
        noErrorRateProblem(metric, `"${k}"`)!.replace(/--min-total or --max-total/, '"maxTrafficDrop" or "maxTrafficRise"'),
      );
    }
  }
  if (!baseline || changeKeys.length === 0) return undefined;
  let change: ChangeRules = { baseline, confidence: pick('confidence') ?? options.confidence ?? DEFAULT_CONFIDENCE };
  for (const k of changeKeys) change = { ...change, [k]: pick(k) };
  return change;
}

/** perOperation needs maxErrorRate; minTotal above maxTotal lets nothing pass. */
function checkTotals(rule: Rule, defaults: Obj, add: Add): void {
  const { raw, place, pick } = rule;
  if ((pick('perOperation') ?? false) && raw.maxErrorRate === undefined && defaults.maxErrorRate === undefined) {
    add(`${place}.perOperation`, 'applies maxErrorRate to each operation: give maxErrorRate too');
  }
  const minTotal = pick('minTotal');
  const maxTotal = pick('maxTotal');
  if (minTotal !== undefined && maxTotal !== undefined && minTotal > maxTotal) {
    add(place, `minTotal ${minTotal} is above maxTotal ${maxTotal}: no request count can pass`);
  }
}

/** The rule's name (its own, else its metric and operations), which no other rule of the file may have. */
function ruleName(rule: Rule, metric: MetricDef | undefined, filters: readonly DimensionFilter[], names: Map<string, string>, add: Add): string | undefined {
  const { raw, place } = rule;
  let name: string | undefined;
  if (raw.name !== undefined) {
    if (typeof raw.name === 'string' && raw.name.trim() !== '') name = raw.name.trim();
    else add(`${place}.name`, `expected a non-empty string, found ${found(raw.name)}`);
  } else if (metric) name = defaultRuleName(metric, filters);
  if (name === undefined) return undefined;
  const seen = names.get(name);
  if (seen === undefined) names.set(name, place);
  else {
    const hint = raw.name === undefined ? '; give each rule a "name"' : '';
    add(raw.name === undefined ? place : `${place}.name`, `duplicate rule name "${name}" (${seen} has it too)${hint}`);
  }
  return name;
}

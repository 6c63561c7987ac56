/**
 * Which series count as errors, following the metric's own error rule (catalog data): a status class
 * or code for requests and callback events, a dimension value for email delivery, nothing for user
 * engagement. Also the series that count towards a metric's second rate (email bounces).
 */
import { normalizeName } from '../catalog/names.js';
import type { MetricDef } from '../catalog/types.js';
import type { ErrorDefinition } from './model.js';

export interface StatusDims {
  readonly kind: MetricDef['errors']['kind'];
  /** REST names (lower-cased) of the metric's status class and status code dimensions. */
  readonly classKey: string | undefined;
  readonly codeKey: string | undefined;
  /** Value rule: the dimension (lower-cased REST name) and the values that are errors. */
  readonly valueKey?: string;
  readonly values?: readonly string[];
  /** Status rule fallback: an event whose value of this dimension ends with `suffix` failed. */
  readonly suffixKey?: string;
  readonly suffix?: string;
  /** The metric's default error classes (the fallback applies only to the default definition). */
  readonly defaultClasses: readonly string[];
}

const restKey = (metric: MetricDef, name: string): string | undefined => metric.dimensions.find((d) => d.name === name)?.rest.toLowerCase();

export function statusDims(metric: MetricDef): StatusDims {
  const rule = metric.errors;
  switch (rule.kind) {
    case 'status':
      return {
        kind: 'status',
        classKey: restKey(metric, rule.classDimension),
        codeKey: restKey(metric, rule.codeDimension),
        ...(rule.failedSuffix ? { suffixKey: restKey(metric, rule.failedSuffix.dimension), suffix: rule.failedSuffix.suffix } : {}),
        defaultClasses: rule.classes,
      };
    case 'value':
      return { kind: 'value', classKey: undefined, codeKey: undefined, valueKey: restKey(metric, rule.dimension), values: rule.values, defaultClasses: [] };
    default:
      return { kind: 'none', classKey: undefined, codeKey: undefined, defaultClasses: [] };
  }
}

/** The metric's own error definition, when the user gives no --errors. */
export function defaultErrors(metric: MetricDef): ErrorDefinition {
  const rule = metric.errors;
  if (rule.kind === 'status') return { classes: [...rule.classes], codes: [] };
  if (rule.kind === 'value') return { classes: [], codes: [], values: [...rule.values] };
  return { classes: [], codes: [] };
}

const sameSet = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && a.every((x) => b.includes(x));

/**
 * True/false when the series' dimensions tell whether its requests are errors; undefined when they
 * do not (no status dimension in the data, or a metric without an error rate). A status code listed
 * in the definition is an error; so is a status class listed (taken from the class dimension, or
 * from the code's first digit).
 */
export function isErrorSeries(dims: Readonly<Record<string, string>>, status: StatusDims, def: ErrorDefinition): boolean | undefined {
  if (status.kind === 'none') return undefined;
  if (status.kind === 'value') {
    const v = status.valueKey !== undefined ? dims[status.valueKey] : undefined;
    if (v === undefined) return undefined;
    const wanted = (def.values ?? status.values ?? []).map(normalizeName);
    return wanted.includes(normalizeName(v));
  }
  const code = status.codeKey !== undefined ? dims[status.codeKey]?.trim() : undefined;
  const cls = status.classKey !== undefined ? dims[status.classKey]?.trim().toLowerCase() : undefined;
  if (def.codes.length > 0) {
    if (code === undefined) return undefined;
    if (def.codes.includes(code)) return true;
  }
  const derived = cls ?? (code !== undefined && /^\d{3}$/.test(code) ? `${code[0]}xx` : undefined);
  if (derived === undefined) {
    if (def.classes.length === 0) return false;
    // Callbacks without CodeClass or Code: the event type says it ("...PlayFailed"), default definition only.
    const name = status.suffixKey !== undefined ? dims[status.suffixKey] : undefined;
    if (name !== undefined && def.codes.length === 0 && sameSet(def.classes, status.defaultClasses)) {
      return name.trim().endsWith(status.suffix!);
    }
    return undefined;
  }
  return def.classes.includes(derived);
}

/** REST key (lower-cased) and values of the metric's second rate; undefined when it has none. */
export function secondaryDims(metric: MetricDef): { readonly key: string; readonly values: readonly string[] } | undefined {
  const rate = metric.secondaryRate;
  if (!rate) return undefined;
  const key = restKey(metric, rate.dimension);
  return key === undefined ? undefined : { key, values: rate.values.map(normalizeName) };
}

/** Whether a series counts towards the second rate; undefined when its dimensions do not tell. */
export function isSecondarySeries(
  dims: Readonly<Record<string, string>>,
  sec: { readonly key: string; readonly values: readonly string[] },
): boolean | undefined {
  const v = dims[sec.key];
  return v === undefined ? undefined : sec.values.includes(normalizeName(v));
}

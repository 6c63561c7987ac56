/** Which requests count as errors, from a series' status dimensions. */
import type { MetricDef } from '../catalog/types.js';
import type { ErrorDefinition } from './model.js';

export interface StatusDims {
  /** REST names (lower-cased) of the metric's status class and status code dimensions. */
  readonly classKey: string | undefined;
  readonly codeKey: string | undefined;
}

export function statusDims(metric: MetricDef): StatusDims {
  const find = (name: string) => metric.dimensions.find((d) => d.name === name)?.rest.toLowerCase();
  return { classKey: find('StatusSubClass'), codeKey: find('StatusCode') };
}

/**
 * True/false when the series' dimensions tell whether its requests are errors; undefined when they
 * do not (no status dimension in the data). A status code listed in the definition is an error; so is
 * a status class listed (taken from the class dimension, or from the code's first digit).
 */
export function isErrorSeries(dims: Readonly<Record<string, string>>, status: StatusDims, def: ErrorDefinition): boolean | undefined {
  const code = status.codeKey !== undefined ? dims[status.codeKey]?.trim() : undefined;
  const cls = status.classKey !== undefined ? dims[status.classKey]?.trim().toLowerCase() : undefined;
  if (def.codes.length > 0) {
    if (code === undefined) return undefined;
    if (def.codes.includes(code)) return true;
  }
  const derived = cls ?? (code !== undefined && /^\d{3}$/.test(code) ? `${code[0]}xx` : undefined);
  if (derived === undefined) return def.classes.length === 0 ? false : undefined;
  return def.classes.includes(derived);
}

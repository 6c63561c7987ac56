/**
 * Saved files hold the metrics someone fetched (an export writes the current ones, a --save the
 * queried ones): a metric the files do not hold at all is "not in the data", said in one note, never
 * a failed fetch. A metric the files hold as failed (errorCode) stays a failure.
 */
import type { MetricDef } from '../catalog/types.js';
import type { MetricData } from '../core/model.js';

export interface Presence {
  readonly held: MetricDef[];
  readonly absent: MetricDef[];
}

/**
 * The wanted metrics the data holds (ok or failed) and those it does not hold at all. With --metric
 * all (`all`), a legacy metric is wanted only if the files hold it: its absence is not news.
 */
export function metricsInFiles(wanted: readonly MetricDef[], data: readonly MetricData[], all = false): Presence {
  const names = new Set(data.map((m) => m.name.toLowerCase()));
  const held = wanted.filter((m) => names.has(m.rest.toLowerCase()));
  return { held, absent: wanted.filter((m) => !held.includes(m) && !(all && m.legacy)) };
}

/** The note for the metrics the files do not hold, as `usage` says it; undefined when none. */
export function absentNote(absent: readonly MetricDef[], what: string): string | undefined {
  if (absent.length === 0) return undefined;
  return `no ${absent.map((m) => `${m.alias} (${m.rest})`).join(', ')} data in the files: ${what}`;
}

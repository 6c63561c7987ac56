/**
 * Data of many resources (a batch body, live or saved): which resources it holds, and which of them
 * failed for which metric. A failed resource's metric carries errorCode/errorMessage in the data (see
 * sources/azure/estate-source.ts), so live runs and replays of --save files see the same failures. Pure.
 */
import { resourceName } from '../catalog/resource.js';
import type { MetricData } from './model.js';

export interface ResourceFailure {
  /** The resource id as the data spells it. */
  readonly resourceId: string;
  /** REST metric name. */
  readonly metric: string;
  /** "ResourceNotFound: resource not found (HTTP 404 ResourceNotFound)". */
  readonly message: string;
}

const key = (id: string): string => id.replace(/^\//, '').toLowerCase();

/**
 * The resources in the data, in id order (case ignored, then code units: the same whatever order the
 * data was read in, e.g. a json export's files or a Parquet archive's); ids as spelled where first
 * seen. metric: only for this REST metric.
 */
export function dataResources(metrics: readonly MetricData[], metric?: string): string[] {
  const seen = new Map<string, string>();
  for (const m of metrics) {
    if (m.resourceId === undefined || (metric !== undefined && m.name.toLowerCase() !== metric.toLowerCase())) continue;
    if (!seen.has(key(m.resourceId))) seen.set(key(m.resourceId), m.resourceId);
  }
  return [...seen].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, id]) => id);
}

/** Every (resource, metric) whose data failed and that no other data of the same pair answers. */
export function resourceFailures(metrics: readonly MetricData[]): ResourceFailure[] {
  const ok = new Set<string>();
  for (const m of metrics) if (m.errorCode === undefined && m.resourceId !== undefined) ok.add(`${key(m.resourceId)}|${m.name.toLowerCase()}`);
  const out = new Map<string, ResourceFailure>();
  for (const m of metrics) {
    if (m.errorCode === undefined || m.resourceId === undefined) continue;
    const k = `${key(m.resourceId)}|${m.name.toLowerCase()}`;
    if (ok.has(k) || out.has(k)) continue;
    out.set(k, { resourceId: m.resourceId, metric: m.name, message: m.errorMessage ? `${m.errorCode}: ${m.errorMessage}` : m.errorCode });
  }
  return [...out.values()];
}

/** The failure of a resource for a metric, if any. */
export function failureOf(failures: readonly ResourceFailure[], resourceId: string, metric: string): ResourceFailure | undefined {
  let index = failureIndex.get(failures);
  if (!index) {
    index = new Map();
    for (const f of failures) {
      const k = `${key(f.resourceId)}|${f.metric.toLowerCase()}`;
      if (!index.has(k)) index.set(k, f);
    }
    failureIndex.set(failures, index);
  }
  return index.get(`${key(resourceId)}|${metric.toLowerCase()}`);
}

/** failureOf's index per list (status asks once per resource and metric). */
const failureIndex = new WeakMap<readonly ResourceFailure[], Map<string, ResourceFailure>>();

/** One stderr line per failed resource (its metrics together). */
export function failureNotes(failures: readonly ResourceFailure[]): string[] {
  const byResource = new Map<string, ResourceFailure[]>();
  for (const f of failures) byResource.set(key(f.resourceId), [...(byResource.get(key(f.resourceId)) ?? []), f]);
  return [...byResource.values()].map((list) => {
    const messages = [...new Set(list.map((f) => f.message))];
    const what = list.length === 1 ? list[0]!.metric : `${list.length} metrics`;
    return `${resourceName(list[0]!.resourceId)} (${list[0]!.resourceId}): no data for ${what}: ${messages.join('; ')}; the results are partial`;
  });
}

/** How many resources of the data failed (for this REST metric, or any), of how many it holds. */
export function shortfall(metrics: readonly MetricData[], metric?: string): { failed: number; of: number } {
  const failures = resourceFailures(metrics).filter((f) => metric === undefined || f.metric.toLowerCase() === metric.toLowerCase());
  return { failed: new Set(failures.map((f) => key(f.resourceId))).size, of: dataResources(metrics, metric).length };
}

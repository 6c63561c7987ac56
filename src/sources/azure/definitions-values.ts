/**
 * The operation-like values a resource really emits (Operation, OperationName, EventTypeName,
 * MessageStatus, EngagementType) compared with the catalog: values the catalog does not know, and
 * catalog entries never seen in the window. Pure: the command fetches, this compares.
 */
import { BAD_ROUTE_OPERATION } from '../../catalog/metrics.js';
import { normalizeName } from '../../catalog/names.js';
import { hasBadRoute } from '../../catalog/resolve.js';
import type { MetricDef } from '../../catalog/types.js';

export interface SeenValue {
  readonly value: string;
  /** Events or requests over the window; null when the data has no count. */
  readonly count: number | null;
  /** In the catalog (its operation list, or "Bad Route" for request metrics). */
  readonly known: boolean;
}

export interface ValuesComparison {
  readonly metric: MetricDef;
  /** User-facing name of the dimension (Operation, EventTypeName...). */
  readonly dimension: string;
  /** Every value seen, most frequent first. */
  readonly seen: readonly SeenValue[];
  /** Values seen that the catalog does not list (empty when the metric has no documented list). */
  readonly unknown: readonly string[];
  /** Catalog entries not seen in the window. */
  readonly neverSeen: readonly string[];
}

export function compareValues(metric: MetricDef, dimension: string, seen: ReadonlyArray<{ value: string; count: number | null }>): ValuesComparison {
  const catalog = metric.operations.map((o) => o.name);
  const known = new Set([...catalog, ...(hasBadRoute(metric) ? [BAD_ROUTE_OPERATION] : [])].map(normalizeName));
  const rows = seen
    .filter((s) => s.value !== '')
    .map((s) => ({ value: s.value, count: s.count, known: metric.operationsDocumented ? known.has(normalizeName(s.value)) : false }))
    .sort((a, b) => (b.count ?? -1) - (a.count ?? -1) || a.value.localeCompare(b.value, 'en'));
  const seenKeys = new Set(rows.map((r) => normalizeName(r.value)));
  return {
    metric,
    dimension,
    seen: rows,
    unknown: rows.filter((r) => !r.known).map((r) => r.value),
    neverSeen: catalog.filter((name) => !seenKeys.has(normalizeName(name))),
  };
}

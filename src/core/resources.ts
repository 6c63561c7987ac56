/**
 * Data of several resources in one query (a batch body, or files of different resources) is never
 * merged silently. Pure: given a query and its deduplicated data (series tagged with their resource,
 * core/dedupe.ts), returns the query to run:
 *
 * - Resource filters name resources by name or full id; they are turned into the full ids in the data
 *   (a name that matches none is a DataError listing the resources the data holds);
 * - when the data holds several resources and the query neither splits nor filters by Resource: a
 *   default split (Operation) becomes Resource, Operation; a split the user chose is kept, and a note
 *   says that the totals combine the resources.
 */
import { normalizeName } from '../catalog/names.js';
import { isResourceDimension, RESOURCE_DIMENSION, RESOURCE_KEY, resourceName } from '../catalog/resource.js';
import { DataError } from '../errors.js';
import type { DimensionFilter, MetricData, Query } from './model.js';
import { fewNames } from './few.js';

/** How a resource is shown in notes: its name, or "(unknown)" when the data does not say. */
const shown = (id: string): string => (id === '' ? '(unknown)' : resourceName(id));

export function resourceQuery(query: Query, metrics: readonly MetricData[], notes: string[]): Query {
  const ids: string[] = [];
  const seen = new Set<string>();
  for (const m of metrics) {
    for (const s of m.series) {
      const id = s.dimensions[RESOURCE_KEY] ?? '';
      if (!seen.has(id)) {
        seen.add(id);
        ids.push(id);
      }
    }
  }

  let filtered = false;
  const filters = query.filters.map((f): DimensionFilter => {
    if (!isResourceDimension(f.dimension)) return f;
    filtered = true;
    return { dimension: f.dimension, values: f.values.flatMap((v) => matchResource(v, ids, query)) };
  });

  const split = query.splitBy.some(isResourceDimension);
  let splitBy = query.splitBy;
  if (ids.length > 1 && !split && !filtered) {
    if (query.defaultSplit) {
      splitBy = [RESOURCE_DIMENSION, ...query.splitBy];
    } else {
      const names = ids.map(shown);
      notes.push(
        `the totals combine ${ids.length} resources (${fewNames(names)}): add resource to --split-by, or filter with --resource-name, to see them apart`,
      );
    }
  }
  return filtered || splitBy !== query.splitBy ? { ...query, filters, splitBy } : query;
}

/** The full ids in the data that a --resource-name value names (by name or full id, any case). */
function matchResource(value: string, ids: readonly string[], query: Query): string[] {
  const key = normalizeName(value);
  const hits = ids.filter((id) => id !== '' && (normalizeName(id) === key || normalizeName(resourceName(id)) === key));
  if (hits.length > 0) return hits;
  const known = ids.filter((id) => id !== '').map(resourceName);
  throw new DataError(
    `no resource "${value}" in the ${query.metric.rest} data: ${known.length > 0 ? `it holds ${fewNames(known)}` : 'the data does not name its resource'}`,
  );
}

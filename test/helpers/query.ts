/** Query objects for tests, built from catalog names. */
import { resolveAggregation, resolveDimension, resolveMetric } from '../../src/catalog/resolve.js';
import { DEFAULT_ERRORS, type DimensionFilter, type Query } from '../../src/core/model.js';

const DAY = 86_400_000;

/** A count query of a metric over the last day, split by Operation unless `split` says otherwise. */
export function query(alias: string, over: Partial<Query> & { split?: string[]; agg?: string; where?: [string, string[]][] } = {}): Query {
  const metric = resolveMetric(alias);
  const filters: DimensionFilter[] = (over.where ?? []).map(([d, values]) => ({ dimension: resolveDimension(metric, d), values }));
  return {
    metric,
    aggregation: resolveAggregation(over.agg ?? 'count', metric),
    filters,
    splitBy: (over.split ?? ['Operation']).map((d) => resolveDimension(metric, d)),
    interval: { kind: 'auto' },
    range: { sinceMs: DAY },
    errors: DEFAULT_ERRORS,
    ...over,
  };
}

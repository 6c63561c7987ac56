/**
 * The parts of a status report from every resource's data at once: each metric's results over all of
 * it (a metric the data cannot give, a failed metric with why), the failures and the window: what
 * status does with files, --save and one resource (a live estate is streamed: status-stream.ts). Pure.
 */
import type { MetricDef } from '../catalog/types.js';
import { resourceFailures, shortfall } from './estate.js';
import type { Query, QueryResult } from './model.js';
import type { QueryData } from './run-query.js';
import { resultRows, statusResultsOrWhy } from './status.js';
import type { StatusParts } from './status-stream.js';

export type { StatusParts } from './status-stream.js';

/** `resources`: the selected resources as the report names them. */
export function statusParts(queries: readonly Query[], data: QueryData, resources: readonly string[]): StatusParts {
  const results: QueryResult[] = [];
  const failedMetrics: { metric: MetricDef; message: string }[] = [];
  for (const q of queries) {
    const told = statusResultsOrWhy(q, data);
    if ('why' in told) failedMetrics.push({ metric: q.metric, message: told.why });
    else results.push(...told.results);
  }
  return {
    resources,
    ...resultRows(results, failedMetrics),
    failedMetrics,
    failures: resourceFailures(data.metrics),
    window: results.length > 0 ? { start: results[0]!.start, end: results[0]!.end } : { start: 0, end: 0 },
    failedResources: shortfall(data.metrics).failed,
    hasResults: results.length > 0,
  };
}

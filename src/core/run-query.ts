/**
 * Applies a query to metric data, the same way for fixture files and live responses: select the
 * metric, filter by dimension values, collapse the dimensions not split by, re-bucket into the
 * query's interval within its window, total each series, count errors, and rank (--top).
 */
import type { DimensionDef, MetricDef } from '../catalog/types.js';
import { isResourceDimension, resourceName } from '../catalog/resource.js';
import { DataError } from '../errors.js';
import { dedupeMetric } from './dedupe.js';
import { dataResources, failureOf, resourceFailures } from './estate.js';
import { fewFiles } from './few.js';
import { groupSeries } from './group-series.js';
import type { MetricData, Query, QueryResult, RawSeries } from './model.js';
import { queryBuckets } from './query-window.js';
import { resourceQuery } from './resources.js';
import { shapeResult } from './shape-result.js';

export interface QueryData {
  readonly metrics: readonly MetricData[];
  /** "now" for live data; undefined for files (anchored on the end of their data). */
  readonly anchor?: number;
}

/** The metric data for one catalog metric: every matching MetricData, failures reported. */
export function selectMetric(metric: MetricDef, data: readonly MetricData[], notes: string[]): MetricData[] {
  const key = metric.rest.toLowerCase();
  const matching = data.filter((m) => m.name.toLowerCase() === key);
  if (matching.length === 0) {
    const origins = fewFiles(data.map((m) => m.origin)) || 'the data';
    const present = [...new Set(data.map((m) => m.name))];
    throw new DataError(
      `${origins}: no data for ${metric.alias} (${metric.rest})${present.length ? `; the data holds ${present.join(', ')}` : '; it holds no metrics'}`,
    );
  }
  const ok = matching.filter((m) => m.errorCode === undefined);
  const several = new Set(matching.map((m) => (m.resourceId ?? '').toLowerCase())).size > 1;
  for (const failed of matching.filter((m) => m.errorCode !== undefined)) {
    const what = several && failed.resourceId ? ` for ${resourceName(failed.resourceId)}` : '';
    const partial = several && ok.length > 0 ? '; the results are partial' : '';
    const line = `${failed.origin}: ${metric.rest} failed${what}: ${failed.errorCode}${failed.errorMessage ? `: ${failed.errorMessage}` : ''}${partial}`;
    if (ok.length === 0) throw new DataError(line);
    notes.push(line);
  }
  return ok;
}

/** Dimension names (user-facing) the query needs but no series of the data has. */
function missingDimensions(query: Query, series: readonly RawSeries[]): DimensionDef[] {
  const needed = [...query.filters.map((f) => f.dimension), ...query.splitBy];
  return needed.filter((d, i) => needed.indexOf(d) === i && !series.some((s) => d.rest.toLowerCase() in s.dimensions));
}

function describeDims(metric: MetricDef, series: readonly RawSeries[]): string {
  const keys = new Set(series.flatMap((s) => Object.keys(s.dimensions)));
  const names = metric.dimensions.filter((d) => keys.has(d.rest.toLowerCase())).map((d) => d.name);
  return names.length ? names.join(', ') : 'none';
}

/** Each resource of the metric's data with its failure, when the data holds several resources or one failed. */
function resourceList(metric: MetricDef, metrics: readonly MetricData[]): QueryResult['resources'] {
  const matching = metrics.filter((m) => m.name.toLowerCase() === metric.rest.toLowerCase());
  const ids = dataResources(matching);
  const failures = resourceFailures(matching);
  if (ids.length < 2 && failures.length === 0) return undefined;
  return ids.map((id) => {
    const f = failureOf(failures, id, metric.rest);
    return f ? { id, error: f.message } : { id };
  });
}

/**
 * The data a query reads: the metric's data, deduplicated, with the query adjusted to it (a resource
 * split over several resources; a default split the data lacks dropped, with a note). A dimension the
 * query filters or splits by that the data lacks is a data error.
 */
export function selectData(asked: Query, data: QueryData, notes: string[]): { query: Query; metrics: readonly MetricData[]; origin: string } {
  // The same points from two places count once; several resources are split or noted, never merged silently.
  const deduplicated = dedupeMetric(asked.metric, selectMetric(asked.metric, data.metrics, notes));
  notes.push(...deduplicated.notes);
  const metrics = deduplicated.metrics;
  let query = resourceQuery(asked, metrics, notes);
  const allSeries = metrics.flatMap((m) => m.series);
  const origin = fewFiles(metrics.map((m) => m.origin));
  if (allSeries.length === 0) return { query, metrics, origin };
  if (query.defaultSplit) {
    // The default split (Operation) on data saved without it (a plain `az monitor metrics list`):
    // one series, said once; a split the user asked for stays a data error below.
    const absent = query.splitBy.filter((d) => !isResourceDimension(d) && !allSeries.some((s) => d.rest.toLowerCase() in s.dimensions));
    if (absent.length > 0) {
      query = { ...query, splitBy: query.splitBy.filter((d) => !absent.includes(d)) };
      notes.push(`the ${query.metric.rest} data is not split by ${absent.map((d) => d.name).join(' or ')}: showing it as one series`);
    }
  }
  const missing = missingDimensions(query, allSeries);
  if (missing.length > 0) {
    const names = missing.map((d) => d.name).join(' and ');
    throw new DataError(
      `${origin}: the ${query.metric.rest} data is not split by ${names}, so the query cannot filter or split by it (the data's dimensions: ${describeDims(query.metric, allSeries)})`,
    );
  }
  return { query, metrics, origin };
}

/**
 * Runs a query on metric data, in four stages: select the data (selectData), lay the window and its
 * buckets (queryBuckets), add every point up in its group and bucket (groupSeries), and shape the
 * result (shapeResult). Notes gather along the way.
 */
export function runQuery(asked: Query, data: QueryData): QueryResult {
  const notes: string[] = [];
  const { query, metrics, origin } = selectData(asked, data, notes);
  const buckets = queryBuckets(query, metrics, data.anchor, origin, notes);
  const groups = groupSeries(query, metrics, buckets);
  const shaped = shapeResult(query, buckets, groups, { anchor: data.anchor, origin, notes });
  // A baseline (not cut to the data) carries what the data covers, for the comparison to check.
  const grid = buckets.grid;
  const result = grid && query.clipToData === false ? { ...shaped, dataCovers: { start: grid.start, end: grid.end } } : shaped;
  const resources = resourceList(asked.metric, data.metrics);
  return resources ? { resources, partial: resources.some((r) => r.error !== undefined), ...result } : result;
}

/**
 * Applies a query to metric data, the same way for fixture files and live responses: select the
 * metric, filter by dimension values, collapse the dimensions not split by, re-bucket into the
 * query's interval within its window, total each series, count errors, and rank (--top). runQuery
 * (at the end) is the pipeline; the select and fit stages are here, the others in their files.
 */
import type { DimensionDef, MetricDef } from '../catalog/types.js';
import { isResourceDimension, resourceName } from '../catalog/resource.js';
import { DataError } from '../errors.js';
import { dedupeMetric } from './dedupe.js';
import { dataResources, failureOf, resourceFailures } from './estate.js';
import { fewFiles } from './few.js';
import { groupSeries } from './group-series.js';
import type { MetricData, Query, QueryResult, RawSeries } from './model.js';
import { type QueryBuckets, queryBuckets } from './query-window.js';
import { resourceQuery } from './resources.js';
import { shapeResult } from './shape-result.js';

export interface QueryData {
  readonly metrics: readonly MetricData[];
  /** "now" for live data; undefined for files (anchored on the end of their data). */
  readonly anchor?: number;
}

/** What selectMetric says of a resource's failed data of a metric (`several`: the data holds several resources). */
export function failedLine(metric: MetricDef, failed: MetricData, several: boolean, partial: boolean): string {
  const what = several && failed.resourceId ? ` for ${resourceName(failed.resourceId)}` : '';
  return `${failed.origin}: ${metric.rest} failed${what}: ${failed.errorCode}${failed.errorMessage ? `: ${failed.errorMessage}` : ''}${partial ? '; the results are partial' : ''}`;
}

/** What selectMetric says when the data has no entry of the metric: the data's origins and metric names in its order. */
export function noDataLine(metric: MetricDef, origins: readonly string[], names: readonly string[]): string {
  const present = [...new Set(names)];
  return `${fewFiles(origins) || 'the data'}: no data for ${metric.alias} (${metric.rest})${present.length ? `; the data holds ${present.join(', ')}` : '; it holds no metrics'}`;
}

/** The metric data for one catalog metric: every matching MetricData, failures reported. */
export function selectMetric(metric: MetricDef, data: readonly MetricData[], notes: string[]): MetricData[] {
  const key = metric.rest.toLowerCase();
  const matching = data.filter((m) => m.name.toLowerCase() === key);
  if (matching.length === 0)
    throw new DataError(
      noDataLine(
        metric,
        data.map((m) => m.origin),
        data.map((m) => m.name),
      ),
    );
  const ok = matching.filter((m) => m.errorCode === undefined);
  const several = new Set(matching.map((m) => (m.resourceId ?? '').toLowerCase())).size > 1;
  for (const failed of matching.filter((m) => m.errorCode !== undefined)) {
    const line = failedLine(metric, failed, several, several && ok.length > 0);
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

/** The metric's data (selected), with the same points from two places counted once; several resources are split or noted, never merged silently. */
function dedupe(metric: MetricDef, selected: readonly MetricData[], notes: string[]): readonly MetricData[] {
  const deduplicated = dedupeMetric(metric, selected);
  notes.push(...deduplicated.notes);
  return deduplicated.metrics;
}

/**
 * The query fitted to its data: a resource split over several resources; a default split the data
 * lacks dropped, with a note. A dimension the query filters or splits by that the data lacks is a
 * data error. `origin` names the data's files for messages.
 */
function fitQuery(asked: Query, metrics: readonly MetricData[], notes: string[]): { query: Query; origin: string } {
  let query = resourceQuery(asked, metrics, notes);
  const allSeries = metrics.flatMap((m) => m.series);
  const origin = fewFiles(metrics.map((m) => m.origin));
  if (allSeries.length === 0) return { query, origin };
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
  return { query, origin };
}

/** The select, dedupe and fit stages together: what usage's sums (usage-sums.ts) read, as runQuery does. */
export function selectData(asked: Query, data: QueryData, notes: string[]): { query: Query; metrics: readonly MetricData[]; origin: string } {
  const metrics = dedupe(asked.metric, selectMetric(asked.metric, data.metrics, notes), notes);
  return { ...fitQuery(asked, metrics, notes), metrics };
}

/**
 * Runs a query on metric data, a pipeline of stages read top to bottom; notes gather along the way.
 *   select      the metric's data, failed resources noted              selectMetric
 *   dedupe      the same points from two places counted once           dedupe (dedupe.ts)
 *   fit         the query fitted to the dimensions the data has        fitQuery
 *   grid        the window and its buckets on the data's grid          queryBuckets (query-window.ts)
 *   accumulate  every point added up in its group and bucket           groupSeries (group-series.ts)
 *   shape       series totalled, errors counted, ranked (--top)        shapeResult (shape-result.ts)
 */
export function runQuery(asked: Query, data: QueryData): QueryResult {
  const notes: string[] = [];
  const selected = selectMetric(asked.metric, data.metrics, notes);
  const metrics = dedupe(asked.metric, selected, notes);
  const { query, origin } = fitQuery(asked, metrics, notes);
  const buckets = queryBuckets(query, metrics, data.anchor, origin, notes);
  const groups = groupSeries(query, metrics, buckets);
  const shaped = shapeResult(query, buckets, groups, { anchor: data.anchor, origin, notes });
  return withResources(withCoverage(shaped, query, buckets), asked.metric, data.metrics);
}

/** A baseline (not cut to the data) carries what the data covers, for the comparison to check. */
function withCoverage(result: QueryResult, query: Query, { grid }: QueryBuckets): QueryResult {
  return grid && query.clipToData === false ? { ...result, dataCovers: { start: grid.start, end: grid.end } } : result;
}

/** Each resource of the data, with its failure, when there are several or one failed. */
function withResources(result: QueryResult, metric: MetricDef, metrics: readonly MetricData[]): QueryResult {
  const resources = resourceList(metric, metrics);
  return resources ? { resources, partial: resources.some((r) => r.error !== undefined), ...result } : result;
}

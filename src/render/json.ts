/**
 * A query result as JSON for scripts. Schema version 1 (bump it on any incompatible change):
 *
 *   { schemaVersion, query: { metric, metricAlias, displayName, aggregation, interval, start, end,
 *     filters: { <dimension>: [values] }, splitBy: [dimensions], top, errors: <errorDefinitionJson>,
 *     lifecycle: { status: active|retiring|breaking|legacy, date } },
 *     series: [{ dimensions: { <dimension>: value }, total, requests, errors, errorRate,
 *                [bounces, bounceRate,] points: [{ timestamp, value }] }],
 *     total, requests, errors, errorRate, [bounces, bounceRate,] omittedSeries,
 *     [partial, resources: [{ id, name, error }]] }
 *
 * partial/resources: only when the data holds several resources (or one failed): error is the
 * resource's failure for this metric (null when it answered); partial is true when any failed.
 *
 * bounces/bounceRate: only for metrics with a second rate (email delivery).
 *
 * Dimensions are named as users type them (Operation, StatusCode, StatusSubClass, Resource); a
 * Resource value is the full resource id ("" when the data does not name it); aggregation is its
 * label (count, sum, average, min, max); times are ISO 8601 UTC from core/time.ts formatTime
 * (2026-01-07T13:00:00Z); null means no data (a missing point is null, never 0); errorRate is
 * errors / requests, null when either is null or requests is 0.
 */
import type { MetricDef } from '../catalog/types.js';
import type { ErrorDefinition, QueryResult } from '../core/model.js';
import { formatTime } from '../core/time.js';
import { ratioOf } from './format.js';
import { resourceName } from '../catalog/resource.js';

export const QUERY_SCHEMA_VERSION = 1;

export function renderJson(result: QueryResult): string {
  const q = result.query;
  const filters: Record<string, string[]> = {};
  for (const f of q.filters) (filters[f.dimension.name] ??= []).push(...f.values);
  const doc = {
    schemaVersion: QUERY_SCHEMA_VERSION,
    query: {
      metric: q.metric.rest,
      metricAlias: q.metric.alias,
      displayName: q.metric.displayName,
      aggregation: q.aggregation.label,
      interval: result.interval,
      start: formatTime(result.start),
      end: formatTime(result.end),
      filters,
      splitBy: q.splitBy.map((d) => d.name),
      top: q.top ?? null,
      errors: errorDefinitionJson(q.metric, q.errors),
      lifecycle: { status: q.metric.lifecycle.status, date: q.metric.lifecycle.date ?? null },
    },
    series: result.series.map((s) => ({
      dimensions: { ...s.dimensions },
      total: s.total,
      requests: s.requests,
      errors: s.errors,
      errorRate: ratioOf(s.errors, s.requests),
      ...secondaryJson(q.metric, s.secondary, s.requests),
      points: s.points.map((p) => ({ timestamp: formatTime(p.timestamp), value: p.value })),
    })),
    total: result.total,
    requests: result.requests,
    errors: result.errors,
    errorRate: ratioOf(result.errors, result.requests),
    ...secondaryJson(q.metric, result.secondary, result.requests),
    omittedSeries: result.omittedSeries,
    ...(result.resources
      ? { partial: result.partial === true, resources: result.resources.map((r) => ({ id: r.id, name: resourceName(r.id), error: r.error ?? null })) }
      : {}),
  };
  return `${jsonTerminalSafe(JSON.stringify(doc, null, 2))}\n`;
}

/**
 * What counted as an error, by the metric's rule: {basis: "status", dimensions, classes, codes}
 * (requests and callback events), {basis: "value", dimension, values} (email delivery), or
 * {basis: "none", classes: [], codes: []} (user engagement).
 */
export function errorDefinitionJson(metric: MetricDef, def: ErrorDefinition): object {
  const rule = metric.errors;
  if (rule.kind === 'value') return { basis: 'value', dimension: rule.dimension, values: [...(def.values ?? rule.values)] };
  if (rule.kind === 'none') return { basis: 'none', classes: [], codes: [] };
  return { basis: 'status', classDimension: rule.classDimension, codeDimension: rule.codeDimension, classes: [...def.classes], codes: [...def.codes] };
}

/** The second rate's count and rate ("bounces", "bounceRate"), for metrics that have one. */
function secondaryJson(metric: MetricDef, count: number | null | undefined, requests: number | null): Record<string, number | null> {
  const rate = metric.secondaryRate;
  if (!rate) return {};
  const n = count ?? null;
  return { [rate.key]: n, [rate.rateKey]: ratioOf(n, requests) };
}

/**
 * JSON.stringify escapes C0 controls but leaves DEL, C1 controls (U+009B is a one-character CSI),
 * line/paragraph separators and bidi overrides raw, which a terminal would act on. They can only be
 * inside strings, where \uXXXX means the same character: the document parses to the same values.
 */
 
const JSON_UNSAFE = /[\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
export const jsonTerminalSafe = (text: string): string => text.replace(JSON_UNSAFE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

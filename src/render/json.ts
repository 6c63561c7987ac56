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
import type { ErrorDefinition, QueryResult, ResultSeries } from '../core/model.js';
import { formatTime } from '../core/time.js';
import { ratioOf } from './format.js';
import { resourceName } from '../catalog/resource.js';
import { CHUNK_CHARS } from './chunks.js';

export const QUERY_SCHEMA_VERSION = 1;

/** Live runs' cost: the sum of the `cost` fields Azure's answers carried. */
export interface CostSum {
  readonly total: number;
  readonly answers: number;
}

/** The document as one string (tests and `compare`); `-o json` streams renderJsonChunks instead. */
export function renderJson(result: QueryResult, cost?: CostSum): string {
  return [...renderJsonChunks(result, cost)].join('');
}

/**
 * The document as JSON.stringify(doc, null, 2) writes it, byte for byte, in pieces of about 64 KB: the
 * head and the totals are stringified whole, each series' points are written as they are formatted,
 * so a month of minutes never becomes one string.
 */
export function* renderJsonChunks(result: QueryResult, cost?: CostSum): Generator<string> {
  const { head, tail } = documentEnds(result, cost);
  yield `{\n${members(head, '')},\n  "series": `;
  if (result.series.length === 0) yield '[]';
  else {
    yield '[\n';
    for (let i = 0; i < result.series.length; i++) {
      if (i > 0) yield ',\n';
      yield* seriesChunks(result.query.metric, result.series[i]!);
    }
    yield '\n  ]';
  }
  yield `,\n${members(tail, '')}\n}\n`;
}

/** The document's members before "series" (head) and after it (tail), as plain objects. */
export function documentEnds(result: QueryResult, cost?: CostSum): { head: object; tail: object } {
  const q = result.query;
  const filters: Record<string, string[]> = {};
  for (const f of q.filters) (filters[f.dimension.name] ??= []).push(...f.values);
  const head = {
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
  };
  const tail = {
    total: result.total,
    requests: result.requests,
    errors: result.errors,
    errorRate: ratioOf(result.errors, result.requests),
    ...secondaryJson(q.metric, result.secondary, result.requests),
    omittedSeries: result.omittedSeries,
    ...(result.resources
      ? { partial: result.partial === true, resources: result.resources.map((r) => ({ id: r.id, name: resourceName(r.id), error: r.error ?? null })) }
      : {}),
    ...(cost ? { cost } : {}),
  };
  return { head, tail };
}

/** A series' members before "points", as a plain object. */
export function seriesFields(metric: MetricDef, s: ResultSeries): object {
  return {
    dimensions: { ...s.dimensions },
    total: s.total,
    requests: s.requests,
    errors: s.errors,
    errorRate: ratioOf(s.errors, s.requests),
    ...secondaryJson(metric, s.secondary, s.requests),
  };
}

/** One series at depth 2 ("    {...}"), its points last and in pieces. */
function* seriesChunks(metric: MetricDef, s: ResultSeries): Generator<string> {
  const fields = seriesFields(metric, s);
  yield `    {\n${members(fields, '    ')},\n      "points": `;
  if (s.points.length === 0) {
    yield '[]\n    }';
    return;
  }
  let out = '[\n';
  for (let i = 0; i < s.points.length; i++) {
    const p = s.points[i]!;
    // formatTime gives ASCII without quotes or escapes; a value is a number or null.
    out += `${i > 0 ? ',\n' : ''}        {\n          "timestamp": "${formatTime(p.timestamp)}",\n          "value": ${jsonNumber(p.value)}\n        }`;
    if (out.length >= CHUNK_CHARS) {
      yield out;
      out = '';
    }
  }
  yield `${out}\n      ]\n    }`;
}

/** A number as JSON.stringify writes it (null for NaN and the infinities). */
const jsonNumber = (value: number | null): string => (value === null || !Number.isFinite(value) ? 'null' : String(value));

/**
 * The members of an object (non-empty) as JSON.stringify(obj, null, 2) writes them inside its
 * braces, each line indented by `indent` more: strings hold no raw line breaks, so every line break
 * is the layout's.
 */
function members(obj: object, indent: string): string {
  const text = jsonTerminalSafe(JSON.stringify(obj, null, 2));
  const inner = text.slice(2, -2);
  return indent === '' ? inner : indent + inner.replace(/\n/g, `\n${indent}`);
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

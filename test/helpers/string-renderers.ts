/**
 * The string renderers of -o json, csv and tsv as they were before output was streamed (commit
 * dc2d492, src/render/{json,csv,tsv}.ts), kept as the oracle of test/streamed-output.test.ts: the
 * streamed pieces must join to exactly these bytes.
 */
/* eslint-disable */
import type { QueryResult } from '../../src/core/model.js';
import { formatTime } from '../../src/core/time.js';
import { ratioOf, shownValue } from '../../src/render/format.js';
import { resourceName } from '../../src/catalog/resource.js';
import { errorDefinitionJson, jsonTerminalSafe, QUERY_SCHEMA_VERSION } from '../../src/render/json.js';
import { csvText } from '../../src/render/csv.js';
import { safeText } from '../../src/render/safe.js';
import type { MetricDef } from '../../src/catalog/types.js';

export function oldRenderJson(result: QueryResult): string {
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
function secondaryJson(metric: MetricDef, count: number | null | undefined, requests: number | null): Record<string, number | null> {
  const rate = metric.secondaryRate;
  if (!rate) return {};
  const n = count ?? null;
  return { [rate.key]: n, [rate.rateKey]: ratioOf(n, requests) };
}

const csvNumber = (value: number | null): string => (value === null || !Number.isFinite(value) ? '' : String(value));

export function oldRenderCsv(result: QueryResult): string {
  const dims = result.query.splitBy;
  const lines = [[...dims.map((d) => d.name), 'timestamp', 'value'].map(csvText).join(',')];
  for (const s of result.series) {
    // A resource by its name, like tables (JSON keeps the full id).
    const prefix = dims.map((d) => csvText(shownValue(d, s.dimensions[d.name] ?? '')));
    for (const p of s.points) lines.push([...prefix, formatTime(p.timestamp), csvNumber(p.value)].join(','));
  }
  return lines.map((l) => `${l}\r\n`).join('');
}

export function oldRenderTsv(result: QueryResult): string {
  const dims = result.query.splitBy;
  let out = '';
  for (const s of result.series) {
    const prefix = dims.map((d) => safeText(shownValue(d, s.dimensions[d.name] ?? '')));
    for (const p of s.points) {
      const value = p.value === null || !Number.isFinite(p.value) ? '' : String(p.value);
      out += `${[...prefix, formatTime(p.timestamp), value].join('\t')}\n`;
    }
  }
  return out;
}

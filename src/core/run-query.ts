/**
 * Applies a query to metric data, the same way for fixture files and live responses: select the
 * metric, filter by dimension values, collapse the dimensions not split by, re-bucket into the
 * query's interval within its window, total each series, count errors, and rank (--top).
 */
import { normalizeName } from '../catalog/names.js';
import type { DimensionDef, MetricDef } from '../catalog/types.js';
import { DataError } from '../errors.js';
import { Accumulator } from './accumulate.js';
import { isErrorSeries, isSecondarySeries, secondaryDims, statusDims } from './classify.js';
import { humanDuration, toIsoDuration } from './duration.js';
import type { MetricData, Query, QueryResult, RawSeries, ResultSeries } from './model.js';
import { pointColumns, pointCount, type PointValues, timestampAt } from './points.js';
import { formatTime } from './time.js';
import { chooseIntervalMs, resolveWindow, type Window } from './window.js';

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
    const origins = [...new Set(data.map((m) => m.origin))].join(', ') || 'the data';
    const present = [...new Set(data.map((m) => m.name))];
    throw new DataError(
      `${origins}: no data for ${metric.alias} (${metric.rest})${present.length ? `; the data holds ${present.join(', ')}` : '; it holds no metrics'}`,
    );
  }
  const ok = matching.filter((m) => m.errorCode === undefined);
  for (const failed of matching.filter((m) => m.errorCode !== undefined)) {
    const line = `${failed.origin}: ${metric.rest} failed: ${failed.errorCode}${failed.errorMessage ? `: ${failed.errorMessage}` : ''}`;
    if (ok.length === 0) throw new DataError(line);
    notes.push(line);
  }
  return ok;
}

/** The data's own bucket size: the response's interval, else the smallest step between timestamps. */
function nativeInterval(metrics: readonly MetricData[]): number | null {
  const declared = metrics.map((m) => m.intervalMs).filter((v): v is number => v !== null);
  if (declared.length > 0) return Math.min(...declared);
  if (metrics.some((m) => m.interval?.toUpperCase() === 'FULL')) return null;
  let step = Number.POSITIVE_INFINITY;
  for (const m of metrics) {
    for (const s of m.series) {
      const n = pointCount(s);
      for (let i = 1; i < n; i++) {
        const d = timestampAt(s, i) - timestampAt(s, i - 1);
        if (d > 0 && d < step) step = d;
      }
    }
  }
  return Number.isFinite(step) ? step : null;
}

/** The first and last-plus-one-bucket instants of the data (the timespan when given). */
function extentOf(metrics: readonly MetricData[], nativeMs: number | null): Window | undefined {
  let start = Number.POSITIVE_INFINITY;
  let end = Number.NEGATIVE_INFINITY;
  for (const m of metrics) {
    if (m.start !== undefined) start = Math.min(start, m.start);
    if (m.end !== undefined) end = Math.max(end, m.end);
    for (const s of m.series) {
      const n = pointCount(s);
      if (n === 0) continue;
      start = Math.min(start, timestampAt(s, 0));
      // Without a known grain, the last point still covers its minute (the finest Azure grain).
      end = Math.max(end, timestampAt(s, n - 1) + (nativeMs ?? 60_000));
    }
  }
  return Number.isFinite(start) && Number.isFinite(end) ? { start, end } : undefined;
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

export function runQuery(query: Query, data: QueryData): QueryResult {
  const notes: string[] = [];
  const metrics = selectMetric(query.metric, data.metrics, notes);
  const allSeries = metrics.flatMap((m) => m.series);
  const origin = [...new Set(metrics.map((m) => m.origin))].join(', ');

  if (allSeries.length > 0) {
    const missing = missingDimensions(query, allSeries);
    if (missing.length > 0) {
      const names = missing.map((d) => d.name).join(' and ');
      throw new DataError(
        `${origin}: the ${query.metric.rest} data is not split by ${names}, so the query cannot filter or split by it (the data's dimensions: ${describeDims(query.metric, allSeries)})`,
      );
    }
  }

  const nativeMs = nativeInterval(metrics);
  const extent = extentOf(metrics, nativeMs);
  const anchor = data.anchor ?? extent?.end ?? 0;
  const window = resolveWindow(query.range, anchor, extent);
  if (window.end <= window.start) {
    throw new DataError(`empty window: ${formatTime(window.start)} is not before ${formatTime(window.end)}`);
  }

  let intervalMs = chooseIntervalMs(query.interval, window, nativeMs);
  if (nativeMs === null && intervalMs !== null && allSeries.some((s) => pointCount(s) > 0)) {
    notes.push(`the data holds one value per series for its whole timespan (FULL); showing one bucket`);
    intervalMs = null;
  }
  if (intervalMs !== null && nativeMs !== null && query.interval.kind === 'fixed') {
    if (intervalMs < nativeMs || intervalMs % nativeMs !== 0) {
      throw new DataError(
        `--interval ${toIsoDuration(intervalMs)} does not fit the data's ${toIsoDuration(nativeMs)} buckets: use ${toIsoDuration(nativeMs)} or a multiple of it`,
      );
    }
  }
  const span = window.end - window.start;
  const buckets = intervalMs === null ? 1 : Math.ceil(span / intervalMs);
  const timestamps = Array.from({ length: buckets }, (_, k) => window.start + k * (intervalMs ?? 0));

  // Filters compare ignoring case, spaces, hyphens and underscores, like catalog names.
  const filters = query.filters.map((f) => ({ key: f.dimension.rest.toLowerCase(), values: new Set(f.values.map(normalizeName)) }));
  const splitKeys = query.splitBy.map((d) => d.rest.toLowerCase());
  const status = statusDims(query.metric);
  // The metric's second rate (email bounces), counted like errors.
  const second = secondaryDims(query.metric);

  interface Group {
    readonly dims: Record<string, string>;
    readonly acc: Accumulator;
    readonly errors: Accumulator;
    classified: boolean;
    readonly second: Accumulator;
    secondKnown: boolean;
  }
  const groups = new Map<string, Group>();
  const grand = new Accumulator(buckets);
  const grandErrors = new Accumulator(buckets);
  let unclassified = false;
  const grandSecond = new Accumulator(buckets);
  let secondKnown = second !== undefined;

  for (const series of allSeries) {
    if (!filters.every((f) => f.values.has(normalizeName(series.dimensions[f.key] ?? '')))) continue;
    const values = splitKeys.map((k) => series.dimensions[k] ?? '');
    const key = JSON.stringify(values);
    let group = groups.get(key);
    if (!group) {
      const dims: Record<string, string> = {};
      query.splitBy.forEach((d, i) => (dims[d.name] = values[i]!));
      group = { dims, acc: new Accumulator(buckets), errors: new Accumulator(buckets), classified: true, second: new Accumulator(buckets), secondKnown: true };
      groups.set(key, group);
    }
    const isError = isErrorSeries(series.dimensions, status, query.errors);
    if (isError === undefined) {
      group.classified = false;
      unclassified = true;
    }
    const isSecond = second ? isSecondarySeries(series.dimensions, second) : false;
    if (isSecond === undefined) group.secondKnown = secondKnown = false;
    const acc = group.acc;
    const errs = group.errors;
    const secs = group.second;
    const take = (t: number, p: PointValues): void => {
      if (t < window.start || t >= window.end) return;
      const b = intervalMs === null ? 0 : Math.floor((t - window.start) / intervalMs);
      acc.add(b, p);
      grand.add(b, p);
      if (isError) {
        errs.add(b, p);
        grandErrors.add(b, p);
      }
      if (isSecond) {
        secs.add(b, p);
        grandSecond.add(b, p);
      }
    };
    const columns = pointColumns(series);
    if (columns) {
      // Parsed files: the timestamps column and the parsed data objects, no point objects.
      const { timestamps, values } = columns;
      for (let k = 0; k < timestamps.length; k++) take(timestamps[k]!, values[k]!);
    } else {
      for (const p of series.points) take(p.timestamp, p);
    }
  }

  const agg = query.aggregation.key;
  const errorCount = (errors: Accumulator, classified: boolean, requests: number | null) =>
    !classified || requests === null ? null : (errors.requests() ?? 0);
  let series: ResultSeries[] = [...groups.values()].map((g) => {
    const requests = g.acc.requests();
    return {
      dimensions: g.dims,
      points: timestamps.map((timestamp, i) => ({ timestamp, value: g.acc.value(i, agg) })),
      total: g.acc.overall(agg),
      requests,
      errors: errorCount(g.errors, g.classified, requests),
      ...(second ? { secondary: errorCount(g.second, g.secondKnown, requests) } : {}),
    };
  });
  series.sort(
    (a, b) =>
      (b.total ?? Number.NEGATIVE_INFINITY) - (a.total ?? Number.NEGATIVE_INFINITY) ||
      Object.values(a.dimensions).join('\u0000').localeCompare(Object.values(b.dimensions).join('\u0000')),
  );

  let omittedSeries = 0;
  if (query.top !== undefined && series.length > query.top) {
    omittedSeries = series.length - query.top;
    series = series.slice(0, query.top);
    notes.push(`${omittedSeries} series left out by --top ${query.top} (the totals include them)`);
  }

  if (intervalMs !== null && extent && timestamps.length > 0) {
    const lastEnd = timestamps[timestamps.length - 1]! + intervalMs;
    if (data.anchor !== undefined && lastEnd > data.anchor - 5 * 60_000 && window.end > data.anchor - 5 * 60_000) {
      notes.push(`the last bucket (${formatTime(timestamps[timestamps.length - 1]!)}) may be incomplete: Azure Monitor data arrives a few minutes late`);
    } else if (data.anchor === undefined && lastEnd > extent.end && window.end > extent.end) {
      notes.push(`the last bucket (${formatTime(timestamps[timestamps.length - 1]!)}) is partial: the data ends at ${formatTime(extent.end)}`);
    }
  }
  if (intervalMs !== null && span % intervalMs !== 0) {
    notes.push(`the window (${humanDuration(span)}) is not a whole number of ${toIsoDuration(intervalMs)} buckets; the last bucket is shorter`);
  }
  if (unclassified && query.errors.codes.length > 0) {
    notes.push(`error rates need a StatusCode split in the data to recognise ${query.errors.codes.join(', ')}`);
  }

  const requests = grand.requests();
  return {
    query,
    intervalMs,
    interval: intervalMs === null ? 'FULL' : toIsoDuration(intervalMs),
    start: window.start,
    end: window.end,
    timestamps,
    series,
    total: grand.overall(agg),
    requests,
    errors: unclassified || requests === null ? null : (grandErrors.requests() ?? 0),
    ...(second ? { secondary: errorCount(grandSecond, secondKnown, requests) } : {}),
    omittedSeries,
    notes,
  };
}

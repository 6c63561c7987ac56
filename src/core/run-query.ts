/**
 * Applies a query to metric data, the same way for fixture files and live responses: select the
 * metric, filter by dimension values, collapse the dimensions not split by, re-bucket into the
 * query's interval within its window, total each series, count errors, and rank (--top).
 */
import { normalizeName } from '../catalog/names.js';
import type { DimensionDef, MetricDef } from '../catalog/types.js';
import { DataError, UsageError } from '../errors.js';
import { Accumulator } from './accumulate.js';
import { dedupeMetric } from './dedupe.js';
import { isErrorSeries, isSecondarySeries, secondaryDims, statusDims } from './classify.js';
import { toIsoDuration } from './duration.js';
import type { MetricData, Query, QueryResult, RawSeries, ResultSeries } from './model.js';
import { IndexedColumns, pointColumns, type PointValues } from './points.js';
import { resourceQuery } from './resources.js';
import { formatTime } from './time.js';
import { isResourceDimension, resourceName } from '../catalog/resource.js';
import { dataResources, failureOf, resourceFailures } from './estate.js';
import { clipToData, dataGrid, floorToMinutes, offGridError, snapToGrid, tooManyBuckets } from './grid.js';
import { chooseIntervalMs, MAX_BUCKETS, resolveWindow } from './window.js';

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

export function runQuery(asked: Query, data: QueryData): QueryResult {
  const notes: string[] = [];
  // The same points from two places count once; several resources are split or noted, never merged silently.
  const deduplicated = dedupeMetric(asked.metric, selectMetric(asked.metric, data.metrics, notes));
  notes.push(...deduplicated.notes);
  const metrics = deduplicated.metrics;
  let query = resourceQuery(asked, metrics, notes);
  const allSeries = metrics.flatMap((m) => m.series);
  const origin = [...new Set(metrics.map((m) => m.origin))].join(', ');

  if (query.defaultSplit && allSeries.length > 0) {
    // The default split (Operation) on data saved without it (a plain `az monitor metrics list`):
    // one series, said once; a split the user asked for stays a data error below.
    const absent = query.splitBy.filter((d) => !isResourceDimension(d) && !allSeries.some((s) => d.rest.toLowerCase() in s.dimensions));
    if (absent.length > 0) {
      query = { ...query, splitBy: query.splitBy.filter((d) => !absent.includes(d)) };
      notes.push(`the ${query.metric.rest} data is not split by ${absent.map((d) => d.name).join(' or ')}: showing it as one series`);
    }
  }

  if (allSeries.length > 0) {
    const missing = missingDimensions(query, allSeries);
    if (missing.length > 0) {
      const names = missing.map((d) => d.name).join(' and ');
      throw new DataError(
        `${origin}: the ${query.metric.rest} data is not split by ${names}, so the query cannot filter or split by it (the data's dimensions: ${describeDims(query.metric, allSeries)})`,
      );
    }
  }

  const grid = dataGrid(metrics);
  const nativeMs = grid?.grainMs ?? null;
  const anchor = data.anchor ?? grid?.end ?? 0;
  const wanted = resolveWindow(query.range, anchor, grid);
  if (wanted.end <= wanted.start) {
    throw new DataError(`empty window: ${formatTime(wanted.start)} is not before ${formatTime(wanted.end)}`);
  }
  const minutes = floorToMinutes(wanted);
  if (minutes.end <= minutes.start) {
    throw new UsageError(`the window ${formatTime(wanted.start)} to ${formatTime(wanted.end)} holds no whole minute: Azure Monitor's buckets start on the minute`);
  }
  const snapped = snapToGrid(minutes, grid);
  const window = grid && query.clipToData !== false ? clipToData(snapped, grid) : snapped;
  const askedText = `(asked ${formatTime(wanted.start)} to ${formatTime(wanted.end)})`;
  if (window.end <= window.start) {
    throw new DataError(
      `${origin}: no ${query.metric.rest} data in the window ${formatTime(wanted.start)} to ${formatTime(wanted.end)}: the data covers ${formatTime(grid!.start)} to ${formatTime(grid!.end)}`,
    );
  }
  const explicit = query.range.start !== undefined || query.range.end !== undefined;
  if (window.start !== snapped.start || window.end !== snapped.end) {
    notes.push(`the data covers only ${formatTime(grid!.start)} to ${formatTime(grid!.end)}: the window is ${formatTime(window.start)} to ${formatTime(window.end)} ${askedText}`);
  } else if ((window.start !== minutes.start || window.end !== minutes.end) && nativeMs !== null) {
    notes.push(
      `the window was widened to whole ${grid!.full ? 'FULL' : toIsoDuration(nativeMs)} buckets of the data: ${formatTime(window.start)} to ${formatTime(window.end)} ${askedText}`,
    );
  } else if (explicit && (minutes.start !== wanted.start || minutes.end !== wanted.end)) {
    notes.push(`Azure Monitor's buckets start on the whole minute: the window is ${formatTime(window.start)} to ${formatTime(window.end)} ${askedText}`);
  }

  let intervalMs = chooseIntervalMs(query.interval, window, nativeMs);
  if (grid?.full && intervalMs !== null) {
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
  if (buckets > MAX_BUCKETS) throw tooManyBuckets(buckets, intervalMs!, window, query.interval.kind === 'fixed', grid, origin, MAX_BUCKETS);
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
  // Only email delivery has a second rate: other metrics' second accumulators hold no bucket.
  const secondSize = second === undefined ? 0 : buckets;
  const grandSecond = new Accumulator(secondSize);
  let secondKnown = second !== undefined;

  const gridMs = grid?.grainMs ?? null;
  const gridOrigin = grid?.origin ?? 0;
  for (const m of metrics) for (const series of m.series) {
    if (!filters.every((f) => f.values.has(normalizeName(series.dimensions[f.key] ?? '')))) continue;
    const values = splitKeys.map((k) => series.dimensions[k] ?? '');
    const key = JSON.stringify(values);
    let group = groups.get(key);
    if (!group) {
      const dims: Record<string, string> = {};
      query.splitBy.forEach((d, i) => (dims[d.name] = values[i]!));
      group = { dims, acc: new Accumulator(buckets), errors: new Accumulator(buckets), classified: true, second: new Accumulator(secondSize), secondKnown: true };
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
    let previous: number | undefined;
    const secs = group.second;
    const take = (t: number, p: PointValues): void => {
      if (gridMs !== null && (t - gridOrigin) % gridMs !== 0) throw offGridError(m, series.dimensions, t, previous, grid!);
      previous = t;
      if (t < window.start || t >= window.end) return;
      addAt(intervalMs === null ? 0 : Math.floor((t - window.start) / intervalMs), p);
    };
    const addAt = (b: number, p: PointValues): void => {
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
      if (columns instanceof IndexedColumns) {
        // Streamed files: each point's values are an entry of a shared table.
        const { index, table } = columns;
        const n = index.length;
        const step = columns.evenStepMs;
        const t0 = n > 0 ? columns.timeAt(0) : 0;
        if (step !== undefined && step > 0 && (gridMs === null || ((t0 - gridOrigin) % gridMs === 0 && step % gridMs === 0))) {
          // An even grid on the data's grid: every point is on it, and the window is a range of them.
          let k0 = Math.min(n, Math.max(0, Math.ceil((window.start - t0) / step)));
          while (k0 > 0 && t0 + (k0 - 1) * step >= window.start) k0--;
          while (k0 < n && t0 + k0 * step < window.start) k0++;
          let k1 = Math.min(n, Math.max(k0, Math.ceil((window.end - t0) / step)));
          while (k1 > k0 && t0 + (k1 - 1) * step >= window.end) k1--;
          while (k1 < n && t0 + k1 * step < window.end) k1++;
          for (let k = k0; k < k1; k++) {
            addAt(intervalMs === null ? 0 : Math.floor((t0 + k * step - window.start) / intervalMs), table[index[k]!]!);
          }
        } else for (let k = 0; k < n; k++) take(columns.timeAt(k), table[index[k]!]!);
      } else {
        const timestamps = columns.timestamps;
        const values = columns.values;
        for (let k = 0; k < timestamps.length; k++) take(timestamps[k]!, values[k]!);
      }
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

  if (intervalMs !== null && timestamps.length > 0) {
    const last = timestamps[timestamps.length - 1]!;
    if (data.anchor !== undefined && last + intervalMs > data.anchor - 5 * 60_000 && window.end > data.anchor - 5 * 60_000) {
      notes.push(`the last bucket (${formatTime(last)}) may be incomplete: Azure Monitor data arrives a few minutes late`);
    }
    if (span % intervalMs !== 0) {
      notes.push(`the last bucket (${formatTime(last)}) is shorter than ${toIsoDuration(intervalMs)}: it ends with the window at ${formatTime(window.end)}`);
    }
  }
  if (unclassified && query.errors.codes.length > 0) {
    notes.push(`error rates need a StatusCode split in the data to recognise ${query.errors.codes.join(', ')}`);
  }

  for (const key of ['count', 'total'] as const) {
    const sum = grand.overall(key);
    if (sum !== null && !Number.isFinite(sum)) {
      throw new DataError(`${origin}: the ${key} of ${query.metric.rest} over the window is too large to add up (beyond ${Number.MAX_VALUE}): check the data`);
    }
  }
  const requests = grand.requests();
  const resources = resourceList(asked.metric, data.metrics);
  return {
    ...(resources ? { resources, partial: resources.some((r) => r.error !== undefined) } : {}),
    ...(grid && query.clipToData === false ? { dataCovers: { start: grid.start, end: grid.end } } : {}),
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

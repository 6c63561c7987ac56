/**
 * The shaping stage of a query: groups become result series (ranked by total, cut by --top), the
 * grand totals become the result's, and what a reader must know about the numbers becomes notes.
 */
import { DataError } from '../errors.js';
import type { Accumulator } from './accumulate.js';
import { secondaryDims } from './classify.js';
import { toIsoDuration } from './duration.js';
import type { Groups } from './group-series.js';
import type { Query, QueryResult, ResultSeries } from './model.js';
import type { QueryBuckets } from './query-window.js';
import { formatTime } from './time.js';

/** Errors of a group: null when some series could not be classified or nothing was counted. */
const errorCount = (errors: Accumulator, classified: boolean, requests: number | null): number | null =>
  !classified || requests === null ? null : (errors.requests() ?? 0);

/** The groups as result series, largest total first (ties by dimension values). */
function rankedSeries(query: Query, g: Groups, timestamps: readonly number[]): ResultSeries[] {
  const agg = query.aggregation.key;
  const second = secondaryDims(query.metric) !== undefined;
  const series = [...g.groups.values()].map((group) => {
    const requests = group.acc.requests();
    return {
      dimensions: group.dims,
      points: timestamps.map((timestamp, i) => ({ timestamp, value: group.acc.value(i, agg) })),
      total: group.acc.overall(agg),
      requests,
      errors: errorCount(group.errors, group.classified, requests),
      ...(second ? { secondary: errorCount(group.second, group.secondKnown, requests) } : {}),
    };
  });
  return series.sort(
    (a, b) =>
      (b.total ?? Number.NEGATIVE_INFINITY) - (a.total ?? Number.NEGATIVE_INFINITY) ||
      Object.values(a.dimensions).join('\u0000').localeCompare(Object.values(b.dimensions).join('\u0000'), 'en'),
  );
}

/** Notes about the last bucket (late data, shorter than the interval) and unclassified errors. */
export function bucketNotes(query: Query, b: QueryBuckets, g: Pick<Groups, 'unclassified'>, anchor: number | undefined, notes: string[]): void {
  const { window, intervalMs, timestamps } = b;
  if (intervalMs !== null && timestamps.length > 0) {
    const last = timestamps[timestamps.length - 1]!;
    if (anchor !== undefined && last + intervalMs > anchor - 5 * 60_000 && window.end > anchor - 5 * 60_000) {
      notes.push(`the last bucket (${formatTime(last)}) may be incomplete: Azure Monitor data arrives a few minutes late`);
    }
    if ((window.end - window.start) % intervalMs !== 0) {
      notes.push(`the last bucket (${formatTime(last)}) is shorter than ${toIsoDuration(intervalMs)}: it ends with the window at ${formatTime(window.end)}`);
    }
  }
  if (g.unclassified && query.errors.codes.length > 0) {
    notes.push(`error rates need a StatusCode split in the data to recognise ${query.errors.codes.join(', ')}`);
  }
}

/** The result of a query (without its resources, which runQuery adds) from its buckets and groups. */
export function shapeResult(
  query: Query,
  b: QueryBuckets,
  g: Groups,
  ctx: { readonly anchor: number | undefined; readonly origin: string; readonly notes: string[] },
): QueryResult {
  const { notes } = ctx;
  let series = rankedSeries(query, g, b.timestamps);
  let omittedSeries = 0;
  if (query.top !== undefined && series.length > query.top) {
    omittedSeries = series.length - query.top;
    series = series.slice(0, query.top);
    notes.push(`${omittedSeries} series left out by --top ${query.top} (the totals include them)`);
  }
  bucketNotes(query, b, g, ctx.anchor, notes);
  for (const key of ['count', 'total'] as const) {
    const sum = g.grand.overall(key);
    if (sum !== null && !Number.isFinite(sum)) {
      throw new DataError(
        `${ctx.origin}: the ${key} of ${query.metric.rest} over the window is too large to add up (beyond ${Number.MAX_VALUE}): check the data`,
      );
    }
  }
  const requests = g.grand.requests();
  return {
    query,
    intervalMs: b.intervalMs,
    interval: b.intervalMs === null ? 'FULL' : toIsoDuration(b.intervalMs),
    start: b.window.start,
    end: b.window.end,
    timestamps: b.timestamps,
    series,
    total: g.grand.overall(query.aggregation.key),
    requests,
    errors: g.unclassified || requests === null ? null : (g.grandErrors.requests() ?? 0),
    ...(secondaryDims(query.metric) !== undefined ? { secondary: errorCount(g.grandSecond, g.secondKnown, requests) } : {}),
    omittedSeries,
    notes,
  };
}

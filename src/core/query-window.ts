/**
 * The window stage of a query: from the asked range and the data's grid to the buckets a result has.
 * One rule for files and live data (docs/windows-and-buckets.md): floor the window to the minute,
 * widen it to whole data buckets, cut it to the data, then choose the interval and lay the buckets.
 * Each change to the asked window is said in a note.
 */
import { DataError, UsageError } from '../errors.js';
import { toIsoDuration } from './duration.js';
import type { MetricData, Query } from './model.js';
import { clipToData, dataGrid, type DataGrid, floorToMinutes, snapToGrid, tooManyBuckets } from './grid.js';
import { formatTime } from './time.js';
import { chooseIntervalMs, MAX_BUCKETS, resolveWindow, type Window } from './window.js';

export interface QueryBuckets {
  /** The data's grid (undefined when the data holds no point). */
  readonly grid: DataGrid | undefined;
  readonly window: Window;
  /** The result's interval; null for one bucket over the whole window (FULL). */
  readonly intervalMs: number | null;
  /** The start of each bucket. */
  readonly timestamps: number[];
}

/** The window the query covers, with a note for each way it differs from the asked one. */
function queryWindow(query: Query, grid: DataGrid | undefined, anchor: number, origin: string, notes: string[]): Window {
  const wanted = resolveWindow(query.range, anchor, grid);
  if (wanted.end <= wanted.start) {
    throw new DataError(`empty window: ${formatTime(wanted.start)} is not before ${formatTime(wanted.end)}`);
  }
  const minutes = floorToMinutes(wanted);
  if (minutes.end <= minutes.start) {
    throw new UsageError(
      `the window ${formatTime(wanted.start)} to ${formatTime(wanted.end)} holds no whole minute: Azure Monitor's buckets start on the minute`,
    );
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
    notes.push(
      `the data covers only ${formatTime(grid!.start)} to ${formatTime(grid!.end)}: the window is ${formatTime(window.start)} to ${formatTime(window.end)} ${askedText}`,
    );
  } else if ((window.start !== minutes.start || window.end !== minutes.end) && grid !== undefined && grid.grainMs !== null) {
    notes.push(
      `the window was widened to whole ${grid.full ? 'FULL' : toIsoDuration(grid.grainMs)} buckets of the data: ${formatTime(window.start)} to ${formatTime(window.end)} ${askedText}`,
    );
  } else if (explicit && (minutes.start !== wanted.start || minutes.end !== wanted.end)) {
    notes.push(`Azure Monitor's buckets start on the whole minute: the window is ${formatTime(window.start)} to ${formatTime(window.end)} ${askedText}`);
  }
  return window;
}

/** The result's interval: the asked one, a whole multiple of the data's buckets; null for FULL. */
function queryInterval(query: Query, window: Window, grid: DataGrid | undefined, notes: string[]): number | null {
  const nativeMs = grid?.grainMs ?? null;
  const intervalMs = chooseIntervalMs(query.interval, window, nativeMs);
  if (grid?.full && intervalMs !== null) {
    notes.push(`the data holds one value per series for its whole timespan (FULL); showing one bucket`);
    return null;
  }
  if (intervalMs !== null && nativeMs !== null && query.interval.kind === 'fixed') {
    if (intervalMs < nativeMs || intervalMs % nativeMs !== 0) {
      // A bad value for this data: a usage error (exit 2), as every bad value is.
      throw new UsageError(
        `--interval ${toIsoDuration(intervalMs)} does not fit the data's ${toIsoDuration(nativeMs)} buckets: use ${toIsoDuration(nativeMs)} or a multiple of it`,
      );
    }
  }
  return intervalMs;
}

/** The buckets of a query over its data: "now" (anchor) for live data, the end of the data for files. */
export function queryBuckets(query: Query, metrics: readonly MetricData[], anchor: number | undefined, origin: string, notes: string[]): QueryBuckets {
  const grid = dataGrid(metrics);
  const window = queryWindow(query, grid, anchor ?? grid?.end ?? 0, origin, notes);
  const intervalMs = queryInterval(query, window, grid, notes);
  const buckets = intervalMs === null ? 1 : Math.ceil((window.end - window.start) / intervalMs);
  if (buckets > MAX_BUCKETS) throw tooManyBuckets(buckets, intervalMs!, window, query.interval.kind === 'fixed', grid, origin, MAX_BUCKETS);
  const timestamps = Array.from({ length: buckets }, (_, k) => window.start + k * (intervalMs ?? 0));
  return { grid, window, intervalMs, timestamps };
}

/**
 * The data's bucket grid, and the windowing rule every query follows (files and live alike).
 *
 * Azure Monitor answers a Metrics request with buckets that start at the requested start floored to
 * the whole minute and step by the grain from there; the last bucket may be partial (it ends at the
 * requested end, floored to the minute). So the buckets of a response lie on a grid: origin + k * grain.
 *
 * The rule (docs/windows-and-buckets.md):
 * 1. The window asked for ([start, end), from --since/--start/--end) is floored to whole minutes, as
 *    Azure floors what it is asked.
 * 2. It is then widened to whole buckets of the data: the start down to the start of the data bucket
 *    that holds it, the end up to the end of the data bucket that holds it (but not past the end of the
 *    data: a partial last bucket stays as the service returned it).
 * 3. Coarser buckets (--interval) are exact unions of whole data buckets, counted from the window's
 *    start; the last one is shorter when the window is not a whole number of them.
 * 4. The window is cut to what the data covers (its timespan, else its first and last buckets): a
 *    window that misses the data entirely is a data error, never an empty answer.
 * A live request asks Azure for exactly the minute-floored window, so step 2 changes nothing for live
 * data: the buckets Azure returns are the buckets shown.
 */
import { RESOURCE_KEY, resourceName } from '../catalog/resource.js';
import { DataError, UsageError } from '../errors.js';
import { toIsoDuration } from './duration.js';
import type { MetricData } from './model.js';
import { pointCount, timestampAt } from './points.js';
import { formatTime } from './time.js';
import type { Window } from './window.js';

export const MINUTE = 60_000;

export const floorMinute = (t: number): number => Math.floor(t / MINUTE) * MINUTE;

export interface DataGrid {
  /** The data's bucket size; null when unknown (lone points without a declared interval). */
  readonly grainMs: number | null;
  /** A bucket start: every bucket of the data starts at origin + k * grainMs. */
  readonly origin: number;
  /** Start of the first bucket and end of the last one (the end of a partial last bucket). */
  readonly start: number;
  readonly end: number;
  /** The data holds one value per series for its whole timespan (interval FULL). */
  readonly full: boolean;
  /** Where each part of the grid came from, for messages. */
  readonly origins: readonly string[];
}

interface Part {
  readonly grainMs: number | null;
  readonly origin: number;
  readonly start: number;
  readonly end: number;
  readonly full: boolean;
  readonly label: string;
}

/** The smallest positive step between consecutive points of any series; null when there is none. */
function smallestStep(m: MetricData): number | null {
  let step = Number.POSITIVE_INFINITY;
  for (const s of m.series) {
    const n = pointCount(s);
    for (let i = 1; i < n; i++) {
      const d = timestampAt(s, i) - timestampAt(s, i - 1);
      if (d > 0 && d < step) step = d;
    }
  }
  return Number.isFinite(step) ? step : null;
}

function partOf(m: MetricData): Part | undefined {
  let first = Number.POSITIVE_INFINITY;
  let last = Number.NEGATIVE_INFINITY;
  for (const s of m.series) {
    const n = pointCount(s);
    if (n === 0) continue;
    first = Math.min(first, timestampAt(s, 0));
    last = Math.max(last, timestampAt(s, n - 1));
  }
  const hasPoints = Number.isFinite(first);
  const spanStart = m.start !== undefined ? floorMinute(m.start) : undefined;
  const spanEnd = m.end !== undefined ? floorMinute(m.end) : undefined;
  if (spanStart !== undefined && spanEnd !== undefined && spanEnd <= spanStart) {
    throw new DataError(`${m.origin}: the ${m.name} timespan ${formatTime(m.start!)}/${formatTime(m.end!)} holds no whole minute`);
  }
  if (!hasPoints && (spanStart === undefined || spanEnd === undefined)) return undefined;

  const declaredFull = m.interval?.trim().toUpperCase() === 'FULL';
  let grainMs: number | null;
  if (declaredFull) grainMs = spanStart !== undefined && spanEnd !== undefined ? spanEnd - spanStart : null;
  else grainMs = m.intervalMs ?? smallestStep(m);
  // Lone points without a declared interval: one value each for a span nobody said; one bucket.
  const full = declaredFull || grainMs === null;

  const origin = spanStart ?? first;
  const start = hasPoints ? Math.min(origin, first) : origin;
  // A point at or past the timespan's end still covers its own bucket.
  const pointEnd = hasPoints ? last + (grainMs ?? MINUTE) : Number.NEGATIVE_INFINITY;
  const end = spanEnd !== undefined && spanEnd > last ? spanEnd : pointEnd;
  return { grainMs, origin, start, end, full, label: m.origin };
}

const describe = (p: Part): string =>
  `${p.full ? 'one FULL bucket' : p.grainMs === null ? 'lone points' : `${toIsoDuration(p.grainMs)} buckets`} from ${formatTime(p.start)}`;

/**
 * The grid of one metric's data (several files or windows of it must share one grid: same grain,
 * buckets aligned). Undefined when the data has neither points nor a timespan.
 */
export function dataGrid(metrics: readonly MetricData[]): DataGrid | undefined {
  const parts = metrics.map(partOf).filter((p): p is Part => p !== undefined);
  if (parts.length === 0) return undefined;
  const known = parts.filter((p) => p.grainMs !== null);
  const ref = known[0] ?? parts[0]!;
  for (const p of known) {
    const aligned = p.grainMs === ref.grainMs && p.full === ref.full && (p.origin - ref.origin) % ref.grainMs! === 0;
    if (!aligned) {
      const where = p.label === ref.label ? p.label : `${ref.label} and ${p.label}`;
      throw new DataError(
        `${where}: the ${metrics[0]!.name} data comes in buckets that do not line up (${describe(ref)}; ${describe(p)}): query them separately`,
      );
    }
  }
  const labels = [...new Set(parts.map((p) => p.label))];
  return {
    grainMs: ref.grainMs,
    origin: ref.origin,
    start: Math.min(...parts.map((p) => p.start)),
    end: Math.max(...parts.map((p) => p.end)),
    full: ref.full,
    origins: labels,
  };
}

/** The window floored to whole minutes, as Azure Monitor floors a request's timespan. */
export function floorToMinutes(w: Window): Window {
  return { start: floorMinute(w.start), end: floorMinute(w.end) };
}

/**
 * A minute-aligned window widened to whole buckets of the data (step 2 of the rule). Without a grid
 * (no data) or with an unknown grain, the window stays as it is.
 */
export function snapToGrid(w: Window, grid: DataGrid | undefined): Window {
  if (grid === undefined) return w;
  const g = grid.grainMs ?? MINUTE;
  const o = grid.origin;
  const start = o + Math.floor((w.start - o) / g) * g;
  const up = o + Math.ceil((w.end - o) / g) * g;
  const end = w.end <= grid.end ? Math.min(up, grid.end) : up;
  return { start, end };
}

/**
 * The part of a window the data covers (step 4 of the rule): the data says nothing before its first
 * bucket or after its end, so no empty bucket is invented there. An empty result means the window
 * misses the data entirely.
 */
export function clipToData(w: Window, grid: DataGrid): Window {
  return { start: Math.max(w.start, grid.start), end: Math.min(w.end, grid.end) };
}

/**
 * A point off the grid: not a bucket start of the data. The message says whether the points are
 * finer than the declared interval or merely misplaced.
 */
export function offGridError(m: MetricData, dims: Readonly<Record<string, string>>, t: number, previous: number | undefined, grid: DataGrid): DataError {
  const g = grid.grainMs!;
  const shown = Object.entries(dims).filter(([k, v]) => !(k === RESOURCE_KEY && v === ''));
  const series = shown.map(([k, v]) => `${k}=${k === RESOURCE_KEY ? resourceName(v) : v}`).join(', ') || 'no dimensions';
  const what =
    previous !== undefined && t - previous > 0 && t - previous < g
      ? `points ${toIsoDuration(t - previous)} apart (${formatTime(previous)}, ${formatTime(t)}) are finer than the data's ${toIsoDuration(g)} buckets`
      : `the point at ${formatTime(t)} is not on the data's ${toIsoDuration(g)} bucket grid (buckets start at ${formatTime(grid.origin)} + k x ${toIsoDuration(g)})`;
  return new DataError(`${m.origin}: ${m.name} (${series}): ${what}; such data cannot be bucketed exactly`);
}

/**
 * A window that holds more buckets than one series may (MAX_BUCKETS): a usage error when --interval
 * was chosen, else a data error (the data spans far more than Azure keeps: a stray timestamp?).
 */
export function tooManyBuckets(buckets: number, intervalMs: number, w: Window, fixed: boolean, grid: DataGrid | undefined, origin: string, max: number): Error {
  const n = (x: number): string => x.toLocaleString('en-US');
  const cut = `the window ${formatTime(w.start)} to ${formatTime(w.end)} holds ${n(buckets)} ${toIsoDuration(intervalMs)} buckets, more than the ${n(max)} acs-metrics shows per series`;
  if (fixed)
    return new UsageError(
      `--interval ${toIsoDuration(intervalMs)} is too fine: ${cut}; use a coarser --interval or a shorter window (--start/--end or --since)`,
    );
  const all = grid !== undefined && grid.start >= w.start && grid.end <= w.end;
  const covers = all ? ' (the data spans all of it: is a timestamp far from the rest?)' : '';
  return new DataError(`${origin}: ${cut}${covers}; pick a shorter window with --start/--end or --since`);
}

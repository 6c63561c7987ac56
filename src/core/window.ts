/** The query window and the bucket size, shared by the core and the live source so that both agree. */
import type { IntervalSpec, RangeSpec } from './model.js';

const MINUTE = 60_000;
/** The time grains Azure Monitor serves, finest first. */
export const AZURE_GRAINS_MS: readonly number[] = [1, 5, 15, 30, 60, 360, 720, 1440].map((m) => m * MINUTE);
/** `--interval auto` picks the finest grain that keeps a window within this many buckets. */
export const MAX_AUTO_BUCKETS = 200;
/**
 * The most buckets one series of an answer may hold: a year of PT1M buckets (Azure keeps 93 days),
 * 60 years of PT1H. More means a stray timestamp far from the rest or a window far too fine for its
 * length; each bucket costs memory in every series, so such a query is refused before any is made.
 */
export const MAX_BUCKETS = 525_600;

export interface Window {
  readonly start: number;
  readonly end: number;
}

/**
 * The window [start, end) of a query. `anchor` is "now" for live data, the end of the last bucket for
 * files; --since counts back from --end when given, else from the anchor. Missing ends come from the
 * data's own extent.
 */
export function resolveWindow(range: RangeSpec, anchor: number, extent?: Window): Window {
  const end = range.end ?? (range.sinceMs !== undefined ? anchor : (extent?.end ?? anchor));
  const start = range.start ?? (range.sinceMs !== undefined ? end - range.sinceMs : (extent?.start ?? end));
  return { start, end };
}

/**
 * The bucket size in ms for a query: fixed as given; FULL gives null (one bucket for the window);
 * auto gives the finest Azure grain that is a whole multiple of the data's own and keeps the window
 * within MAX_AUTO_BUCKETS buckets.
 */
export function chooseIntervalMs(spec: IntervalSpec, window: Window, nativeMs: number | null): number | null {
  if (spec.kind === 'fixed') return spec.ms;
  if (spec.kind === 'full') return null;
  const span = Math.max(window.end - window.start, 0);
  const floor = nativeMs ?? MINUTE;
  // Only whole multiples of the data's own buckets: a coarser bucket is a union of whole data buckets.
  for (const grain of AZURE_GRAINS_MS) {
    if (grain >= floor && grain % floor === 0 && span / grain <= MAX_AUTO_BUCKETS) return grain;
  }
  const largest = AZURE_GRAINS_MS[AZURE_GRAINS_MS.length - 1]!;
  if (largest % floor === 0 && largest >= floor) return largest;
  return floor * Math.max(1, Math.ceil(span / (floor * MAX_AUTO_BUCKETS)));
}

/** [start, end) in consecutive pieces of at most `max` ms, oldest first. */
export function splitWindow(w: Window, max: number): Window[] {
  const out: Window[] = [];
  for (let start = w.start; start < w.end; start += max) out.push({ start, end: Math.min(start + max, w.end) });
  return out;
}

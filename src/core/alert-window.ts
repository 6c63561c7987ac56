/**
 * Alert windows: Azure Monitor alert rules take a window size (the span each evaluation looks at) and
 * an evaluation frequency from fixed lists. A rule's window maps exactly when it is one of the sizes;
 * a window between two sizes takes the next larger one (approximate); one longer than a day has no
 * alert form.
 */
import { humanDuration, toIsoDuration } from './duration.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** The window sizes metric alerts allow (windowSize), smallest first. */
export const WINDOW_SIZES_MS: readonly number[] = [MINUTE, 5 * MINUTE, 15 * MINUTE, 30 * MINUTE, HOUR, 6 * HOUR, 12 * HOUR, DAY];
/** The evaluation frequencies metric alerts allow. */
export const FREQUENCIES_MS: readonly number[] = [MINUTE, 5 * MINUTE, 15 * MINUTE, 30 * MINUTE, HOUR];

/**
 * The frequency for each window size: often enough to catch a breach within a fraction of the window,
 * never more often than the window (1m window: every minute; 1h: every 15 minutes; 1d: hourly).
 */
const FREQUENCY_FOR: ReadonlyMap<number, number> = new Map([
  [MINUTE, MINUTE],
  [5 * MINUTE, MINUTE],
  [15 * MINUTE, 5 * MINUTE],
  [30 * MINUTE, 5 * MINUTE],
  [HOUR, 15 * MINUTE],
  [6 * HOUR, HOUR],
  [12 * HOUR, HOUR],
  [DAY, HOUR],
]);

/** What a live check looks at without a window: the last 24 hours (see core/compare.ts). */
export const DEFAULT_ALERT_WINDOW_MS = DAY;

export type AlertWindow =
  | { readonly kind: 'exact'; readonly windowSize: string; readonly evaluationFrequency: string }
  | { readonly kind: 'approximate'; readonly windowSize: string; readonly evaluationFrequency: string; readonly how: string }
  | { readonly kind: 'not-mapped'; readonly why: string };

/** The alert window of a rule's window (ms); `absolute` when the rule has a start/end instead. */
export function alertWindow(sinceMs: number | undefined, absolute: boolean): AlertWindow {
  if (absolute) return { kind: 'not-mapped', why: 'a fixed window (start/end) has no alert form: an alert rule looks at a sliding window; give "since"' };
  const ms = sinceMs ?? DEFAULT_ALERT_WINDOW_MS;
  const size = WINDOW_SIZES_MS.find((s) => s >= ms);
  if (size === undefined) {
    return { kind: 'not-mapped', why: `window ${humanDuration(ms)} is longer than an alert rule's longest (P1D)` };
  }
  const windowSize = toIsoDuration(size);
  const evaluationFrequency = toIsoDuration(FREQUENCY_FOR.get(size)!);
  if (size === ms) return { kind: 'exact', windowSize, evaluationFrequency };
  return { kind: 'approximate', windowSize, evaluationFrequency, how: `window ${humanDuration(ms)} is not an alert window size: ${windowSize} is used` };
}

/**
 * The migration burndown's periods: requests per ISO week or calendar month (UTC).
 *
 * - A week is an ISO 8601 week: Monday 00:00:00 UTC to the next Monday, labelled by its ISO
 *   week-year and number (2026-W01 is the week that holds 2026's first Thursday).
 * - A month is a calendar month in UTC, labelled 2026-01.
 * - A bucket counts in the period that holds its start; every bucket is in exactly one period, so
 *   the periods add up to the window's total. Buckets on whole hours (or days) never cross a period's
 *   edge; other buckets (a live window starting at 13:37) are noted by the caller.
 * - A period the window holds only part of (the first and the last, usually) is partial.
 */
const DAY = 86_400_000;
const WEEK = 7 * DAY;

export type TrendUnit = 'week' | 'month';
export type TrendChoice = TrendUnit | 'none';
export const TREND_CHOICES: readonly string[] = ['auto', 'week', 'month', 'none'];

/** auto: no trend under 28 days (four weeks), weeks up to 182 days (26 weeks), months beyond. */
export function chooseTrend(spanMs: number): TrendChoice {
  if (spanMs < 28 * DAY) return 'none';
  return spanMs <= 182 * DAY ? 'week' : 'month';
}

/** The start of the period that holds `ms`. */
export function periodStart(ms: number, unit: TrendUnit): number {
  const d = new Date(ms);
  if (unit === 'month') return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
  const midnight = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
  return midnight - ((d.getUTCDay() + 6) % 7) * DAY;
}

/** The start of the period after the one starting at `start`. */
export function nextPeriod(start: number, unit: TrendUnit): number {
  if (unit === 'week') return start + WEEK;
  const d = new Date(start);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
}

/** "2026-W02" (ISO week-year and week) or "2026-01". */
export function periodLabel(start: number, unit: TrendUnit): string {
  const d = new Date(start);
  if (unit === 'month') return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
  const thursday = new Date(start + 3 * DAY);
  const year = thursday.getUTCFullYear();
  const week = Math.floor((thursday.getTime() - Date.UTC(year, 0, 1)) / WEEK) + 1;
  return `${year}-W${String(week).padStart(2, '0')}`;
}

export interface TrendPeriod {
  readonly label: string;
  /** The part of the period inside the window: [start, end). */
  readonly start: number;
  readonly end: number;
  /** The sum of the buckets that start in it; null when none of them has data. */
  readonly requests: number | null;
  /** The window holds only part of the period. */
  readonly partial: boolean;
}

/** The periods that cover [start, end), each cut to the window. */
export function periodsOf(start: number, end: number, unit: TrendUnit): { label: string; start: number; end: number; partial: boolean }[] {
  const out: { label: string; start: number; end: number; partial: boolean }[] = [];
  for (let p = periodStart(start, unit); p < end; p = nextPeriod(p, unit)) {
    const next = nextPeriod(p, unit);
    out.push({ label: periodLabel(p, unit), start: Math.max(p, start), end: Math.min(next, end), partial: p < start || next > end });
  }
  return out;
}

/**
 * Bucket values (by bucket start; null is no data) summed per period of the window [start, end).
 * A bucket starting outside the window is a caller's bug.
 */
export function trendOf(timestamps: readonly number[], values: readonly (number | null)[], start: number, end: number, unit: TrendUnit): TrendPeriod[] {
  const periods = periodsOf(start, end, unit);
  const sums: (number | null)[] = periods.map(() => null);
  let k = 0;
  timestamps.forEach((t, i) => {
    while (k < periods.length - 1 && t >= periods[k]!.end) k++;
    const v = values[i];
    if (v !== null && v !== undefined) sums[k] = (sums[k] ?? 0) + v;
  });
  return periods.map((p, i) => ({ ...p, requests: sums[i]! }));
}

/** Whether a bucket [t, t + intervalMs) crosses the edge of a period (it then counts where it starts). */
export function crossesPeriod(timestamps: readonly number[], intervalMs: number | null, unit: TrendUnit): boolean {
  if (intervalMs === null) return false;
  return timestamps.some((t) => periodStart(t, unit) !== periodStart(t + intervalMs - 1, unit));
}

/**
 * Before and after: the same query over the current window and a baseline window, series paired by
 * their dimension values. The baseline is the current window shifted back (--compare 7d) or a window
 * of its own (--baseline-start/--baseline-end); both follow the windowing rule (core/grid.ts) and must
 * come out with the same length and the same buckets, or the comparison says why not.
 */
import { UsageError } from '../errors.js';
import { humanDuration, toIsoDuration } from './duration.js';
import type { Query, QueryResult, RangeSpec, ResultSeries } from './model.js';
import { runQuery, type QueryData } from './run-query.js';
import { formatTime } from './time.js';
import { floorToMinutes } from './grid.js';
import { resolveWindow, type Window } from './window.js';

/** --compare DURATION (the current window shifted back) or --baseline-start/--baseline-end. */
export type BaselineSpec = { readonly kind: 'shift'; readonly ms: number } | { readonly kind: 'window'; readonly start: number; readonly end: number };

/** The baseline's range for a current window (already floored and snapped by the windowing rule). */
export function baselineRange(spec: BaselineSpec, current: Window): RangeSpec & Window {
  if (spec.kind === 'shift') return { start: current.start - spec.ms, end: current.end - spec.ms };
  return { start: spec.start, end: spec.end };
}

/**
 * A one-line reason why two results cannot be compared bucket for bucket, or undefined. With the
 * spec, a baseline that came out longer because it falls across the data's buckets (a shift that is
 * not a whole number of them, or a window off their boundaries) says so, rather than blaming its length.
 */
export function shapeProblem(current: QueryResult, baseline: QueryResult, shiftFlag = '--compare', spec?: BaselineSpec): string | undefined {
  const cur = current.end - current.start;
  const base = baseline.end - baseline.start;
  const span = (r: { start: number; end: number }): string => `${formatTime(r.start)} to ${formatTime(r.end)}`;
  if (cur !== base) {
    const asked = spec === undefined ? undefined : baselineRange(spec, current);
    const widened = asked !== undefined && (asked.start !== baseline.start || asked.end !== baseline.end);
    const became = `was widened to the data's buckets, ${span(baseline)} (${humanDuration(base)}), not as long as the current window (${humanDuration(cur)})`;
    if (widened && spec?.kind === 'shift') {
      return `${shiftFlag} ${humanDuration(spec.ms)} is not a whole number of the data's buckets: the baseline ${span(asked)} ${became}; give a shift of whole buckets of the data${shiftsNear(spec.ms, current.intervalMs, shiftFlag)}`;
    }
    if (widened) {
      return `the baseline window ${span(asked)} does not start and end on the data's buckets: it ${became}; give a baseline on whole buckets, ${humanDuration(cur)} long`;
    }
    return `the baseline window ${span(baseline)} (${humanDuration(base)}) is not as long as the current window ${span(current)} (${humanDuration(cur)}): give a baseline of ${humanDuration(cur)}, or use ${shiftFlag} DURATION`;
  }
  if (current.intervalMs !== baseline.intervalMs) {
    return `the baseline's buckets (${baseline.interval}) are not the current window's (${current.interval}): give --interval ${current.interval === 'FULL' ? 'FULL' : current.interval} or a baseline from data of the same grain`;
  }
  return coverageProblem(baseline, shiftFlag);
}

/**
 * A baseline the data does not cover whole (files that start or end inside it): its totals would be
 * those of a shorter window, and a comparison with the whole current window (or a test of two counts
 * over windows of equal length) would be wrong. Refused rather than cut: cutting the current window
 * to match could leave out the very hours a gate is there to judge.
 */
function coverageProblem(baseline: QueryResult, shiftFlag: string): string | undefined {
  const data = baseline.dataCovers;
  if (data === undefined) return undefined;
  const covered = Math.max(0, Math.min(baseline.end, data.end) - Math.max(baseline.start, data.start));
  const span = baseline.end - baseline.start;
  if (covered >= span) return undefined;
  const how = covered === 0 ? 'is not in the data' : `is only partly in the data (${humanDuration(covered)} of ${humanDuration(span)})`;
  return (
    `the baseline window ${formatTime(baseline.start)} to ${formatTime(baseline.end)} ${how}; the data covers ${formatTime(data.start)} to ${formatTime(data.end)}: ` +
    `a baseline is compared only when the data covers all of it; give a shorter ${shiftFlag} or --since, or a baseline window inside the data`
  );
}

/** ", e.g. --compare 1h or 2h": the whole numbers of the current buckets (whole data buckets too) around a shift. */
function shiftsNear(ms: number, bucketMs: number | null, flag: string): string {
  if (bucketMs === null || bucketMs <= 0) return '';
  const below = Math.floor(ms / bucketMs) * bucketMs;
  const shifts = [below, below + bucketMs].filter((x) => x > 0).map(humanDuration);
  return `, e.g. ${flag} ${shifts.join(' or ')}`;
}

export type PairStatus = 'both' | 'new' | 'gone';

/** One series of the comparison: present in both windows, only in the current one (new) or only in the baseline (gone). */
export interface SeriesPair {
  readonly dimensions: Readonly<Record<string, string>>;
  readonly status: PairStatus;
  readonly current: ResultSeries | null;
  readonly baseline: ResultSeries | null;
}

export interface Comparison {
  readonly current: QueryResult;
  readonly baseline: QueryResult;
  /** How far back the baseline starts: current.start - baseline.start. */
  readonly shiftMs: number;
  /** Every series of either window: current order, then the gone ones (largest baseline first). */
  readonly pairs: readonly SeriesPair[];
  /** Pairs dropped by --top (the totals include them). */
  readonly omittedPairs: number;
  readonly notes: readonly string[];
}

const keyOf = (s: ResultSeries): string => JSON.stringify(Object.entries(s.dimensions));
/** A series has data when it has a total or requests (an all-null series is "no data"). */
const hasData = (s: ResultSeries | undefined): s is ResultSeries => s !== undefined && (s.requests !== null || s.total !== null);

export function pairSeries(current: readonly ResultSeries[], baseline: readonly ResultSeries[]): SeriesPair[] {
  const base = new Map(baseline.map((s) => [keyOf(s), s]));
  const seen = new Set<string>();
  const pairs: SeriesPair[] = [];
  for (const s of current) {
    const key = keyOf(s);
    seen.add(key);
    const b = base.get(key);
    const cur = hasData(s);
    if (!cur && !hasData(b)) continue;
    pairs.push({ dimensions: s.dimensions, status: !cur ? 'gone' : hasData(b) ? 'both' : 'new', current: cur ? s : null, baseline: hasData(b) ? b : null });
  }
  for (const b of baseline) {
    if (seen.has(keyOf(b)) || !hasData(b)) continue;
    pairs.push({ dimensions: b.dimensions, status: 'gone', current: null, baseline: b });
  }
  const rank = (p: SeriesPair): [number, number] => [p.current ? 0 : 1, -((p.current ?? p.baseline)!.total ?? Number.NEGATIVE_INFINITY)];
  return pairs
    .map((p, i) => ({ p, i, r: rank(p) }))
    .sort((a, b) => a.r[0] - b.r[0] || (a.r[0] === 1 ? a.r[1] - b.r[1] : a.i - b.i))
    .map((x) => x.p);
}

/**
 * Runs the query on the current data, then on the baseline data over the baseline window, and pairs
 * the series. `baselineData` is the same data for files; a separate fetch for live data.
 */
export function runComparison(query: Query, spec: BaselineSpec, data: QueryData, baselineData: QueryData = data): Comparison {
  const top = query.top;
  const untopped: Query = { ...query, top: undefined };
  const current = runQuery(untopped, data);
  const range = baselineRange(spec, current);
  // The baseline follows the current window's buckets: the same --interval, or the grain auto chose.
  const interval = current.intervalMs === null ? query.interval : ({ kind: 'fixed', ms: current.intervalMs, iso: current.interval } as const);
  // Exactly the baseline window, covered by data or not: a baseline before the data has no data.
  const baseline = runQuery({ ...untopped, range, interval: query.interval.kind === 'full' ? query.interval : interval, clipToData: false }, baselineData);
  const problem = shapeProblem(current, baseline, '--compare', spec);
  if (problem) throw new UsageError(problem);
  if (baseline.start >= current.start && spec.kind === 'window') {
    throw new UsageError(
      `the baseline window ${formatTime(baseline.start)} to ${formatTime(baseline.end)} does not start before the current window (${formatTime(current.start)}): give an earlier baseline`,
    );
  }
  let pairs = pairSeries(current.series, baseline.series);
  let omittedPairs = 0;
  const notes = [...current.notes, ...baseline.notes.filter((n) => !current.notes.includes(n)).map((n) => `baseline: ${n}`)];
  if (top !== undefined && pairs.length > top) {
    omittedPairs = pairs.length - top;
    pairs = pairs.slice(0, top);
    notes.push(`${omittedPairs} series left out by --top ${top} (the totals include them)`);
  }
  if (baseline.requests === null && baseline.total === null) {
    notes.push(`the baseline window ${formatTime(baseline.start)} to ${formatTime(baseline.end)} has no data: every series is new`);
  }
  return {
    current: { ...current, query, omittedSeries: omittedPairs },
    baseline: { ...baseline, query: { ...query, range } },
    shiftMs: current.start - baseline.start,
    pairs,
    omittedPairs,
    notes,
  };
}

/** The shift as ISO 8601 (P7D). */
export const shiftText = (c: Comparison): string => toIsoDuration(c.shiftMs);

/** Change of a count: absolute and relative to the baseline (null when either is unknown; relative null when the baseline is 0). */
export function countChange(current: number | null, baseline: number | null): { abs: number | null; ratio: number | null } {
  if (current === null && baseline === null) return { abs: null, ratio: null };
  const c = current ?? 0;
  const b = baseline ?? 0;
  return { abs: c - b, ratio: b === 0 ? null : (c - b) / b };
}

/** Change of a rate in percentage points (0.01 = 1 pp); null when either rate is unknown. */
export function rateChange(current: number | null, baseline: number | null): number | null {
  return current === null || baseline === null ? null : current - baseline;
}

/** What a live source fetches without --since or --start (sources/azure/azure-source.ts): the last 24h. */
const LIVE_DEFAULT_SINCE_MS = 24 * 60 * 60_000;

/**
 * The current window of a live query, as the live source asks for it (minute-floored, counted back
 * from now), so that the baseline can be fetched before any data is seen.
 */
export function liveWindow(range: RangeSpec, now: number): Window {
  const r = range.start !== undefined || range.sinceMs !== undefined ? range : { ...range, sinceMs: LIVE_DEFAULT_SINCE_MS };
  return floorToMinutes(resolveWindow(r, now));
}

/** A query moved to the baseline window (for fetching the baseline of a live query). */
export function baselineQuery(query: Query, spec: BaselineSpec, now: number): Query {
  return { ...query, range: baselineRange(spec, liveWindow(query.range, now)) };
}

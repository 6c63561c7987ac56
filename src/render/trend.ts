/** The burndown trend as text: a cell (first and last period, a sparkline between) and its explanation. */
import type { TrendChoice, TrendPeriod, TrendUnit } from '../core/trend.js';
import { formatNumber } from './format.js';
import { sparkline } from './sparkline.js';

/** Periods drawn in a sparkline at most (more are grouped by their maximum). */
export const TREND_SPARK_WIDTH = 26;

const amount = (p: TrendPeriod | undefined): string =>
  p === undefined ? '-' : `${p.requests === null ? '-' : formatNumber(p.requests)}${p.partial ? '*' : ''}`;

/** "1,204* ▇▆▅▃▂▁ 0*": the first period's requests, a sparkline of every period, the last's; * marks a partial period. */
export function trendCell(periods: readonly TrendPeriod[]): string {
  if (periods.length === 0) return '-';
  const spark = sparkline(
    periods.map((p) => p.requests),
    TREND_SPARK_WIDTH,
  );
  return periods.length === 1 ? `${amount(periods[0])} ${spark}` : `${amount(periods[0])} ${spark} ${amount(periods[periods.length - 1])}`;
}

export const trendHeading = (unit: TrendUnit): string => (unit === 'week' ? 'Requests per week' : 'Requests per month');

export const periodWords = (unit: TrendUnit): string => (unit === 'week' ? 'ISO week (Monday 00:00 UTC)' : 'calendar month (UTC)');

/** "Requests per ISO week (Monday 00:00 UTC), 2026-W01 to 2026-W14; * a partial week: the window holds only part of it." */
export function trendLegend(unit: TrendChoice, periods: readonly TrendPeriod[]): string {
  if (unit === 'none' || periods.length === 0) return '';
  const span = periods.length === 1 ? periods[0]!.label : `${periods[0]!.label} to ${periods[periods.length - 1]!.label}`;
  const partial = periods.some((p) => p.partial) ? `; * a partial ${unit}: the window holds only part of it` : '';
  return `Trend: requests per ${periodWords(unit)}, ${span}, first and last ${unit} shown as numbers${partial}.`;
}

/** Every period any channel has, in time order, each once (the channels of one report share their windows' periods). */
export function allPeriods(trends: readonly (readonly TrendPeriod[])[]): TrendPeriod[] {
  const byLabel = new Map<string, TrendPeriod>();
  for (const t of trends) for (const p of t) if (!byLabel.has(p.label) || p.partial === false) byLabel.set(p.label, p);
  return [...byLabel.values()].sort((a, b) => a.start - b.start);
}

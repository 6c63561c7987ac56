/**
 * `usage -o chart`: the migration burndown. One line per channel (its requests per period, summed over
 * the resources), the retiring and breaking channels with traffic unless channels are named; the
 * retirement date is marked with ┊ when it falls inside the chart, else the caption says how far
 * after the last period it is. Drawn by render/chart.ts.
 */
import type { ChalkInstance } from 'chalk';
import { isEndOfLife, lifecycleLabel, RETIREMENT_DATE } from '../catalog/lifecycle.js';
import type { MetricDef } from '../catalog/types.js';
import { aggregationDef } from '../catalog/aggregations.js';
import { DEFAULT_ERRORS, type QueryResult, type ResultSeries } from '../core/model.js';
import { nextPeriod, periodStart, type TrendPeriod, type TrendUnit } from '../core/trend.js';
import type { UsageReport } from '../core/usage.js';
import { renderChart, type SeriesLook } from './chart.js';
import { formatNumber, formatMinute } from './format.js';
import { allPeriods, periodWords } from './trend.js';

export interface BurndownOptions {
  readonly color: ChalkInstance;
  readonly width: number;
  readonly height: number;
  /** Chart these channels (-m); default: every retiring or breaking channel with traffic. */
  readonly channels?: readonly MetricDef[] | undefined;
}

interface Line {
  readonly metric: MetricDef;
  /** Requests per period label, summed over resources (null: no data in any). */
  readonly byLabel: Map<string, number | null>;
}

function linesOf(report: UsageReport, channels: readonly MetricDef[] | undefined): Line[] {
  const lines = new Map<MetricDef, Line>();
  for (const ch of report.resources.flatMap((r) => r.channels)) {
    if (channels ? !channels.includes(ch.metric) : !isEndOfLife(ch.metric.lifecycle)) continue;
    const line = lines.get(ch.metric) ?? { metric: ch.metric, byLabel: new Map<string, number | null>() };
    for (const p of ch.trend) {
      const was = line.byLabel.get(p.label) ?? null;
      line.byLabel.set(p.label, p.requests === null ? was : (was ?? 0) + p.requests);
    }
    lines.set(ch.metric, line);
  }
  return [...lines.values()];
}

/** Where the retirement date stands: its period's index, or how many periods after the last one it is. */
function retirement(periods: readonly TrendPeriod[], unit: TrendUnit): { mark?: number; text: string } {
  const date = Date.parse(`${RETIREMENT_DATE}T00:00:00Z`);
  const inside = periods.findIndex((p) => date >= periodStart(p.start, unit) && date < p.end);
  if (inside !== -1) return { mark: inside, text: `┊ retirement ${RETIREMENT_DATE} (in ${periods[inside]!.label})` };
  const last = periods[periods.length - 1]!;
  if (date < periods[0]!.start) return { text: `retirement ${RETIREMENT_DATE}: before this window` };
  let n = 0;
  for (let t = periodStart(last.start, unit); t < periodStart(date, unit); t = nextPeriod(t, unit)) n++;
  return { text: `retirement ${RETIREMENT_DATE}: ${n} ${unit}${n === 1 ? '' : 's'} after ${last.label}` };
}

export function renderBurndownChart(report: UsageReport, opts: BurndownOptions): { text: string; notes: string[] } {
  const unit = report.trend as TrendUnit;
  const lines = linesOf(report, opts.channels);
  const periods = allPeriods(report.resources.flatMap((r) => r.channels.map((c) => c.trend)));
  const which = opts.channels ? 'the channels asked for' : 'retiring and breaking channels';
  const title = [`ACS migration burndown: requests per ${periodWords(unit)} of ${which}`, `${formatMinute(report.start)} – ${formatMinute(report.end)}`];
  if (lines.length === 0 || periods.length === 0) {
    return { text: `${title.join(' · ')}\nNo traffic on ${which} in the window.\n`, notes: [] };
  }
  const r = retirement(periods, unit);
  if (periods.some((p) => p.partial))
    title.push(
      `partial ${unit}s: ${periods
        .filter((p) => p.partial)
        .map((p) => p.label)
        .join(', ')}`,
    );
  title.push(r.text);
  const timestamps = periods.map((p) => periodStart(p.start, unit));
  const series = lines.map((l) => lineSeries(l, periods, timestamps));
  const chart = renderChart(asResult(report, lines[0]!.metric, unit, timestamps, series), {
    color: opts.color,
    width: opts.width,
    height: opts.height,
    fill: true,
    maxSeries: Math.max(series.length, 1),
    looks: lines.map((l, i) => lineLook(l, i, series[i]!, periods)),
    title,
    bucketLabels: periods.map((p) => p.label),
    ...(r.mark !== undefined ? { markBucket: r.mark } : {}),
  });
  // usage has no --top: fewer channels come from -m.
  return { text: chart.text, notes: chart.notes.map((n) => n.replace(/use --top (\d+)/, 'chart at most $1 channels with -m')) };
}

/** A channel's line as a series: its requests in each period (null: no data), and their total. */
function lineSeries(line: Line, periods: readonly TrendPeriod[], timestamps: readonly number[]): ResultSeries {
  const values = periods.map((p) => line.byLabel.get(p.label) ?? null);
  const total = values.reduce<number>((a, v) => a + (v ?? 0), 0);
  return { dimensions: {}, points: timestamps.map((timestamp, i) => ({ timestamp, value: values[i]! })), total, requests: total, errors: null };
}

/** A line's colour and legend: the channel, its lifecycle, and its requests in the first and last periods. */
function lineLook(line: Line, i: number, series: ResultSeries, periods: readonly TrendPeriod[]): SeriesLook {
  const v = series.points.map((p) => p.value);
  const first = `${v[0] === null ? '-' : formatNumber(v[0]!)} in ${periods[0]!.label}`;
  const last = `${v[v.length - 1] === null ? '-' : formatNumber(v[v.length - 1]!)} in ${periods[periods.length - 1]!.label}`;
  return { colour: i, dotted: false, label: `${line.metric.alias} (${lifecycleLabel(line.metric.lifecycle)}): ${first}, ${last}` };
}

/** The lines as the query result render/chart.ts draws: one bucket per period. */
function asResult(report: UsageReport, metric: MetricDef, unit: TrendUnit, timestamps: number[], series: ResultSeries[]): QueryResult {
  return {
    query: { metric, aggregation: aggregationDef('count'), filters: [], splitBy: [], interval: { kind: 'auto' }, range: {}, errors: DEFAULT_ERRORS },
    intervalMs: null,
    interval: unit === 'week' ? 'P1W' : 'P1M',
    start: report.start,
    end: report.end,
    timestamps,
    series,
    total: null,
    requests: null,
    errors: null,
    omittedSeries: 0,
    notes: [],
  };
}

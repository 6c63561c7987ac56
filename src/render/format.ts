/**
 * Number, percent, time and label formatting shared by the table and the chart. Pure; no colour here.
 * null always means "no data" and prints as "-", never as 0.
 */
import { isResourceDimension, resourceName } from '../catalog/resource.js';
import type { DimensionDef } from '../catalog/types.js';
import type { QueryResult, ResultSeries } from '../core/model.js';
import { groupThousands } from '../core/count-text.js';
import { minuteText } from '../core/time.js';

export const NO_DATA = '-';
/** Label of the one series of a query without --split-by. */
export const ALL_LABEL = '(all)';

const nf = (decimals: number): Intl.NumberFormat => new Intl.NumberFormat('en-US', { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
/** Made on first use: the first Intl.NumberFormat costs ~20 ms (ICU), which JSON and CSV output never need. */
let valueFormat: Intl.NumberFormat | undefined;

/** Avoids "-0" for values that round to zero. */
const noNegativeZero = (text: string): string => (/^-0(\.0*)?$/.test(text) ? text.slice(1) : text);

/** 1,234 / 12.35 / <0.01: thousands separators, at most 2 decimals; "-" for null. */
export function formatNumber(value: number | null): string {
  if (value === null || !Number.isFinite(value)) return NO_DATA;
  if (Number.isSafeInteger(value)) return groupThousands(value);
  if (value !== 0 && Math.abs(value) < 0.005) return value > 0 ? '<0.01' : '>-0.01';
  valueFormat ??= new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });
  return noNegativeZero(valueFormat.format(value));
}

/** A number with exactly `decimals` decimals and thousands separators (chart y labels). */
export function formatFixed(value: number, decimals: number): string {
  return noNegativeZero(nf(decimals).format(value));
}

/**
 * A ratio (0.25) as a percent: one decimal from 0.1% up ("25.0%", "2.5%"); below that two significant
 * digits without trailing zeros ("0.03%", "0.033%"), so a small error rate never shows as 0.0%.
 */
export function formatPercent(ratio: number | null): string {
  if (ratio === null || !Number.isFinite(ratio)) return NO_DATA;
  const p = ratio * 100;
  if (p === 0) return '0%';
  const abs = Math.abs(p);
  if (abs >= 0.1) return `${noNegativeZero(p.toFixed(1))}%`;
  if (abs < 0.0001) return p > 0 ? '<0.0001%' : '>-0.0001%';
  const decimals = 1 - Math.floor(Math.log10(abs));
  return `${p.toFixed(decimals).replace(/0+$/, '')}%`;
}

/** part / whole, or null when either is unknown or whole is 0. */
export function ratioOf(part: number | null, whole: number | null): number | null {
  if (part === null || whole === null || whole === 0) return null;
  return part / whole;
}

/** 2026-01-07T13:00Z: ISO 8601 UTC to the minute (seconds only when not zero). */
export function formatMinute(ms: number): string {
  const minute = minuteText(ms);
  if (minute !== undefined) return `${minute}Z`;
  const iso = new Date(ms).toISOString();
  return iso.slice(16, 23) === ':00.000' ? `${iso.slice(0, 16)}Z` : iso.replace(/\.000Z$/, 'Z');
}

/**
 * A dimension value as tables, charts and CSV show it: a resource by its name (the last segment of
 * its full id, which JSON keeps), "(unknown)" when the data does not name it; anything else as is.
 */
export function shownValue(dim: DimensionDef, value: string): string {
  if (!isResourceDimension(dim)) return value;
  return value === '' ? '(unknown)' : resourceName(value);
}

/** A series' value of one split dimension; "(none)" when the data has none. Not yet made safe. */
export function dimensionValue(series: ResultSeries, dim: DimensionDef): string {
  const v = series.dimensions[dim.name];
  if (isResourceDimension(dim)) return shownValue(dim, v ?? '');
  return v === undefined || v === '' ? '(none)' : v;
}

/** "SendChatMessage · 5xx" from the split dimensions' values; "(all)" without a split. Not yet made safe. */
export function seriesLabel(series: ResultSeries, splitBy: readonly DimensionDef[]): string {
  return splitBy.length === 0 ? ALL_LABEL : splitBy.map((d) => dimensionValue(series, d)).join(' · ');
}

/** The series' value at each timestamp (null where it has no point): never invented. */
export function seriesValues(series: ResultSeries, timestamps: readonly number[]): (number | null)[] {
  const byTime = new Map(series.points.map((p) => [p.timestamp, p.value]));
  return timestamps.map((t) => byTime.get(t) ?? null);
}

/** Whether a share of all requests means something for the query's aggregation (count or sum). */
export function isAdditive(result: QueryResult): boolean {
  const key = result.query.aggregation.key;
  return key === 'count' || key === 'total';
}

/**
 * The caption's parts, joined by " · " in one line or wrapped between parts:
 * `Chat API Requests (APIRequestChat)`, `count per PT1H`, `2026-01-07T00:00Z – 2026-01-08T00:00Z`,
 * and the filters when there are any (`Operation: SendChatMessage, GetChatMessage`). Not yet made safe.
 */
export function captionParts(result: QueryResult): string[] {
  const { metric, aggregation, filters } = result.query;
  const grain = result.intervalMs === null ? `${aggregation.label} over the window` : `${aggregation.label} per ${result.interval}`;
  const parts = [`${metric.displayName} (${metric.rest})`, grain, `${formatMinute(result.start)} – ${formatMinute(result.end)}`];
  for (const f of filters) parts.push(`${f.dimension.name}: ${f.values.map((v) => shownValue(f.dimension, v)).join(', ')}`);
  return parts;
}

export const CAPTION_SEPARATOR = ' · ';

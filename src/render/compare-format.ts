/** Formatting of changes shared by the comparison table, chart, JSON and the check reports. Pure. */
import type { Comparison } from '../core/compare.js';
import { formatTime } from '../core/time.js';
import { toIsoDuration } from '../core/duration.js';
import { formatMinute, formatNumber, NO_DATA } from './format.js';

/** +12 / -3 / 0 with thousands separators; "-" for null. */
export function formatSigned(value: number | null): string {
  if (value === null || !Number.isFinite(value)) return NO_DATA;
  const text = formatNumber(value);
  return value > 0 ? `+${text}` : text;
}

/** A relative change: +12.5% / -50.0% / 0%; "-" for null (no baseline to be relative to). */
export function formatChangePercent(ratio: number | null): string {
  if (ratio === null || !Number.isFinite(ratio)) return NO_DATA;
  const p = ratio * 100;
  if (p === 0) return '0%';
  const text = Math.abs(p) >= 0.1 ? p.toFixed(1) : p.toPrecision(2);
  return `${p > 0 ? '+' : ''}${text}%`;
}

/** A change of rates in percentage points (0.0123 -> +1.23pp); "-" for null. */
export function formatPoints(diff: number | null): string {
  if (diff === null || !Number.isFinite(diff)) return NO_DATA;
  const pp = diff * 100;
  if (pp === 0) return '0pp';
  const abs = Math.abs(pp);
  const text = abs >= 0.01 ? pp.toFixed(2) : pp.toPrecision(2);
  return `${pp > 0 ? '+' : ''}${text}pp`;
}

/** "baseline 2026-01-06T00:00Z – 2026-01-07T00:00Z (P1D earlier)": a caption part. */
export function baselineCaption(c: Comparison): string {
  return `baseline ${formatMinute(c.baseline.start)} – ${formatMinute(c.baseline.end)} (${toIsoDuration(c.shiftMs)} earlier)`;
}

/** "2026-01-06T00:00:00Z - 2026-01-07T00:00:00Z" */
export const windowText = (w: { start: number; end: number }): string => `${formatTime(w.start)} - ${formatTime(w.end)}`;

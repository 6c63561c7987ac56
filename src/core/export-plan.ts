/**
 * What `acs-metrics export` fetches and where each piece goes: one file per resource, metric and
 * window of at most 30 days (the most Azure answers reliably at PT1M), every dimension split. Pure:
 * the same resources, metrics, window and grain always give the same items and file names, so that
 * an interrupted export continues where it stopped and gives byte-identical files.
 */
import type { MetricDef } from '../catalog/types.js';
import { toIsoDuration } from './duration.js';
import { splitWindow, type Window } from './window.js';

const DAY = 86_400_000;
/** The longest window one request asks for. */
export const EXPORT_WINDOW_MS = 30 * DAY;

export interface ExportResource {
  /** The full id, with its leading slash. */
  readonly id: string;
  readonly subscription: string;
  readonly resourceGroup: string;
  readonly name: string;
}

export interface ExportItem {
  readonly resource: string;
  readonly metric: string;
  readonly start: number;
  readonly end: number;
  /** The file, relative to the export folder, with "/" separators. */
  readonly file: string;
}

/** A path segment that every file system takes: letters, digits, dot, dash and underscore. */
const segment = (text: string): string => text.replace(/[^A-Za-z0-9._-]/g, '_');
/** 2026-01-07T13:00Z as a file-name part: 20260107T1300Z. */
const stamp = (ms: number): string => new Date(ms).toISOString().slice(0, 16).replace(/[-:]/g, '') + 'Z';

export function itemFile(resource: ExportResource, metric: MetricDef, w: Window, grainMs: number): string {
  const parts = [resource.subscription, resource.resourceGroup, resource.name].map(segment);
  return `${parts.join('/')}/${metric.rest}/${stamp(w.start)}-${stamp(w.end)}-${toIsoDuration(grainMs)}.json`;
}

/** Every item of an export, resource by resource, metric by metric, oldest window first. */
export function exportItems(resources: readonly ExportResource[], metrics: readonly MetricDef[], window: Window, grainMs: number): ExportItem[] {
  const windows = splitWindow(window, EXPORT_WINDOW_MS);
  return resources.flatMap((r) =>
    metrics.flatMap((m) => windows.map((w) => ({ resource: r.id, metric: m.rest, start: w.start, end: w.end, file: itemFile(r, m, w, grainMs) }))),
  );
}

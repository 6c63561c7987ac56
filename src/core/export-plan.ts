/**
 * What `acs-metrics export` fetches and where each piece goes. An export is a set of series (resource,
 * metric), each covered by files in time order: settled files, which never change once written, and
 * at most one tail file (the last TAIL_MS, which Azure may still fill in late), which the next run
 * fetches again and replaces. A run extends every series from where its settled data ends up to the
 * run's end, in requests of at most 30 days (the most Azure answers reliably at PT1M); each response
 * is cut into the settled part and the new tail. Pure: the same state, selection and end always give
 * the same items and file names, so that an interrupted run continues with byte-identical files.
 */
import type { MetricDef } from '../catalog/types.js';
import { toIsoDuration } from './duration.js';
import { splitWindow, type Window } from './window.js';

const DAY = 86_400_000;
/** The longest window one request asks for. */
export const EXPORT_WINDOW_MS = 30 * DAY;
/** The trailing overlap: the last 3 hours of a run are fetched again, and replaced, by the next run. */
export const TAIL_MS = 3 * 3_600_000;
/** How far back Azure keeps platform metrics. */
export const RETENTION_MS = 93 * DAY;

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
  /** The request this item's data comes from (it may hold another item too). */
  readonly fetch: { readonly start: number; readonly end: number };
  /** A tail: fetched again and replaced by the next run. */
  tail?: boolean;
  /** The old tail files this item (with the others of its request) replaces once they are all written. */
  replaces?: string[];
}

/** A span of one series that can no longer be exported (Azure no longer holds it). */
export interface ExportGap {
  readonly resource: string;
  readonly metric: string;
  readonly start: number;
  readonly end: number;
}

/** A path segment that every file system takes: letters, digits, dot, dash and underscore. */
const segment = (text: string): string => text.replace(/[^A-Za-z0-9._-]/g, '_');
/** 2026-01-07T13:00Z as a file-name part: 20260107T1300Z. */
const stamp = (ms: number): string => new Date(ms).toISOString().slice(0, 16).replace(/[-:]/g, '') + 'Z';

/** The folder of a resource's files, relative to the export folder. */
export function resourceFolder(resource: ExportResource): string {
  return [resource.subscription, resource.resourceGroup, resource.name].map(segment).join('/');
}

/** How an export stores its data: Metrics API bodies, or Parquet files in Hive partitions. */
export type ExportFormat = 'json' | 'parquet';

/** 2026-01 for a time in January 2026 (UTC). */
export const monthOf = (ms: number): string => new Date(ms).toISOString().slice(0, 7);

/**
 * A settled file: `<sub>/<group>/<name>/<metric>/<start>-<end>-<grain>.json`, or in Parquet
 * `metric=<metric>/month=<YYYY-MM>/part-<sub>.<group>.<name>.<start>-<end>-<grain>.parquet`;
 * a tail has `-tail` before the extension (never a settled file's name).
 */
export function itemFile(resource: ExportResource, metric: MetricDef, w: Window, grainMs: number, tail = false, format: ExportFormat = 'json'): string {
  const span = `${stamp(w.start)}-${stamp(w.end)}-${toIsoDuration(grainMs)}${tail ? '-tail' : ''}`;
  if (format === 'json') return `${resourceFolder(resource)}/${metric.rest}/${span}.json`;
  const who = [resource.subscription, resource.resourceGroup, resource.name].map(segment).join('.');
  return `metric=${metric.rest}/month=${monthOf(w.start)}/part-${who}.${span}.parquet`;
}

/**
 * Where [start, end) is cut into months: the first bucket start of each month after start's (buckets
 * on the grid origin + k grains), so that every bucket lies in the month it starts in.
 */
export function monthStarts(start: number, end: number, origin: number, grainMs: number): number[] {
  const out: number[] = [];
  const d = new Date(start);
  for (let month = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1); ;) {
    const cut = origin + Math.ceil((month - origin) / grainMs) * grainMs;
    if (cut >= end) return out;
    if (cut > start) out.push(cut);
    const n = new Date(month);
    month = Date.UTC(n.getUTCFullYear(), n.getUTCMonth() + 1, 1);
  }
}

export interface ExtendInput {
  /** The items already planned (any state). */
  readonly items: readonly ExportItem[];
  /** The export's first minute: every bucket starts on its grid (start + k grains). */
  readonly origin: number;
  readonly grainMs: number;
  readonly resources: readonly ExportResource[];
  readonly metrics: readonly MetricDef[];
  /** This run's end (a whole minute). */
  readonly end: number;
  /** The first minute Azure still holds (now - 93 days). */
  readonly oldest: number;
  /** Parquet files are cut at month boundaries too (one month partition each). */
  readonly format?: ExportFormat;
  /**
   * Series (`<resource id, lower case>|<metric>`) with files not written yet (a failed request):
   * they are not extended until those are, so that no two plans of a series overlap.
   */
  readonly unfinished?: ReadonlySet<string>;
}

export interface Extension {
  readonly items: ExportItem[];
  readonly gaps: ExportGap[];
  /** Tails that can no longer be fetched again: they become settled as they are. */
  readonly settled: ExportItem[];
}

/**
 * The items that bring every series of the selection up to `end`: a series new to the export gets
 * its whole window (from the export's start, or the oldest minute Azure holds); a known one continues
 * where its settled data ends, replacing its tail. What lies before `oldest` is a gap.
 */
export function planExtension(input: ExtendInput): Extension {
  const { origin, grainMs, end } = input;
  const floorGrid = (t: number): number => origin + Math.floor((t - origin) / grainMs) * grainMs;
  const ceilGrid = (t: number): number => origin + Math.ceil((t - origin) / grainMs) * grainMs;
  const out: Extension = { items: [], gaps: [], settled: [] };
  for (const r of input.resources) {
    for (const m of input.metrics) {
      if (input.unfinished?.has(`${r.id.toLowerCase()}|${m.rest}`)) continue;
      const own = input.items.filter((i) => i.metric === m.rest && i.resource.toLowerCase() === r.id.toLowerCase());
      const last = own.reduce<ExportItem | undefined>((a, b) => (a === undefined || b.end > a.end ? b : a), undefined);
      if (last !== undefined && last.end >= end) continue;
      let from: number;
      let replaces: string[] | undefined;
      if (last === undefined) {
        from = ceilGrid(Math.max(origin, input.oldest));
      } else {
        // The tail: one file, or one per month in Parquet.
        const tails = own.filter((i) => i.tail);
        const tailStart = Math.min(...tails.map((t) => t.start));
        let settledEnd = last.end;
        if (tails.length > 0 && tailStart >= input.oldest) {
          settledEnd = tailStart;
          replaces = tails.map((t) => t.file);
        } else {
          out.settled.push(...tails);
        }
        from = ceilGrid(Math.max(settledEnd, input.oldest));
        if (from > settledEnd) out.gaps.push({ resource: r.id, metric: m.rest, start: settledEnd, end: from });
      }
      if (from >= end) continue;
      const settledEnd = Math.max(from, floorGrid(end - TAIL_MS));
      const cutMonths = input.format === 'parquet' ? (w: Window) => monthStarts(w.start, w.end, origin, grainMs) : () => [];
      out.items.push(...seriesItems(r, m, { start: from, end }, settledEnd, grainMs, input.format ?? 'json', cutMonths, replaces));
    }
  }
  return out;
}

/**
 * The items of one series over `w`: requests of at most 30 days over the settled part [w.start,
 * settledEnd), the last one stretched to the end when the tail fits in it; each request gives a
 * settled item and, the last, the tail.
 */
function seriesItems(
  r: ExportResource,
  m: MetricDef,
  w: Window,
  settledEnd: number,
  grainMs: number,
  format: ExportFormat,
  cutMonths: (w: Window) => number[],
  replaces?: string[],
): ExportItem[] {
  const fetches = settledEnd > w.start ? splitWindow({ start: w.start, end: settledEnd }, EXPORT_WINDOW_MS) : [];
  const lastFetch = fetches.at(-1);
  if (lastFetch && w.end - lastFetch.start <= EXPORT_WINDOW_MS) fetches[fetches.length - 1] = { start: lastFetch.start, end: w.end };
  else if (w.end > settledEnd) fetches.push({ start: settledEnd, end: w.end });
  const items: ExportItem[] = [];
  for (const f of fetches) {
    const cuts = [...new Set([f.start, ...cutMonths(f), settledEnd, f.end])].filter((t) => t >= f.start && t <= f.end).sort((a, b) => a - b);
    for (let k = 0; k + 1 < cuts.length; k++) {
      const part = { start: cuts[k]!, end: cuts[k + 1]! };
      const tail = part.start >= settledEnd;
      const item: ExportItem = {
        resource: r.id,
        metric: m.rest,
        start: part.start,
        end: part.end,
        file: itemFile(r, m, part, grainMs, tail, format),
        fetch: f,
      };
      if (tail) item.tail = true;
      if (replaces !== undefined && f === fetches[0]) item.replaces = replaces;
      items.push(item);
    }
  }
  return items;
}

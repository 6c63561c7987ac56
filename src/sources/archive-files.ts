/**
 * Which files of a folder `--fixture DIR` reads when the folder is an export (it has a manifest) or
 * a Parquet archive (it holds *.parquet files):
 * - an export: the files its manifest lists as done, never a file a run is still writing or has
 *   replaced (a tail), nor anything else in the folder;
 * - Parquet: only the partitions the queries need: the metric=<name> folders of the metrics asked
 *   for, and with a manifest, only the month=<YYYY-MM> folders that can hold the queries' windows.
 */
import { metricByRestName } from '../catalog/resolve.js';
import type { Query } from '../core/model.js';
import type { ArchiveStore } from './archive-store.js';
import { type Manifest, readManifest } from './export-store.js';

const DAY = 86_400_000;

export interface ArchiveListing {
  readonly format: 'json' | 'parquet';
  /** Paths relative to the folder, "/"-separated, in path order. */
  readonly files: readonly string[];
  /** The files of the archive before pruning. */
  readonly total: number;
}

/** The files to read of an export or Parquet archive; undefined for any other folder. */
export async function archiveFiles(store: ArchiveStore, queries: readonly Query[], signal?: AbortSignal): Promise<ArchiveListing | undefined> {
  const manifest = await readManifest(store);
  const parquet = manifest ? [] : (await store.list(signal)).filter((f) => f.toLowerCase().endsWith('.parquet'));
  const format = manifest ? (manifest.format ?? 'json') : parquet.length > 0 ? 'parquet' : undefined;
  if (format === undefined) return undefined;
  // A compacted month is one file that several items name.
  let files = manifest ? [...new Set(manifest.items.filter((i) => i.status === 'done').map((i) => i.file))] : parquet;
  const total = files.length;
  if (format === 'parquet') {
    const metrics = new Set(queries.map((q) => q.metric.rest.toLowerCase()));
    const from = manifest ? earliestNeeded(manifest, queries) : undefined;
    const until = latestNeeded(queries);
    files = files.filter((f) => {
      const [metric, month] = partitions(`${store.location}/${f}`);
      if (queries.length > 0 && (metric === undefined || !metrics.has(metric.toLowerCase()))) return false;
      if (month === undefined || !/^\d{4}-\d{2}$/.test(month)) return true;
      const [y, m] = [Number(month.slice(0, 4)), Number(month.slice(5, 7))];
      return (from === undefined || Date.UTC(y, m, 1) > from) && (until === undefined || Date.UTC(y, m - 1, 1) < until);
    });
  }
  return { format, files: files.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)), total };
}

/** The metric=<name> and month=<YYYY-MM> parts of an archive file's path (the innermost of each). */
function partitions(file: string): [string | undefined, string | undefined] {
  const parts = file.split('/').reverse();
  const value = (key: string) => parts.find((p) => p.startsWith(`${key}=`))?.slice(key.length + 1);
  return [value('metric'), value('month')];
}

/**
 * The earliest instant any query can need (undefined: all of the data). A window counted back from
 * the end of the data ends, for files, at the end of the metric's latest file; a day is kept in
 * hand for the snapping of windows to whole buckets.
 */
function earliestNeeded(manifest: Manifest, queries: readonly Query[]): number | undefined {
  let earliest = Number.POSITIVE_INFINITY;
  for (const q of queries) {
    if (q.range.start !== undefined) earliest = Math.min(earliest, q.range.start - DAY);
    else if (q.range.sinceMs !== undefined) {
      const ends = manifest.items.filter((i) => i.status === 'done' && metricByRestName(i.metric) === q.metric).map((i) => i.end);
      if (ends.length === 0) return undefined;
      earliest = Math.min(earliest, (q.range.end ?? Math.max(...ends)) - q.range.sinceMs - DAY);
    } else return undefined;
  }
  return Number.isFinite(earliest) ? earliest : undefined;
}

/** The latest instant any query can need (undefined: up to the end of the data). */
function latestNeeded(queries: readonly Query[]): number | undefined {
  let latest = Number.NEGATIVE_INFINITY;
  for (const q of queries) {
    if (q.range.end === undefined) return undefined;
    latest = Math.max(latest, q.range.end + DAY);
  }
  return Number.isFinite(latest) ? latest : undefined;
}

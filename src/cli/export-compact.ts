/**
 * Compaction of a Parquet archive: once a month of a metric is settled (every file of it written,
 * none a tail, and the month over for every series still extended), its files, one per resource and
 * run, become one file for the month (`part-compact-<YYYY-MM>-<parts>.parquet`, the parts of every
 * resource in its key-value metadata), so that a year is read from a few hundred files, not one per
 * resource and day. The manifest keeps one item per part, all naming the new file; it switches to
 * the new file in one write, then the old files are removed. A new file never takes an old one's name
 * (the part count grows), so a killed compaction leaves the archive as it was.
 */
import { ARCHIVE_COLUMNS, type ArchiveFileInfo, type Column } from '../core/archive-rows.js';
import { monthOf } from '../core/export-plan.js';
import type { ArchiveStore } from '../sources/archive-store.js';
import { type Manifest, type ManifestItem, removeObsolete, writeItem, writeManifest } from '../sources/export-store.js';
import { DataError } from '../errors.js';
import { version } from '../version.js';

/** Compacts every settled month of every metric that has more than one file; returns the files removed. */
export async function compactMonths(dir: ArchiveStore, manifest: Manifest, signal?: AbortSignal): Promise<number> {
  if (manifest.format !== 'parquet') return 0;
  const groups = new Map<string, ManifestItem[]>();
  for (const i of manifest.items) {
    const key = `${i.metric}|${monthOf(i.start)}`;
    groups.set(key, [...(groups.get(key) ?? []), i]);
  }
  let removed = 0;
  for (const [key, items] of groups) {
    const [metric, month] = key.split('|') as [string, string];
    const files = [...new Set(items.map((i) => i.file))];
    if (files.length < 2 || !settled(manifest, metric, items)) continue;
    removed += await compact(dir, manifest, metric, month, items, files, signal);
  }
  return removed;
}

/** Every file of the month written and settled, and the month over for each series still extended. */
function settled(manifest: Manifest, metric: string, items: readonly ManifestItem[]): boolean {
  if (items.some((i) => i.status !== 'done' || i.tail)) return false;
  const d = new Date(items[0]!.start);
  const monthEnd = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
  if (!manifest.metrics.includes(metric)) return true;
  return manifest.resources.every((r) => {
    const own = manifest.items.filter((i) => i.metric === metric && i.resource.toLowerCase() === r.toLowerCase());
    return own.length === 0 || own.some((i) => !i.tail && i.status === 'done' && i.end >= monthEnd);
  });
}

async function compact(
  dir: ArchiveStore,
  manifest: Manifest,
  metric: string,
  month: string,
  items: ManifestItem[],
  files: string[],
  signal?: AbortSignal,
): Promise<number> {
  const { encodeParquet, readParquetRows } = await import('../sources/parquet-archive.js');
  const parts: ArchiveFileInfo[] = [];
  const columns: Column[] = ARCHIVE_COLUMNS.map((c) => ({ ...c, data: [] }));
  const ordered = [...items].sort((a, b) => (a.resource < b.resource ? -1 : a.resource > b.resource ? 1 : a.start - b.start));
  const read = new Map<string, Awaited<ReturnType<typeof readParquetRows>>>();
  for (const item of ordered) {
    let content = read.get(item.file);
    if (content === undefined) {
      const bytes = await dir.read(item.file, signal);
      if (bytes === undefined)
        throw new DataError(`${dir.name(item.file)}: missing, though the manifest lists it: check with acs-metrics export --verify ${dir.shown}`);
      content = await readParquetRows(bytes, item.file);
      read.set(item.file, content);
    }
    for (const part of content.parts.filter(
      (p) => p.resource.toLowerCase() === item.resource.toLowerCase() && Date.parse(p.start) >= item.start && Date.parse(p.end) <= item.end,
    )) {
      parts.push(part);
      const [start, end] = [Date.parse(part.start), Date.parse(part.end)];
      for (const row of content.rows) {
        const t = (row.timestamp as Date).getTime();
        if (row.resource_id !== part.resource || t < start || t >= end) continue;
        for (const c of columns) c.data.push((row[c.name] ?? null) as Column['data'][number]);
      }
    }
  }
  const file = `metric=${metric}/month=${month}/part-compact-${month}-${parts.length}.parquet`;
  const data = await encodeParquet(columns, parts, `acs-metrics ${version()}`);
  const written = await writeItem(dir, { file } as ManifestItem, data, signal);
  for (const item of items) Object.assign(item, { file, ...written });
  manifest.obsolete = [...(manifest.obsolete ?? []), ...files.filter((f) => f !== file)];
  await writeManifest(dir, manifest);
  await removeObsolete(dir, manifest);
  return files.length;
}

/**
 * `acs-metrics export DIR --format parquet --from SRC`: a json export converted to a Parquet archive
 * without fetching anything. Each file of SRC becomes one Parquet file per month it spans; files SRC
 * has not fetched yet (pending or failed) are planned in DIR, so that `export DIR` fetches them. DIR
 * then extends like any export.
 */
import { itemFile, monthStarts } from '../core/export-plan.js';
import type { BatchEntry } from '../core/export-split.js';
import { formatTime } from '../core/time.js';
import { DataError, EXIT, UsageError } from '../errors.js';
import type { ArchiveStore } from '../sources/archive-store.js';
import { openArchiveStore } from '../sources/open-store.js';
import { type Manifest, MANIFEST, type ManifestItem, readManifest, writeItem, writeManifest } from '../sources/export-store.js';
import { parseResourceId } from '../sources/azure/resource-id.js';
import { metricByRestName } from '../catalog/resolve.js';
import { parseDuration } from '../core/duration.js';
import { version } from '../version.js';
import type { Context } from './context.js';
import { compactMonths } from './export-compact.js';
import { encodeItem } from './export-run.js';

export async function convertExport(dir: ArchiveStore, shownDir: string, from: string, ctx: Context): Promise<number> {
  const src = await openArchiveStore(from, ctx.io.cwd, ctx.io.env);
  const shownSrc = src.shown;
  const source = await readManifest(src);
  if (source === undefined) throw new UsageError(`--from ${shownSrc}: no acs-metrics export here (no ${MANIFEST})`);
  if ((source.format ?? 'json') !== 'json') throw new UsageError(`--from ${shownSrc}: already a ${source.format} export`);
  if (source.items.some((i) => i.replaces !== undefined))
    throw new UsageError(`--from ${shownSrc}: a run of it was interrupted; finish it first (acs-metrics export ${shownSrc})`);
  if ((await readManifest(dir)) !== undefined || !(await dir.isEmpty())) throw new UsageError(`${shownDir} is not empty: convert to a new or empty folder`);
  await dir.prepare();
  const releaseSource = await src.lock({ now: ctx.io.now(), signal: ctx.io.signal });
  try {
    const release = await dir.lock({ now: ctx.io.now(), signal: ctx.io.signal });
    try {
      const stamp = formatTime(ctx.io.now().getTime());
      const manifest: Manifest = {
        ...source,
        schemaVersion: 2,
        tool: `acs-metrics ${version()}`,
        format: 'parquet',
        created: stamp,
        updated: stamp,
        items: [],
        gaps: source.gaps ? [...source.gaps] : undefined,
      };
      const grainMs = parseDuration(source.grain)!;
      for (const item of source.items) {
        const entry = item.status === 'done' ? await readEntry(src, item) : undefined;
        for (const part of monthParts(item, Date.parse(source.window.start), grainMs)) {
          const r = parseResourceId(item.resource);
          const file = itemFile({ ...r, id: item.resource }, metricByRestName(item.metric)!, part, grainMs, item.tail === true, 'parquet');
          const converted: ManifestItem = {
            resource: item.resource,
            metric: item.metric,
            start: part.start,
            end: part.end,
            file,
            fetch: item.fetch,
            status: 'pending',
          };
          if (item.tail) converted.tail = true;
          if (entry !== undefined) {
            Object.assign(converted, {
              status: 'done',
              ...(await writeItem(dir, converted, await encodeItem(manifest, entry, entry.value[0]!, converted, item), ctx.io.signal)),
            });
          }
          manifest.items.push(converted);
        }
      }
      await writeManifest(dir, manifest);
      await compactMonths(dir, manifest, ctx.io.signal);
      const done = new Set(manifest.items.filter((i) => i.status === 'done').map((i) => i.file)).size;
      const todo = manifest.items.filter((i) => i.status !== 'done').length;
      ctx.note(`converted ${shownSrc} to Parquet in ${shownDir}: ${done} files${todo > 0 ? `, ${todo} to fetch (run: acs-metrics export ${shownDir})` : ''}`);
      return EXIT.OK;
    } finally {
      await release();
    }
  } finally {
    await releaseSource();
  }
}

/** An item's window cut at month boundaries. */
function monthParts(item: { start: number; end: number }, origin: number, grainMs: number): { start: number; end: number }[] {
  const cuts = [item.start, ...monthStarts(item.start, item.end, origin, grainMs), item.end];
  return cuts.slice(1).map((end, k) => ({ start: cuts[k]!, end }));
}

async function readEntry(src: ArchiveStore, item: ManifestItem): Promise<BatchEntry> {
  try {
    const bytes = await src.read(item.file);
    if (bytes === undefined) throw new Error('missing, though the manifest lists it');
    const body = JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8')) as { values?: BatchEntry[] };
    const entry = body.values?.[0];
    if (!entry || !Array.isArray(entry.value) || entry.value.length !== 1) throw new Error('not one metric of one resource');
    return entry;
  } catch (err) {
    if (err instanceof DataError) throw err;
    throw new DataError(`cannot convert ${src.name(item.file)}: ${(err as Error).message.split('\n')[0]}`, { cause: err });
  }
}

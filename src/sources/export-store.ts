/**
 * The files of an export folder: one Metrics - List body per resource, metric and window (replayable
 * with --fixture), and a manifest that records the plan, what is done, and a sha256 of every file.
 * Every file and every manifest update is written atomically, so an interrupted export never leaves a
 * half-written file and continues where it stopped.
 */
import type * as Crypto from 'node:crypto';
import { createRequire } from 'node:module';
import { posix } from 'node:path';
import type { ExportFormat, ExportGap, ExportItem } from '../core/export-plan.js';
import { CliError, DataError } from '../errors.js';
import type { ArchiveStore } from './archive-store.js';

/** The manifest's name: JSON, but not *.json, so that `--fixture DIR` reads only the data files. */
export const MANIFEST = 'acs-metrics-export.manifest';

export interface ManifestItem extends ExportItem {
  status: 'pending' | 'done' | 'failed';
  sha256?: string;
  bytes?: number;
  error?: string;
}

/** A span lost for good, as the manifest records it (UTC times). */
export interface ManifestGap {
  readonly resource: string;
  readonly metric: string;
  readonly start: string;
  readonly end: string;
  /** When the run that found it ran. */
  readonly found: string;
}

export interface Manifest {
  schemaVersion: 1 | 2;
  tool: string;
  readonly created: string;
  updated: string;
  /** The export's window (UTC): its first minute, and the end of the latest run. */
  window: { readonly start: string; end: string };
  readonly grain: string;
  /** How the data is stored (default json). */
  format?: ExportFormat;
  /** The trailing overlap each run fetches again and replaces (ISO 8601). */
  overlap?: string;
  /** The selection of the latest run (full ids) and metrics (REST names); others are kept, not extended. */
  resources: string[];
  metrics: string[];
  /** Metrics - List requests made so far, over every run. */
  requests: number;
  items: ManifestItem[];
  /** Spans that can no longer be exported (the export was not run within 93 days). */
  gaps?: ManifestGap[];
  /** Files no longer part of the export, removed after this manifest is written. */
  obsolete?: string[];
}

export type { ExportGap };

/** node:crypto, loaded at the first hash: a query reading an export's files does not load it (start-up time). */
let crypto: typeof Crypto | undefined;
export const sha256 = (data: string | Uint8Array): string => {
  crypto ??= createRequire(import.meta.url)('node:crypto') as typeof Crypto;
  return (typeof data === 'string' ? crypto.createHash('sha256').update(data, 'utf8') : crypto.createHash('sha256').update(data)).digest('hex');
};

/** The manifest of an archive; undefined when it has none (or does not exist). */
export async function readManifest(store: ArchiveStore): Promise<Manifest | undefined> {
  const shown = store.name(MANIFEST);
  let bytes: Uint8Array | undefined;
  try {
    bytes = await store.read(MANIFEST);
  } catch (err) {
    if (err instanceof CliError) throw err;
    throw new DataError(`cannot read ${shown}: ${(err as Error).message}`, { cause: err });
  }
  if (bytes === undefined) return undefined;
  let doc: unknown;
  try {
    doc = JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8'));
  } catch {
    throw new DataError(`${shown}: not valid JSON: the export's manifest is damaged`);
  }
  const m = doc as Partial<Manifest>;
  if ((m?.schemaVersion !== 1 && m?.schemaVersion !== 2) || !Array.isArray(m.items) || typeof m.grain !== 'string' || !m.window) {
    throw new DataError(`${shown}: not an acs-metrics export manifest (schema version 1 or 2)`);
  }
  // Version 1 had one request per file and no tails.
  for (const item of m.items) if (item.fetch === undefined) Object.assign(item, { fetch: { start: item.start, end: item.end } });
  return m as Manifest;
}

/** Removes files of the export that the manifest no longer lists (its `obsolete` list), then forgets them. */
export async function removeObsolete(store: ArchiveStore, manifest: Manifest): Promise<void> {
  const keep = new Set(manifest.items.map((i) => i.file));
  for (const file of manifest.obsolete ?? []) if (!keep.has(file)) await store.remove(file);
  delete manifest.obsolete;
}

/**
 * Removes the temp files a killed run left beside the export's own files (an item's file, the
 * manifest): only names of our own pattern (see save.ts), for files the export writes, of a process
 * that is gone. Returns how many were removed.
 */
export async function removeStaleTemps(store: ArchiveStore, manifest: Manifest, alive: (pid: number) => boolean): Promise<number> {
  const ours = new Map<string, Set<string>>([['', new Set([MANIFEST])]]);
  for (const item of manifest.items) {
    const folder = posix.dirname(item.file);
    ours.set(folder, (ours.get(folder) ?? new Set()).add(posix.basename(item.file)));
  }
  return store.removeStaleTemps(ours, alive);
}

export async function writeManifest(store: ArchiveStore, manifest: Manifest): Promise<void> {
  await store.write(MANIFEST, `${JSON.stringify(manifest, null, 2)}\n`);
}

/** Writes one item's file (folders made as needed); returns its sha256 and size. */
export async function writeItem(
  store: ArchiveStore,
  item: ExportItem,
  data: string | Uint8Array,
  signal?: AbortSignal,
): Promise<{ sha256: string; bytes: number }> {
  await store.write(item.file, data, signal);
  return { sha256: sha256(data), bytes: typeof data === 'string' ? Buffer.byteLength(data, 'utf8') : data.byteLength };
}

export interface Verification {
  /** Files whose content matches their recorded sha256. */
  readonly matched: number;
  /** Files checked (a compacted month, named by several items, counts once). */
  readonly files: number;
  readonly problems: readonly string[];
}

/** Checks every done file against its recorded sha256; pending and failed items are problems too. */
export async function verifyExport(store: ArchiveStore, manifest: Manifest): Promise<Verification> {
  const problems: string[] = [];
  let matched = 0;
  // A compacted month is one file that several items name: checked once.
  const once = [...new Map(manifest.items.map((i) => [`${i.status}|${i.file}`, i])).values()];
  for (const item of once) {
    if (item.status !== 'done') {
      problems.push(`${item.file}: ${item.status === 'failed' ? `failed: ${item.error ?? 'no reason recorded'}` : 'not exported yet'}`);
      continue;
    }
    let data: Uint8Array | undefined;
    try {
      data = await store.read(item.file);
    } catch (err) {
      if (err instanceof CliError) throw err;
      data = undefined;
    }
    if (data === undefined) problems.push(`${item.file}: missing`);
    else if (sha256(data) === item.sha256) matched++;
    else problems.push(`${item.file}: changed since it was exported (sha256 differs)`);
  }
  return { matched, files: once.length, problems };
}

/**
 * The files of an export folder: one Metrics - List body per resource, metric and window (replayable
 * with --fixture), and a manifest that records the plan, what is done, and a sha256 of every file.
 * Every file and every manifest update is written atomically, so an interrupted export never leaves a
 * half-written file and continues where it stopped.
 */
import type * as Crypto from 'node:crypto';
import { createRequire } from 'node:module';
import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { ExportFormat, ExportGap, ExportItem } from '../core/export-plan.js';
import { DataError } from '../errors.js';
import { safeText } from '../render/safe.js';
import { LOCK } from './export-lock.js';
import { writeOutputFile } from './save.js';

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

/** The manifest of a folder; undefined when the folder has none (or does not exist). */
export async function readManifest(dir: string): Promise<Manifest | undefined> {
  let text: string;
  try {
    text = await readFile(join(dir, MANIFEST), 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new DataError(`cannot read ${safeText(join(dir, MANIFEST))}: ${(err as Error).message}`, { cause: err });
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw new DataError(`${safeText(join(dir, MANIFEST))}: not valid JSON: the export's manifest is damaged`);
  }
  const m = doc as Partial<Manifest>;
  if ((m?.schemaVersion !== 1 && m?.schemaVersion !== 2) || !Array.isArray(m.items) || typeof m.grain !== 'string' || !m.window) {
    throw new DataError(`${safeText(join(dir, MANIFEST))}: not an acs-metrics export manifest (schema version 1 or 2)`);
  }
  // Version 1 had one request per file and no tails.
  for (const item of m.items) if (item.fetch === undefined) Object.assign(item, { fetch: { start: item.start, end: item.end } });
  return m as Manifest;
}

/** Removes files of the export that the manifest no longer lists (its `obsolete` list), then forgets them. */
export async function removeObsolete(dir: string, manifest: Manifest): Promise<void> {
  const keep = new Set(manifest.items.map((i) => i.file));
  for (const file of manifest.obsolete ?? []) if (!keep.has(file)) await rm(join(dir, ...file.split('/')), { force: true });
  delete manifest.obsolete;
}

/** Our temp files: `.<name>.<pid>.<8 hex>.tmp` beside <name> (see save.ts). */
const TEMP = /^\.(.+)\.(\d+)\.[0-9a-f]{8}\.tmp$/;

/**
 * Removes the temp files a killed run left beside the export's own files (an item's file, the
 * manifest): only names of our own pattern, for files the export writes, of a process that is gone.
 * Returns how many were removed.
 */
export async function removeStaleTemps(dir: string, manifest: Manifest, alive: (pid: number) => boolean): Promise<number> {
  const ours = new Map<string, Set<string>>([['', new Set([MANIFEST])]]);
  for (const item of manifest.items) {
    const folder = dirname(item.file);
    ours.set(folder, (ours.get(folder) ?? new Set()).add(basename(item.file)));
  }
  let removed = 0;
  for (const [folder, names] of ours) {
    const path = folder === '' || folder === '.' ? dir : join(dir, ...folder.split('/'));
    const entries = await readdir(path).catch(() => [] as string[]);
    for (const entry of entries) {
      const m = TEMP.exec(entry);
      if (!m || !names.has(m[1]!) || Number(m[2]) === process.pid || alive(Number(m[2]))) continue;
      await rm(join(path, entry), { force: true });
      removed++;
    }
  }
  return removed;
}

export async function writeManifest(dir: string, manifest: Manifest): Promise<void> {
  await mkdir(dir, { recursive: true });
  await writeOutputFile(join(dir, MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`, { shown: safeText(join(dir, MANIFEST)) });
}

/** Whether a folder is missing or empty (an export may start there); a lock left by a killed first run does not count. */
export async function isEmptyFolder(dir: string): Promise<boolean> {
  try {
    return (await readdir(dir)).every((name) => name === LOCK);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return true;
    if ((err as NodeJS.ErrnoException).code === 'ENOTDIR') throw new DataError(`cannot export to ${safeText(dir)}: not a folder`);
    throw new DataError(`cannot read ${safeText(dir)}: ${(err as Error).message}`, { cause: err });
  }
}

/** Writes one item's file (folders made as needed); returns its sha256 and size. */
export async function writeItem(dir: string, item: ExportItem, data: string | Uint8Array, signal?: AbortSignal): Promise<{ sha256: string; bytes: number }> {
  const path = join(dir, ...item.file.split('/'));
  await mkdir(dirname(path), { recursive: true });
  await writeOutputFile(path, data, { signal, shown: safeText(path) });
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
export async function verifyExport(dir: string, manifest: Manifest): Promise<Verification> {
  const problems: string[] = [];
  let matched = 0;
  // A compacted month is one file that several items name: checked once.
  const once = [...new Map(manifest.items.map((i) => [`${i.status}|${i.file}`, i])).values()];
  for (const item of once) {
    if (item.status !== 'done') {
      problems.push(`${item.file}: ${item.status === 'failed' ? `failed: ${item.error ?? 'no reason recorded'}` : 'not exported yet'}`);
      continue;
    }
    let text: Buffer;
    try {
      text = await readFile(join(dir, ...item.file.split('/')));
    } catch {
      problems.push(`${item.file}: missing`);
      continue;
    }
    if (sha256(text) === item.sha256) matched++;
    else problems.push(`${item.file}: changed since it was exported (sha256 differs)`);
  }
  return { matched, files: once.length, problems };
}

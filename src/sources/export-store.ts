/**
 * The files of an export folder: one Metrics - List body per resource, metric and window (replayable
 * with --fixture), and a manifest that records the plan, what is done, and a sha256 of every file.
 * Every file and every manifest update is written atomically, so an interrupted export never leaves a
 * half-written file and continues where it stopped.
 */
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { ExportItem } from '../core/export-plan.js';
import { DataError } from '../errors.js';
import { safeText } from '../render/safe.js';
import { writeOutputFile } from './save.js';

/** The manifest's name: JSON, but not *.json, so that `--fixture DIR` reads only the data files. */
export const MANIFEST = 'acs-metrics-export.manifest';

export interface ManifestItem extends ExportItem {
  status: 'pending' | 'done' | 'failed';
  sha256?: string;
  bytes?: number;
  error?: string;
}

export interface Manifest {
  readonly schemaVersion: 1;
  readonly tool: string;
  readonly created: string;
  updated: string;
  /** The export's window (UTC) and grain, resources (full ids) and metrics (REST names). */
  readonly window: { readonly start: string; readonly end: string };
  readonly grain: string;
  readonly resources: readonly string[];
  readonly metrics: readonly string[];
  /** Metrics - List requests made so far, over every run. */
  requests: number;
  readonly items: ManifestItem[];
}

export const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

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
  if (m?.schemaVersion !== 1 || !Array.isArray(m.items) || typeof m.grain !== 'string' || !m.window) {
    throw new DataError(`${safeText(join(dir, MANIFEST))}: not an acs-metrics export manifest (schema version 1)`);
  }
  return m as Manifest;
}

export async function writeManifest(dir: string, manifest: Manifest): Promise<void> {
  await mkdir(dir, { recursive: true });
  await writeOutputFile(join(dir, MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`, { shown: safeText(join(dir, MANIFEST)) });
}

/** Whether a folder is missing or empty (an export may start there). */
export async function isEmptyFolder(dir: string): Promise<boolean> {
  try {
    return (await readdir(dir)).length === 0;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return true;
    if ((err as NodeJS.ErrnoException).code === 'ENOTDIR') throw new DataError(`cannot export to ${safeText(dir)}: not a folder`);
    throw new DataError(`cannot read ${safeText(dir)}: ${(err as Error).message}`, { cause: err });
  }
}

/** Writes one item's file (folders made as needed); returns its sha256 and size. */
export async function writeItem(dir: string, item: ExportItem, text: string, signal?: AbortSignal): Promise<{ sha256: string; bytes: number }> {
  const path = join(dir, ...item.file.split('/'));
  await mkdir(dirname(path), { recursive: true });
  await writeOutputFile(path, text, { signal, shown: safeText(path) });
  return { sha256: sha256(text), bytes: Buffer.byteLength(text, 'utf8') };
}

export interface Verification {
  /** Files whose content matches their recorded sha256. */
  readonly matched: number;
  readonly problems: readonly string[];
}

/** Checks every done file against its recorded sha256; pending and failed items are problems too. */
export async function verifyExport(dir: string, manifest: Manifest): Promise<Verification> {
  const problems: string[] = [];
  let matched = 0;
  for (const item of manifest.items) {
    if (item.status !== 'done') {
      problems.push(`${item.file}: ${item.status === 'failed' ? `failed: ${item.error ?? 'no reason recorded'}` : 'not exported yet'}`);
      continue;
    }
    let text: string;
    try {
      text = await readFile(join(dir, ...item.file.split('/')), 'utf8');
    } catch {
      problems.push(`${item.file}: missing`);
      continue;
    }
    if (sha256(text) === item.sha256) matched++;
    else problems.push(`${item.file}: changed since it was exported (sha256 differs)`);
  }
  return { matched, problems };
}

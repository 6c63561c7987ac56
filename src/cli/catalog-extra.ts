/** --catalog-extra FILE (query, check): reads a catalog extras file written by `definitions --write-extra`. */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { type CatalogExtra, parseCatalogExtra } from '../catalog/extra.js';
import { UsageError } from '../errors.js';
import { safeText } from '../render/safe.js';
import type { Io } from './io.js';

export async function loadCatalogExtra(path: string | undefined, io: Io): Promise<CatalogExtra | undefined> {
  if (path === undefined) return undefined;
  const origin = safeText(path);
  if (path.trim() === '') throw new UsageError('--catalog-extra needs a file name, e.g. --catalog-extra extra.json');
  let text: string;
  try {
    text = await readFile(resolve(io.cwd, path), 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' || code === 'ENOTDIR' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : (err as Error).message;
    throw new UsageError(`cannot read --catalog-extra file ${origin}: ${why}`, { cause: err });
  }
  return parseCatalogExtra(text, origin);
}

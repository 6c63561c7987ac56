/** The store of an archive argument: a blob URL (the Azure Storage SDK loaded only then) or a local folder. */
import { resolve } from 'node:path';
import { safeText } from '../render/safe.js';
import type { ArchiveStore } from './archive-store.js';
import { isBlobUrl } from './blob-url.js';
import { LocalStore } from './local-store.js';

/** The store of an `export DIR` or `--fixture DIR` argument: a blob URL, or a path resolved against cwd. */
export async function openArchiveStore(arg: string, cwd: string, env: Readonly<Record<string, string | undefined>>): Promise<ArchiveStore> {
  if (isBlobUrl(arg)) {
    const { openBlobStore } = await import('./blob-store.js');
    return openBlobStore(arg, env);
  }
  return new LocalStore(resolve(cwd, arg), safeText(arg));
}

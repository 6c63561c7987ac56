/** Writing files so that a failure never leaves a half-written one: temp file + rename. */
import { randomBytes } from 'node:crypto';
import { rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { DataError } from '../errors.js';

/**
 * Writes text to path atomically: into a temp file beside it, then renamed over it. On failure the
 * temp file is removed and any existing file at path is left as it was.
 */
export async function writeFileAtomic(path: string, text: string, signal?: AbortSignal): Promise<void> {
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    await writeFile(temp, text, { encoding: 'utf8', flag: 'wx', signal });
    signal?.throwIfAborted();
    await rename(temp, path);
  } catch (err) {
    await rm(temp, { force: true });
    if (signal?.aborted) throw err;
    const e = err as NodeJS.ErrnoException;
    const why = e.code === 'ENOENT' ? 'no such directory' : e.code === 'EACCES' || e.code === 'EPERM' ? 'permission denied' : e.code === 'EISDIR' ? 'is a directory' : e.message;
    throw new DataError(`cannot write ${path}: ${why}`, { cause: err });
  }
}

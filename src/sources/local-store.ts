/** A local folder as an archive's store (see archive-store.ts). */
import { mkdir, readdir, readFile, rm, stat } from 'node:fs/promises';
import { dirname, join, sep } from 'node:path';
import { DataError, InterruptedError } from '../errors.js';
import { safeText } from '../render/safe.js';
import type { ArchiveStore } from './archive-store.js';
import { LOCK, type LockOptions, lockExport } from './export-lock.js';
import { writeOutputFile } from './save.js';

/** Our temp files: `.<name>.<pid>.<8 hex>.tmp` beside <name> (see save.ts). */
const TEMP = /^\.(.+)\.(\d+)\.[0-9a-f]{8}\.tmp$/;

/** A local folder: files written through a temp file and a rename (save.ts), locked with a lock file. */
export class LocalStore implements ArchiveStore {
  constructor(
    /** The folder, resolved. */
    readonly dir: string,
    readonly shown: string,
  ) {}

  get location(): string {
    return this.dir.split(sep).join('/');
  }

  path(file: string): string {
    return join(this.dir, ...file.split('/'));
  }

  name(file: string): string {
    return safeText(this.path(file));
  }

  async read(file: string): Promise<Uint8Array | undefined> {
    try {
      return await readFile(this.path(file));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
  }

  async write(file: string, data: string | Uint8Array, signal?: AbortSignal): Promise<void> {
    const path = this.path(file);
    await mkdir(dirname(path), { recursive: true });
    await writeOutputFile(path, data, { signal, shown: safeText(path) });
  }

  async remove(file: string): Promise<void> {
    await rm(this.path(file), { force: true });
  }

  async list(signal?: AbortSignal): Promise<string[]> {
    return (await listTree(this.dir, signal)).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  }

  async isEmpty(): Promise<boolean> {
    try {
      return (await readdir(this.dir)).every((name) => name === LOCK);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return true;
      if ((err as NodeJS.ErrnoException).code === 'ENOTDIR') throw new DataError(`cannot export to ${safeText(this.dir)}: not a folder`);
      throw new DataError(`cannot read ${safeText(this.dir)}: ${(err as Error).message}`, { cause: err });
    }
  }

  async prepare(): Promise<void> {
    await mkdir(this.dir, { recursive: true }).catch((err: unknown) => {
      throw new DataError(`cannot export to ${this.shown}: ${(err as Error).message.split('\n')[0]}`, { cause: err });
    });
  }

  lock(options: LockOptions): Promise<() => Promise<void>> {
    return lockExport(this.dir, this.shown, options);
  }

  async removeStaleTemps(ours: ReadonlyMap<string, ReadonlySet<string>>, alive: (pid: number) => boolean): Promise<number> {
    let removed = 0;
    for (const [folder, names] of ours) {
      const path = folder === '' || folder === '.' ? this.dir : join(this.dir, ...folder.split('/'));
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
}

/** The files under a folder, relative, "/"-separated (names starting with "." left out). */
async function listTree(dir: string, signal?: AbortSignal, depth = 0): Promise<string[]> {
  if (depth > 64) throw new DataError(`${safeText(dir)}: folders nested too deeply (a symbolic link loop?)`);
  const out: string[] = [];
  for (const name of (await readdir(dir)).filter((n) => !n.startsWith('.'))) {
    if (signal?.aborted) throw new InterruptedError();
    const full = join(dir, name);
    const st = await stat(full).catch(() => undefined);
    if (st?.isDirectory()) for (const f of await listTree(full, signal, depth + 1)) out.push(`${name}/${f}`);
    else out.push(name);
  }
  return out;
}

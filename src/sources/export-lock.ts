/**
 * One run at a time per export folder: `DIR/acs-metrics-export.lock`, created exclusively (O_EXCL) and
 * holding the owner's pid, host and start time. A second run waits a little for it, then is refused
 * with the owner named. A lock of a process that is gone (same host, pid not running) is stale: it is
 * taken over. The lock is removed when the run ends, however it ends.
 */
import { hostname } from 'node:os';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DataError, InterruptedError } from '../errors.js';
import { safeText } from '../render/safe.js';

export const LOCK = 'acs-metrics-export.lock';

interface Owner {
  readonly pid: number;
  readonly host: string;
  readonly started: string;
}

/** Whether a process of this host runs with that pid (EPERM: it runs, as another user). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export interface LockOptions {
  /** How long to wait for another run to finish (default 5 s). */
  readonly waitMs?: number;
  readonly signal?: AbortSignal;
  /** Told once when a stale lock is taken over. */
  readonly onStale?: (owner: string) => void;
  /** The start time written in the lock. */
  readonly now: Date;
}

const describe = (o: Owner): string => `pid ${o.pid} on ${safeText(o.host)}, since ${o.started}`;

/** Takes the lock of an export folder (which exists); returns its release. */
export async function lockExport(dir: string, shownDir: string, options: LockOptions): Promise<() => Promise<void>> {
  const path = join(dir, LOCK);
  const me: Owner = { pid: process.pid, host: hostname(), started: options.now.toISOString() };
  const deadline = Date.now() + (options.waitMs ?? 5000);
  for (;;) {
    try {
      await writeFile(path, `${JSON.stringify(me)}\n`, { flag: 'wx' });
      return () => rm(path, { force: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw new DataError(`cannot lock ${shownDir}: ${(err as Error).message.split('\n')[0]}`, { cause: err });
      }
    }
    const owner = await readOwner(path);
    if (owner === undefined) continue; // removed meanwhile
    if (owner === 'damaged' || (owner.host === me.host && !processAlive(owner.pid))) {
      options.onStale?.(owner === 'damaged' ? 'an unreadable lock' : describe(owner));
      await rm(path, { force: true });
      continue;
    }
    if (Date.now() >= deadline) {
      throw new DataError(
        `${shownDir} is being exported by another run (${describe(owner)}): wait for it to end, or remove ${safeText(join(shownDir, LOCK))} if that run is gone`,
      );
    }
    if (options.signal?.aborted) throw new InterruptedError();
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function readOwner(path: string): Promise<Owner | 'damaged' | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    return undefined;
  }
  try {
    const o = JSON.parse(text) as Owner;
    if (Number.isInteger(o.pid) && typeof o.host === 'string') return o;
  } catch {
    // a lock being written right now reads empty: give it a moment
    if (text === '') return { pid: -1, host: '', started: '' };
  }
  return 'damaged';
}

/**
 * Writing output files (--save, --junit) without ever destroying what the path names:
 * - a regular file (or a new one) is replaced atomically: a temp file beside it, then a rename, so a
 *   failure never leaves a half-written file;
 * - a symlink (a chain, or a dangling one) is followed and its target replaced that way; the link stays;
 * - a character or block device or a FIFO is opened and written in place: no temp file, no rename,
 *   never deleted;
 * - /dev/stdout, /dev/stderr, /dev/fd/N and /proc/self/fd/N are this process's open descriptors: the
 *   text goes to the caller's stdout or stderr stream (in order with what it printed), or is written to
 *   descriptor N (which may be a pipe, a socket or a terminal: opening it again could fail);
 * - a directory is an error.
 * Every failure is a one-line DataError: `cannot write /dev/full: no space left on device`.
 */
import type * as Crypto from 'node:crypto';
import { createRequire } from 'node:module';
import { chmod, lstat, open, readlink, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { write as writeFd } from 'node:fs';
import { DataError } from '../errors.js';

/**
 * How a path is written: `replace` the file at target atomically, write `direct`ly into it, or write to
 * this process's open `descriptor` fd.
 */
export interface OutputTarget {
  readonly kind: 'replace' | 'direct' | 'descriptor';
  /** The path written (a symlink's final target for `replace`). */
  readonly target: string;
  /** The mode of the file being replaced, kept on the new one. */
  readonly mode?: number;
  /** The descriptor, for `descriptor`. */
  readonly fd?: number;
}

/** Where text for descriptors 1 and 2 goes (the command's stdout and stderr). */
export interface OutputStreams {
  readonly stdout?: { write(s: string): unknown };
  readonly stderr?: { write(s: string): unknown };
}

/** Symlinks followed before giving up (as the kernel's ELOOP limit). */
const MAX_LINKS = 40;

/** The descriptor a path of this process names: /dev/stdout, /dev/stderr, /dev/fd/N, /proc/self/fd/N. */
function ownDescriptor(path: string): number | undefined {
  const named = { '/dev/stdin': 0, '/dev/stdout': 1, '/dev/stderr': 2 }[path];
  if (named !== undefined) return named;
  const m = /^\/(?:dev\/fd|proc\/(self|thread-self|\d+)\/fd)\/(\d+)$/.exec(path);
  if (!m || (m[1] !== undefined && /^\d+$/.test(m[1]) && Number(m[1]) !== process.pid)) return undefined;
  return Number(m[2]);
}

/** Another process's descriptor (/proc/PID/fd/N): opened and written in place. */
const OTHER_DESCRIPTOR = /^\/proc\/\d+\/fd\/\d+$/;

const failure = (shown: string, why: string, cause?: unknown) => new DataError(`cannot write ${shown}: ${why}`, { cause });

/** A one-line reason for a file system error. */
export function writeErrorReason(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  switch (e.code) {
    case 'ENOENT':
      return 'no such directory';
    case 'ENOTDIR':
      return 'a part of the path is not a directory';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'is a directory';
    case 'ENOSPC':
      return 'no space left on device';
    case 'EDQUOT':
      return 'disk quota exceeded';
    case 'EROFS':
      return 'read-only file system';
    case 'ELOOP':
      return 'too many levels of symbolic links';
    case 'EPIPE':
      return 'the reader closed the pipe';
    case 'ENXIO':
      return 'no reader or device at the other end';
    case 'EIO':
      return 'input/output error';
    case 'EBADF':
      return 'not open for writing';
    default:
      return (e.code ?? String(e.message ?? err)).split('\n')[0]!;
  }
}

/**
 * Where and how `path` (absolute) would be written, following symlinks. Throws a DataError (naming
 * `shown`) for a directory, a symlink loop, or a file whose directory does not exist.
 */
export async function resolveOutputTarget(path: string, shown: string = path): Promise<OutputTarget> {
  let current = resolve(path);
  for (let hop = 0; hop <= MAX_LINKS; hop++) {
    const fd = ownDescriptor(current);
    if (fd !== undefined) return { kind: 'descriptor', target: current, fd };
    if (OTHER_DESCRIPTOR.test(current)) return { kind: 'direct', target: current };
    let info;
    try {
      info = await lstat(current);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw failure(shown, writeErrorReason(err), err);
      // A new file: its directory must exist.
      const dir = await stat(dirname(current)).catch(() => undefined);
      if (!dir?.isDirectory()) throw failure(shown, 'no such directory');
      return { kind: 'replace', target: current };
    }
    if (info.isSymbolicLink()) {
      const link = current;
      current = resolve(dirname(link), await readlink(link).catch((err: unknown) => Promise.reject(failure(shown, writeErrorReason(err), err))));
      continue;
    }
    if (info.isDirectory()) throw failure(shown, 'is a directory');
    if (info.isFile()) return { kind: 'replace', target: current, mode: info.mode & 0o7777 };
    // A device, a FIFO or a socket: write into it, never replace it.
    return { kind: 'direct', target: current };
  }
  throw failure(shown, 'too many levels of symbolic links');
}

/**
 * Writes text to path (absolute) by the rules above; `shown` is the path as the user gave it, for
 * messages; `streams` take the text for descriptors 1 and 2. On failure nothing at path is replaced or
 * deleted (only our own temp file is removed).
 */
export async function writeOutputFile(
  path: string,
  text: string | Uint8Array,
  options: { signal?: AbortSignal; shown?: string; streams?: OutputStreams } = {},
): Promise<void> {
  const { signal } = options;
  const shown = options.shown ?? path;
  const out = await resolveOutputTarget(path, shown);
  if (out.kind === 'descriptor') {
    const stream = out.fd === 1 ? options.streams?.stdout : out.fd === 2 ? options.streams?.stderr : undefined;
    if (stream) {
      stream.write(typeof text === 'string' ? text : Buffer.from(text).toString('utf8'));
      return;
    }
    return writeDescriptor(out.fd!, text, shown);
  }
  if (out.kind === 'direct') return writeDirect(out.target, text, shown, signal);
  return replaceAtomically(out, text, shown, signal);
}

/** Writes all of text to an open descriptor (waiting briefly when a non-blocking one is full). */
async function writeDescriptor(fd: number, text: string | Uint8Array, shown: string): Promise<void> {
  const bytes = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
  let offset = 0;
  while (offset < bytes.length) {
    try {
      offset += await new Promise<number>((done, fail) => writeFd(fd, bytes, offset, bytes.length - offset, null, (err, n) => (err ? fail(err) : done(n))));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EAGAIN') {
        await new Promise((r) => setTimeout(r, 10));
        continue;
      }
      throw failure(shown, writeErrorReason(err), err);
    }
  }
}

/** Opens and writes in place: append, so that a file behind /dev/stdout keeps what was printed before. */
async function writeDirect(target: string, text: string | Uint8Array, shown: string, signal?: AbortSignal): Promise<void> {
  let handle;
  try {
    handle = await open(target, 'a');
    await handle.writeFile(text, { encoding: 'utf8', signal });
  } catch (err) {
    if (signal?.aborted) throw err;
    throw failure(shown, writeErrorReason(err), err);
  } finally {
    await handle?.close().catch(() => undefined);
  }
}

/** node:crypto, loaded when a file is first replaced: a run that writes none does not load it (start-up time). */
let crypto: typeof Crypto | undefined;
const randomHex = (): string => (crypto ??= createRequire(import.meta.url)('node:crypto') as typeof Crypto).randomBytes(4).toString('hex');

/** A temp file beside the target, then renamed over it; the temp file is removed on failure. */
async function replaceAtomically(out: OutputTarget, text: string | Uint8Array, shown: string, signal?: AbortSignal): Promise<void> {
  const temp = join(dirname(out.target), `.${basename(out.target)}.${process.pid}.${randomHex()}.tmp`);
  try {
    await writeFile(temp, text, { encoding: 'utf8', flag: 'wx', signal });
    if (out.mode !== undefined) await chmod(temp, out.mode);
    signal?.throwIfAborted();
    await rename(temp, out.target);
  } catch (err) {
    // Only our own temp file is removed: EEXIST means the name was someone else's.
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') await rm(temp, { force: true });
    if (signal?.aborted) throw err;
    throw failure(shown, writeErrorReason(err), err);
  }
}

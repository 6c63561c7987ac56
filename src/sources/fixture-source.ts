/**
 * Metric data from files: saved Metrics API responses (REST, az CLI, SDK or batch shape; see
 * parse-response.ts), one or more files, or stdin for "-". Files are anchored on their own data, so
 * the result has no anchor.
 */
import { closeSync, constants, createReadStream, open, openSync, readSync } from 'node:fs';
import { type FileHandle, open as openFile, readdir, rm } from 'node:fs/promises';
import { readFile, stat } from './fs-calls.js';
import { join, resolve } from 'node:path';
import { getHeapStatistics } from 'node:v8';
import type { MetricDef } from '../catalog/types.js';
import type { MetricData, Query } from '../core/model.js';
import { CliError, DataError, InterruptedError, UsageError } from '../errors.js';
import { safeText } from '../render/safe.js';
import { metricByRestName } from '../catalog/resolve.js';
import { archiveFiles } from './archive-files.js';
import { LocalStore } from './local-store.js';
import { isBlobUrl } from './blob-url.js';
import { type ParsedDocument, parseMetricsBody, readMetricsDocument, type Wanted } from './parse-response.js';
import { skimMetrics } from './skim-document.js';
import { StreamBudgetError, StreamReader, StreamSyntaxError } from './stream-reader.js';
import type { FileIo, MetricsSource, SourceResult } from './source.js';
import { fewFiles } from '../core/few.js';

const MiB = 1024 * 1024;

/** Files above this size are refused instead of exhausting memory (V8 strings stop near 512 MiB anyway). */
export const MAX_FIXTURE_BYTES = 512 * MiB;

/** Inputs of this many bytes or more are read as a stream (a 2 MiB sample week is parsed faster whole). */
export const STREAM_FROM = 16 * MiB;

export interface FixtureSourceOptions {
  /**
   * Size limit per file or stdin, in bytes. Default: MAX_FIXTURE_BYTES for what is read whole
   * (stdin, pipes, UTF-16 files, and every file when bodies are kept), none for files read as a stream.
   */
  readonly maxBytes?: number;
  /**
   * Keep the response bodies as parsed (SourceResult.raw, for --save): files are then read whole
   * and parsed with JSON.parse. Without it, files are read as a stream of bytes (stream-reader.ts)
   * and raw is empty for them.
   */
  readonly keepBodies?: boolean;
  /**
   * Files are streamed when they add up to at least this many bytes (default STREAM_FROM); below it
   * JSON.parse, native code, is faster and memory is no concern.
   */
  readonly streamFrom?: number;
  /** Bytes the JavaScript heap can still grow by (default: from v8.getHeapStatistics()); for tests. */
  readonly heapRoom?: () => number;
}

export class FixtureSource implements MetricsSource {
  readonly label: string;
  private readonly maxBytes: number;

  constructor(
    private readonly paths: readonly string[],
    private readonly io: FileIo,
    options: FixtureSourceOptions = {},
  ) {
    this.label = fewFiles(paths.map(originOf));
    this.maxBytes = options.maxBytes ?? MAX_FIXTURE_BYTES;
    this.streamLimit = options.maxBytes ?? Infinity;
    this.keepBodies = options.keepBodies ?? false;
    this.streamFrom = options.streamFrom ?? STREAM_FROM;
    this.heapRoom = options.heapRoom ?? heapRoom;
  }

  private readonly heapRoom: () => number;
  private readonly streamLimit: number;
  private readonly keepBodies: boolean;
  private readonly streamFrom: number;

  async fetch(queries: readonly Query[], signal?: AbortSignal): Promise<SourceResult> {
    if (this.paths.filter((p) => p === '-').length > 1) {
      throw new UsageError('"-" (stdin) can be given only once as a fixture');
    }
    const abort = signal ?? this.io.signal;
    try {
      return await this.read(queries, abort);
    } finally {
      for (const dir of this.downloads.splice(0)) await rm(dir, { recursive: true, force: true });
    }
  }

  /** The next Parquet file's read, started while the one before it decodes. */
  private prefetched: { readonly path: string; readonly read: Promise<Buffer> } | undefined;

  /** Local copies of blob archives (removed when fetch ends), and the names their files are shown by. */
  private readonly downloads: string[] = [];
  private readonly shownAs = new Map<string, string>();

  private async read(queries: readonly Query[], abort: AbortSignal | undefined): Promise<SourceResult> {
    const metrics: MetricData[] = [];
    const raw: unknown[] = [];
    const paths = await this.expand(queries, abort);
    const stream = !this.keepBodies && (this.streamFrom <= 0 || (await this.totalSize(paths)) >= this.streamFrom);
    const wanted = wantedMetrics(queries);
    // A read started in a fetch that failed is not the file as it is now (watch reads again).
    this.prefetched = undefined;
    for (const [i, path] of paths.entries()) {
      if (abort?.aborted) throw new InterruptedError();
      const origin = this.shownAs.get(path) ?? originOf(path);
      if (path.endsWith('.parquet')) {
        await this.readParquet(resolve(this.io.cwd, path), origin, metrics, raw, wanted, paths[i + 1]);
        continue;
      }
      if (stream && path !== '-') {
        const streamed = await this.streamPath(path, origin, abort, wanted);
        if (streamed !== undefined) {
          for (const m of streamed) metrics.push(m);
          continue;
        }
      }
      const doc = await this.readWhole(path, origin, abort, wanted);
      for (const m of doc.metrics) metrics.push(m);
      for (const b of doc.bodies) raw.push(b);
    }
    return { metrics, raw };
  }

  /**
   * A Parquet archive file: read straight into series, or (to keep the bodies, for --save) as the
   * batch body the json export holds for the same data.
   */
  private async readParquet(path: string, origin: string, metrics: MetricData[], raw: unknown[], wanted: Wanted | undefined, next?: string): Promise<void> {
    const def = archiveMetric(path, origin);
    if (!this.keepBodies) {
      const { readParquetMetrics } = await import('./parquet-read.js');
      const { prefetch } = await import('./parquet-archive.js');
      // The next Parquet file's bytes read while this one decodes.
      const read = this.prefetched?.path === path ? this.prefetched.read : undefined;
      this.prefetched = next?.endsWith('.parquet') ? { path: resolve(this.io.cwd, next), read: prefetch(resolve(this.io.cwd, next)) } : undefined;
      // Only the queries' metrics are opened (archive-files.ts), so every one read is wanted.
      for (const m of await readParquetMetrics(path, origin, def, read)) metrics.push(m);
      return;
    }
    const { readParquetEntries } = await import('./parquet-archive.js');
    const body = { values: await readParquetEntries(path, origin, def) };
    for (const m of parseMetricsBody(body, origin, wanted)) metrics.push(m);
    raw.push(body);
  }

  /** The bytes of the regular files among the paths (others count as none). */
  private async totalSize(paths: readonly string[]): Promise<number> {
    let total = 0;
    for (const path of paths) {
      if (path === '-') continue;
      const st = await stat(resolve(this.io.cwd, path)).catch(() => undefined);
      if (st?.isFile()) total += st.size;
    }
    return total;
  }

  /**
   * The files to read: every path as given, a folder replaced by its *.json files (see listJsonFiles),
   * an export or Parquet archive by the files it holds that the queries need (see archive-files.ts).
   */
  private async expand(queries: readonly Query[], signal?: AbortSignal): Promise<string[]> {
    const out: string[] = [];
    for (const path of this.paths) {
      if (path === '-') {
        out.push(path);
        continue;
      }
      if (isBlobUrl(path)) {
        await this.download(path, queries, out, signal);
        continue;
      }
      const st = await stat(resolve(this.io.cwd, path)).catch(() => undefined);
      if (!st?.isDirectory()) {
        out.push(path); // read (or refused) as a file, with its own message
        continue;
      }
      const archive = await archiveFiles(new LocalStore(resolve(this.io.cwd, path), safeText(path)), queries, signal);
      if (archive !== undefined) {
        if (archive.total === 0) throw new DataError(`${safeText(path)}: the export holds no finished file yet: run acs-metrics export ${safeText(path)}`);
        for (const f of archive.files) out.push(join(path, ...f.split('/')));
        continue;
      }
      const files = await listJsonFiles(resolve(this.io.cwd, path), signal).catch((err: unknown) => {
        if (err instanceof CliError) throw err;
        throw new DataError(`cannot read ${safeText(path)}: ${reason(err)}`, { cause: err });
      });
      if (files.length === 0) throw new DataError(`${safeText(path)}: no .json files in this folder`);
      for (const f of files) out.push(join(path, f));
    }
    return out;
  }

  /** The files of a blob archive that the queries need, copied to a local temp folder. */
  private async download(url: string, queries: readonly Query[], out: string[], signal?: AbortSignal): Promise<void> {
    const { downloadArchive } = await import('./blob-fixture.js');
    const got = await downloadArchive(url, queries, this.io.env ?? {}, (dir) => this.downloads.push(dir), signal);
    for (const f of got.files) {
      const local = join(got.dir, ...f.split('/'));
      this.shownAs.set(local, `${got.shown}/${safeText(f)}`);
      out.push(local);
    }
  }

  /**
   * A file read whole, decoded and parsed with JSON.parse (the reference reader); for a query of some
   * of its metrics (without --save), skimmed (skim-document.ts) when it is a plain response.
   */
  private async readWhole(path: string, origin: string, signal?: AbortSignal, wanted?: Wanted): Promise<ParsedDocument> {
    const read = await this.readText(path, origin, signal, this.keepBodies ? undefined : wanted);
    if (typeof read !== 'string') return { bodies: [], metrics: read };
    checkHeapRoom(read, origin, this.heapRoom());
    return readMetricsDocument(read, origin, wanted);
  }

  /**
   * A regular file read as a stream of bytes; undefined when it is not one (a pipe, a device) or is
   * UTF-16, which are read whole. A syntax error in a file small enough to read whole is reported
   * with JSON.parse's message, line and column (the file is read again for it).
   */
  private async streamPath(path: string, origin: string, signal?: AbortSignal, wanted?: Wanted): Promise<MetricData[] | undefined> {
    const full = resolve(this.io.cwd, path);
    const shown = origin; // the path, or the blob a downloaded file came from
    let handle: FileHandle;
    let size: number;
    try {
      const st = await stat(full);
      if (!st.isFile()) return undefined;
      size = st.size;
      if (size > this.streamLimit) throw tooLarge(shown, size, this.streamLimit);
      handle = await openFile(full, 'r');
    } catch (err) {
      if (err instanceof CliError) throw err;
      throw new DataError(`cannot read ${shown}: ${reason(err)}`, { cause: err });
    }
    const room = this.heapRoom();
    const reader = new StreamReader(room * 0.9);
    try {
      const fed = await feedFile(handle, reader, signal);
      if (fed === 'utf16') return undefined;
    } catch (err) {
      if (err instanceof StreamBudgetError) {
        const read = Math.max(1, reader.position);
        throw heapError(origin, Math.round((err.used * Math.max(size, read)) / read), room);
      }
      if (err instanceof StreamSyntaxError) {
        if (size <= this.maxBytes) {
          // The reference reader's message: V8's words, with the line and column.
          await this.readWhole(path, origin, signal);
        }
        throw new DataError(`${origin}: not valid JSON: ${err.message}`, { cause: err });
      }
      if (err instanceof CliError) throw err;
      throw new DataError(`cannot read ${shown}: ${reason(err)}`, { cause: err });
    } finally {
      await handle.close().catch(() => undefined);
    }
    if (!reader.complete) throw new DataError(`${origin}: empty file`);
    return parseMetricsBody(reader.result(), origin, wanted);
  }

  /**
   * The decoded text of a file or stdin; or, with `skim` (the metrics a query wants), its metrics when
   * skimMetrics reads it. The bytes stay local to this call, so that they can be freed while the text
   * is parsed (a 100 MiB file would otherwise be held twice).
   */
  private async readText(path: string, origin: string, signal?: AbortSignal, skim?: Wanted): Promise<string | MetricData[]> {
    const bytes = path === '-' ? await this.readStdin(signal) : await this.readPath(path, origin, signal);
    const skimmed = skim === undefined ? undefined : skimMetrics(bytes, origin, skim, this.heapRoom());
    return skimmed ?? decode(bytes, origin, this.maxBytes);
  }

  private async readStdin(signal?: AbortSignal): Promise<Buffer> {
    try {
      return await readLimited(this.io.stdin, 'stdin', this.maxBytes, signal);
    } catch (err) {
      if (err instanceof CliError) throw err;
      throw new DataError(`cannot read stdin: ${reason(err)}`, { cause: err });
    }
  }

  /** `shown`: the path, or the blob a downloaded file came from. */
  private async readPath(path: string, shown: string, signal?: AbortSignal): Promise<Buffer> {
    const full = resolve(this.io.cwd, path);
    try {
      const st = await stat(full);
      if (st.isDirectory()) throw new DataError(`cannot read ${shown}: is a directory`);
      if (st.isFile()) {
        if (st.size > this.maxBytes) throw tooLarge(shown, st.size, this.maxBytes);
        return await readFile(full);
      }
      // A pipe or device (/dev/stdin, <(cmd)): read it as a stream, with the same limit.
      const stream = st.isFIFO() ? await openFifo(full, signal) : createReadStream(full);
      return await readLimited(stream, shown, this.maxBytes, signal);
    } catch (err) {
      if (err instanceof CliError) throw err;
      throw new DataError(`cannot read ${shown}: ${reason(err)}`, { cause: err });
    }
  }
}

/** The catalog metric of an archive file, from its metric=<name> folder. */
function archiveMetric(path: string, origin: string): MetricDef {
  const metric = /(?:^|[\\/])metric=([^\\/]+)[\\/]/.exec(path)?.[1];
  const def = metric === undefined ? undefined : metricByRestName(metric);
  if (def === undefined)
    throw new DataError(`${origin}: not in a metric=<name> folder of a known metric: an acs-metrics Parquet archive keeps each metric in its own folder`);
  return def;
}

function originOf(path: string): string {
  return path === '-' ? 'stdin' : safeText(path);
}

/**
 * A FIFO (a named pipe, <(cmd), /dev/stdin on a pipe) as a socket on the event loop. fs streams read
 * in libuv's thread pool, where a read waiting for a slow writer cannot be cancelled, and the process
 * cannot even exit until it returns: Ctrl-C would hang. open() itself waits for a writer; on Ctrl-C
 * this process becomes that writer for a moment, which releases it.
 */
async function openFifo(path: string, signal?: AbortSignal): Promise<NodeJS.ReadableStream> {
  const release = (): void => {
    try {
      closeSync(openSync(path, constants.O_WRONLY | constants.O_NONBLOCK));
    } catch {
      // open() already returned
    }
  };
  signal?.addEventListener('abort', release, { once: true });
  try {
    const fd = await new Promise<number>((done, fail) => open(path, 'r', (err, fd) => (err ? fail(err) : done(fd))));
    if (signal?.aborted) {
      closeSync(fd);
      throw new InterruptedError();
    }
    const { Socket } = await import('node:net'); // only here: node:net costs every query start-up time
    return new Socket({ fd, readable: true, writable: false });
  } finally {
    signal?.removeEventListener('abort', release);
  }
}

/** Reads a stream (stdin, a pipe) up to max bytes; Ctrl-C (the signal) stops a read that waits for input. */
async function readLimited(stream: NodeJS.ReadableStream, origin: string, max: number, signal?: AbortSignal): Promise<Buffer> {
  const destroy = (): void => (stream as NodeJS.ReadableStream & { destroy?: () => void }).destroy?.();
  if (signal?.aborted) throw new InterruptedError();
  signal?.addEventListener('abort', destroy, { once: true });
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of stream) {
      const b = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
      size += b.length;
      if (size > max) {
        destroy();
        throw new DataError(`${origin}: too large (${formatBytes(size)} read so far; the limit is ${formatBytes(max)})`);
      }
      chunks.push(b);
    }
  } catch (err) {
    if (signal?.aborted) throw new InterruptedError();
    throw err;
  } finally {
    signal?.removeEventListener('abort', destroy);
  }
  if (signal?.aborted) throw new InterruptedError();
  return Buffer.concat(chunks, size);
}

/** The text of a file: UTF-8, or UTF-16 with a byte order mark (Windows PowerShell's `>`); BOM removed. */
function decode(bytes: Buffer, origin: string, max: number): string {
  let text: string;
  try {
    if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) text = bytes.toString('utf16le', 2);
    else if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) {
      const body = Buffer.from(bytes.subarray(2, bytes.length - (bytes.length % 2)));
      text = body.swap16().toString('utf16le');
    } else if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) text = bytes.toString('utf8', 3);
    else text = bytes.toString('utf8');
  } catch (err) {
    // V8 cannot hold a string this long.
    throw new DataError(`${origin}: too large (${formatBytes(bytes.length)}; the limit is ${formatBytes(max)})`, { cause: err });
  }
  if (isBlank(text)) throw new DataError(origin === 'stdin' ? 'stdin: empty input' : `${origin}: empty file`);
  return text;
}

const CHUNK = 1024 * 1024;

/**
 * Feeds a file to the reader in chunks (a token cut by a chunk's end is kept for the next one, and
 * the buffer grows only for a token longer than half of it); 'utf16' when it starts with a UTF-16
 * byte order mark (then nothing is fed). A UTF-8 byte order mark is skipped.
 */
async function feedFile(handle: FileHandle, reader: StreamReader, signal?: AbortSignal): Promise<'utf16' | undefined> {
  let buf = Buffer.allocUnsafe(CHUNK);
  let have = 0;
  let first = true;
  for (let chunk = 0; ; chunk++) {
    // Reads of a regular file return at once (no thread-pool round trip to wait for); every few
    // chunks the event loop gets a turn, so that Ctrl-C is seen.
    if (chunk % 8 === 7) await new Promise((done) => setImmediate(done));
    if (signal?.aborted) throw new InterruptedError();
    const bytesRead = readSync(handle.fd, buf, have, buf.length - have, null);
    let start = 0;
    const end = have + bytesRead;
    if (first) {
      first = false;
      if (end >= 2 && ((buf[0] === 0xff && buf[1] === 0xfe) || (buf[0] === 0xfe && buf[1] === 0xff))) return 'utf16';
      if (end >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) start = 3;
    }
    const used = reader.feed(buf, start, end, bytesRead === 0);
    if (bytesRead === 0) return undefined;
    have = end - used;
    if (have > buf.length / 2) {
      const bigger = Buffer.allocUnsafe(buf.length * 2);
      buf.copy(bigger, 0, used, end);
      buf = bigger;
    } else buf.copy(buf, 0, used, end);
  }
}

/**
 * The *.json files under a folder, at any depth, as paths relative to it, sorted by path (code
 * points, "/" between folders) so that every run reads them in the same order. Names starting with
 * "." (files and folders) are left out; symbolic links are followed (a loop is an error).
 */
export async function listJsonFiles(dir: string, signal?: AbortSignal, depth = 0): Promise<string[]> {
  if (depth > 64) throw new DataError(`${safeText(dir)}: folders nested too deeply (a symbolic link loop?)`);
  const out: string[] = [];
  const names = (await readdir(dir)).filter((n) => !n.startsWith('.')).sort();
  for (const name of names) {
    if (signal?.aborted) throw new InterruptedError();
    const full = join(dir, name);
    const st = await stat(full).catch(() => undefined);
    if (st?.isDirectory()) {
      for (const f of await listJsonFiles(full, signal, depth + 1)) out.push(`${name}/${f}`);
    } else if (name.toLowerCase().endsWith('.json')) out.push(name);
  }
  return out.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** Bytes the heap can still grow by before V8 gives up (a fatal "heap out of memory", not an exception). */
function heapRoom(): number {
  const h = getHeapStatistics();
  // heap_size_limit includes the young generation (three semi-spaces, 48 MiB on 64-bit Node 20),
  // where nothing that lives long stays: what is read has to fit in the old generation.
  return Math.max(0, h.heap_size_limit - h.used_heap_size - YOUNG_GENERATION);
}

const YOUNG_GENERATION = 48 * MiB;

/**
 * JSON.parse of a file can need many times the file's size (an empty object is 64 bytes of heap, so
 * `[{},{},...]` takes over 20 times its text), and running out of heap kills the process with a V8
 * stack dump. When the worst case does not fit, the text's objects, arrays and commas are counted
 * (indexOf, ~50 ms per 100 MiB) for an estimate; a file that would not fit in 90% of what
 * is left is a DataError instead of a crash. (Text made mostly of short strings is underestimated.)
 */
export function checkHeapRoom(text: string, origin: string, room: number): void {
  const budget = room * 0.9;
  if (text.length * WORST_BYTES_PER_CHAR <= budget) return;
  const count = (c: string): number => {
    let n = 0;
    for (let i = text.indexOf(c); i !== -1; i = text.indexOf(c, i + 1)) n++;
    return n;
  };
  // An object is about 56 bytes with its first properties, an array 56, each further element or property a
  // slot of 8; strings and numbers about their length. Metric files: about 1.5 times what they take.
  const need = 56 * count('{') + 56 * count('[') + 8 * count(',') + text.length;
  if (need <= budget) return;
  throw heapError(origin, need, room);
}

/** The one line for a file that would not fit in the heap: what it needs, what is left, and the fix. */
export function heapError(origin: string, need: number, room: number): DataError {
  const used = getHeapStatistics().used_heap_size;
  const suggest = Math.ceil((used + need / 0.9) / (1024 * MiB)) * 1024;
  return new DataError(
    `${origin}: too large to read with the memory Node.js has: parsing it needs about ${formatBytes(need)} and the JavaScript heap has ${formatBytes(Math.max(0, room))} left (raise the limit with NODE_OPTIONS=--max-old-space-size=${suggest}, or split the file)`,
  );
}

/** The most heap bytes a character of JSON text can turn into (nested empty arrays: about 23). */
const WORST_BYTES_PER_CHAR = 24;

function isBlank(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c !== 32 && c !== 9 && c !== 10 && c !== 13) return false;
  }
  return true;
}

function tooLarge(origin: string, size: number, max: number): DataError {
  return new DataError(`${origin}: too large (${formatBytes(size)}; the limit is ${formatBytes(max)})`);
}

/** 512 MiB, 1.5 MiB, 12 KiB, 100 bytes. */
export function formatBytes(n: number): string {
  const fmt = (x: number): string => (Number.isInteger(x) ? String(x) : x.toFixed(1));
  if (n >= MiB) return `${fmt(Math.round((n / MiB) * 10) / 10)} MiB`;
  if (n >= 1024) return `${fmt(Math.round((n / 1024) * 10) / 10)} KiB`;
  return `${n} bytes`;
}

function reason(err: unknown): string {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'ENOENT':
    case 'ENOTDIR':
      return 'no such file';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'is a directory';
    case 'ELOOP':
      return 'too many levels of symbolic links';
    default:
      return safeText(err instanceof Error ? err.message : String(err)).replace(/\s+/g, ' ');
  }
}

/** The metrics the queries use (matched as selectMetric matches them); undefined (all) without queries. */
function wantedMetrics(queries: readonly Query[]): Wanted | undefined {
  if (queries.length === 0) return undefined;
  const names = new Set(queries.map((q) => q.metric.rest.toLowerCase()));
  return (name) => names.has(name.toLowerCase());
}

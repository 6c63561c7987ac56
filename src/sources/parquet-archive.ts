/**
 * Parquet files of the archive (schema: core/archive-rows.ts), written with hyparquet-writer (snappy,
 * which DuckDB, Polars, Spark and Azure Data Explorer read) and read back with hyparquet. Both load
 * only when a Parquet archive is written or read. Each file records its resource, window and grain
 * in its key-value metadata (`acs-metrics`), so that a file with no rows still says what it covers.
 */
import { readFile } from 'node:fs/promises';
import type { FileMetaData } from 'hyparquet';
import type { MetricDef } from '../catalog/types.js';
import { AGGREGATION_COLUMNS, type ArchiveFileInfo, type Column, fromRows } from '../core/archive-rows.js';
import { dimensionColumn } from '../core/dimension-column.js';
import type { BatchEntry } from '../core/export-split.js';
import { DataError } from '../errors.js';
import { safeText } from '../render/safe.js';

/** The key of the file's own metadata. */
const INFO_KEY = 'acs-metrics';

/**
 * One file's bytes: one row group, snappy pages, the columns in contract order. `info` is the one
 * resource and window of the file, or (a month compacted) each resource's part, in row order.
 */
export async function encodeParquet(columns: readonly Column[], info: ArchiveFileInfo | readonly ArchiveFileInfo[], createdBy: string): Promise<Uint8Array> {
  const { parquetWriteBuffer } = await import('hyparquet-writer');
  const buffer = parquetWriteBuffer({
    // A nullable column that holds no null in this file is written required: no definition levels
    // to write, and none for a reader to assemble (hyparquet then gives a Float64Array of doubles).
    columnData: columns.map((c) => ({ name: c.name, data: c.data, type: c.type, nullable: c.nullable && c.data.some((v) => v === null || v === undefined) })),
    codec: 'SNAPPY',
    rowGroupSize: Math.max(1, columns[0]?.data.length ?? 1),
    kvMetadata: [{ key: INFO_KEY, value: JSON.stringify(info) }],
    createdBy,
  });
  return new Uint8Array(buffer);
}

/** Files opened by readParquetRows since the process started (tests check the pruning with it). */
export const parquetReads = { files: 0 };

/** The parts of a file: its one resource and window, or the parts of a compacted month. */
function fileParts(text: string | undefined): ArchiveFileInfo[] | undefined {
  if (text === undefined) return undefined;
  const info = JSON.parse(text) as ArchiveFileInfo | ArchiveFileInfo[];
  const parts = Array.isArray(info) ? info : [info];
  return parts.every((p) => typeof p?.resource === 'string' && typeof p.start === 'string' && typeof p.end === 'string') ? parts : undefined;
}

/**
 * The batch-shaped entries of one archive file (one per resource and window), reading only the
 * columns the metric needs (its dimensions, the timestamp and the aggregations; the resource too in
 * a compacted month).
 */
export async function readParquetEntries(path: string, shown: string, def: MetricDef): Promise<BatchEntry[]> {
  const { parts, rows } = await readParquetRows(path, shown, ['timestamp', ...def.dimensions.map(dimensionColumn), ...AGGREGATION_COLUMNS]);
  if (parts.length === 1) return [fromRows(def, rows, parts[0]!)];
  return parts.map((p) => {
    const [start, end] = [Date.parse(p.start), Date.parse(p.end)];
    const own = rows.filter((r) => r.resource_id === p.resource && (r.timestamp as Date).getTime() >= start && (r.timestamp as Date).getTime() < end);
    return fromRows(def, own, p);
  });
}

/** A file's (a path, or its bytes) parts and rows (these columns, and resource_id when it has several parts; every column without a list). */
export async function readParquetRows(
  path: string | Uint8Array,
  shown: string,
  columns?: readonly string[],
): Promise<{ parts: ArchiveFileInfo[]; rows: Record<string, unknown>[] }> {
  const { parquetReadObjects } = await import('hyparquet');
  return readable(shown, async () => {
    const { file, metadata, parts } = await openArchiveFile(path, shown);
    const wanted = columns === undefined ? undefined : parts.length > 1 ? ['resource_id', ...columns] : [...columns];
    const rows = Number(metadata.num_rows) === 0 ? [] : await parquetReadObjects({ file, metadata, columns: wanted, utf8: true });
    return { parts, rows };
  });
}

/** An archive file (a path, or its bytes) opened: its bytes (read whole), its Parquet metadata and its parts. Counts in parquetReads. */
export async function openArchiveFile(
  path: string | Uint8Array,
  shown: string,
  read?: Promise<Buffer>,
): Promise<{ file: ArrayBuffer; metadata: FileMetaData; parts: ArchiveFileInfo[] }> {
  const { parquetMetadataAsync } = await import('hyparquet');
  parquetReads.files++;
  return readable(shown, async () => {
    // Read whole (a file is a month of one metric): no wait for each column chunk's read; `read`:
    // the same read, started before (prefetch).
    const bytes = typeof path === 'string' ? await (read ?? readFile(path)) : path;
    // A file's own buffer as it is (readFile gives one of its own size); a view into another is copied out.
    const whole = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && bytes.buffer instanceof ArrayBuffer && typeof path === 'string';
    const file = whole ? bytes.buffer : (bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
    const metadata = await parquetMetadataAsync(file);
    const parts = fileParts(metadata.key_value_metadata?.find((kv) => kv.key === INFO_KEY)?.value);
    if (parts === undefined) throw new DataError(`${shown}: not an acs-metrics archive file (no ${INFO_KEY} metadata)`);
    return { file, metadata, parts };
  });
}

/**
 * A file's bytes read while the file before it is decoded (its wait on the disk beside the decoding,
 * not after it); a failure surfaces where openArchiveFile awaits it, as its own read's would (and
 * is not an unhandled rejection when it never is).
 */
export function prefetch(path: string): Promise<Buffer> {
  const read = readFile(path);
  read.catch(() => undefined);
  return read;
}

/** What `read` gives, a failure of hyparquet (a damaged or foreign file) as a one-line DataError. */
export async function readable<T>(shown: string, read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (err) {
    if (err instanceof DataError) throw err;
    throw new DataError(`${shown}: not a readable Parquet file: ${safeText(String((err as Error).message ?? err).split('\n')[0]!)}`, { cause: err });
  }
}

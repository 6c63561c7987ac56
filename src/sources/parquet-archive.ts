/**
 * Parquet files of the archive (schema: core/archive-rows.ts), written with hyparquet-writer (snappy,
 * which DuckDB, Polars, Spark and Azure Data Explorer read) and read back with hyparquet. Both load
 * only when a Parquet archive is written or read. Each file records its resource, window and grain
 * in its key-value metadata (`acs-metrics`), so that a file with no rows still says what it covers.
 */
import type { MetricDef } from '../catalog/types.js';
import { AGGREGATION_COLUMNS, type ArchiveFileInfo, type Column, fromRows, snakeCase } from '../core/archive-rows.js';
import type { BatchEntry } from '../core/export-split.js';
import { DataError } from '../errors.js';
import { safeText } from '../render/safe.js';

/** The key of the file's own metadata. */
const INFO_KEY = 'acs-metrics';

/** One file's bytes: one row group, snappy pages, the columns in contract order. */
export async function encodeParquet(columns: readonly Column[], info: ArchiveFileInfo, createdBy: string): Promise<Uint8Array> {
  const { parquetWriteBuffer } = await import('hyparquet-writer');
  const buffer = parquetWriteBuffer({
    columnData: columns.map((c) => ({ name: c.name, data: c.data, type: c.type, nullable: c.nullable })),
    codec: 'SNAPPY',
    rowGroupSize: Math.max(1, columns[0]?.data.length ?? 1),
    kvMetadata: [{ key: INFO_KEY, value: JSON.stringify(info) }],
    createdBy,
  });
  return new Uint8Array(buffer);
}

/** Files opened by readParquetEntry since the process started (tests check the pruning with it). */
export const parquetReads = { files: 0 };

/**
 * The batch-shaped entry of one archive file, reading only the columns the metric needs (its
 * dimensions, the timestamp and the aggregations).
 */
export async function readParquetEntry(path: string, shown: string, def: MetricDef): Promise<BatchEntry> {
  const { asyncBufferFromFile, parquetMetadataAsync, parquetReadObjects } = await import('hyparquet');
  parquetReads.files++;
  try {
    const file = await asyncBufferFromFile(path);
    const metadata = await parquetMetadataAsync(file);
    const text = metadata.key_value_metadata?.find((kv) => kv.key === INFO_KEY)?.value;
    const info = text === undefined ? undefined : (JSON.parse(text) as ArchiveFileInfo);
    if (info === undefined || typeof info.resource !== 'string') throw new DataError(`${shown}: not an acs-metrics archive file (no ${INFO_KEY} metadata)`);
    const columns = ['timestamp', ...def.dimensions.map((d) => snakeCase(d.name)), ...AGGREGATION_COLUMNS];
    const rows = Number(metadata.num_rows) === 0 ? [] : await parquetReadObjects({ file, metadata, columns, utf8: true });
    return fromRows(def, rows, info);
  } catch (err) {
    if (err instanceof DataError) throw err;
    throw new DataError(`${shown}: not a readable Parquet file: ${safeText(String((err as Error).message ?? err).split('\n')[0]!)}`, { cause: err });
  }
}

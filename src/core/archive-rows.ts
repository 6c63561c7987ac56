/**
 * The Parquet archive's schema (a contract: columns are only ever added) and the conversion between
 * a Metrics response and its rows. One row per series and bucket:
 *   resource_id, subscription_id, resource_group, resource_name (strings), timestamp (the bucket's
 *   start, UTC), interval (ISO 8601), one nullable string column per catalog dimension (its REST name in snake case)
 *   (null where the metric has no such dimension), count, total, average, minimum, maximum (doubles,
 *   null where Azure gave none). A nullable column without a null in a file is written required there
 *   (sources/parquet-archive.ts: no definition levels to decode).
 * The metric and the month are Hive partition columns, in the path (metric=X/month=YYYY-MM/), not in
 * the files. Pure: rows to a body and back give the same body.
 */
import { METRICS } from '../catalog/metrics.js';
import type { MetricDef } from '../catalog/types.js';
import { dimensionColumn } from './dimension-column.js';
import type { BatchEntry, BatchMetric } from './export-split.js';

export type ColumnType = 'STRING' | 'TIMESTAMP' | 'DOUBLE';

export interface Column {
  readonly name: string;
  readonly type: ColumnType;
  readonly nullable: boolean;
  readonly data: (string | number | Date | null)[];
}

/** The dimension columns: every catalog dimension (core/dimension-column.ts names them), in catalog order. */
export const DIMENSION_COLUMNS: readonly string[] = [...new Set(METRICS.flatMap((m) => m.dimensions.map(dimensionColumn)))];

export const AGGREGATION_COLUMNS = ['count', 'total', 'average', 'minimum', 'maximum'] as const;

const RESOURCE_COLUMNS = ['resource_id', 'subscription_id', 'resource_group', 'resource_name'] as const;

/** Every column, in file order. */
export const ARCHIVE_COLUMNS: readonly { name: string; type: ColumnType; nullable: boolean }[] = [
  ...RESOURCE_COLUMNS.map((name) => ({ name, type: 'STRING' as const, nullable: false })),
  { name: 'timestamp', type: 'TIMESTAMP', nullable: false },
  { name: 'interval', type: 'STRING', nullable: false },
  ...DIMENSION_COLUMNS.map((name) => ({ name, type: 'STRING' as const, nullable: true })),
  ...AGGREGATION_COLUMNS.map((name) => ({ name, type: 'DOUBLE' as const, nullable: true })),
];

export interface ArchiveResource {
  /** The full id, with its leading slash. */
  readonly id: string;
  readonly subscription: string;
  readonly resourceGroup: string;
  readonly name: string;
}

type Point = { timeStamp: string } & Partial<Record<(typeof AGGREGATION_COLUMNS)[number], number>>;
interface Series {
  metadatavalues?: { name: { value: string } | string; value?: string }[];
  data?: Point[];
}

/** The rows of one metric of a response entry, within [start, end), as columns. */
export function toColumns(def: MetricDef, metric: BatchMetric, resource: ArchiveResource, interval: string, window: { start: number; end: number }): Column[] {
  const cols = new Map(ARCHIVE_COLUMNS.map((c) => [c.name, { ...c, data: [] as Column['data'] }]));
  const dimColumn = new Map(def.dimensions.map((d) => [d.rest.toLowerCase(), dimensionColumn(d)]));
  for (const s of (metric.timeseries ?? []) as Series[]) {
    const dims = new Map<string, string>();
    for (const md of s.metadatavalues ?? []) {
      const key = (typeof md.name === 'string' ? md.name : md.name.value).toLowerCase();
      const col = dimColumn.get(key);
      if (col !== undefined) dims.set(col, md.value ?? '');
    }
    for (const p of s.data ?? []) {
      const t = Date.parse(p.timeStamp);
      if (!(t >= window.start && t < window.end)) continue;
      cols.get('resource_id')!.data.push(resource.id);
      cols.get('subscription_id')!.data.push(resource.subscription);
      cols.get('resource_group')!.data.push(resource.resourceGroup);
      cols.get('resource_name')!.data.push(resource.name);
      cols.get('timestamp')!.data.push(new Date(t));
      cols.get('interval')!.data.push(interval);
      for (const d of DIMENSION_COLUMNS) cols.get(d)!.data.push(dims.get(d) ?? null);
      for (const a of AGGREGATION_COLUMNS) cols.get(a)!.data.push(typeof p[a] === 'number' ? p[a] : null);
    }
  }
  return [...cols.values()];
}

/** A row as read back: column name to value. */
export type ArchiveRow = Readonly<Record<string, unknown>>;

/** What a file's key-value metadata records: its one resource, its window and grain. */
export interface ArchiveFileInfo {
  readonly resource: string;
  readonly start: string;
  readonly end: string;
  readonly interval: string;
}

/**
 * The batch-shaped entry of one file's rows (one resource and metric; series in order of first row,
 * points in row order): what the json export holds for the same data.
 */
export function fromRows(def: MetricDef, rows: readonly ArchiveRow[], info: ArchiveFileInfo): BatchEntry {
  const series = new Map<string, { dims: [string, string][]; data: Point[] }>();
  const dimCols = def.dimensions.map((d) => [d.rest, dimensionColumn(d)] as const);
  for (const row of rows) {
    const dims = dimCols.filter(([, col]) => row[col] !== null && row[col] !== undefined).map(([rest, col]) => [rest, String(row[col])] as [string, string]);
    const key = JSON.stringify(dims);
    let s = series.get(key);
    if (!s) {
      s = { dims, data: [] };
      series.set(key, s);
    }
    const ts = row.timestamp instanceof Date ? row.timestamp.getTime() : Number(row.timestamp);
    const point: Point = { timeStamp: new Date(ts).toISOString().replace('.000Z', 'Z') };
    for (const a of AGGREGATION_COLUMNS) if (typeof row[a] === 'number') point[a] = row[a];
    s.data.push(point);
  }
  return {
    resourceid: info.resource,
    starttime: info.start,
    endtime: info.end,
    interval: info.interval,
    value: [
      {
        id: `${info.resource}/providers/Microsoft.Insights/metrics/${def.rest}`,
        name: { value: def.rest, localizedValue: def.displayName },
        unit: def.unit,
        timeseries: [...series.values()].map((s) => ({
          metadatavalues: s.dims.map(([name, value]) => ({ name: { value: name, localizedValue: name }, value })),
          data: s.data,
        })),
        errorCode: 'Success',
      },
    ],
  };
}

/**
 * An archive's Parquet file read straight into the query core's series: hyparquet decodes only the
 * columns the metric needs (its dimensions, the timestamp, the aggregations; the resource in a
 * compacted month), and each row goes into its series' compact columns (IndexedColumns, filled by
 * point-sink.ts as the streaming JSON reader fills them): no row objects, no response bodies. Each
 * part of the file (one resource and window; several in a compacted month) is one MetricData, equal
 * to what the json export of the same data reads as (test/parquet-read.test.ts).
 */
import type { AsyncBuffer, FileMetaData } from 'hyparquet';
import type { MetricDef } from '../catalog/types.js';
import { AGGREGATION_COLUMNS, type ArchiveFileInfo } from '../core/archive-rows.js';
import { dimensionColumn } from '../core/dimension-column.js';
import type { MetricData, RawSeries } from '../core/model.js';
import { DataError } from '../errors.js';
import { openArchiveFile, readable } from './parquet-archive.js';
import { columnsToSeries, parseMetricsBody } from './parse-response.js';
import { type Agg, PointSink, ValueTable } from './point-sink.js';

type Column = ArrayLike<unknown>;

/** The metrics (one per part) of one archive file of metric `def`. */
export async function readParquetMetrics(path: string, shown: string, def: MetricDef): Promise<MetricData[]> {
  const { file, metadata, parts } = await openArchiveFile(path, shown);
  const dims = def.dimensions.map((d) => ({ key: d.rest.toLowerCase(), column: dimensionColumn(d) }));
  const names = ['timestamp', ...dims.map((d) => d.column), ...AGGREGATION_COLUMNS, ...(parts.length > 1 ? ['resource_id'] : [])];
  const columns = await readable(shown, () => readColumns(file, metadata, names));
  const rows = Number(metadata.num_rows);
  const col = (name: string): Column => columns.get(name) ?? { length: rows };
  const table = new ValueTable();
  const sinks = parts.map(() => new Map<string, { dimensions: Record<string, string>; sink: PointSink }>());
  const times = col('timestamp');
  const [count, total, average, minimum, maximum] = [col('count'), col('total'), col('average'), col('minimum'), col('maximum')];
  const dimColumns = dims.map((d) => col(d.column));
  const partOf = partFinder(parts, parts.length > 1 ? col('resource_id') : undefined);
  let last: { part: number; values: unknown[]; sink: PointSink } | undefined;
  for (let r = 0; r < rows; r++) {
    const t = times[r];
    if (typeof t !== 'number' || !Number.isFinite(t)) throw rowError(shown, r, `timestamp is not a date (${String(t)})`);
    const part = partOf(r, t);
    if (part < 0) continue;
    let sink: PointSink;
    if (last !== undefined && last.part === part && dimColumns.every((c, i) => dimValue(c[r]) === last!.values[i])) sink = last.sink;
    else {
      const values = dimColumns.map((c) => dimValue(c[r]));
      const key = JSON.stringify(values);
      let series = sinks[part]!.get(key);
      if (series === undefined) {
        const dimensions: Record<string, string> = {};
        dims.forEach((d, i) => values[i] !== null && (dimensions[d.key] = values[i]!));
        series = { dimensions, sink: new PointSink(table) };
        sinks[part]!.set(key, series);
      }
      sink = series.sink;
      last = { part, values, sink };
    }
    sink.add(
      t,
      agg(count, r, 'count', shown),
      agg(total, r, 'total', shown),
      agg(average, r, 'average', shown),
      agg(minimum, r, 'minimum', shown),
      agg(maximum, r, 'maximum', shown),
    );
  }
  return parts.map((info, i) => {
    const series: RawSeries[] = [...sinks[i]!.values()].map(({ dimensions, sink }) => {
      const { columns, sorted } = sink.finish();
      return columnsToSeries(dimensions, columns, sorted);
    });
    return { ...frame(def, info, shown), series };
  });
}

/**
 * The metric of one part, without its series: read by parseMetricsBody from a batch entry of no
 * series, so that its name, unit, interval and window are what the json export's entry gives.
 */
function frame(def: MetricDef, info: ArchiveFileInfo, shown: string): MetricData {
  const entry = {
    resourceid: info.resource,
    starttime: info.start,
    endtime: info.end,
    interval: info.interval,
    value: [
      {
        id: `${info.resource}/providers/Microsoft.Insights/metrics/${def.rest}`,
        name: { value: def.rest, localizedValue: def.displayName },
        unit: def.unit,
        timeseries: [],
        errorCode: 'Success',
      },
    ],
  };
  return parseMetricsBody({ values: [entry] }, shown)[0]!;
}

/**
 * The part of row r (of time t): the only one of a file of one part (its rows are all its own), else
 * the part of the row's resource whose window holds t (-1: none, the row is left out).
 */
function partFinder(parts: readonly ArchiveFileInfo[], resources: Column | undefined): (r: number, t: number) => number {
  if (resources === undefined) return () => 0;
  const windows = parts.map((p) => ({ resource: p.resource, start: Date.parse(p.start), end: Date.parse(p.end) }));
  let previous = -1;
  const holds = (i: number, r: number, t: number): boolean => {
    const w = windows[i]!;
    return resources[r] === w.resource && t >= w.start && t < w.end;
  };
  // Rows come part by part: the previous row's part, else the next one, else a search.
  return (r, t) => {
    if (previous >= 0 && holds(previous, r, t)) return previous;
    if (previous + 1 < windows.length && holds(previous + 1, r, t)) return ++previous;
    const found = windows.findIndex((_, i) => holds(i, r, t));
    if (found >= 0) previous = found;
    return found;
  };
}

/** An aggregation of row r: undefined for null (no data), a DataError for what Azure never gives. */
function agg(column: Column, r: number, name: string, shown: string): Agg {
  const v = column[r];
  if (v === null || v === undefined) return undefined;
  if (typeof v === 'number' && v >= 0 && v !== Infinity) return v;
  throw rowError(shown, r, typeof v !== 'number' ? `${name} is not a number (${typeof v})` : `${name} is ${v < 0 ? 'negative' : 'not a finite number'} (${v})`);
}

/** A dimension's value: the string, null where the series has none (another engine's number as text). */
function dimValue(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  return typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean' ? String(v) : JSON.stringify(v);
}

function rowError(shown: string, r: number, what: string): DataError {
  return new DataError(`${shown}: row ${r + 1}: ${what}`);
}

/**
 * The named columns of a file, whole (a column the file does not have is left out: it reads as
 * nulls); timestamps as milliseconds, not Date objects.
 */
async function readColumns(file: AsyncBuffer, metadata: FileMetaData, names: readonly string[]): Promise<Map<string, Column>> {
  const out = new Map<string, Column>();
  const rows = Number(metadata.num_rows);
  const present = new Set(metadata.schema.map((s) => s.name));
  const wanted = names.filter((n) => present.has(n));
  if (rows === 0 || wanted.length === 0) return out;
  const chunks = new Map<string, { rowStart: number; data: Column }[]>();
  const { parquetRead } = await import('hyparquet');
  await parquetRead({
    file,
    metadata,
    columns: wanted,
    utf8: true,
    parsers: {
      timestampFromMilliseconds: (ms: bigint) => Number(ms),
      timestampFromMicroseconds: (us: bigint) => Number(us) / 1e3,
      timestampFromNanoseconds: (ns: bigint) => Number(ns) / 1e6,
    },
    onChunk: ({ columnName, columnData, rowStart }) => {
      const list = chunks.get(columnName) ?? [];
      list.push({ rowStart, data: columnData as Column });
      chunks.set(columnName, list);
    },
  });
  for (const [name, list] of chunks) {
    if (list.length === 1 && list[0]!.rowStart === 0 && list[0]!.data.length >= rows) {
      out.set(name, list[0]!.data);
      continue;
    }
    const whole = new Array<unknown>(rows).fill(null);
    for (const { rowStart, data } of list) for (let k = 0; k < data.length && rowStart + k < rows; k++) whole[rowStart + k] = data[k];
    out.set(name, whole);
  }
  return out;
}

/**
 * An archive's Parquet file read straight into the query core's series: only the columns the metric
 * needs (its dimensions, the timestamp, the aggregations; the resource in a compacted month), each
 * decoded into codes by parquet-pages.ts (the archive's own pages; hyparquet reads any other), each
 * distinct value checked once (parquet-codes.ts), and each row into its series' compact columns
 * (IndexedColumns, filled by point-sink.ts as the streaming JSON reader fills them): no row objects,
 * no response bodies. Each part of the file (one resource and window; several in a compacted month)
 * is one MetricData, equal to what the json export of the same data reads as
 * (test/parquet-read.test.ts, test/parquet-pages.test.ts).
 *
 * Every aggregation is read, though `usage` adds up only count and total: the duplicate check
 * (core/dedupe.ts) compares all five where inputs overlap, and a value Azure never gives is refused
 * wherever it is. Read as codes they cost little: a count metric's average, minimum and maximum are
 * one stored column read once (sameColumn), as are count and total where they are equal.
 */
import type { AsyncBuffer, FileMetaData } from 'hyparquet';
import type { MetricDef } from '../catalog/types.js';
import { AGGREGATION_COLUMNS, type ArchiveFileInfo } from '../core/archive-rows.js';
import { dimensionColumn } from '../core/dimension-column.js';
import type { MetricData, RawSeries } from '../core/model.js';
import { DataError } from '../errors.js';
import { openArchiveFile, readable } from './parquet-archive.js';
import { columnsToSeries, parseMetricsBody } from './parse-response.js';
import { type CodedColumn, decodeColumn, releaseCodes, sameColumn, takeCodes } from './parquet-pages.js';
import { AggCombos, type AggColumn, aggColumn, idOf, stringIds, type TextColumn, textColumn, timeColumn } from './parquet-codes.js';
import { PointSink, ValueTable } from './point-sink.js';

type Column = ArrayLike<unknown>;

/** The metrics (one per part) of one archive file of metric `def`. */
export async function readParquetMetrics(path: string, shown: string, def: MetricDef, read?: Promise<Buffer>): Promise<MetricData[]> {
  const { file, metadata, parts } = await openArchiveFile(path, shown, read);
  const dims = def.dimensions.map((d) => ({ key: d.rest.toLowerCase(), column: dimensionColumn(d) }));
  const names = ['timestamp', ...dims.map((d) => d.column), ...AGGREGATION_COLUMNS, ...(parts.length > 1 ? ['resource_id'] : [])];
  const columns = await readable(shown, () => readCoded(file, metadata, names));
  const rows = Number(metadata.num_rows);
  const col = (name: string): CodedColumn => columns.get(name) ?? { dict: [undefined], codes: new Int32Array(rows) };
  const table = new ValueTable();
  // A series has a point per distinct time at most (more only where one repeats): its sink is made
  // that size, where the times are a dictionary (not one per row).
  const distinctTimes = columns.get('timestamp')?.dict.length ?? rows;
  if (distinctTimes * 4 <= rows) table.sizeHint = Math.max(64, distinctTimes);
  const sinks = new SeriesSinks(parts.length, dims, table);
  const times = timeColumn(col('timestamp'));
  const aggs = AGGREGATION_COLUMNS.map((name) => aggColumn(col(name)));
  const combos = new AggCombos(table, aggs);
  const dimColumns = dims.map((d) => textColumn(col(d.column)));
  // A column without values (every row null: code -1) never tells two series apart; columns read as
  // one (the same bytes: sameColumn) are compared once.
  const varying = [...new Set(dims.map((d) => col(d.column)).filter((c) => c.dict.length > 0))].map((c) => c.codes);
  const partOf = parts.length > 1 ? new PartFinder(parts, col('resource_id')) : undefined;
  // Values Azure never gives are rare: rows are checked one by one only in a column that has one.
  const checked = aggs.map((a, i) => ({ ...a, name: AGGREGATION_COLUMNS[i]! })).filter((a) => a.bad.includes(1));
  scanRows({ rows, shown, times, partOf, dimColumns, varying, sinks, combos, checked });
  releaseCodes(columns.values());
  return parts.map((info, i) => {
    const series: RawSeries[] = sinks.inPart(i).map(({ dimensions, sink }) => {
      const { columns, sorted } = sink.finish();
      return columnsToSeries(dimensions, columns, sorted);
    });
    return { ...frame(def, info, shown), series };
  });
}

interface Scan {
  readonly rows: number;
  readonly shown: string;
  readonly times: CodedColumn & { readonly ms: Float64Array };
  readonly partOf: PartFinder | undefined;
  readonly dimColumns: readonly TextColumn[];
  /** The codes of the dimension columns that hold a value (others are -1 in every row). */
  readonly varying: readonly Int32Array[];
  readonly sinks: SeriesSinks;
  readonly combos: AggCombos;
  readonly checked: readonly (AggColumn & { name: string })[];
}

/** Every row into its series' sink (a loop of its own, on locals: this runs 21 million times for a year of 100 resources). */
function scanRows({ rows, shown, times, partOf, dimColumns, varying, sinks, combos, checked }: Scan): void {
  const tcodes = times.codes;
  const tms = times.ms;
  const dimCodes = dimColumns.map((c) => c.codes);
  const nDims = dimCodes.length;
  const lastCodes = new Int32Array(nDims);
  const changed = dimChanges(varying, rows);
  // The last row put into a sink (rows left out between it and r: codes compared one by one).
  let lastRow = -2;
  const check = checked.length > 0;
  let lastPart = -1;
  let partCode = -2;
  let partStart = 0;
  let partEnd = 0;
  let sink: PointSink | undefined;
  for (let r = 0; r < rows; r++) {
    const tc = tcodes[r]!;
    const t = tms[tc + 1]!;
    if (t !== t) throw rowError(shown, r, `timestamp is not a date (${String(tc < 0 ? null : times.dict[tc])})`);
    let part = 0;
    if (partOf !== undefined) {
      // The previous row's part while the resource's code is the same and t in its window: find's
      // first check, inline (a call per row would pass t as a heap number).
      const code = partOf.codes[r]!;
      if (code === partCode && t >= partStart && t < partEnd) part = lastPart;
      else {
        part = partOf.find(r, t);
        if (part < 0) continue;
        partCode = code;
        partStart = partOf.start[part]!;
        partEnd = partOf.end[part]!;
      }
    }
    // Rows come series by series: the previous row's series while its dimension codes are the same.
    let same = part === lastPart && sink !== undefined;
    if (same && lastRow === r - 1) same = changed[r] === 0;
    else for (let i = 0; same && i < nDims; i++) same = dimCodes[i]![r] === lastCodes[i];
    lastRow = r;
    if (!same) {
      sink = sinks.of(part, dimColumns, r);
      for (let i = 0; i < nDims; i++) lastCodes[i] = dimCodes[i]![r]!;
      lastPart = part;
    }
    if (check) checkRow(checked, r, shown);
    sink!.addEntry(tms, tc + 1, combos.entryAt(r));
  }
}

/** A buffer of dimChanges', kept for the next file. */
let changeBuffer = new Uint8Array(0);

/**
 * Per row, 1 where some dimension's code differs from the row before's (row 0: 1): one pass per
 * column over its codes, not a loop over the columns in every row (the row loop's costliest line).
 */
function dimChanges(dimCodes: readonly Int32Array[], rows: number): Uint8Array {
  if (changeBuffer.length < rows) changeBuffer = new Uint8Array(rows);
  const changed = changeBuffer.subarray(0, rows);
  changed.fill(0);
  if (rows > 0) changed[0] = 1;
  for (const codes of dimCodes) for (let r = 1; r < rows; r++) if (codes[r] !== codes[r - 1]) changed[r] = 1;
  return changed;
}

/** Row r's aggregations checked in a file that holds a value Azure never gives (the first one found is an error). */
function checkRow(checked: Scan['checked'], r: number, shown: string): void {
  for (const a of checked) {
    const code = a.codes[r]!;
    if (code >= 0 && a.bad[code] === 1) aggValue(a.dict[code], r, a.name, shown);
  }
}

/** The series of each part of a file, by their dimension values, each filling its PointSink. */
class SeriesSinks {
  private readonly parts: Map<string, { dimensions: Record<string, string>; sink: PointSink }>[];

  constructor(
    parts: number,
    private readonly dims: readonly { key: string }[],
    private readonly table: ValueTable,
  ) {
    this.parts = Array.from({ length: parts }, () => new Map<string, { dimensions: Record<string, string>; sink: PointSink }>());
  }

  /** The sink of row r's series in a part. */
  of(part: number, columns: readonly TextColumn[], r: number): PointSink {
    const values = columns.map((c) => c.textOf(r));
    const key = JSON.stringify(values);
    let series = this.parts[part]!.get(key);
    if (series === undefined) {
      const dimensions: Record<string, string> = {};
      this.dims.forEach((d, i) => values[i] !== null && (dimensions[d.key] = values[i]!));
      series = { dimensions, sink: new PointSink(this.table) };
      this.parts[part]!.set(key, series);
    }
    return series.sink;
  }

  /** A part's series, in the order they were first seen. */
  inPart(part: number): { dimensions: Record<string, string>; sink: PointSink }[] {
    return [...this.parts[part]!.values()];
  }
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
class PartFinder {
  /** Per code of the resource column: a number standing for its string (-1: not a string). */
  readonly rowIds: Int32Array;
  readonly codes: Int32Array;
  /** Per part: its resource's number, its window. */
  readonly resource: Int32Array;
  readonly start: Float64Array;
  readonly end: Float64Array;
  private previous = -1;

  constructor(parts: readonly ArchiveFileInfo[], resources: CodedColumn) {
    // Resources compared as numbers standing for their strings (a row's null or non-string never matches).
    const ids = new Map<string, number>();
    this.resource = Int32Array.from(parts, (p) => idOf(ids, p.resource));
    this.start = Float64Array.from(parts, (p) => Date.parse(p.start));
    this.end = Float64Array.from(parts, (p) => Date.parse(p.end));
    this.rowIds = stringIds(resources, ids);
    this.codes = resources.codes;
  }

  /** Whether part i holds row r at time t. */
  holds(i: number, r: number, t: number): boolean {
    const code = this.codes[r]!;
    return code >= 0 && this.rowIds[code] === this.resource[i] && t >= this.start[i]! && t < this.end[i]!;
  }

  // Rows come part by part: the previous row's part, else the next one, else a search.
  find(r: number, t: number): number {
    const previous = this.previous;
    if (previous >= 0 && this.holds(previous, r, t)) return previous;
    if (previous + 1 < this.resource.length && this.holds(previous + 1, r, t)) return ++this.previous;
    for (let i = 0; i < this.resource.length; i++) if (this.holds(i, r, t)) return (this.previous = i);
    return -1;
  }
}

/** An aggregation of row r that is not what Azure gives: the DataError saying why. */
function aggValue(v: unknown, r: number, name: string, shown: string): never {
  throw rowError(shown, r, typeof v !== 'number' ? `${name} is not a number (${typeof v})` : `${name} is ${v < 0 ? 'negative' : 'not a finite number'} (${v})`);
}

function rowError(shown: string, r: number, what: string): DataError {
  return new DataError(`${shown}: row ${r + 1}: ${what}`);
}

/**
 * The named columns of a file as codes (a column the file does not have is left out: it reads as
 * nulls): decoded by parquet-pages.ts where it can, else read by hyparquet, each row its own code.
 */
async function readCoded(file: ArrayBuffer, metadata: FileMetaData, names: readonly string[]): Promise<Map<string, CodedColumn>> {
  const out = new Map<string, CodedColumn>();
  const rows = Number(metadata.num_rows);
  const present = new Set(metadata.schema.map((s) => s.name));
  const wanted = names.filter((n) => present.has(n));
  if (rows === 0 || wanted.length === 0) return out;
  const { snappyUncompress } = await import('hyparquet');
  const bytes = new Uint8Array(file);
  const rest = wanted.filter((name) => {
    const same = [...out.keys()].find((other) => sameColumn(bytes, metadata, other, name));
    const coded = same !== undefined ? out.get(same) : decodeColumn(bytes, metadata, name, snappyUncompress);
    if (coded !== undefined) out.set(name, coded);
    return coded === undefined;
  });
  if (rest.length === 0) return out;
  for (const [name, data] of await readColumns(file, metadata, rest)) {
    const codes = takeCodes(rows);
    for (let r = 0; r < rows; r++) codes[r] = r;
    out.set(name, { dict: Array.from({ length: rows }, (_, r) => data[r]), codes });
  }
  return out;
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

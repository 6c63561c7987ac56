/**
 * Reading Azure Monitor metric responses, whatever shape they were saved in, into MetricData:
 *
 * - the Metrics - List response body `{timespan, interval, value: [metric...]}` (REST, az CLI, SDK);
 * - the batch (metrics:getBatch) body `{values: [{starttime, endtime, interval, value: [metric...]}]}`;
 * - a JSON array of those (several saved responses).
 *
 * Wrong shapes are DataErrors of one line naming the origin and the place
 * (`fixtures/x.json: value[2].timeseries[0].data[5].timeStamp is not a date ("banana")`).
 * Missing or null aggregation keys stay missing or null: no data is never turned into zero.
 *
 * This runs on files of millions of points: the per-point loop allocates nothing and builds a place
 * string only when it fails. A series keeps its timestamps in a Float64Array and the parsed data
 * objects as its values (core/points.ts); its RawPoint objects are built only if `points` is read.
 */
import { resourceIdOfMetricId } from '../catalog/resource.js';
import type { AggregationKey } from '../catalog/types.js';
import { parseDuration } from '../core/duration.js';
import type { MetricData, RawPoint, RawSeries } from '../core/model.js';
import { columnarSeries, IndexedColumns, type PointColumns, type PointValues, valuesOf } from '../core/points.js';
import { daysInMonth, isRealDate, parseTime } from '../core/time.js';
import { DataError } from '../errors.js';
import { safeText } from '../render/safe.js';

/** What a document holds: the response bodies as parsed (an array is one body per element) and their metrics. */
export interface ParsedDocument {
  readonly bodies: readonly unknown[];
  readonly metrics: MetricData[];
}

const EXPECTED = 'expected a Metrics API response ({"value": [...]}) or a batch response ({"values": [...]})';

type Obj = Record<string, unknown>;
type MutablePoint = { timestamp: number } & { [K in AggregationKey]?: number | null };

/** JSON.parse with a one-line DataError naming the origin and the line and column of a syntax error. */
export function parseJson(text: string, origin: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    if (!(err instanceof SyntaxError)) throw err;
    throw new DataError(`${origin}: not valid JSON: ${describeSyntaxError(err.message, text)}`, { cause: err });
  }
}

/** Parses a file's text (JSON) and reads every metric in it. */
export function parseMetricsDocument(text: string, origin: string): MetricData[] {
  return parseMetricsBody(parseJson(text, origin), origin);
}

/** Like parseMetricsDocument, and also returns the bodies (one per element when the document is an array). */
export function readMetricsDocument(text: string, origin: string, wanted?: Wanted): ParsedDocument {
  const body = parseJson(text, origin);
  const metrics = parseMetricsBody(body, origin, wanted);
  return { bodies: Array.isArray(body) ? body : [body], metrics };
}

/**
 * Which metrics (by REST name, as the response spells it) a caller will use. The series of the others
 * are read and checked only if something reads them: a query of Chat on a file that holds all thirteen
 * metrics (the sample week) does not convert the other twelve, a fifth of the README query's time.
 * Without it every metric is read at once.
 */
export type Wanted = (name: string) => boolean;

/** Reads every metric of a parsed response body (or an array of bodies). */
export function parseMetricsBody(body: unknown, origin: string, wanted: Wanted = () => true): MetricData[] {
  const out: MetricData[] = [];
  if (Array.isArray(body)) {
    if (body.length === 0 || !body.every(isObject)) {
      throw new DataError(`${origin}: ${EXPECTED}, found ${kindOf(body)}`);
    }
    for (let i = 0; i < body.length; i++) readBody(body[i] as Obj, `[${i}]`, origin, out, wanted);
  } else if (isObject(body)) {
    readBody(body, '', origin, out, wanted);
  } else {
    throw new DataError(`${origin}: ${EXPECTED}, found ${kindOf(body)}`);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------
// Shapes

function readBody(body: Obj, prefix: string, origin: string, out: MetricData[], wanted: Wanted): void {
  const at = (place: string): string => (prefix === '' ? place : `${prefix}.${place}`);
  if (Array.isArray(body.values)) {
    const values = body.values;
    for (let i = 0; i < values.length; i++) {
      const entry: unknown = values[i];
      const place = at(`values[${i}]`);
      if (!isObject(entry)) fail(origin, `${place} is not a batch entry (${found(entry)})`);
      const start = readTimeField(entry, 'starttime', `${place}.starttime`, origin);
      const end = readTimeField(entry, 'endtime', `${place}.endtime`, origin);
      const interval = readInterval(entry.interval, `${place}.interval`, origin);
      const resourceId = readResourceId(entry.resourceid, `${place}.resourceid`, origin);
      readMetrics(entry.value, `${place}.value`, { start, end, ...interval, resourceId }, origin, out, wanted);
    }
    return;
  }
  if ('value' in body) {
    const span = readTimespan(body.timespan, at('timespan'), origin);
    const interval = readInterval(body.interval, at('interval'), origin);
    readMetrics(body.value, at('value'), { ...span, ...interval }, origin, out, wanted);
    return;
  }
  const failure = errorResponse(body);
  const where = prefix === '' ? '' : `${prefix}: `;
  if (failure !== undefined) {
    fail(origin, `${where}this is an Azure Monitor error response, not metric data: ${failure}`);
  }
  if ('values' in body) fail(origin, `${at('values')} is not an array (${found(body.values)})`);
  fail(origin, `${where}${EXPECTED}, found ${kindOf(body)}`);
}

interface Frame {
  readonly start?: number;
  readonly end?: number;
  readonly interval?: string;
  readonly intervalMs: number | null;
  /** A batch entry's resourceid. */
  readonly resourceId?: string;
}

function readMetrics(value: unknown, place: string, frame: Frame, origin: string, out: MetricData[], wanted: Wanted): void {
  if (!Array.isArray(value)) fail(origin, `${place} is not an array (${found(value)})`);
  for (let i = 0; i < value.length; i++) out.push(readMetric(value[i], `${place}[${i}]`, frame, origin, wanted));
}

function readMetric(m: unknown, place: string, frame: Frame, origin: string, wanted: Wanted): MetricData {
  if (!isObject(m)) fail(origin, `${place} is not a metric (${found(m)})`);
  const nameObj = m.name;
  if (nameObj === undefined || nameObj === null) fail(origin, `${place}.name is missing`);
  if (!isObject(nameObj)) fail(origin, `${place}.name is not {"value": ..., "localizedValue": ...} (${found(nameObj)})`);
  const name = requireString(nameObj.value, `${place}.name.value`, origin);
  const displayName = typeof nameObj.localizedValue === 'string' ? nameObj.localizedValue : undefined;
  const unit = typeof m.unit === 'string' ? m.unit : undefined;
  const errorCode = typeof m.errorCode === 'string' && m.errorCode.toLowerCase() !== 'success' ? m.errorCode : undefined;
  const errorMessage = errorCode !== undefined && typeof m.errorMessage === 'string' ? m.errorMessage : undefined;

  const ts = m.timeseries;
  if (ts !== undefined && ts !== null && !Array.isArray(ts)) fail(origin, `${place}.timeseries is not an array (${found(ts)})`);
  const read = (): RawSeries[] => (Array.isArray(ts) ? ts.map((t, i) => readSeries(t, place, i, origin)) : []);

  const metric: {
    -readonly [K in keyof MetricData]: MetricData[K];
  } = { name, intervalMs: frame.intervalMs, series: [], origin };
  if (wanted(name)) metric.series = read();
  else {
    // Read (and checked, with the same messages) when something first asks for them.
    let series: RawSeries[] | undefined;
    Object.defineProperty(metric, 'series', { enumerable: true, configurable: true, get: () => (series ??= read()) });
  }
  if (displayName !== undefined) metric.displayName = displayName;
  if (unit !== undefined) metric.unit = unit;
  if (errorCode !== undefined) metric.errorCode = errorCode;
  if (errorMessage !== undefined) metric.errorMessage = errorMessage;
  if (frame.interval !== undefined) metric.interval = frame.interval;
  if (frame.start !== undefined) metric.start = frame.start;
  if (frame.end !== undefined) metric.end = frame.end;
  const resourceId = frame.resourceId ?? (typeof m.id === 'string' ? resourceIdOfMetricId(m.id) : undefined);
  if (resourceId !== undefined) metric.resourceId = resourceId;
  return metric;
}

function readSeries(s: unknown, metricPlace: string, index: number, origin: string): RawSeries {
  const place = (): string => `${metricPlace}.timeseries[${index}]`;
  if (!isObject(s)) fail(origin, `${place()} is not a time series (${found(s)})`);

  const dimensions: Record<string, string> = {};
  const meta = s.metadatavalues;
  if (meta !== undefined && meta !== null) {
    if (!Array.isArray(meta)) fail(origin, `${place()}.metadatavalues is not an array (${found(meta)})`);
    for (let i = 0; i < meta.length; i++) {
      const entry: unknown = meta[i];
      const at = `${place()}.metadatavalues[${i}]`;
      if (!isObject(entry)) fail(origin, `${at} is not {"name": ..., "value": ...} (${found(entry)})`);
      const n = entry.name;
      let key: string;
      if (typeof n === 'string') key = n;
      else if (isObject(n)) key = requireString(n.value, `${at}.name.value`, origin);
      else if (n === undefined || n === null) fail(origin, `${at}.name is missing`);
      else fail(origin, `${at}.name is not {"value": ...} (${found(n)})`);
      const v = entry.value;
      if (typeof v !== 'string') fail(origin, v === undefined ? `${at}.value is missing` : `${at}.value is not a string (${found(v)})`);
      const k = key.toLowerCase();
      if (k === '__proto__') Object.defineProperty(dimensions, k, { value: v, enumerable: true, writable: true, configurable: true });
      else dimensions[k] = v;
    }
  }

  const data = s.data;
  if (data === undefined || data === null) return { dimensions, points: [] };
  if (data instanceof ScannedPoints) {
    if (data.bad !== undefined) checkPoint(data.bad.point, place, data.bad.k, origin);
    return columnsToSeries(dimensions, data.columns, data.sorted);
  }
  if (!Array.isArray(data)) fail(origin, `${place()}.data is not an array (${found(data)})`);

  const n = data.length;
  const timestamps = new Float64Array(n);
  let previous = -Infinity;
  let sorted = true;
  for (let k = 0; k < n; k++) {
    const t = checkPoint(data[k], place, k, origin);
    if (t < previous) sorted = false;
    previous = t;
    timestamps[k] = t;
  }
  return columnsToSeries(dimensions, { timestamps, values: data as readonly PointValues[] }, sorted);
}

/**
 * The data array of a series as the streaming reader (stream-reader.ts) read it: the points already
 * checked by checkPoint, their timestamps in a column and their values (shared objects: points with
 * the same aggregations share one) in another.
 */
export class ScannedPoints {
  constructor(
    readonly columns: IndexedColumns,
    readonly sorted: boolean,
    /** The first element that is not a valid data point, reported (as the old reader would) when the series is read. */
    readonly bad?: { readonly k: number; readonly point: unknown },
  ) {}
}

/**
 * Checks one element of a series' data array and returns its timestamp; a DataError naming the place
 * (`value[0].timeseries[3].data[5].count is negative (-1)`) when it is not a data point.
 */
export function checkPoint(d: unknown, place: () => string, k: number, origin: string): number {
  if (d === null || typeof d !== 'object' || Array.isArray(d)) {
    fail(origin, `${place()}.data[${k}] is not a data point (${found(d)})`);
  }
  const o = d as Obj;
  let key = 'timeStamp';
  let raw = o.timeStamp;
  if (raw === undefined) {
    key = 'timestamp';
    raw = o.timestamp;
  }
  const t = toMillis(raw);
  if (t !== t) {
    fail(
      origin,
      raw === undefined || raw === null
        ? `${place()}.data[${k}].timeStamp is missing`
        : `${place()}.data[${k}].${key} is not a date (${found(raw)})`,
    );
  }
  // Checked here; the values stay in the parsed object, which is the point's values from now on.
  let v = o.count;
  if (v !== undefined) aggregate(v, place, k, 'count', origin);
  v = o.total;
  if (v !== undefined) aggregate(v, place, k, 'total', origin);
  v = o.average;
  if (v !== undefined) aggregate(v, place, k, 'average', origin);
  v = o.minimum;
  if (v !== undefined) aggregate(v, place, k, 'minimum', origin);
  v = o.maximum;
  if (v !== undefined) aggregate(v, place, k, 'maximum', origin);
  return t;
}

function columnsToSeries(dimensions: Record<string, string>, columns: PointColumns | IndexedColumns, sorted: boolean): RawSeries {
  const materialize = (): RawPoint[] => {
    const points: MutablePoint[] = [];
    const timestamps = columns.timestamps; // read here: IndexedColumns builds them on every read
    const n = timestamps.length;
    const values = valuesOf(columns);
    for (let k = 0; k < n; k++) {
      const o = values[k]!;
      const p: MutablePoint = { timestamp: timestamps[k]! };
      if (o.count !== undefined) p.count = o.count;
      if (o.total !== undefined) p.total = o.total;
      if (o.average !== undefined) p.average = o.average;
      if (o.minimum !== undefined) p.minimum = o.minimum;
      if (o.maximum !== undefined) p.maximum = o.maximum;
      points.push(p);
    }
    return points;
  };
  if (!sorted) {
    // Rare (hand-made files): plain points, sorted by time.
    const points = materialize();
    points.sort((a, b) => a.timestamp - b.timestamp);
    return { dimensions, points };
  }
  return columnarSeries(dimensions, columns, materialize);
}

/** An aggregation value: a finite number not below zero (request counts), or null for no data. */
function aggregate(v: unknown, place: () => string, k: number, key: AggregationKey, origin: string): number | null {
  if (typeof v === 'number') {
    if (v >= 0 && v !== Infinity) return v;
    fail(origin, `${place()}.data[${k}].${key} is ${v < 0 ? 'negative' : 'not a finite number'} (${found(v)})`);
  }
  if (v === null) return null;
  fail(origin, `${place()}.data[${k}].${key} is not a number (${found(v)})`);
}

// ---------------------------------------------------------------------------------------------------
// Fields

function readTimespan(v: unknown, place: string, origin: string): { start?: number; end?: number } {
  if (v === undefined || v === null) return {};
  if (typeof v === 'string') {
    const slash = v.indexOf('/');
    if (slash > 0) {
      const start = parseTime(v.slice(0, slash));
      const end = parseTime(v.slice(slash + 1));
      if (start !== undefined && end !== undefined) return { start, end };
    }
  }
  fail(origin, `${place} is not "start/end" in ISO 8601 (${found(v)})`);
}

function readTimeField(entry: Obj, key: string, place: string, origin: string): number | undefined {
  const v = entry[key];
  if (v === undefined || v === null) return undefined;
  const t = toMillis(v);
  if (t !== t) fail(origin, `${place} is not a date (${found(v)})`);
  return t;
}

function readInterval(v: unknown, place: string, origin: string): { interval?: string; intervalMs: number | null } {
  if (v === undefined || v === null) return { intervalMs: null };
  if (typeof v !== 'string') fail(origin, `${place} is not a string (${found(v)})`);
  if (v.trim().toUpperCase() === 'FULL') return { interval: v, intervalMs: null };
  return { interval: v, intervalMs: parseDuration(v) ?? parseTimedelta(v) ?? null };
}

const TIMEDELTA = /^(?:(\d+) days?, )?(\d+):(\d\d):(\d\d)$/;

/** az CLI writes intervals as Python timedeltas: "0:01:00", "1:00:00", "1 day, 0:00:00", "7 days, 0:00:00". */
export function parseTimedelta(text: string): number | undefined {
  const m = TIMEDELTA.exec(text.trim());
  if (!m) return undefined;
  const ms = (((Number(m[1] ?? 0) * 24 + Number(m[2])) * 60 + Number(m[3])) * 60 + Number(m[4])) * 1000;
  return ms > 0 ? ms : undefined;
}

/** A batch entry's resourceid: a non-empty string, or absent. */
function readResourceId(v: unknown, place: string, origin: string): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') fail(origin, `${place} is not a string (${found(v)})`);
  const id = v.trim().replace(/\/+$/, '');
  return id === '' ? undefined : id;
}

function requireString(v: unknown, place: string, origin: string): string {
  if (typeof v === 'string' && v !== '') return v;
  if (v === undefined || v === null || v === '') fail(origin, `${place} is missing`);
  fail(origin, `${place} is not a string (${found(v)})`);
}

/** Milliseconds of a timestamp (an ISO 8601 string or a Date from the SDK); NaN when it is neither. */
export function toMillis(v: unknown): number {
  if (typeof v === 'string') return parseStamp(v);
  if (v instanceof Date) return v.getTime();
  return NaN;
}

/**
 * The service writes 2026-01-07T13:00:00Z and az CLI 2026-01-07T13:00:00+00:00: both are checked by
 * a few character tests and handed to Date.parse. Anything else (no zone, a space) goes through
 * parseTime, which reads a time without a zone as UTC instead of local time.
 */
function parseStamp(s: string): number {
  const n = s.length;
  // The common forms, read from their digits (Date.parse costs about 300 ns a call).
  if ((n === 20 && s.charCodeAt(19) === 90) || (n === 25 && s.endsWith('+00:00'))) {
    const t = utcDigits(s);
    if (t === t) return t;
  }
  if (n >= 20 && s.charCodeAt(4) === 45 && s.charCodeAt(7) === 45 && s.charCodeAt(10) === 84 && s.charCodeAt(13) === 58) {
    const last = s.charCodeAt(n - 1);
    if (last === 90 || (s.charCodeAt(n - 3) === 58 && (s.charCodeAt(n - 6) === 43 || s.charCodeAt(n - 6) === 45))) {
      // Date.parse rolls an impossible day over (2026-02-30 would be read as 2026-03-02).
      return isRealDate(s) ? Date.parse(s) : NaN;
    }
  }
  return parseTime(s) ?? NaN;
}

/** YYYY-MM-DDTHH:MM:SS read as UTC, or NaN when a character or a field is out of place. */
function utcDigits(s: string): number {
  if (s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45 || s.charCodeAt(10) !== 84 || s.charCodeAt(13) !== 58 || s.charCodeAt(16) !== 58) {
    return NaN;
  }
  const y = num4(s);
  const mo = num2(s, 5);
  const d = num2(s, 8);
  const h = num2(s, 11);
  const mi = num2(s, 14);
  const se = num2(s, 17);
  // NaN fails every comparison; a day past the month's end is left to the slow path, which refuses it.
  if (!(y >= 0 && mo >= 1 && mo <= 12 && d >= 1 && h <= 23 && mi <= 59 && se <= 59)) return NaN;
  // Consecutive points share their date: the day number is worked out once per date.
  const date = y * 10_000 + mo * 100 + d;
  if (date !== lastDate) {
    if (d > 28 && d > daysInMonth(y, mo)) return NaN;
    lastDays = daysFromCivil(y, mo, d);
    lastDate = date;
  }
  return ((lastDays * 24 + h) * 60 + mi) * 60_000 + se * 1000;
}

let lastDate = -1;
let lastDays = 0;

/** Days from 1970-01-01 to a proleptic Gregorian date (H. Hinnant's algorithm; Date.UTC costs ~150 ns). */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

function num2(s: string, i: number): number {
  const a = s.charCodeAt(i) - 48;
  const b = s.charCodeAt(i + 1) - 48;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : NaN;
}

function num4(s: string): number {
  const a = num2(s, 0);
  const b = num2(s, 2);
  return a * 100 + b;
}

/** "BadRequest: Failed to find metric configuration..." when the body is an ARM error, flat or wrapped. */
function errorResponse(body: Obj): string | undefined {
  const e = isObject(body.error) ? body.error : body;
  if (typeof e.code === 'string' && typeof e.message === 'string') return oneLine(`${e.code}: ${e.message}`);
  if (isObject(body.error) && (typeof e.code === 'string' || typeof e.message === 'string')) {
    return oneLine(String(e.code ?? e.message));
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------------
// Messages

function fail(origin: string, message: string): never {
  throw new DataError(`${origin}: ${message}`);
}

function isObject(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);
}

function oneLine(text: string): string {
  return safeText(text.replace(/\r?\n/g, ' '));
}

/** The value that was found, for a message: a quoted (shortened) string, a number, or its kind. */
function found(v: unknown): string {
  if (typeof v === 'string') {
    const short = v.length > 40 ? `${v.slice(0, 40)}...` : v;
    return oneLine(JSON.stringify(short));
  }
  if (typeof v === 'number' || typeof v === 'boolean' || v === null) return String(v);
  if (v === undefined) return 'nothing';
  if (v instanceof Date) return 'an invalid Date';
  if (Array.isArray(v)) return v.length === 0 ? 'found an empty array' : 'found an array';
  return 'found an object';
}

const KINDS: Record<string, [string, string]> = {
  null: ['null', 'nulls'],
  boolean: ['a boolean', 'booleans'],
  number: ['a number', 'numbers'],
  string: ['a string', 'strings'],
  array: ['an array', 'arrays'],
  object: ['an object', 'objects'],
};

function kind(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v === 'object' ? 'object' : typeof v;
}

/** "an array of numbers", "an empty array", 'an object without "value" or "values" (keys: a, b)'. */
function kindOf(v: unknown): string {
  if (Array.isArray(v)) {
    if (v.length === 0) return 'an empty array';
    const kinds = [...new Set(v.map(kind))].map((k) => KINDS[k]?.[1] ?? k);
    return `an array of ${kinds.join(' and ')}`;
  }
  if (isObject(v)) {
    const keys = Object.keys(v);
    if (keys.length === 0) return 'an empty object';
    const shown = keys.slice(0, 6).map((k) => oneLine(JSON.stringify(k.length > 30 ? `${k.slice(0, 30)}...` : k)));
    return `an object without "value" or "values" (keys: ${shown.join(', ')}${keys.length > 6 ? ', ...' : ''})`;
  }
  return KINDS[kind(v)]?.[0] ?? typeof v;
}

/**
 * V8's SyntaxError text with a position and its line and column. V8 gives "Unexpected token '}',
 * "{"a": }" is not valid JSON" without a position (and with a piece of the text, maybe over several
 * lines); the position is then found by a small JSON scanner.
 */
function describeSyntaxError(message: string, text: string): string {
  let msg = message;
  let pos: number | undefined;
  const at = / at position (\d+)/.exec(msg);
  if (at) {
    pos = Number(at[1]);
    msg = msg.replace(/ \(line \d+ column \d+\)/, '');
  } else if (msg.startsWith('Unexpected end of JSON input')) {
    pos = text.length;
    msg = 'Unexpected end of JSON input';
  } else {
    const token = /^Unexpected token '([\s\S]*?)', [\s\S]*$/.exec(msg);
    pos = locateJsonError(text);
    if (token) msg = `Unexpected token '${token[1]}'${pos !== undefined ? ` in JSON at position ${pos}` : ''}`;
  }
  if (pos !== undefined && pos <= text.length) {
    const { line, column } = lineColumn(text, pos);
    msg += ` (line ${line}, column ${column})`;
  }
  return oneLine(msg);
}

/** 1-based line and column (in UTF-16 units) of a position in the text. */
export function lineColumn(text: string, pos: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < pos; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: pos - lineStart + 1 };
}

/** Position of the first JSON syntax error in the text, or undefined when none is found (or too deep). */
function locateJsonError(text: string): number | undefined {
  const n = text.length;
  let i = 0;
  class Stop {
    constructor(readonly pos: number) {}
  }
  const ws = (): void => {
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 32 || c === 9 || c === 10 || c === 13) i++;
      else break;
    }
  };
  const digits = (): void => {
    const s = i;
    while (i < n && text.charCodeAt(i) >= 48 && text.charCodeAt(i) <= 57) i++;
    if (i === s) throw new Stop(i);
  };
  const str = (): void => {
    i++; // opening quote
    for (;;) {
      if (i >= n) throw new Stop(i);
      const c = text.charCodeAt(i);
      if (c === 34) {
        i++;
        return;
      }
      if (c < 32) throw new Stop(i);
      if (c === 92) {
        const e = text[i + 1];
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) throw new Stop(i);
          i += 6;
        } else if (e !== undefined && '"\\/bfnrt'.includes(e)) i += 2;
        else throw new Stop(i);
      } else i++;
    }
  };
  const value = (depth: number): void => {
    if (depth > 2000) throw new Stop(-1);
    ws();
    if (i >= n) throw new Stop(i);
    const c = text[i];
    if (c === '{') {
      i++;
      ws();
      if (text[i] === '}') {
        i++;
        return;
      }
      for (;;) {
        ws();
        if (text[i] !== '"') throw new Stop(i);
        str();
        ws();
        if (text[i] !== ':') throw new Stop(i);
        i++;
        value(depth + 1);
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === '}') {
          i++;
          return;
        } else throw new Stop(i);
      }
    } else if (c === '[') {
      i++;
      ws();
      if (text[i] === ']') {
        i++;
        return;
      }
      for (;;) {
        value(depth + 1);
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === ']') {
          i++;
          return;
        } else throw new Stop(i);
      }
    } else if (c === '"') {
      str();
    } else if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) {
      if (c === '-') i++;
      if (text[i] === '0') i++;
      else digits();
      if (text[i] === '.') {
        i++;
        digits();
      }
      if (text[i] === 'e' || text[i] === 'E') {
        i++;
        if (text[i] === '+' || text[i] === '-') i++;
        digits();
      }
    } else {
      for (const word of ['true', 'false', 'null']) {
        if (word[0] !== c) continue;
        for (let k = 0; k < word.length; k++, i++) if (text[i] !== word[k]) throw new Stop(i);
        return;
      }
      throw new Stop(i);
    }
  };
  try {
    value(0);
    ws();
    return i < n ? i : undefined;
  } catch (e) {
    if (e instanceof Stop) return e.pos >= 0 ? e.pos : undefined;
    if (e instanceof RangeError) return undefined;
    throw e;
  }
}

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
 *
 * The pieces: point-check.ts (a series' points), response-fields.ts (the fields around them),
 * stamp-text.ts (timestamps), response-messages.ts and json-error-position.ts (the messages).
 */
import { resourceIdOfMetricId } from '../catalog/resource.js';
import type { MetricData, RawSeries } from '../core/model.js';
import type { PointValues } from '../core/points.js';
import { DataError } from '../errors.js';
import { describeSyntaxError } from './json-error-position.js';
import { CERTIFIED, checkPoint, columnsToSeries, markDuplicatePoints, ScannedPoints } from './point-check.js';
import { errorResponse, readInterval, readResourceId, readTimeField, readTimespan, requireString } from './response-fields.js';
import { fail, found, isObject, kindOf, type Obj } from './response-messages.js';

// The pieces other modules use, from where they have always been imported.
export { lineColumn } from './json-error-position.js';
export { checkPoint, columnsToSeries, DUPLICATE, markDuplicate, POINT_KEYS, type PointDuplicate, ScannedPoints } from './point-check.js';
export { parseTimedelta } from './response-fields.js';
export { daysFromCivil, toMillis } from './stamp-text.js';

/** What a document holds: the response bodies as parsed (an array is one body per element) and their metrics. */
export interface ParsedDocument {
  readonly bodies: readonly unknown[];
  readonly metrics: MetricData[];
}

const EXPECTED = 'expected a Metrics API response ({"value": [...]}) or a batch response ({"values": [...]})';

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
  return readMetricsDocument(text, origin).metrics;
}

/** Like parseMetricsDocument, and also returns the bodies (one per element when the document is an array). */
export function readMetricsDocument(text: string, origin: string, wanted?: Wanted): ParsedDocument {
  const body = parseJson(text, origin);
  markDuplicatePoints(body, text);
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
  const certified = (data as { [CERTIFIED]?: true })[CERTIFIED] === true;
  for (let k = 0; k < n; k++) {
    // A certified stamp is a real UTC date and time, read by Date.parse as toMillis reads it (native: at start-up, before
    // toMillis is optimised, several times faster).
    const t = certified ? Date.parse((data[k] as { timeStamp: string }).timeStamp) : checkPoint(data[k], place, k, origin);
    if (t < previous) sorted = false;
    previous = t;
    timestamps[k] = t;
  }
  return columnsToSeries(dimensions, { timestamps, values: data as readonly PointValues[] }, sorted);
}

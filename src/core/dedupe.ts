/**
 * The same data given twice (`--fixture F --fixture F`, a copy of F, an array holding a body twice,
 * a series repeating a timestamp) must be counted once. Pure: takes the MetricData of one metric and
 * returns it with every series tagged with its resource (the Resource dimension, catalog/resource.ts)
 * and every (series, timestamp) present once.
 *
 * - A series is its resource and its dimension names and values. The same series at the same
 *   timestamp from two places is kept once, with a note, when the values agree (no aggregation key
 *   holds two different numbers; keys only one side has are kept); a DataError naming both places,
 *   the series, the timestamp and the two values when they differ.
 * - Data of the same resource split by different dimension sets (file A by Operation, file B not
 *   split) over overlapping times would be counted twice: a DataError naming both.
 *
 * Cost: one pass over each series' timestamps (no allocation) to see that it is in order without
 * repeats; merging, which builds new columns, happens only for series that share a key and overlap
 * in time (the same series in files of different days is kept in parts).
 */
import { dimensionByRestName } from '../catalog/resolve.js';
import { RESOURCE_KEY, resourceName } from '../catalog/resource.js';
import type { AggregationKey, MetricDef } from '../catalog/types.js';
import { DataError } from '../errors.js';
import type { MetricData, RawPoint, RawSeries } from './model.js';
import { columnarSeries, IndexedColumns, pointColumns, type PointValues, valuesOf } from './points.js';
import { formatTime } from './time.js';
import { FEW, fewFiles } from './few.js';

export interface Deduplicated {
  readonly metrics: MetricData[];
  readonly notes: string[];
}

const KEYS: readonly AggregationKey[] = ['count', 'total', 'average', 'minimum', 'maximum'];

/** One series of the input, with its place and identity. */
interface Entry {
  readonly metric: number;
  readonly series: RawSeries;
  /** The series' dimensions plus `resource`. */
  readonly dims: Record<string, string>;
  /** Resource (lower-cased) and dimension names (sorted): the split the series belongs to. */
  readonly split: string;
  /** split plus the dimension values: the series' identity. */
  readonly key: string;
  /** In time order without repeated timestamps. */
  readonly clean: boolean;
  readonly first: number;
  readonly last: number;
}

/** Columns being merged: timestamps, values, and the input (MetricData index) each point came from. */
interface Merged {
  timestamps: Float64Array;
  values: ArrayLike<PointValues>;
  from: Int32Array;
}

export function dedupeMetric(def: MetricDef, data: readonly MetricData[]): Deduplicated {
  // Resource ids are case-insensitive in Azure: the first spelling seen stands for all.
  const spelling = new Map<string, string>();
  for (const m of data) {
    const id = m.resourceId ?? '';
    if (!spelling.has(id.toLowerCase())) spelling.set(id.toLowerCase(), id);
  }

  const entries: Entry[] = [];
  data.forEach((m, metric) => {
    const resource = spelling.get((m.resourceId ?? '').toLowerCase())!;
    const splits: SplitMemo = { lower: resource.toLowerCase(), names: [], split: '' };
    for (const series of m.series) entries.push(entryOf(metric, series, resource, splits));
  });
  checkSplits(def, data, entries);

  const groups = new Map<string, Entry[]>();
  for (const e of entries) {
    const group = groups.get(e.key);
    if (group) group.push(e);
    else groups.set(e.key, [e]);
  }

  // Duplicates per pair of inputs, at fromA * data.length + fromB (sparse: data.length is one per resource and metric).
  const duplicates = new Map<number, number>();
  const out: RawSeries[][] = data.map(() => []);
  for (const group of groups.values()) {
    const head = group[0]!;
    if (group.length === 1 && head.clean) {
      out[head.metric]!.push(retag(head.series, head.dims));
      continue;
    }
    if (disjoint(group)) {
      // The same series in several files over different times (exports of consecutive days): nothing
      // is repeated, so each part stays as it is, columns shared (merging would copy all of them).
      for (const e of group) out[e.metric]!.push(retag(e.series, e.dims));
      continue;
    }
    const ctx: MergeContext = { def, data, dims: head.dims, duplicates };
    let acc = normalize(group[0]!, ctx);
    for (let i = 1; i < group.length; i++) acc = merge(acc, normalize(group[i]!, ctx), ctx);
    out[head.metric]!.push(toSeries(head.dims, acc));
  }

  const notes: string[] = [];
  const counts = new Map<string, number>();
  for (const [pair, n] of [...duplicates].sort((a, b) => a[0] - b[0])) {
    const origins = `${data[Math.floor(pair / data.length)]!.origin}\u0000${data[pair % data.length]!.origin}`;
    counts.set(origins, (counts.get(origins) ?? 0) + n);
  }
  const said = (pair: string): string => {
    const [a, b] = pair.split('\u0000') as [string, string];
    return a === b ? a : `${a} and ${b}`;
  };
  if (counts.size > FEW) {
    // A folder and its copy: one note, not one per pair of files.
    const total = [...counts.values()].reduce((a, b) => a + b, 0);
    const files = new Set([...counts.keys()].flatMap((pair) => pair.split('\u0000')));
    notes.push(
      `${fewFiles([...files])} hold the same ${def.rest} points (${total} of them, in ${counts.size} pairs of files such as ${said([...counts.keys()][0]!)}): counted once`,
    );
    return { metrics: data.map((m, i) => ({ ...m, series: out[i]! })), notes };
  }
  for (const [pair, n] of counts) {
    const [a, b] = pair.split('\u0000') as [string, string];
    const count = `(${n} of them)`;
    notes.push(
      a === b
        ? `${a} holds the same ${def.rest} points more than once ${count}: counted once`
        : `${a} and ${b} hold the same ${def.rest} points ${count}: counted once`,
    );
  }
  return { metrics: data.map((m, i) => ({ ...m, series: out[i]! })), notes };
}

/** One input's resource (lower-cased) and the last split made for it: its series mostly share one. */
interface SplitMemo {
  readonly lower: string;
  names: readonly string[];
  split: string;
}

function entryOf(metric: number, series: RawSeries, resource: string, memo: SplitMemo): Entry {
  const names = Object.keys(series.dimensions)
    .filter((k) => k !== RESOURCE_KEY)
    .sort();
  const dims: Record<string, string> = {};
  for (const k of names) {
    // A dimension named __proto__ (the parser allows it) must stay a plain property.
    if (k === '__proto__') Object.defineProperty(dims, k, { value: series.dimensions[k]!, enumerable: true, writable: true, configurable: true });
    else dims[k] = series.dimensions[k]!;
  }
  dims[RESOURCE_KEY] = resource;
  if (names.length !== memo.names.length || names.some((k, i) => k !== memo.names[i])) {
    memo.names = names;
    memo.split = JSON.stringify([memo.lower, names]);
  }
  const split = memo.split;
  // The split (JSON: no raw U+0000 in it) and the values: one key per resource, names and values.
  const key = `${split}\u0000${JSON.stringify(names.map((k) => dims[k]))}`;

  let clean = true;
  let first = Number.POSITIVE_INFINITY;
  let last = Number.NEGATIVE_INFINITY;
  const columns = pointColumns(series);
  if (columns instanceof IndexedColumns) {
    // Streamed: read the times one by one (columns.timestamps would build an array of them).
    const n = columns.length;
    const step = columns.evenStepMs;
    // Evenly spaced with a step: in time order, no time twice.
    if (step === undefined || !(step > 0))
      for (let k = 1; k < n; k++) {
        if (!(columns.timeAt(k) > columns.timeAt(k - 1))) {
          clean = false;
          break;
        }
      }
    if (n > 0) [first, last] = clean ? [columns.timeAt(0), columns.timeAt(n - 1)] : minMax(columns.timestamps);
  } else if (columns) {
    const ts = columns.timestamps;
    for (let k = 1; k < ts.length; k++) {
      if (!(ts[k]! > ts[k - 1]!)) {
        clean = false;
        break;
      }
    }
    if (ts.length > 0) [first, last] = clean ? [ts[0]!, ts[ts.length - 1]!] : minMax(ts);
  } else {
    let previous = Number.NEGATIVE_INFINITY;
    for (const p of series.points) {
      if (!(p.timestamp > previous)) clean = false;
      previous = p.timestamp;
      if (p.timestamp < first) first = p.timestamp;
      if (p.timestamp > last) last = p.timestamp;
    }
  }
  return { metric, series, dims, split, key, clean, first, last };
}

/** Whether every part is in order without repeats and no two parts' time ranges meet. */
function disjoint(group: readonly Entry[]): boolean {
  if (!group.every((e) => e.clean)) return false;
  const byFirst = group.filter((e) => e.first <= e.last).sort((a, b) => a.first - b.first);
  for (let i = 1; i < byFirst.length; i++) if (byFirst[i]!.first <= byFirst[i - 1]!.last) return false;
  return true;
}

function minMax(ts: Float64Array): [number, number] {
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (let k = 0; k < ts.length; k++) {
    if (ts[k]! < lo) lo = ts[k]!;
    if (ts[k]! > hi) hi = ts[k]!;
  }
  return [lo, hi];
}

/**
 * Two inputs with data of one resource split by different dimension sets over overlapping times hold
 * the same requests twice (once per operation, once in total): refused.
 */
function checkSplits(def: MetricDef, data: readonly MetricData[], entries: readonly Entry[]): void {
  const spans = new Map<string, Span>();
  for (const e of entries) {
    if (e.first > e.last) continue;
    const id = `${e.metric}\u0000${e.split}`;
    const s = spans.get(id);
    if (s) {
      s.first = Math.min(s.first, e.first);
      s.last = Math.max(s.last, e.last);
    } else spans.set(id, { metric: e.metric, split: e.split, dims: e.dims, first: e.first, last: e.last });
  }
  // Only spans of one resource can meet: compare within each resource (pairs across an estate are quadratic).
  const byResource = new Map<string, Span[]>();
  for (const s of spans.values()) {
    const r = (s.dims[RESOURCE_KEY] ?? '').toLowerCase();
    const list = byResource.get(r);
    if (list) list.push(s);
    else byResource.set(r, [s]);
  }
  for (const list of byResource.values()) checkSpans(def, data, list);
}

interface Span {
  metric: number;
  split: string;
  dims: Record<string, string>;
  first: number;
  last: number;
}

/** Spans of one resource: two splits over the same time are refused. */
function checkSpans(def: MetricDef, data: readonly MetricData[], list: readonly Span[]): void {
  for (let i = 0; i < list.length; i++) {
    for (let j = i + 1; j < list.length; j++) {
      const a = list[i]!;
      const b = list[j]!;
      if (a.metric === b.metric || a.split === b.split) continue;
      if (a.first > b.last || b.first > a.last) continue;
      const oa = data[a.metric]!.origin;
      const ob = data[b.metric]!.origin;
      const where = oa === ob ? `${oa} holds` : `${oa} and ${ob} hold`;
      const resource = a.dims[RESOURCE_KEY] ? ` of ${resourceName(a.dims[RESOURCE_KEY])}` : '';
      const from = formatTime(Math.max(a.first, b.first));
      const to = formatTime(Math.min(a.last, b.last));
      throw new DataError(
        `${where} ${def.rest} data${resource} split two ways over the same time (${from === to ? from : `${from} to ${to}`}): ${splitName(def, a.dims)} in ${oa}, ${splitName(def, b.dims)} in ${ob}; the requests would be counted twice: give files with the same split`,
      );
    }
  }
}

/** "split by Operation, StatusCode" or "not split", in the catalog's names. */
function splitName(def: MetricDef, dims: Record<string, string>): string {
  const names = Object.keys(dims)
    .filter((k) => k !== RESOURCE_KEY)
    .map((k) => dimensionByRestName(def, k)?.name ?? k);
  return names.length === 0 ? 'not split' : `split by ${names.join(', ')}`;
}

/** The same series with the resource among its dimensions; columns are shared, not copied. */
function retag(series: RawSeries, dims: Record<string, string>): RawSeries {
  const columns = pointColumns(series);
  if (columns) return columnarSeries(dims, columns, () => [...series.points]);
  return { dimensions: dims, points: series.points };
}

interface MergeContext {
  readonly def: MetricDef;
  readonly data: readonly MetricData[];
  readonly dims: Record<string, string>;
  readonly duplicates: Map<number, number>;
}

/** A series' points as columns in time order, repeated timestamps merged. */
function normalize(e: Entry, ctx: MergeContext): Merged {
  const columns = pointColumns(e.series);
  let timestamps: Float64Array;
  let values: ArrayLike<PointValues>;
  if (columns) {
    timestamps = columns.timestamps;
    values = valuesOf(columns);
  } else {
    const points = e.series.points;
    timestamps = Float64Array.from(points, (p) => p.timestamp);
    values = points.slice();
  }
  if (!e.clean) {
    const order = Array.from(timestamps.keys()).sort((i, j) => timestamps[i]! - timestamps[j]! || i - j);
    const ts = new Float64Array(order.length);
    const vs: PointValues[] = [];
    let n = 0;
    for (const i of order) {
      const t = timestamps[i]!;
      if (n > 0 && ts[n - 1] === t) {
        vs[n - 1] = combine(vs[n - 1]!, e.metric, values[i]!, e.metric, t, ctx);
        continue;
      }
      ts[n] = t;
      vs[n] = values[i]!;
      n++;
    }
    timestamps = ts.subarray(0, n);
    values = vs;
  }
  return { timestamps, values, from: new Int32Array(timestamps.length).fill(e.metric) };
}

/** Two sorted column sets merged; a timestamp in both is combined. */
function merge(a: Merged, b: Merged, ctx: MergeContext): Merged {
  const size = a.timestamps.length + b.timestamps.length;
  const timestamps = new Float64Array(size);
  const values: PointValues[] = [];
  const from = new Int32Array(size);
  let i = 0;
  let j = 0;
  let n = 0;
  while (i < a.timestamps.length || j < b.timestamps.length) {
    const ta = i < a.timestamps.length ? a.timestamps[i]! : Number.POSITIVE_INFINITY;
    const tb = j < b.timestamps.length ? b.timestamps[j]! : Number.POSITIVE_INFINITY;
    if (ta < tb) {
      timestamps[n] = ta;
      values[n] = a.values[i]!;
      from[n] = a.from[i]!;
      i++;
    } else if (tb < ta) {
      timestamps[n] = tb;
      values[n] = b.values[j]!;
      from[n] = b.from[j]!;
      j++;
    } else {
      timestamps[n] = ta;
      values[n] = combine(a.values[i]!, a.from[i]!, b.values[j]!, b.from[j]!, ta, ctx);
      from[n] = a.from[i]!;
      i++;
      j++;
    }
    n++;
  }
  return { timestamps: timestamps.subarray(0, n), values, from: from.subarray(0, n) };
}

/** One point from two that agree (union of their keys), or a DataError naming both places. */
function combine(a: PointValues, fromA: number, b: PointValues, fromB: number, t: number, ctx: MergeContext): PointValues {
  // Named property reads (not a[k] in a loop): this runs once per repeated point, millions of times.
  const ca = a.count;
  const cb = b.count;
  const ta = a.total;
  const tb = b.total;
  const aa = a.average;
  const ab = b.average;
  const mina = a.minimum;
  const minb = b.minimum;
  const maxa = a.maximum;
  const maxb = b.maximum;
  if (
    (ca != null && cb != null && ca !== cb) ||
    (ta != null && tb != null && ta !== tb) ||
    (aa != null && ab != null && aa !== ab) ||
    (mina != null && minb != null && mina !== minb) ||
    (maxa != null && maxb != null && maxa !== maxb)
  ) {
    conflict(a, fromA, b, fromB, t, ctx);
  }
  const pair = fromA * ctx.data.length + fromB;
  ctx.duplicates.set(pair, (ctx.duplicates.get(pair) ?? 0) + 1);
  const extra =
    (ca == null && cb != null) || (ta == null && tb != null) || (aa == null && ab != null) || (mina == null && minb != null) || (maxa == null && maxb != null);
  if (!extra) return a;
  const union: { -readonly [K in AggregationKey]?: number | null } = {};
  for (const k of KEYS) {
    const v = a[k] ?? b[k];
    if (v !== undefined) union[k] = v;
  }
  return union;
}

function conflict(a: PointValues, fromA: number, b: PointValues, fromB: number, t: number, ctx: MergeContext): never {
  const k = KEYS.find((key) => a[key] != null && b[key] != null && a[key] !== b[key])!;
  const oa = ctx.data[fromA]!.origin;
  const ob = ctx.data[fromB]!.origin;
  const where = oa === ob ? `${oa} holds two different` : `${oa} and ${ob} hold different`;
  throw new DataError(
    `${where} ${ctx.def.rest} points for ${seriesName(ctx.def, ctx.dims)} at ${formatTime(t)}: ${k} ${a[k]} in ${oa}, ${b[k]} in ${ob}; keep one of them`,
  );
}

/** "(Operation=SendChatMessage, StatusCode=503, Resource=acs-a)", "(not split)" without dimensions. */
function seriesName(def: MetricDef, dims: Record<string, string>): string {
  const parts = Object.keys(dims)
    .filter((k) => k !== RESOURCE_KEY)
    .map((k) => `${dimensionByRestName(def, k)?.name ?? k}=${dims[k]}`);
  if (dims[RESOURCE_KEY]) parts.push(`Resource=${resourceName(dims[RESOURCE_KEY])}`);
  return parts.length === 0 ? '(not split)' : `(${parts.join(', ')})`;
}

function toSeries(dims: Record<string, string>, m: Merged): RawSeries {
  const { timestamps, values } = m;
  const materialize = (): RawPoint[] =>
    Array.from(timestamps, (timestamp, k) => {
      const p: { timestamp: number } & { [K in AggregationKey]?: number | null } = { timestamp };
      const v = values[k]!;
      for (const key of KEYS) if (v[key] !== undefined) p[key] = v[key];
      return p;
    });
  return columnarSeries(dims, { timestamps, values }, materialize);
}

/**
 * What the emulator answers to Metrics - List and Metric Definitions, computed from a dataset the way
 * the service is documented to work: $filter selects and splits (series per value of every dimension
 * named in it, the others summed together), interval re-aggregates, top/orderby rank, timespan cuts.
 */
import { aggregationDef } from '../../src/catalog/aggregations.js';
import { metricByRestName } from '../../src/catalog/resolve.js';
import { parseDuration, toIsoDuration } from '../../src/core/duration.js';
import type { Dataset, DatasetMetric, DatasetPoint } from './dataset.js';
import { type Condition, parseFilter } from './odata.js';

export const NAMESPACE = 'Microsoft.Communication/CommunicationServices';
export const API_VERSION = '2024-02-01';

export interface Answer {
  readonly status: number;
  readonly body: unknown;
}

const AGG_KEYS = ['count', 'total', 'average', 'minimum', 'maximum'] as const;
type AggKey = (typeof AGG_KEYS)[number];

const bad = (message: string): Answer => ({ status: 400, body: { code: 'BadRequest', message } });

/** 2026-01-07T00:00:00Z (milliseconds only when not zero), as the service writes times. */
export function isoTime(ms: number): string {
  return new Date(ms).toISOString().replace('.000Z', 'Z');
}

const floorMinute = (t: number): number => Math.floor(t / 60_000) * 60_000;
const isoSeconds = (t: number): string => isoTime(Math.floor(t / 1000) * 1000);

interface Bucket {
  count: number;
  total: number;
  minimum?: number;
  maximum?: number;
}

/** A point Azure has only half of yet: half its requests, rounded down. */
function halfThere(p: DatasetPoint): DatasetPoint {
  const count = Math.floor((p.count ?? 0) / 2);
  return { t: p.t, count, total: count, ...(count > 0 ? { minimum: p.minimum, maximum: p.maximum } : {}) };
}

function add(b: Bucket, p: DatasetPoint): void {
  b.count += p.count ?? 0;
  b.total += p.total ?? 0;
  if (p.minimum !== undefined) b.minimum = b.minimum === undefined ? p.minimum : Math.min(b.minimum, p.minimum);
  if (p.maximum !== undefined) b.maximum = b.maximum === undefined ? p.maximum : Math.max(b.maximum, p.maximum);
}

function valueOf(b: Bucket, key: AggKey): number | undefined {
  switch (key) {
    case 'count':
      return b.count;
    case 'total':
      return b.total;
    case 'average':
      return b.count > 0 ? b.total / b.count : undefined;
    case 'minimum':
      return b.minimum;
    case 'maximum':
      return b.maximum;
  }
}

function metricNotFound(name: string, dataset: Dataset): Answer {
  return bad(
    `Failed to find metric configuration for provider: Microsoft.Communication, resource Type: CommunicationServices, metric: ${name}, Valid metrics: ${dataset.metrics.map((m) => m.name).join(',')}`,
  );
}

export interface MetricsRequest {
  readonly params: URLSearchParams;
  /** The resource id as in the URL, with its leading slash. */
  readonly resourceId: string;
  readonly now: number;
  /** Points of the last lateMs before `now` are half there, later ones not yet (see EstateSettings). */
  readonly lateMs?: number;
}

/** The answer to GET {resourceId}/providers/Microsoft.Insights/metrics. */
export function answerMetrics(dataset: Dataset, req: MetricsRequest): Answer {
  const p = req.params;
  const ns = p.get('metricnamespace');
  if (ns !== null && ns.toLowerCase() !== NAMESPACE.toLowerCase()) return bad(`Metric namespace ${ns} is not valid for this resource`);
  const names = (p.get('metricnames') ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (names.length === 0) return bad('metricnames is required by this emulator');
  const metrics: DatasetMetric[] = [];
  for (const name of names) {
    const m = dataset.metrics.find((x) => x.name.toLowerCase() === name.toLowerCase());
    if (!m) return metricNotFound(name, dataset);
    metrics.push(m);
  }
  const [startText, endText] = (p.get('timespan') ?? '').split('/');
  const askedStart = startText ? Date.parse(startText) : req.now - 3_600_000;
  const askedEnd = endText ? Date.parse(endText) : req.now;
  if (Number.isNaN(askedStart) || Number.isNaN(askedEnd) || askedEnd <= askedStart) return bad(`Invalid timespan: ${p.get('timespan')}`);
  // As Azure does: buckets start at the requested start floored to the whole minute and step by the
  // grain; the last one may be partial and ends at the requested end floored to the minute. The
  // timespan echoes the request to the second (milliseconds dropped).
  const start = floorMinute(askedStart);
  const end = floorMinute(askedEnd);
  if (end <= start) return bad(`Invalid timespan: ${p.get('timespan')}: shorter than a minute`);
  const intervalText = p.get('interval') ?? 'PT1M';
  const full = intervalText.toUpperCase() === 'FULL';
  const asked = full ? undefined : parseDuration(intervalText);
  if (!full && asked === undefined) return bad(`Invalid interval: ${intervalText}`);
  const aggs = (p.get('aggregation') ?? 'average')
    .split(',')
    .map((a) => a.trim().toLowerCase())
    .filter((a) => a !== '');
  for (const a of aggs) if (!(AGG_KEYS as readonly string[]).includes(a)) return bad(`Invalid aggregation: ${a}`);
  const filterText = p.get('$filter');
  let conditions: Condition[] = [];
  if (filterText !== null && filterText.trim() !== '') {
    try {
      conditions = parseFilter(filterText);
    } catch (err) {
      return bad((err as Error).message);
    }
  }
  const topText = p.get('top');
  const top = topText === null ? 10 : Number(topText);
  if (!Number.isInteger(top) || top < 1) return bad(`Invalid top: ${topText}`);
  const [orderKeyText, orderDir] = (p.get('orderby') ?? '').trim().split(/\s+/);
  const orderKey = orderKeyText ? orderKeyText.toLowerCase() : undefined;
  if (orderKey !== undefined && !(AGG_KEYS as readonly string[]).includes(orderKey)) return bad(`Invalid orderby: ${p.get('orderby')}`);

  const value: unknown[] = [];
  let grainOut = full ? end - start : (asked ?? 60_000);
  for (const metric of metrics) {
    for (const c of conditions) {
      if (!metric.dimensions.some((d) => d.toLowerCase() === c.dimension.toLowerCase())) {
        return bad(`Dimension '${c.dimension}' is not a valid dimension for metric ${metric.name}; valid dimensions: ${metric.dimensions.join(',')}`);
      }
    }
    // A grain finer than the data, or not a multiple of it, is answered at the data's grain.
    const grain = full ? end - start : asked! >= metric.grainMs && asked! % metric.grainMs === 0 ? asked! : metric.grainMs;
    grainOut = grain;
    const buckets = Math.ceil((end - start) / grain);
    const keys = conditions.map((c) => c.dimension.toLowerCase());
    const groups = new Map<string, { dims: [string, string][]; buckets: Bucket[] }>();
    for (const s of metric.series) {
      // A series without a value for a split dimension is split under "" (its requests are never dropped).
      const ok = conditions.every((c) => {
        const v = s.dims[c.dimension.toLowerCase()] ?? '';
        if (c.values === undefined) return true;
        return c.values.some((x) => x.toLowerCase() === v.toLowerCase());
      });
      if (!ok) continue;
      const dims = keys.map((k) => [k, s.dims[k] ?? ''] as [string, string]);
      const key = JSON.stringify(dims.map(([, v]) => v.toLowerCase()));
      for (const stored of s.points) {
        if (stored.t < start || stored.t >= end) continue;
        if (req.lateMs !== undefined && stored.t >= req.now) continue;
        const point = req.lateMs !== undefined && stored.t >= req.now - req.lateMs ? halfThere(stored) : stored;
        // A series appears only when it has data in the window.
        let g = groups.get(key);
        if (!g) {
          g = { dims, buckets: Array.from({ length: buckets }, () => ({ count: 0, total: 0 })) };
          groups.set(key, g);
        }
        add(g.buckets[Math.floor((point.t - start) / grain)]!, point);
      }
    }
    let list = [...groups.values()];
    if (conditions.length > 0) {
      const rankKey = (orderKey ?? 'count') as AggKey;
      const score = (g: { buckets: Bucket[] }): number => g.buckets.reduce((sum, b) => sum + (valueOf(b, rankKey) ?? 0), 0);
      list.sort((a, b) => (orderDir?.toLowerCase() === 'asc' ? score(a) - score(b) : score(b) - score(a)));
      list = list.slice(0, top);
    } else if (list.length === 0 && metric.series.length > 0) {
      // Unsplit, with series outside the window: one series of zero counts (a split that matches
      // nothing, or a metric without any data, answers "timeseries": []).
      list = [{ dims: [], buckets: Array.from({ length: buckets }, () => ({ count: 0, total: 0 })) }];
    }
    value.push({
      id: `${req.resourceId}/providers/Microsoft.Insights/metrics/${metric.name}`,
      type: 'Microsoft.Insights/metrics',
      name: { value: metric.name, localizedValue: metric.displayName },
      displayDescription: `${metric.displayName} (emulated)`,
      unit: metric.unit,
      timeseries: list.map((g) => ({
        metadatavalues: g.dims.map(([k, v]) => ({ name: { value: k, localizedValue: k }, value: v })),
        data: g.buckets.map((b, i) => {
          const point: Record<string, unknown> = { timeStamp: isoTime(start + i * grain) };
          for (const a of aggs) {
            const v = valueOf(b, a as AggKey);
            if (v !== undefined) point[a] = v;
          }
          return point;
        }),
      })),
      errorCode: 'Success',
    });
  }
  return {
    status: 200,
    body: {
      cost: 0,
      timespan: `${isoSeconds(askedStart)}/${isoSeconds(askedEnd)}`,
      interval: toIsoDuration(grainOut),
      value,
      namespace: NAMESPACE.toLowerCase(),
      resourceregion: 'global',
    },
  };
}

/** The answer to GET {resourceId}/providers/Microsoft.Insights/metricDefinitions. */
export function answerDefinitions(dataset: Dataset, resourceId: string, definitions?: readonly unknown[]): Answer {
  const value =
    definitions ??
    dataset.metrics.map((m) => ({
      id: `${resourceId}/providers/microsoft.insights/metricdefinitions/${m.name}`,
      resourceId,
      namespace: NAMESPACE,
      name: { value: m.name, localizedValue: m.displayName },
      displayDescription: `${m.displayName} (emulated)`,
      isDimensionRequired: false,
      unit: m.unit,
      // Azure's default aggregation of the metric (facts note §2: Job Router's is Total since 2025-04).
      primaryAggregationType: primaryAggregationOf(m.name),
      supportedAggregationTypes: ['None', 'Average', 'Count', 'Minimum', 'Maximum', 'Total'],
      metricAvailabilities: [{ timeGrain: toIsoDuration(m.grainMs), retention: 'P93D' }],
      dimensions: m.dimensions.map((d) => ({ value: d, localizedValue: d })),
    }));
  return { status: 200, body: { value } };
}

/** The default aggregation Azure lists for a metric: the catalog's for a known one, else Count. */
function primaryAggregationOf(rest: string): string {
  const def = metricByRestName(rest);
  return def ? aggregationDef(def.primaryAggregation).wire : 'Count';
}

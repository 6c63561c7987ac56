/**
 * The emulator's data: request counts per series and bucket, loaded from a Metrics-List body (such as
 * fixtures/sample-week.json) or built inline by a test.
 */
import { metricByRestName } from '../../src/catalog/resolve.js';
import type { MetricDef } from '../../src/catalog/types.js';
import { parseDuration } from '../../src/core/duration.js';

export interface DatasetPoint {
  readonly t: number;
  readonly count?: number;
  readonly total?: number;
  readonly minimum?: number;
  readonly maximum?: number;
}

export interface DatasetSeries {
  /** Lower-cased REST dimension name to value. */
  readonly dims: Readonly<Record<string, string>>;
  readonly points: readonly DatasetPoint[];
}

export interface DatasetMetric {
  readonly name: string;
  readonly displayName: string;
  readonly unit: string;
  /** REST dimension names, exact casing. */
  readonly dimensions: readonly string[];
  /** The data's own grain. */
  readonly grainMs: number;
  readonly series: readonly DatasetSeries[];
}

export interface Dataset {
  readonly metrics: readonly DatasetMetric[];
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

/**
 * Spreads each point of coarser data over its minutes (the count evenly, the remainder to the first
 * minutes), as the minute data Azure keeps would hold it; totals per original bucket are unchanged.
 */
function spreadToMinutes(points: DatasetPoint[], grainMs: number): DatasetPoint[] {
  const minutes = grainMs / 60_000;
  if (!Number.isInteger(minutes) || minutes <= 1) return points;
  return points.flatMap((p) => {
    const n = p.count ?? 0;
    return Array.from({ length: minutes }, (_, i) => {
      const c = Math.floor(n / minutes) + (i < n % minutes ? 1 : 0);
      return { t: p.t + i * 60_000, count: c, total: c, ...(c > 0 ? { minimum: 1, maximum: 1 } : {}) };
    });
  });
}

/**
 * A dataset from a Metrics-List body (or an array of them); dimension names get the catalog's casing.
 * With `minutes`, coarser buckets are spread over their minutes (whole-number counts only).
 */
export function datasetFromBody(body: unknown, options: { minutes?: boolean } = {}): Dataset {
  const bodies = Array.isArray(body) ? body : [body];
  const metrics: DatasetMetric[] = [];
  for (const b of bodies.filter(isObj)) {
    const grainMs = (typeof b.interval === 'string' ? parseDuration(b.interval) : undefined) ?? 60_000;
    for (const m of (Array.isArray(b.value) ? b.value : []).filter(isObj)) {
      const nameObj = isObj(m.name) ? m.name : {};
      const name = String(nameObj.value ?? '');
      const def = metricByRestName(name);
      const seen = new Set<string>();
      const series: DatasetSeries[] = [];
      for (const s of (Array.isArray(m.timeseries) ? m.timeseries : []).filter(isObj)) {
        const dims: Record<string, string> = {};
        for (const md of (Array.isArray(s.metadatavalues) ? s.metadatavalues : []).filter(isObj)) {
          const n = String(isObj(md.name) ? md.name.value : md.name).toLowerCase();
          dims[n] = String(md.value ?? '');
          seen.add(n);
        }
        const points = (Array.isArray(s.data) ? s.data : []).filter(isObj).map((p) => {
          const count = num(p.count);
          const total = num(p.total) ?? (count !== undefined && num(p.average) !== undefined ? count * num(p.average)! : undefined);
          return { t: Date.parse(String(p.timeStamp)), count, total, minimum: num(p.minimum), maximum: num(p.maximum) };
        });
        series.push({ dims, points: options.minutes ? spreadToMinutes(points, grainMs) : points });
      }
      const restDims = def ? def.dimensions.map((d) => d.rest) : [...seen];
      metrics.push({
        name: def?.rest ?? name,
        displayName: String(nameObj.localizedValue ?? def?.displayName ?? name),
        unit: typeof m.unit === 'string' ? m.unit : 'Count',
        dimensions: restDims,
        grainMs: options.minutes ? Math.min(grainMs, 60_000) : grainMs,
        series,
      });
    }
  }
  return { metrics };
}

export interface SeriesSpec {
  /** Dimension values by user-facing or REST name (Operation, StatusCode, StatusSubClass...). */
  readonly dims: Readonly<Record<string, string>>;
  /** Requests per bucket: a constant, or a function of the bucket's start time. */
  readonly count: number | ((t: number) => number);
}

/** Inline data for one catalog metric: every series has a point per grain from start to end. */
export function buildMetric(metric: MetricDef, start: number, end: number, grainMs: number, specs: readonly SeriesSpec[]): DatasetMetric {
  const series = specs.map((spec) => {
    const dims: Record<string, string> = {};
    for (const [k, v] of Object.entries(spec.dims)) {
      const d = metric.dimensions.find((x) => x.name.toLowerCase() === k.toLowerCase() || x.rest.toLowerCase() === k.toLowerCase());
      dims[(d?.rest ?? k).toLowerCase()] = v;
    }
    const points: DatasetPoint[] = [];
    for (let t = start; t < end; t += grainMs) {
      const n = typeof spec.count === 'function' ? spec.count(t) : spec.count;
      points.push({ t, count: n, total: n, minimum: n > 0 ? 1 : undefined, maximum: n > 0 ? 1 : undefined });
    }
    return { dims, points };
  });
  return { name: metric.rest, displayName: metric.displayName, unit: metric.unit, dimensions: metric.dimensions.map((d) => d.rest), grainMs, series };
}

/**
 * From per-metric request plans to the calls of a run over many resources (pure):
 * - metrics whose requests agree on everything but the metric name and top (interval, aggregations,
 *   $filter, order, window) share one request (asking for the largest top), at most MAX_METRICS_PER_CALL names in it; so a request's
 *   filter names only dimensions every metric in it has;
 * - resources are grouped by subscription and region (the batch API takes one subscription, region
 *   and resource type per call), at most MAX_IDS_PER_BATCH per call.
 */
import type { RequestPlan } from './request-plan.js';
import type { ResourceInfo } from './resource-info.js';

/** Metric names per request (Metrics - List allows 20; webdevops chunks the batch API the same way). */
export const MAX_METRICS_PER_CALL = 20;
/** Resource ids per getBatch call: the documented limit. */
export const MAX_IDS_PER_BATCH = 50;

/** The request parameters of a group of metrics: a plan's, with every metric's name. */
export interface MetricGroup extends Pick<
  RequestPlan,
  'metricnames' | 'metricnamespace' | 'aggregation' | 'interval' | 'filter' | 'top' | 'orderby' | 'windows'
> {
  /** The plans served, one per metric. */
  readonly plans: readonly RequestPlan[];
}

/** Plans with the same request parameters, in chunks of MAX_METRICS_PER_CALL, in first-seen order. */
export function groupPlans(plans: readonly RequestPlan[], perCall = MAX_METRICS_PER_CALL): MetricGroup[] {
  const byKey = new Map<string, RequestPlan[]>();
  for (const p of plans) {
    // `top` is not in the key: the group asks for the largest (top counts series per metric).
    const key = JSON.stringify([p.metricnamespace, p.aggregation, p.interval, p.filter, p.orderby, p.windows]);
    byKey.set(key, [...(byKey.get(key) ?? []), p]);
  }
  const out: MetricGroup[] = [];
  for (const list of byKey.values()) {
    for (let i = 0; i < list.length; i += perCall) out.push(groupOf(list.slice(i, i + perCall)));
  }
  return out;
}

/** One request for plans that agree on everything but the metric name and top. */
export function groupOf(chunk: readonly RequestPlan[]): MetricGroup {
  const p = chunk[0]!;
  return {
    plans: chunk,
    metricnames: chunk.map((c) => c.metricnames).join(','),
    metricnamespace: p.metricnamespace,
    aggregation: p.aggregation,
    interval: p.interval,
    filter: p.filter,
    top: Math.max(...chunk.map((c) => c.top)),
    orderby: p.orderby,
    windows: p.windows,
  };
}

export interface ResourceBatch {
  readonly subscription: string;
  readonly location: string;
  readonly resources: readonly ResourceInfo[];
}

/** Resources by subscription and region, in chunks of MAX_IDS_PER_BATCH, in first-seen order. */
export function batchResources(resources: readonly ResourceInfo[], size = MAX_IDS_PER_BATCH): ResourceBatch[] {
  const byKey = new Map<string, ResourceInfo[]>();
  for (const r of resources) {
    const key = `${r.resource.subscription.toLowerCase()}|${r.location.toLowerCase()}`;
    byKey.set(key, [...(byKey.get(key) ?? []), r]);
  }
  const out: ResourceBatch[] = [];
  for (const list of byKey.values()) {
    for (let i = 0; i < list.length; i += size) {
      out.push({ subscription: list[0]!.resource.subscription, location: list[0]!.location, resources: list.slice(i, i + size) });
    }
  }
  return out;
}

/** ISO 8601 without milliseconds when they are zero (the windows are whole minutes). */
export const isoTime = (ms: number): string => new Date(ms).toISOString().replace('.000Z', 'Z');

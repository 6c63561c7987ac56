/**
 * The calls of a run over many resources (pure), shared by the run itself and by --dry-run so that
 * the plan shown is the plan followed:
 * - a metric group whose one resource could pass the batch API's 500,000-series cap is split into
 *   smaller groups; a group's batch calls carry as many resources as stay under the cap (at most 50);
 * - series are estimated per resource and metric from the split dimensions (the request's `top`,
 *   itself the product of each split dimension's known or guessed value count), one when unsplit.
 */
import { BATCH_LIMITS, type CallPlan, type PlanSubscription } from '../../core/dry-run.js';
import { batchResources, groupOf, MAX_IDS_PER_BATCH, type MetricGroup } from './batch-plan.js';
import type { ResourceInfo } from './resource-info.js';

export const SERIES_CAP: number = BATCH_LIMITS.series;

/** Series one resource can answer for a group: each metric's top when split, else one. */
export function seriesPerResource(g: MetricGroup): number {
  return g.plans.reduce((n, p) => n + (g.filter === '' ? 1 : p.top), 0);
}

/** Resource ids per batch call of a group: 50, or fewer where 50 would pass the series cap. */
export function idsPerCall(g: MetricGroup, cap = SERIES_CAP): number {
  return Math.max(1, Math.min(MAX_IDS_PER_BATCH, Math.floor(cap / seriesPerResource(g))));
}

/** Groups whose one resource would pass the cap, split (metrics in order) into groups that stay under it. */
export function capGroups(groups: readonly MetricGroup[], cap = SERIES_CAP): MetricGroup[] {
  return groups.flatMap((g) => {
    if (seriesPerResource(g) <= cap || g.plans.length === 1) return [g];
    const out: MetricGroup[] = [];
    let chunk: MetricGroup['plans'][number][] = [];
    for (const p of g.plans) {
      const next = groupOf([...chunk, p]);
      if (chunk.length > 0 && seriesPerResource(next) > cap) {
        out.push(groupOf(chunk));
        chunk = [p];
      } else chunk.push(p);
    }
    out.push(groupOf(chunk));
    return out;
  });
}

export interface BatchCall {
  readonly subscription: string;
  readonly resources: readonly ResourceInfo[];
  /** The group and window it serves (indexes). */
  readonly gi: number;
  readonly wi: number;
  /** Estimated time series of the answer. */
  readonly series: number;
}

export interface ResourceCall {
  readonly resource: ResourceInfo;
  readonly gi: number;
  readonly wi: number;
}

/** Every batch call: per group, the resources by subscription and region in calls under the cap, per window. */
export function batchCalls(resources: readonly ResourceInfo[], groups: readonly MetricGroup[], cap = SERIES_CAP): BatchCall[] {
  return groups.flatMap((g, gi) =>
    batchResources(resources, idsPerCall(g, cap)).flatMap((b) =>
      g.windows.map((_, wi) => ({ subscription: b.subscription, resources: b.resources, gi, wi, series: b.resources.length * seriesPerResource(g) })),
    ),
  );
}

/**
 * The batch calls in the order they are sent: subscriptions in turn (round-robin), the ones with the
 * most calls first in each round, and within a subscription resource by resource (a batch of
 * resources' every group and window, then the next batch).
 * - Every subscription's first call goes out in the first round: a subscription the batch API refuses
 *   (401/403) is learnt of by its first call, and its per-resource reads, paced by its own read bucket
 *   (25/s once its 250 are spent), are the longest work of a run; the largest go first.
 * - Memory does not depend on this order: each resource's metric group is let go as soon as its
 *   windows have come (estate-pieces.ts). Within a subscription a batch's groups still go together.
 * Linear but for the sort of each subscription's calls.
 */
export function sendOrder(calls: readonly BatchCall[]): BatchCall[] {
  // Each resource's place: first seen in plan order (the first group's calls name every resource).
  const rank = new Map<ResourceInfo, number>();
  const bySub = new Map<string, BatchCall[]>();
  for (const c of calls) {
    for (const r of c.resources) if (!rank.has(r)) rank.set(r, rank.size);
    const key = c.subscription.toLowerCase();
    const list = bySub.get(key);
    if (list) list.push(c);
    else bySub.set(key, [c]);
  }
  const first = (c: BatchCall): number => rank.get(c.resources[0]!) ?? 0;
  // Stable sorts: equal counts keep their first-seen order.
  const lists = [...bySub.values()].sort((a, b) => b.length - a.length).map((list) => list.sort((a, b) => first(a) - first(b) || a.gi - b.gi || a.wi - b.wi));
  const out: BatchCall[] = [];
  for (let round = 0; out.length < calls.length; round++) {
    for (const list of lists) if (round < list.length) out.push(list[round]!);
  }
  return out;
}

/** Every Metrics - List call: one per resource, group and window. */
export function resourceCalls(resources: readonly ResourceInfo[], groups: readonly MetricGroup[]): ResourceCall[] {
  return resources.flatMap((resource) => groups.flatMap((g, gi) => g.windows.map((_, wi) => ({ resource, gi, wi }))));
}

/** The calls per subscription, as --dry-run shows them. */
export function summarize(resources: readonly ResourceInfo[], groups: readonly MetricGroup[], batch: boolean, cap = SERIES_CAP): PlanSubscription[] {
  const bySub = new Map<string, ResourceInfo[]>();
  for (const r of resources) {
    const key = r.resource.subscription.toLowerCase();
    bySub.set(key, [...(bySub.get(key) ?? []), r]);
  }
  return [...bySub.values()].map((list) => {
    const perResource = resourceCalls(list, groups).length;
    const calls = batch ? batchCalls(list, groups, cap) : [];
    return {
      subscription: list[0]!.resource.subscription,
      resources: list.length,
      batchCalls: calls.length,
      perResourceCalls: batch ? 0 : perResource,
      fallbackCalls: batch ? perResource : 0,
      largestBatch: Math.max(0, ...calls.map((c) => c.resources.length)),
      largestSeries: Math.max(0, ...calls.map((c) => c.series)),
    };
  });
}

/** The plan of an estate run over these resources and groups. */
export function estatePlan(
  resources: readonly ResourceInfo[],
  groups: readonly MetricGroup[],
  o: { batch: boolean; graphPages: number; lookupPages: number; discovered: boolean; cap?: number },
): CallPlan {
  return {
    graphPages: o.graphPages,
    lookupPages: o.lookupPages,
    discovered: o.discovered,
    resources: resources.length,
    path: o.batch ? 'batch' : 'per-resource',
    groups: groups.length,
    windows: Math.max(0, ...groups.map((g) => g.windows.length)),
    subscriptions: summarize(resources, groups, o.batch, o.cap),
  };
}

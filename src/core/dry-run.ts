/**
 * What a run will send, as `--dry-run` shows it (pure): the calls per subscription, counted by the
 * sources from the same plan a real run follows, and the quotas they meet. No price: Azure Monitor's
 * pricing page is linked instead.
 */

export const PRICING_URL = 'https://azure.microsoft.com/pricing/details/monitor/';
/** Resource Graph: queries per window per user. */
export const GRAPH_QUOTA = { queries: 15, windowSeconds: 5 } as const;
/** ARM reads per subscription and principal: a bucket of 250 refilled at 25 per second. */
export const ARM_READS = { bucket: 250, refillPerSecond: 25 } as const;
/** The metrics batch API: resource ids per call, time series per query. */
export const BATCH_LIMITS = { ids: 50, series: 500_000 } as const;

export interface PlanSubscription {
  readonly subscription: string;
  readonly resources: number;
  /** metrics:getBatch calls. */
  readonly batchCalls: number;
  /** Metrics - List calls (Resource Manager), one per resource, metric group and window. */
  readonly perResourceCalls: number;
  /** Where batch is planned: the Metrics - List calls instead, should the batch API refuse the subscription (401/403). */
  readonly fallbackCalls: number;
  /** The most resource ids in one batch call (0: none). */
  readonly largestBatch: number;
  /** The estimated time series of the largest batch call (0: none). */
  readonly largestSeries: number;
}

export interface CallPlan {
  /** Resource Graph pages read to find the resources (they ran: the plan depends on what they found). */
  readonly graphPages: number;
  /** Of those, pages that resolved subscription display names. */
  readonly lookupPages: number;
  /** Whether Resource Graph ran (a selection by subscription) or the resources were named. */
  readonly discovered: boolean;
  readonly resources: number;
  /** batch: metrics:getBatch; per-resource: Metrics - List for every resource (--no-batch, or no batch endpoint). */
  readonly path: 'batch' | 'per-resource';
  /** Metric groups (metrics that share one request) and time windows (pieces of at most 30 days). */
  readonly groups: number;
  readonly windows: number;
  readonly subscriptions: readonly PlanSubscription[];
}

export interface QuotaCheck {
  readonly name: 'resource-graph' | 'arm-reads' | 'batch-ids' | 'batch-series';
  readonly limit: string;
  /** The plan's figure against the limit. */
  readonly planned: number;
  readonly within: boolean;
  /** What happens when the plan passes it, or why it stays inside. */
  readonly note: string;
}

const sum = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0);

export interface PlanTotals {
  readonly graphPages: number;
  readonly batchCalls: number;
  readonly perResourceCalls: number;
  /** Every metrics call (getBatch and Metrics - List): Azure Monitor bills metrics queries per call. */
  readonly billedCalls: number;
  readonly fallbackCalls: number;
}

export function planTotals(p: CallPlan): PlanTotals {
  const batchCalls = sum(p.subscriptions.map((s) => s.batchCalls));
  const perResourceCalls = sum(p.subscriptions.map((s) => s.perResourceCalls));
  return {
    graphPages: p.graphPages,
    batchCalls,
    perResourceCalls,
    billedCalls: batchCalls + perResourceCalls,
    fallbackCalls: sum(p.subscriptions.map((s) => s.fallbackCalls)),
  };
}

/** The quotas the plan meets, each judged. */
export function quotaChecks(p: CallPlan): QuotaCheck[] {
  const out: QuotaCheck[] = [];
  const g = GRAPH_QUOTA;
  const graphWaits = Math.max(0, Math.ceil(p.graphPages / g.queries) - 1);
  out.push({
    name: 'resource-graph',
    limit: `${g.queries} queries per ${g.windowSeconds} s per user`,
    planned: p.graphPages,
    within: p.graphPages <= g.queries,
    note:
      p.graphPages <= g.queries
        ? p.graphPages === 0
          ? 'no Resource Graph query (the resources are named)'
          : 'inside the quota'
        : `passes the quota: acs-metrics waits for it to reset about ${graphWaits} time${graphWaits === 1 ? '' : 's'} (${graphWaits * g.windowSeconds} s or more)`,
  });
  const a = ARM_READS;
  const reads = Math.max(0, ...p.subscriptions.map((s) => s.perResourceCalls));
  const fallback = Math.max(0, ...p.subscriptions.map((s) => s.fallbackCalls));
  const over = reads - a.bucket;
  out.push({
    name: 'arm-reads',
    limit: `${a.bucket} reads, refilled ${a.refillPerSecond}/s, per subscription and principal`,
    planned: reads,
    within: reads <= a.bucket,
    note:
      reads <= a.bucket
        ? `inside the bucket${fallback > a.bucket ? ` (but a refused batch API would mean ${fallback} reads in one subscription: past the bucket, paced at ${a.refillPerSecond}/s, at least ${Math.ceil((fallback - a.bucket) / a.refillPerSecond)} s)` : ''}`
        : `past the bucket in one subscription: at ${a.refillPerSecond}/s the last ${over} reads take at least ${Math.ceil(over / a.refillPerSecond)} s; acs-metrics paces them so that none is refused`,
  });
  const ids = Math.max(0, ...p.subscriptions.map((s) => s.largestBatch));
  out.push({
    name: 'batch-ids',
    limit: `${BATCH_LIMITS.ids} resource ids per call`,
    planned: ids,
    within: ids <= BATCH_LIMITS.ids,
    note: ids === 0 ? 'no batch call' : 'calls are cut at 50 ids, one subscription and region each',
  });
  const series = Math.max(0, ...p.subscriptions.map((s) => s.largestSeries));
  out.push({
    name: 'batch-series',
    limit: `${BATCH_LIMITS.series.toLocaleString('en-US')} time series per query`,
    planned: series,
    within: series <= BATCH_LIMITS.series,
    note:
      series === 0
        ? 'no batch call'
        : 'estimated from the split dimensions and top per resource and metric; calls that would pass it are split before they are sent',
  });
  return out;
}

/** What several runs (export steps) share: the discovery, the resources (their subscriptions) and the windows. */
export interface PlanBase {
  readonly graphPages: number;
  readonly lookupPages: number;
  readonly discovered: boolean;
  /** The subscription of each resource. */
  readonly subscriptions: readonly string[];
  readonly windows: number;
}

/** Plans of several runs (export steps) as one: calls added per subscription, in first-seen order. */
export function addPlans(plans: readonly CallPlan[], base: PlanBase): CallPlan {
  const count = (sub: string): number => base.subscriptions.filter((s) => s.toLowerCase() === sub.toLowerCase()).length;
  const subs = new Map<string, PlanSubscription>();
  for (const p of plans) {
    for (const s of p.subscriptions) {
      const key = s.subscription.toLowerCase();
      const o = subs.get(key);
      subs.set(
        key,
        o === undefined
          ? { ...s, resources: count(s.subscription) }
          : {
              subscription: o.subscription,
              resources: o.resources,
              batchCalls: o.batchCalls + s.batchCalls,
              perResourceCalls: o.perResourceCalls + s.perResourceCalls,
              fallbackCalls: o.fallbackCalls + s.fallbackCalls,
              largestBatch: Math.max(o.largestBatch, s.largestBatch),
              largestSeries: Math.max(o.largestSeries, s.largestSeries),
            },
      );
    }
  }
  return {
    graphPages: base.graphPages,
    lookupPages: base.lookupPages,
    discovered: base.discovered,
    resources: base.subscriptions.length,
    path: plans.some((p) => p.path === 'batch') ? 'batch' : 'per-resource',
    groups: Math.max(0, ...plans.map((p) => p.groups)),
    windows: base.windows,
    subscriptions: [...subs.values()],
  };
}

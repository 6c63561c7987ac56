/**
 * The entries of the combined batch body as the core reads them: a resource's entry for a metric
 * group settled into MetricData (and whether all of it failed), its windows merged first.
 */
import type { MetricData } from '../../core/model.js';
import { parseMetricsBody } from '../parse-response.js';
import type { MetricGroup } from './batch-plan.js';
import type { CutWatch } from './cut-watch.js';
import type { Entry } from './estate-failures.js';
import { mergeBodies } from './merge-bodies.js';
import type { ResourceInfo } from './resource-info.js';

export const ORIGIN = 'Azure Monitor';

/** A metric's errorCode that says it failed (no errorCode, or "Success" in any case, is success). */
const isFailure = (code: unknown): boolean => typeof code === 'string' && code.toLowerCase() !== 'success';

/** A resource's entry for a group as MetricData, and whether every metric of it failed. */
export interface Settled {
  readonly metrics: MetricData[];
  readonly failed: boolean;
  readonly message?: string;
  readonly resourceid: string;
}

export function settle(e: Entry, cut: CutWatch): Settled {
  cut.see(e);
  const first = e.value[0] as { errorMessage?: string } | undefined;
  return {
    metrics: parseMetricsBody({ values: [e] }, ORIGIN),
    failed: e.value.every((m) => isFailure((m as { errorCode?: unknown }).errorCode)),
    ...(first?.errorMessage !== undefined ? { message: first.errorMessage } : {}),
    resourceid: e.resourceid,
  };
}

/** The windows' entries of one resource as one entry (merge-bodies.ts joins the series). */
function mergeEntries(parts: readonly Entry[]): Entry {
  if (parts.length === 1) return parts[0]!;
  const bodies = parts.map((p) => ({ timespan: `${p.starttime}/${p.endtime}`, interval: p.interval, value: p.value }));
  const merged = mergeBodies(bodies) as { timespan: string; value: unknown[] };
  const [starttime, endtime] = merged.timespan.split('/') as [string, string];
  return { ...parts[0]!, starttime, endtime, value: merged.value };
}

/**
 * One resource's entries, one per group, the windows merged, in group order: settled (and, with
 * `keep`, the merged entries too). `ready(gi)` is a group already settled; `window(gi, wi)` a window's entry.
 */
export function collectResource(
  groups: readonly MetricGroup[],
  ready: (gi: number) => Settled | undefined,
  window: (gi: number, wi: number) => Entry,
  keep: boolean,
  cut: CutWatch,
  settled: Settled[],
  entries: Entry[],
): void {
  groups.forEach((g, gi) => {
    const done = ready(gi);
    if (done) return void settled.push(done);
    const e = mergeEntries(g.windows.map((_, wi) => window(gi, wi)));
    if (keep) entries.push(e);
    settled.push(settle(e, cut));
  });
}

/**
 * One entry per resource and group, the windows merged, in resource then group order. `ready(gi, r)`
 * is a group already settled; `window(gi, r, wi)` a window's entry. With `keep` (--save) the merged
 * entries are returned too.
 */
export function collectEntries(
  resources: readonly ResourceInfo[],
  groups: readonly MetricGroup[],
  ready: (gi: number, r: ResourceInfo) => Settled | undefined,
  window: (gi: number, r: ResourceInfo, wi: number) => Entry,
  keep: boolean,
  cut: CutWatch,
): { settled: Settled[]; entries?: Entry[] } {
  const settled: Settled[] = [];
  const entries: Entry[] = [];
  for (const r of resources)
    collectResource(
      groups,
      (gi) => ready(gi, r),
      (gi, wi) => window(gi, r, wi),
      keep,
      cut,
      settled,
      entries,
    );
  return { settled, ...(keep ? { entries } : {}) };
}

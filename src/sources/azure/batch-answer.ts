/**
 * A metrics batch answer (getBatch's 200 body) as entries: one per resource asked for, keyed by its id
 * in lower case, an entry's own error (a resource not found, a metric it does not have) as a failed
 * entry; answers for resources not asked for are left out. Pure: the caller adds the costs up.
 */
import type { Window } from '../../core/window.js';
import { isoTime, type MetricGroup } from './batch-plan.js';
import { oneLine } from './credentials.js';
import { type Entry, failedEntry } from './estate-failures.js';
import type { ResourceInfo } from './resource-info.js';

export interface BatchAnswer {
  readonly entries: Map<string, Entry>;
  /** The `cost` of each entry read (the body's own is the caller's). */
  readonly costs: unknown[];
}

export function batchAnswer(values: readonly unknown[], resources: readonly ResourceInfo[], g: MetricGroup, w: Window): BatchAnswer {
  const entries = new Map<string, Entry>();
  const costs: unknown[] = [];
  const asked = new Map(resources.map((x) => [`/${x.resource.id}`.toLowerCase(), x]));
  for (const v of values as Record<string, unknown>[]) {
    if (typeof v?.resourceid !== 'string') continue;
    const r = asked.get(`/${v.resourceid.replace(/^\//, '')}`.toLowerCase());
    if (!r) continue;
    costs.push(v.cost);
    const key = `/${r.resource.id}`.toLowerCase();
    const error = v.error as { code?: unknown; message?: unknown } | undefined;
    if (error && typeof error === 'object') {
      const code = typeof error.code === 'string' ? error.code : 'Error';
      const f = code.toLowerCase().includes('notfound')
        ? { code, message: `resource not found (${code})` }
        : { code, message: `${code}${typeof error.message === 'string' ? `: ${oneLine(error.message, 200)}` : ''}` };
      entries.set(key, failedEntry(r, g, w, f));
      continue;
    }
    entries.set(key, {
      resourceid: `/${r.resource.id}`,
      starttime: typeof v.starttime === 'string' ? v.starttime : isoTime(w.start),
      endtime: typeof v.endtime === 'string' ? v.endtime : isoTime(w.end),
      interval: typeof v.interval === 'string' ? v.interval : g.interval,
      ...(typeof v.namespace === 'string' ? { namespace: v.namespace } : {}),
      ...(typeof v.resourceregion === 'string' ? { resourceregion: v.resourceregion } : {}),
      value: Array.isArray(v.value) ? v.value : [],
    });
  }
  return { entries, costs };
}

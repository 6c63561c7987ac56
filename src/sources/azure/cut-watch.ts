/**
 * A metric answered with exactly `top` series (per resource) may have lost some: each batch or
 * Metrics - List entry is looked at as it is settled, and one warning per metric and top is said at
 * the end, in the order of the groups that asked.
 */
import type { MetricGroup } from './batch-plan.js';

export class CutWatch {
  /** "name|top" -> the first group that found it cut. */
  private readonly cut = new Map<string, number>();
  /** The tops asked for each metric (lower-case REST name) by the groups that split it. */
  private readonly tops = new Map<string, { top: number; gi: number }[]>();

  constructor(groups: readonly MetricGroup[]) {
    groups.forEach((g, gi) => {
      if (g.filter === '') return;
      for (const p of g.plans) {
        const k = p.metric.rest.toLowerCase();
        this.tops.set(k, [...(this.tops.get(k) ?? []), { top: g.top, gi }]);
      }
    });
  }

  /** Looks at one entry's metrics. */
  see(entry: { readonly value: readonly unknown[] }): void {
    if (this.tops.size === 0) return;
    for (const m of entry.value as { name?: { value?: unknown }; timeseries?: unknown }[]) {
      const name = typeof m?.name?.value === 'string' ? m.name.value : undefined;
      if (!name || !Array.isArray(m.timeseries)) continue;
      for (const { top, gi } of this.tops.get(name.toLowerCase()) ?? []) {
        const k = `${name}|${top}`;
        const had = this.cut.get(k);
        if (m.timeseries.length >= top && (had === undefined || gi < had)) this.cut.set(k, gi);
      }
    }
  }

  /** The warnings, one per metric and top. */
  warnings(): string[] {
    return [...this.cut]
      .sort((a, b) => a[1] - b[1])
      .map(([k]) => {
        const [name, top] = k.split('|');
        return `Azure Monitor returned ${top} series for ${name} of a resource, the most acs-metrics asked for (top=${top}): some series may be missing`;
      });
  }
}

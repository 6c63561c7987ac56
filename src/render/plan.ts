/**
 * The --dry-run plan as text (for people) and as JSON (for scripts; schema in docs/estate.md, "Know
 * before you run"). Pure.
 */
import { type CallPlan, planTotals, PRICING_URL, quotaChecks } from '../core/dry-run.js';
import { formatNumber } from './format.js';

const plural = (n: number, one: string, many = `${one}s`): string => `${formatNumber(n)} ${n === 1 ? one : many}`;

const QUOTA_TITLES: Record<string, string> = {
  'resource-graph': 'Resource Graph',
  'arm-reads': 'ARM reads',
  'batch-ids': 'batch ids',
  'batch-series': 'batch series',
};

/** The plan as a JSON document (schemaVersion 1, kind "acs-metrics-plan"). */
export function renderPlanJson(command: string, p: CallPlan): string {
  const t = planTotals(p);
  const quotas = quotaChecks(p);
  const doc = {
    schemaVersion: 1,
    kind: 'acs-metrics-plan',
    command,
    discovery: { ran: p.discovered || p.lookupPages > 0, resourceGraphPages: p.graphPages, subscriptionLookupPages: p.lookupPages },
    resources: p.resources,
    path: p.path,
    metricGroups: p.groups,
    windows: p.windows,
    totals: {
      resourceGraphPages: t.graphPages,
      batchCalls: t.batchCalls,
      perResourceCalls: t.perResourceCalls,
      billedMetricsCalls: t.billedCalls,
      perResourceCallsIfBatchRefused: t.fallbackCalls,
    },
    subscriptions: p.subscriptions.map((s) => ({
      subscription: s.subscription,
      resources: s.resources,
      batchCalls: s.batchCalls,
      perResourceCalls: s.perResourceCalls,
      perResourceCallsIfBatchRefused: s.fallbackCalls,
      largestBatch: s.largestBatch,
      largestBatchSeries: s.largestSeries,
    })),
    quotas: quotas.map((q) => ({ name: q.name, limit: q.limit, planned: q.planned, within: q.within, note: q.note })),
    withinQuotas: quotas.every((q) => q.within),
    pricing: PRICING_URL,
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}

function table(rows: readonly (readonly string[])[]): string[] {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  return rows.map((r) =>
    r
      .map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!)))
      .join('  ')
      .trimEnd(),
  );
}

/** The plan for people. */
export function renderPlanText(command: string, p: CallPlan): string {
  const t = planTotals(p);
  const lines: string[] = [`acs-metrics ${command} --dry-run: the plan; no metrics request was sent.`];
  const subs = plural(p.subscriptions.length, 'subscription');
  if (p.discovered) {
    lines.push(
      `Resource Graph ran to find the resources (${plural(p.graphPages, 'page')}; a real run reads them again): ${plural(p.resources, 'resource')} in ${subs}.`,
    );
  } else {
    lines.push(
      `${plural(p.resources, 'resource')} named, in ${subs}; ${p.lookupPages > 0 ? `Resource Graph ran to resolve subscription names (${plural(p.lookupPages, 'page')})` : 'no Resource Graph query'}.`,
    );
  }
  const how =
    p.path === 'batch'
      ? 'metrics batch API (metrics:getBatch)'
      : p.resources === 1
        ? 'Metrics - List, one resource'
        : 'Metrics - List, one request per resource';
  lines.push(`Requests: ${how}; ${plural(p.groups, 'metric group')} x ${plural(p.windows, 'window')} of at most 30 days.`, '');
  const rows: string[][] = [['subscription', 'resources', 'batch calls', 'per-resource calls', ...(p.path === 'batch' ? ['if batch refused'] : [])]];
  for (const s of p.subscriptions) {
    rows.push([
      s.subscription,
      formatNumber(s.resources),
      formatNumber(s.batchCalls),
      formatNumber(s.perResourceCalls),
      ...(p.path === 'batch' ? [formatNumber(s.fallbackCalls)] : []),
    ]);
  }
  rows.push([
    'total',
    formatNumber(p.resources),
    formatNumber(t.batchCalls),
    formatNumber(t.perResourceCalls),
    ...(p.path === 'batch' ? [formatNumber(t.fallbackCalls)] : []),
  ]);
  lines.push(...table(rows), '');
  if (p.path === 'batch') {
    lines.push(
      '"if batch refused": the per-resource calls that replace a subscription\'s batch calls should the batch API answer 401/403 (it needs Monitoring Reader at subscription scope).',
      '',
    );
  }
  lines.push('Quotas:');
  for (const q of quotaChecks(p)) {
    lines.push(`  ${q.within ? 'ok  ' : 'OVER'}  ${QUOTA_TITLES[q.name]}: ${formatNumber(q.planned)} (limit ${q.limit}): ${q.note}`);
  }
  lines.push('', `Billed metrics calls: ${formatNumber(t.billedCalls)} (Azure Monitor bills metrics queries per call; prices: ${PRICING_URL})`);
  return `${lines.join('\n')}\n`;
}

/**
 * `acs-metrics status`: is anything on fire, anywhere? Every selected resource and metric over a
 * window (default the last 24h): requests, errors, error rate, the worst operation and the latest data,
 * problems first. Live (one batch call per 50 resources and metric group) or from saved files.
 */
import type { MetricDef } from '../catalog/types.js';
import { dataResources, failureNotes } from '../core/estate.js';
import type { Query } from '../core/model.js';
import { statusReport } from '../core/status.js';
import { type StatusParts, statusParts } from '../core/status-parts.js';
import type { CostSum, MetricsSource } from '../sources/source.js';
import { liveStatus } from './status-live.js';
import { DataError, Problems, UsageError } from '../errors.js';
import { safeText } from '../render/safe.js';
import { renderStatusCsv, renderStatusJson, renderStatusTable } from '../render/status.js';
import { type Context, hushable } from './context.js';
import type { Register } from './register.js';
import { outputWidth, parseWidth, TABLE_WIDTH_HELP } from './width.js';
import { perResourceQuery } from '../core/usage.js';
import { addWindowOptions, parseMetricList, parseRange } from './query-options.js';
import { addSourceOptions, fetchData, openSource, type SourceOptions } from './source-options.js';
import { addDryRunOption, showPlan } from './dry-run.js';
import { absentNote, metricsInFiles } from './metrics-in-files.js';
import { addPartialOption, PARTIAL_EXIT_HELP, partialExit, type PartialOptions } from './partial.js';
import { METRIC_ALIASES, offer } from './option-values.js';

const OUTPUTS = ['table', 'json', 'csv'] as const;
const DEFAULT_SINCE_MS = 24 * 60 * 60_000;

interface StatusOptions extends SourceOptions, PartialOptions {
  metric?: string;
  since?: string;
  start?: string;
  end?: string;
  output?: string;
  width?: string;
}

export const registerStatus: Register = (program, action) => {
  const cmd = program
    .command('status')
    .description('is anything failing? requests, errors, error rate and worst operation per resource and metric, problems first')
    .option(
      '-m, --metric <names>',
      'metrics: a comma list of aliases or REST names, or all: every current metric, the default (the legacy networktraversal only when named, or from files that hold it)',
    );
  addWindowOptions(cmd, 'the last 24h (default), 7d, 90m, PT6H')
    .option('-o, --output <format>', 'table, json or csv', 'table')
    .option('--width <columns>', TABLE_WIDTH_HELP);
  addSourceOptions(cmd);
  addDryRunOption(cmd);
  addPartialOption(cmd);
  offer(cmd, '--metric', [...METRIC_ALIASES, 'all']);
  offer(cmd, '--output', OUTPUTS);
  cmd.addHelpText(
    'after',
    `
${PARTIAL_EXIT_HELP}

Examples:
  acs-metrics status --all-subscriptions
  acs-metrics status --subscription "$SUB" --metric chat,sms --since 1h -o json
  acs-metrics status --resource "$ACS_RESOURCE_ID"            (every metric of one resource)
  acs-metrics status --fixture estate.json                      (a file saved with --save)
  acs-metrics status --all-subscriptions --dry-run              (the requests it would send, and the quotas)`,
  );
  cmd.action(action<StatusOptions>(runStatus));
};

const statusQuery = (metric: MetricDef, range: Query['range']): Query => perResourceQuery(metric, range, { kind: 'auto' }, false);

async function runStatus(args: string[], opts: StatusOptions, ctx: Context): Promise<number> {
  if (args.length > 0) throw new UsageError(`unexpected argument "${args[0]}": give metrics with --metric`);
  const problems = new Problems();
  const output = (opts.output ?? 'table').toLowerCase();
  if (!(OUTPUTS as readonly string[]).includes(output)) problems.add(`invalid --output "${opts.output}": expected one of ${OUTPUTS.join(', ')}`);
  const fromFiles = (opts.fixture ?? []).length > 0;
  const all = (opts.metric ?? 'all').trim().toLowerCase() === 'all';
  const metrics = parseMetricList(opts.metric ?? 'all', problems, fromFiles);
  const width = problems.try(() => parseWidth(opts.width));
  let range = parseRange(opts, problems);
  problems.throwIfAny();
  if (range.start === undefined && range.sinceMs === undefined) range = { ...range, sinceMs: DEFAULT_SINCE_MS };

  const queries = metrics.map((m) => statusQuery(m, range));
  if (opts.dryRun) return showPlan('status', opts, ctx, queries, output === 'json');
  const { ctx: sourceCtx, hushed } = hushable(ctx);
  const source = await openSource(opts, sourceCtx);
  const live = await liveStatus(source, opts, ctx, queries, opts.metric === undefined, hushed);
  const { parts, cost } = live ?? (await statusFromData(opts, ctx, queries, { metrics, all, source }));
  if (!parts.hasResults) throw new DataError(parts.failedMetrics[0]?.message ?? 'no data');
  const report = statusReport({ ...parts, everyMetric: parts.resources.length === 1 && opts.metric === undefined });
  ctx.io.stdout.write(
    output === 'json'
      ? renderStatusJson(report, cost)
      : output === 'csv'
        ? renderStatusCsv(report)
        : renderStatusTable(report, ctx.out, outputWidth(ctx.io, width)),
  );
  for (const line of failureNotes(parts.failures)) ctx.note(safeText(line));
  for (const f of parts.failedMetrics) ctx.note(safeText(`${f.metric.alias}: ${f.message}`));
  // Partial: data that could not be fetched (an errorCode in the data), not a metric the files lack.
  return partialExit(ctx, opts, { failed: parts.failedResources, of: parts.resources.length });
}

/** The report's parts from all the data at once: files, --save, one resource (sources that hand no resource on). */
async function statusFromData(
  opts: StatusOptions,
  ctx: Context,
  asked: readonly Query[],
  o: { metrics: readonly MetricDef[]; all: boolean; source: MetricsSource },
): Promise<{ parts: StatusParts; cost?: CostSum }> {
  let queries = asked;
  const fromFiles = (opts.fixture ?? []).length > 0;
  const data = await fetchData(opts, ctx, queries, o.source);
  if (fromFiles) {
    // Files: a metric they do not hold is not in the data (as in usage), not a failed fetch.
    const { held, absent } = metricsInFiles(o.metrics, data.metrics, o.all);
    if (held.length === 0) throw new DataError(`the data holds none of the metrics asked for (${o.metrics.map((m) => m.alias).join(', ')})`);
    const note = absentNote(absent, 'not shown');
    if (note) ctx.note(note);
    queries = queries.filter((q) => held.includes(q.metric));
  }
  const selected = (data as { resources?: readonly { resource: { id: string } }[] }).resources;
  const resources = selected ? selected.map((r) => `/${r.resource.id}`) : dataResources(data.metrics);
  const parts = statusParts(queries, data, resources);
  return { parts, ...(data.cost ? { cost: data.cost } : {}) };
}

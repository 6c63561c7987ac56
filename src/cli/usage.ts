/**
 * `acs-metrics usage`: which resource uses which channel, how much and since when, with each channel's
 * place in Microsoft's ACS retirement; `--fail-on retiring` turns it into a CI gate.
 */
import { METRICS } from '../catalog/metrics.js';
import { metricByRestName } from '../catalog/resolve.js';
import type { MetricDef } from '../catalog/types.js';
import type { Query, RangeSpec } from '../core/model.js';
import { FAIL_ON, type FailOn, failingChannels, perResourceQuery, type UsageReport, usageReport } from '../core/usage.js';
import type { SourceResult } from '../sources/source.js';
import { DataError, EXIT, Problems, UsageError } from '../errors.js';
import { lifecycleLabel } from '../catalog/lifecycle.js';
import { resourceName } from '../catalog/resource.js';
import { formatNumber } from '../render/format.js';
import { safeText } from '../render/safe.js';
import { renderUsageCsv, renderUsageJson, renderUsageMarkdown, renderUsageTable } from '../render/usage.js';
import { renderBurndownChart } from '../render/burndown-chart.js';
import { TREND_CHOICES, type TrendChoice } from '../core/trend.js';
import type { Context } from './context.js';
import type { Register } from './register.js';
import { CHART_HEIGHT, chartWidth, outputWidth, parseWidth, TABLE_WIDTH_HELP } from './width.js';
import { addWindowOptions, collectList, currentMetrics, parseIntInRange, parseMetricNames, parseRange } from './query-options.js';
import { addSourceOptions, fetchData, type SourceOptions } from './source-options.js';
import { addDryRunOption, showPlan } from './dry-run.js';
import { addPartialOption, partialExit, type PartialOptions } from './partial.js';
import { failureNotes, resourceFailures, shortfall } from '../core/estate.js';
import { METRIC_ALIASES, offer } from './option-values.js';

const OUTPUTS = ['table', 'json', 'csv', 'markdown', 'chart'] as const;
const DEFAULT_SINCE = '90d';

interface UsageOptions extends SourceOptions, PartialOptions {
  metric?: string[];
  since?: string;
  start?: string;
  end?: string;
  output?: string;
  failOn?: string[];
  topOperations?: string;
  trend?: string;
  width?: string;
  height?: string;
}

export const registerUsage: Register = (program, action) => {
  const cmd = program
    .command('usage')
    .description("retirement readiness: traffic per resource and channel over 90 days, with each channel's lifecycle")
    .option('-m, --metric <names>', 'only these metrics (comma list or repeatable; default: every current metric)', collectList);
  addWindowOptions(
    cmd,
    `the window, counted back from now (live; default ${DEFAULT_SINCE}, Azure keeps 93 days) or from the end of the data (files; default all of it)`,
  )
    .option('--fail-on <lifecycles>', 'exit 1 when a channel of this lifecycle had traffic: retiring, breaking (comma list)', collectList)
    .option('--top-operations <n>', 'how many of the busiest operations to show per channel (default 3)')
    .option(
      '--trend <period>',
      'requests per week (ISO, from Monday 00:00 UTC) or month: auto (default: none under 28 days, weeks up to 182, then months), week, month, none',
    )
    .option(
      '-o, --output <format>',
      'table, json, csv, markdown (a report for a migration ticket) or chart (the burndown: one line per retiring or breaking channel)',
      'table',
    )
    .option('--width <columns>', TABLE_WIDTH_HELP)
    .option('--height <rows>', `chart height in plot rows, ${CHART_HEIGHT.min} to ${CHART_HEIGHT.max} (default ${CHART_HEIGHT.default})`);
  addSourceOptions(cmd);
  addDryRunOption(cmd);
  addPartialOption(cmd);
  offer(cmd, '--metric', [...METRIC_ALIASES, 'all']);
  offer(cmd, '--fail-on', FAIL_ON);
  offer(cmd, '--output', OUTPUTS);
  offer(cmd, '--trend', TREND_CHOICES);
  cmd.addHelpText(
    'after',
    `
Exit codes: 0 done (with --fail-on: no traffic on those channels), 1 --fail-on found traffic,
2 usage error, 3 the data could not be obtained, 4 partial: the report was printed but some resources
or metrics failed (each named on stderr; --allow-partial makes it 0; 1 still wins).

Examples:
  acs-metrics usage --fixture fixtures/sample-week.json
  acs-metrics usage --fixture fixtures/sample-week.json -o markdown > acs-migration.md
  acs-metrics usage --fixture ./acs-archive --since 365d --trend month -o chart
  acs-metrics usage --resource "$ACS_RESOURCE_ID" --since 30d --fail-on retiring
  acs-metrics usage --all-subscriptions --dry-run            (the requests it would send, and the quotas)`,
  );
  cmd.action(action<UsageOptions>(runUsageCommand));
};

function parseFailOn(values: readonly string[] | undefined, problems: Problems): FailOn[] {
  const out: FailOn[] = [];
  for (const v of values ?? []) {
    const key = v.trim().toLowerCase();
    if ((FAIL_ON as readonly string[]).includes(key)) out.push(key as FailOn);
    else problems.add(`invalid --fail-on "${v}": expected retiring or breaking (comma list)`);
  }
  return out;
}

/** The live request of one metric: hourly counts per resource and operation, with what its error rate needs. */
const liveQuery = (metric: MetricDef, range: RangeSpec): Query => perResourceQuery(metric, range, { kind: 'fixed', ms: 3_600_000, iso: 'PT1H' });

/** The command line, checked. */
interface UsageAsked {
  readonly output: string;
  /** The metrics named with -m (undefined: every one). */
  readonly named: MetricDef[] | undefined;
  readonly failOn: FailOn[];
  readonly width: number | undefined;
  readonly height: number;
  readonly top: number;
  readonly trend: TrendChoice | 'auto';
  /** Azure Monitor, not files. */
  readonly live: boolean;
  readonly range: RangeSpec;
}

function readUsageOptions(args: string[], opts: UsageOptions): UsageAsked {
  if (args.length > 0) throw new UsageError(`unexpected argument "${args[0]}": choose metrics with --metric`);
  const problems = new Problems();
  const output = (opts.output ?? 'table').toLowerCase();
  if (!(OUTPUTS as readonly string[]).includes(output)) problems.add(`invalid --output "${opts.output}": expected one of ${OUTPUTS.join(', ')}`);
  const named = parseMetricNames(opts.metric, problems);
  const failOn = parseFailOn(opts.failOn, problems);
  const width = problems.try(() => parseWidth(opts.width));
  const top = parseIntInRange('--top-operations', opts.topOperations, problems, 0, 100, 'operations') ?? 3;
  const height = parseIntInRange('--height', opts.height, problems, CHART_HEIGHT.min, CHART_HEIGHT.max, 'plot rows') ?? CHART_HEIGHT.default;
  const trend = (opts.trend ?? 'auto').toLowerCase();
  if (!TREND_CHOICES.includes(trend)) problems.add(`invalid --trend "${opts.trend}": expected ${TREND_CHOICES.join(', ')}`);
  if (output === 'chart' && trend === 'none') problems.add('-o chart draws the trend: choose --trend week or month (or auto)');
  const live = (opts.fixture ?? []).length === 0;
  // Live: the last 90 days by default; files: all of their data.
  const since = opts.since ?? (opts.start === undefined && live ? DEFAULT_SINCE : undefined);
  const range = parseRange({ since, start: opts.start, end: opts.end }, problems);
  problems.throwIfAny();
  // The chart is the trend: a window too short for auto still gets weeks.
  const trendAsked = (trend === 'auto' && output === 'chart' ? 'week' : trend) as TrendChoice | 'auto';
  return { output, named, failOn, width, height, top, trend: trendAsked, live, range };
}

async function runUsageCommand(args: string[], opts: UsageOptions, ctx: Context): Promise<number> {
  const asked = readUsageOptions(args, opts);
  const wanted = asked.named ?? (asked.live ? currentMetrics() : undefined);
  const queries = (wanted ?? []).map((m) => liveQuery(m, asked.range));
  if (opts.dryRun) return showPlan('usage', opts, ctx, queries, asked.output === 'json');
  const data = await fetchData(opts, ctx, queries);
  const metrics = metricsInData(wanted, data, asked.live, ctx);
  const report = usageReport(metrics, data, asked.range, asked.top, asked.trend);
  for (const note of report.notes) ctx.note(safeText(note));
  writeReport(report, data, asked, ctx);
  const partial = () => partialExit(ctx, opts, shortfall(data.metrics));
  if (asked.failOn.length === 0) return partial();
  const failing = failingChannels(report, asked.failOn);
  for (const ch of failing) {
    const who = ch.resourceId === '' ? '(unknown resource)' : resourceName(ch.resourceId);
    ctx.io.stderr.write(
      `${ctx.err.red('fail:')} ${safeText(who)}: ${ch.metric.alias} (${ch.metric.rest}, ${lifecycleLabel(ch.metric.lifecycle)}) had ${formatNumber(ch.requests)} requests, the last on ${new Date(ch.lastTraffic).toISOString().slice(0, 10)}\n`,
    );
  }
  const code = partial();
  return failing.length > 0 ? EXIT.GATE_FAILED : code;
}

/** The catalog metrics the data holds (of those wanted; undefined: every one); each wanted one it lacks is noted, with its failures. */
function metricsInData(wanted: readonly MetricDef[] | undefined, data: SourceResult, live: boolean, ctx: Context): MetricDef[] {
  const inData = new Set(data.metrics.filter((m) => m.errorCode === undefined).map((m) => metricByRestName(m.name)));
  const metrics = (wanted ?? METRICS).filter((m) => inData.has(m));
  const failures = resourceFailures(data.metrics);
  for (const m of wanted ?? []) {
    if (inData.has(m)) continue;
    ctx.note(`no ${m.alias} (${m.rest}) data${live ? ' from Azure Monitor' : ' in the files'}`);
    // A metric that failed for every resource: each failure, named.
    for (const line of failureNotes(failures.filter((f) => f.metric.toLowerCase() === m.rest.toLowerCase()))) ctx.note(safeText(line));
  }
  if (metrics.length === 0) {
    throw new DataError(`the data holds none of the metrics asked for (${(wanted ?? METRICS).map((m) => m.alias).join(', ')})`);
  }
  return metrics;
}

/** The report on stdout in the output format (the chart's notes on stderr). */
function writeReport(report: UsageReport, data: SourceResult, asked: UsageAsked, ctx: Context): void {
  switch (asked.output) {
    case 'json':
      ctx.io.stdout.write(renderUsageJson(report, data.cost));
      break;
    case 'csv':
      ctx.io.stdout.write(renderUsageCsv(report));
      break;
    case 'markdown':
      ctx.io.stdout.write(renderUsageMarkdown(report));
      break;
    case 'chart': {
      const chart = renderBurndownChart(report, {
        color: ctx.out,
        width: chartWidth(ctx.io, asked.width),
        height: asked.height,
        channels: asked.named,
      });
      ctx.io.stdout.write(chart.text);
      for (const note of chart.notes) ctx.note(note);
      break;
    }
    default:
      ctx.io.stdout.write(renderUsageTable(report, { color: ctx.out, width: outputWidth(ctx.io, asked.width) }));
  }
}

/** `acs-metrics query`: aggregated request counts from fixture files or Azure Monitor, rendered. */
import { resolveAggregation, resolveDimension } from '../catalog/resolve.js';
import type { DimensionDef, MetricDef } from '../catalog/types.js';
import { type CatalogExtra, extraFor } from '../catalog/extra.js';
import type { BaselineSpec } from '../core/compare.js';
import type { ErrorDefinition, IntervalSpec, Query, RangeSpec } from '../core/model.js';
import { runQuery } from '../core/run-query.js';
import { shortfall } from '../core/estate.js';
import { EXIT, Problems, UsageError } from '../errors.js';
import { safeText } from '../render/safe.js';
import type { SourceResult } from '../sources/source.js';
import { writeChunks } from './write-chunks.js';
import type { Context } from './context.js';
import type { Register } from './register.js';
import {
  addFilterOptions,
  checkListValues,
  collectList,
  errorsFor,
  type FilterOptions,
  inferMetric,
  odataSplits,
  parseErrors,
  parseFilters,
  parseIntInRange,
  parseInterval,
  parsePositiveInt,
  parseRange,
  resolveMetricOption,
} from './query-options.js';
import { loadCatalogExtra } from './catalog-extra.js';
import { addSourceOptions, fetchData, fetchWindows, type SourceOptions } from './source-options.js';
import { addDryRunOption, checkDryRun, showPlan } from './dry-run.js';
import { addPartialOption, PARTIAL_EXIT_HELP, partialExit, type PartialOptions, type Shortfall } from './partial.js';
import { CHART_HEIGHT, chartWidth, outputWidth, parseWidth } from './width.js';
import { parseWatch, watch } from './watch.js';
import { type BaselineOptions, parseBaseline } from './compare-options.js';
import { baselineQueries, compareOutput } from './query-compare.js';
import { AGGREGATION_NAMES, dimensionsOfMetric, offer } from './option-values.js';
import { type Output, OUTPUTS, type OutputSize, queryOutput } from './query-output.js';

interface QueryOptions extends FilterOptions, SourceOptions, BaselineOptions, PartialOptions {
  compare?: string;
  splitBy?: string[];
  /** az's --dimension: --split-by. */
  dimension?: string[];
  aggregation?: string;
  interval?: string;
  top?: string;
  output?: string;
  width?: string;
  height?: string;
  watch?: string | boolean;
}

/** The parts of a query that need the metric: filters, split dimensions, aggregation, what counts as an error. */
function metricParts(metric: MetricDef, opts: QueryOptions, problems: Problems, known: Known) {
  const filters = parseFilters(metric, opts, problems, { extra: extraFor(known.extra, metric), warn: known.warn });
  const errors = problems.try(() => errorsFor(metric, known.errors));
  const azSplit = odataSplits(opts);
  const dimension = opts.dimension
    ?.flatMap((d) => d.split(','))
    .map((d) => d.trim())
    .filter((d) => d !== '');
  const given = opts.splitBy ?? dimension ?? (azSplit.length > 0 ? [] : undefined);
  if (opts.splitBy !== undefined && opts.dimension !== undefined) problems.add('give either --split-by or --dimension, not both');
  // An empty value is reported by runQueryCommand (checkListValues).
  const split = (given === undefined ? ['Operation'] : [...given, ...azSplit]).filter((d) => d !== '');
  const none = split.length === 1 && split[0]!.toLowerCase() === 'none';
  const splitBy = none ? [] : split.map((d) => problems.try(() => resolveDimension(metric, d))).filter((d): d is DimensionDef => d !== undefined);
  const aggregation =
    opts.aggregation === undefined ? resolveAggregation(metric.primaryAggregation, metric) : problems.try(() => resolveAggregation(opts.aggregation!, metric));
  return { filters, splitBy: [...new Set(splitBy)], defaultSplit: given === undefined, aggregation, errors };
}

/** What the command line says before the metric is known. */
interface Known {
  readonly errors: ErrorDefinition | undefined;
  readonly extra: CatalogExtra | undefined;
  readonly warn: (line: string) => void;
}

export const registerQuery: Register = (program, action) => {
  const cmd = program.command('query').description('aggregated request counts by operation, status code and status class, as a table, chart, JSON or CSV');
  addFilterOptions(cmd);
  cmd
    .option(
      '--split-by <dimensions>',
      'one series per value of these dimensions, e.g. operation,statussubclass (default Operation; "none" for one series)',
      collectList,
    )
    .addOption(cmd.createOption('--dimension <names...>', 'az: --split-by').hideHelp())
    .option('-a, --aggregation <name>', "count, sum, average, min or max (default: the metric's default aggregation in the catalog; sum for router)")
    .option('-i, --interval <duration>', 'bucket size: auto (default), FULL, PT5M, 5m, 1h, 1d; coarser than the data re-buckets it')
    .option('--errors <list>', 'what counts as an error (default: the metric\'s definition, see "acs-metrics catalog METRIC"), e.g. 5xx,429')
    .option('--top <n>', 'keep the N largest series (a note on stderr says how many were left out)')
    .option(
      '-o, --output <format>',
      'table, chart, json, csv, tsv (az-style: no header), yaml (the JSON document) or openmetrics (for promtool backfill)',
      'table',
    )
    .option(
      '--width <columns>',
      "fit tables and charts to this many columns, 20 to 1000 (default: the terminal's width; COLUMNS when piped; tables unlimited otherwise, charts 100)",
    )
    .option('--height <rows>', `chart height in plot rows, ${CHART_HEIGHT.min} to ${CHART_HEIGHT.max} (default ${CHART_HEIGHT.default})`)
    .option('--watch [interval]', 'redraw the table or chart in place every interval (default 1m, at least 5s) until Ctrl-C; a terminal only')
    .option('--compare <duration>', 'also show the same window this long before (1d, 7d, P7D): baseline, change and error-rate change per series')
    .option('--baseline-start <time>', 'compare with this baseline window instead (with --baseline-end; as long as the current window)')
    .option('--baseline-end <time>', 'the end of the --baseline-start window');
  addSourceOptions(cmd);
  addDryRunOption(cmd);
  addPartialOption(cmd);
  offer(cmd, '--split-by', dimensionsOfMetric);
  offer(cmd, '--dimension', dimensionsOfMetric);
  offer(cmd, '--aggregation', AGGREGATION_NAMES);
  offer(cmd, '--interval', ['auto', 'FULL']);
  offer(cmd, '--output', OUTPUTS);
  cmd.addHelpText(
    'after',
    `
${PARTIAL_EXIT_HELP}

Examples:
  acs-metrics query --fixture fixtures/sample-week.json --metric chat --since 24h
  acs-metrics query --fixture fixtures/sample-week.json -m chat --status-class 5xx --split-by operation,statuscode -o chart
  acs-metrics query --fixture fixtures/sample-week.json -m sms --interval 1d --output csv > sms.csv
  acs-metrics query --fixture fixtures/sample-week.json -m chat --since 1d --compare 1d
  acs-metrics query --resource "$ACS_RESOURCE_ID" -m chat --since 24h --output json | jq '.series[] | {op: .dimensions.Operation, errorRate}'
  acs-metrics query --all-subscriptions -m chat --since 7d --dry-run     (the requests it would send, and the quotas)`,
  );
  cmd.action(action<QueryOptions>(runQueryCommand));
};

/** --dry-run: the plan of fetching the query (and its baseline with --compare). */
function planQuery(q: Query | undefined, baseline: BaselineSpec | undefined, opts: QueryOptions, json: boolean, ctx: Context): Promise<number> {
  checkDryRun(opts);
  if (!q) throw new UsageError('--metric is required for a live query, e.g. --metric chat (see "acs-metrics catalog")');
  return showPlan('query', opts, ctx, [q], json, baseline ? baselineQueries([q], baseline) : undefined);
}

async function runQueryCommand(args: string[], opts: QueryOptions, ctx: Context): Promise<number> {
  const asked = await readQueryOptions(args, opts, ctx);
  if (opts.dryRun)
    return planQuery(
      asked.metric && asked.parts ? buildQuery(asked, asked.metric, asked.parts) : undefined,
      asked.baseline,
      opts,
      asked.output === 'json',
      ctx,
    );
  if (asked.watchMs !== undefined) {
    await watch(ctx.io, asked.watchMs, async () => {
      const r = await queryOnce(asked, opts, ctx);
      return { text: [...r.text].join('') + r.notes.map((n) => `note: ${safeText(n)}\n`).join(''), latestComplete: r.latestComplete };
    });
    return EXIT.OK;
  }
  const { text, notes, shortfall: missed } = await queryOnce(asked, opts, ctx);
  await writeChunks(ctx.io.stdout, text);
  // Notes can carry data (a metric's errorMessage from the service): no control characters on stderr.
  for (const note of notes) ctx.note(safeText(note));
  return partialExit(ctx, opts, missed);
}

type MetricParts = ReturnType<typeof metricParts>;

/** The command line, checked: the query but what files may tell (the metric, when --metric is not given). */
interface AskedQuery extends OutputSize {
  readonly problems: Problems;
  readonly known: Known;
  /** Undefined until the data names it (files without --metric). */
  metric: MetricDef | undefined;
  parts: MetricParts | undefined;
  readonly range: RangeSpec;
  readonly interval: IntervalSpec;
  readonly top: number | undefined;
  readonly output: Output;
  readonly watchMs: number | undefined;
  readonly baseline: BaselineSpec | undefined;
}

/** Checks the command line; every problem is reported at once. */
async function readQueryOptions(args: string[], opts: QueryOptions, ctx: Context): Promise<AskedQuery> {
  if (args.length > 0) throw new UsageError(`unexpected argument "${args[0]}": give the metric with --metric`);
  if (opts.metric !== undefined && (opts.metric.includes(',') || opts.metric.trim().toLowerCase() === 'all')) {
    throw new UsageError(
      `query shows one metric at a time: for several ("${opts.metric}") use status --metric ${opts.metric}, or check --metric ${opts.metric}`,
    );
  }
  const problems = new Problems();
  const metric = resolveMetricOption(opts, problems);
  checkListValues('--split-by', opts.splitBy, problems);
  const range = parseRange(opts, problems);
  const interval = parseInterval(opts.interval, problems);
  const known: Known = {
    errors: parseErrors(opts.errors, problems),
    extra: await problems.tryAsync(() => loadCatalogExtra(opts.catalogExtra, ctx.io)),
    warn: (line) => ctx.warn(safeText(line)),
  };
  const top = parsePositiveInt('--top', opts.top, problems);
  const width = problems.try(() => parseWidth(opts.width));
  const height = parseIntInRange('--height', opts.height, problems, CHART_HEIGHT.min, CHART_HEIGHT.max, 'plot rows');
  const output = (opts.output ?? 'table').toLowerCase() as Output;
  if (!(OUTPUTS as readonly string[]).includes(output)) problems.add(`invalid --output "${opts.output}": expected one of ${OUTPUTS.join(', ')}`);
  const parts = metric ? metricParts(metric, opts, problems, known) : undefined;
  const watchMs = problems.try(() => parseWatch(opts.watch));
  if (watchMs !== undefined && output !== 'table' && output !== 'chart') problems.add(`--watch redraws a table or a chart, not -o ${output}`);
  const baseline = parseBaseline('--compare', opts.compare, opts, problems);
  if (baseline && (output === 'tsv' || output === 'yaml' || output === 'openmetrics'))
    problems.add(`--compare has no -o ${output} form: use -o json (schema version 2) or -o csv (with a window column)`);
  problems.throwIfAny();
  if (watchMs !== undefined && !opts.dryRun && !ctx.io.stdout.isTTY) {
    throw new UsageError('--watch redraws a terminal, and stdout is not one: run it in a terminal, or drop --watch to print once');
  }
  return { problems, known, metric, parts, range, interval, top, width, height, output, watchMs, baseline };
}

function buildQuery(asked: AskedQuery, metric: MetricDef, p: MetricParts): Query {
  return {
    metric,
    aggregation: p.aggregation!,
    filters: p.filters,
    splitBy: p.splitBy,
    defaultSplit: p.defaultSplit,
    interval: asked.interval,
    range: asked.range,
    top: asked.top,
    errors: p.errors!,
  };
}

/** The query and its data (and the baseline's with --compare); without --metric the files' one metric, kept for the next --watch frame. */
async function fetchQueryData(
  asked: AskedQuery,
  opts: QueryOptions,
  ctx: Context,
): Promise<{ query: Query; data: SourceResult; baselineData?: SourceResult | undefined }> {
  if (asked.metric && asked.parts) {
    const query = buildQuery(asked, asked.metric, asked.parts);
    if (!asked.baseline) return { query, data: await fetchData(opts, ctx, [query]) };
    const { data, baseline: baselineData } = await fetchWindows(opts, ctx, [query], baselineQueries([query], asked.baseline));
    return { query, data, baselineData };
  }
  if (!opts.fixture?.length) throw new UsageError('--metric is required for a live query, e.g. --metric chat (see "acs-metrics catalog")');
  const data = await fetchData(opts, ctx, []);
  asked.metric = inferMetric(data.metrics, opts.fixture);
  asked.parts = metricParts(asked.metric, opts, asked.problems, asked.known);
  asked.problems.throwIfAny();
  return { query: buildQuery(asked, asked.metric, asked.parts), data, baselineData: data };
}

interface Frame {
  readonly text: Iterable<string>;
  readonly notes: string[];
  readonly latestComplete: number | undefined;
  readonly shortfall: Shortfall;
}

/** One run of the query: fetch, query (or compare with the baseline), render. */
async function queryOnce(asked: AskedQuery, opts: QueryOptions, ctx: Context): Promise<Frame> {
  const { query, data, baselineData } = await fetchQueryData(asked, opts, ctx);
  if (asked.baseline) {
    const tableWidth = outputWidth(ctx.io, asked.width);
    const how = {
      output: asked.output,
      width: chartWidth(ctx.io, asked.width),
      height: asked.height ?? CHART_HEIGHT.default,
      ...(tableWidth !== undefined ? { tableWidth } : {}),
    };
    const out = compareOutput(query, asked.baseline, data, baselineData ?? data, how, ctx);
    const missed = shortfall([...data.metrics, ...(baselineData && baselineData !== data ? baselineData.metrics : [])], query.metric.rest);
    return { text: [out.text], notes: out.notes, latestComplete: undefined, shortfall: missed };
  }
  const result = runQuery(query, data);
  const { text, notes } = await queryOutput(result, data, query, asked.output, asked, ctx);
  const last = [...result.timestamps].reverse().find((t) => result.intervalMs !== null && t + result.intervalMs <= ctx.io.now().getTime());
  return { text, notes, latestComplete: last, shortfall: shortfall(data.metrics, query.metric.rest) };
}

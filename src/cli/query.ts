/** `acs-metrics query`: aggregated request counts from fixture files or Azure Monitor, rendered. */
import { resolveAggregation, resolveDimension } from '../catalog/resolve.js';
import type { DimensionDef, MetricDef } from '../catalog/types.js';
import { type CatalogExtra, extraFor } from '../catalog/extra.js';
import { endOfLifeNote } from '../catalog/lifecycle.js';
import type { ErrorDefinition, Query } from '../core/model.js';
import { runQuery } from '../core/run-query.js';
import { EXIT, Problems, UsageError } from '../errors.js';
import { renderChart } from '../render/chart.js';
import { renderCsv } from '../render/csv.js';
import { renderJson } from '../render/json.js';
import { safeText } from '../render/safe.js';
import { renderTable } from '../render/table.js';
import type { Context } from './context.js';
import type { Register } from './main.js';
import {
  addFilterOptions,
  collectList,
  errorsFor,
  type FilterOptions,
  inferMetric,
  parseErrors,
  parseFilters,
  parseInterval,
  parsePositiveInt,
  parseRange,
  resolveMetricOption,
} from './query-options.js';
import { loadCatalogExtra } from './catalog-extra.js';
import { addSourceOptions, fetchData, type SourceOptions } from './source-options.js';

const OUTPUTS = ['table', 'chart', 'json', 'csv'] as const;
type Output = (typeof OUTPUTS)[number];

interface QueryOptions extends FilterOptions, SourceOptions {
  splitBy?: string[];
  aggregation?: string;
  interval?: string;
  top?: string;
  output?: string;
  width?: string;
  height?: string;
}

/** The parts of a query that need the metric: filters, split dimensions, aggregation, what counts as an error. */
function metricParts(metric: MetricDef, opts: QueryOptions, problems: Problems, known: Known) {
  const filters = parseFilters(metric, opts, problems, { extra: extraFor(known.extra, metric), warn: known.warn });
  const errors = problems.try(() => errorsFor(metric, known.errors));
  const split = opts.splitBy ?? ['Operation'];
  const none = split.length === 1 && split[0]!.toLowerCase() === 'none';
  const splitBy = none ? [] : split.map((d) => problems.try(() => resolveDimension(metric, d))).filter((d): d is DimensionDef => d !== undefined);
  const aggregation =
    opts.aggregation === undefined
      ? resolveAggregation(metric.primaryAggregation, metric)
      : problems.try(() => resolveAggregation(opts.aggregation!, metric));
  return { filters, splitBy: [...new Set(splitBy)], defaultSplit: opts.splitBy === undefined, aggregation, errors };
}

/** What the command line says before the metric is known. */
interface Known {
  readonly errors: ErrorDefinition | undefined;
  readonly extra: CatalogExtra | undefined;
  readonly warn: (line: string) => void;
}


export const registerQuery: Register = (program, action) => {
  const cmd = program
    .command('query')
    .description('aggregated request counts by operation, status code and status class, as a table, chart, JSON or CSV');
  addFilterOptions(cmd);
  cmd
    .option('--split-by <dimensions>', 'one series per value of these dimensions, e.g. operation,statussubclass (default Operation; "none" for one series)', collectList)
    .option('-a, --aggregation <name>', 'count, sum, average, min or max (default: the metric\'s default aggregation in the catalog; sum for router)')
    .option('-i, --interval <duration>', 'bucket size: auto (default), FULL, PT5M, 5m, 1h, 1d; coarser than the data re-buckets it')
    .option('--errors <list>', "what counts as an error (default: the metric's definition, see \"acs-metrics catalog METRIC\"), e.g. 5xx,429")
    .option('--top <n>', 'keep the N largest series (a note on stderr says how many were left out)')
    .option('-o, --output <format>', 'table, chart, json or csv', 'table')
    .option('--width <columns>', 'chart width (default: the terminal width, or 100)')
    .option('--height <rows>', 'chart height in rows (default 12)');
  addSourceOptions(cmd);
  cmd.addHelpText(
    'after',
    `
Examples:
  acs-metrics query --fixture fixtures/sample-week.json --metric chat --since 24h
  acs-metrics query --fixture fixtures/sample-week.json -m chat --status-class 5xx --split-by operation,statuscode -o chart
  acs-metrics query --fixture fixtures/sample-week.json -m sms --interval 1d --output csv > sms.csv
  acs-metrics query --resource "$ACS_RESOURCE_ID" -m chat --since 24h --output json | jq '.series[] | {op: .dimensions.Operation, errorRate}'`,
  );
  cmd.action(action<QueryOptions>(runQueryCommand));
};

async function runQueryCommand(args: string[], opts: QueryOptions, ctx: Context): Promise<number> {
  if (args.length > 0) throw new UsageError(`unexpected argument "${args[0]}": give the metric with --metric`);
  if (opts.metric !== undefined && (opts.metric.includes(',') || opts.metric.trim().toLowerCase() === 'all')) {
    throw new UsageError(`query shows one metric at a time: for several ("${opts.metric}") use status --metric ${opts.metric}, or check --metric ${opts.metric}`);
  }
  const problems = new Problems();
  let metric = resolveMetricOption(opts, problems);
  const range = parseRange(opts, problems);
  const interval = parseInterval(opts.interval, problems);
  const known: Known = {
    errors: parseErrors(opts.errors, problems),
    extra: await problems.tryAsync(() => loadCatalogExtra(opts.catalogExtra, ctx.io)),
    warn: (line) => ctx.warn(safeText(line)),
  };
  const top = parsePositiveInt('--top', opts.top, problems);
  const width = parsePositiveInt('--width', opts.width, problems, 20);
  const height = parsePositiveInt('--height', opts.height, problems, 2);
  const output = (opts.output ?? 'table').toLowerCase();
  if (!(OUTPUTS as readonly string[]).includes(output)) problems.add(`invalid --output "${opts.output}": expected one of ${OUTPUTS.join(', ')}`);
  let parts = metric ? metricParts(metric, opts, problems, known) : undefined;
  problems.throwIfAny();

  const build = (m: MetricDef, p: NonNullable<typeof parts>): Query => ({
    metric: m,
    aggregation: p.aggregation!,
    filters: p.filters,
    splitBy: p.splitBy,
    defaultSplit: p.defaultSplit,
    interval,
    range,
    top,
    errors: p.errors!,
  });

  let data;
  let query: Query;
  if (metric && parts) {
    query = build(metric, parts);
    data = await fetchData(opts, ctx, [query]);
  } else {
    if (!opts.fixture?.length) throw new UsageError('--metric is required for a live query, e.g. --metric chat (see "acs-metrics catalog")');
    data = await fetchData(opts, ctx, []);
    metric = inferMetric(data.metrics);
    parts = metricParts(metric, opts, problems, known);
    problems.throwIfAny();
    query = build(metric, parts);
  }

  const result = runQuery(query, data);
  let text: string;
  const notes = [...result.notes];
  // Traffic on a channel that retires or breaks: a note for people (JSON carries query.lifecycle instead).
  const eol = result.requests ? endOfLifeNote(result.query.metric) : undefined;
  if (eol && (output === 'table' || output === 'chart')) notes.push(eol);
  switch (output as Output) {
    case 'json':
      text = renderJson(result);
      break;
    case 'csv':
      text = renderCsv(result);
      break;
    case 'chart': {
      const chart = renderChart(result, {
        color: ctx.out,
        width: width ?? ctx.io.stdout.columns ?? 100,
        height: height ?? 12,
        fill: true,
      });
      text = chart.text;
      notes.push(...chart.notes);
      break;
    }
    default:
      text = renderTable(result, { color: ctx.out });
  }
  ctx.io.stdout.write(text);
  // Notes can carry data (a metric's errorMessage from the service): no control characters on stderr.
  for (const note of notes) ctx.note(safeText(note));
  return EXIT.OK;
}

/**
 * `acs-metrics definitions`: the live metric definitions of an ACS resource compared with the built-in
 * catalog. Differences are reported, not errors: the exit code is 0 whenever the comparison was made.
 */
import type { ChalkInstance } from 'chalk';
import { METRICS } from '../catalog/metrics.js';
import { EXIT, UsageError } from '../errors.js';
import { type GridColumn, renderGrid, wrapLines } from '../render/grid.js';
import type { DefinitionsDiff, MetricComparison } from '../sources/azure/definitions-diff.js';
import type { Register } from './register.js';
import { addTableOrJson, type TableOrJsonOptions, wantsJson } from './table-or-json.js';
import { resolve } from 'node:path';
import { aggregationDef } from '../catalog/aggregations.js';
import { extraJson } from '../catalog/extra.js';
import { operationDimension } from '../catalog/resolve.js';
import { defaultErrors } from '../core/classify.js';
import { parseDuration } from '../core/duration.js';
import type { Query } from '../core/model.js';
import { runQuery } from '../core/run-query.js';
import { formatTime } from '../core/time.js';
import { safeText } from '../render/safe.js';
import { writeOutputFile } from '../sources/save.js';
import { compareValues, type ValuesComparison } from '../sources/azure/definitions-values.js';
import type { Context } from './context.js';
import { MAX_WIDTH, MIN_WIDTH, outputWidth, parseWidth } from './width.js';
import { addAzureOptions, type AzureOptions, azureTarget, fetchData, liveSettings, selectionOf } from './source-options.js';

export const DEFINITIONS_SCHEMA_VERSION = 1;

interface DefinitionsOptions extends AzureOptions, TableOrJsonOptions {
  values?: boolean;
  since?: string;
  writeExtra?: string;
  width?: string;
}

/** How far back --values looks by default. */
export const VALUES_WINDOW = '30d';

const STATUS_LABEL: Record<MetricComparison['status'], string> = {
  same: 'same',
  different: 'different',
  'catalog-only': 'catalog only',
  'resource-only': 'resource only',
};

/** What the operator can do about a difference: the values the catalog lacks, and how to report the rest. */
export const WHAT_TO_DO = [
  'Operations the catalog lacks: "acs-metrics definitions --values --write-extra extra.json" saves them,',
  'and "--catalog-extra extra.json" makes query and check accept them.',
  'Anything else needs a new catalog: report it in an issue on the acs-metrics project, with the',
  'output of "acs-metrics definitions --json" (with the resource id left out if it is private).',
  '',
].join('\n');

/** Names (aliases, REST names, dimensions) are cut with … as a last resort. */
const NAME_COLUMN: GridColumn = { mode: 'truncate', floor: 16, min: 8 };

export function definitionsTable(diff: DefinitionsDiff, resource: string, c: ChalkInstance, width?: number): string {
  // One row per difference, so that each reads on its own line.
  const rows = diff.metrics.flatMap((m) => {
    const status = m.status === 'same' ? STATUS_LABEL[m.status] : { text: STATUS_LABEL[m.status], style: c.yellow };
    const [first = '', ...rest] = m.notes;
    return [[m.alias ?? '-', m.rest, status, first], ...rest.map((note) => ['', '', '', note])];
  });
  const head = wrapLines(`Metric definitions of ${resource} compared with the built-in catalog\n`, width);
  const table = renderGrid(['Alias', 'REST name', 'Status', 'Differences'], rows, {
    color: c.level > 0,
    headStyle: c.bold,
    columns: [NAME_COLUMN, { mode: 'middle', floor: 24, min: 12 }, {}, { mode: 'wrap', min: 12 }],
    width,
  });
  const summary =
    diff.differing === 0
      ? 'The catalog matches the resource.\n'
      : `${diff.differing} of ${diff.metrics.length} metrics differ from the built-in catalog.\n${WHAT_TO_DO}`;
  return head + table + wrapLines(summary, width);
}

/** The values seen per metric: one row per value, then the catalog entries never seen. */
export function valuesTable(values: readonly ValuesComparison[], window: { start: number; end: number }, c: ChalkInstance, width?: number): string {
  const rows = values.flatMap((v) => {
    const seen = v.seen.map((s) => [
      v.metric.alias,
      v.dimension,
      s.value,
      s.count === null ? '-' : String(s.count),
      !v.metric.operationsDocumented ? 'no documented list' : s.known ? 'in catalog' : { text: 'not in catalog', style: c.yellow },
    ]);
    const never = v.neverSeen.length > 0 ? [[v.metric.alias, v.dimension, `(never seen: ${v.neverSeen.join(', ')})`, '0', 'in catalog']] : [];
    return [...seen, ...never];
  });
  const head = `Values seen from ${formatTime(window.start)} to ${formatTime(window.end)}\n`;
  const table = renderGrid(['Alias', 'Dimension', 'Value', 'Count', 'Catalog'], rows, {
    color: c.level > 0,
    headStyle: c.bold,
    columns: [NAME_COLUMN, NAME_COLUMN, { mode: 'wrap', cap: 70, min: 16 }, {}, { mode: 'wrap', min: 7 }],
    width,
  });
  const unknown = values.reduce((n, v) => n + v.unknown.length, 0);
  const foot =
    unknown === 0
      ? 'Every value seen is in the catalog.\n'
      : `${unknown} value${unknown === 1 ? '' : 's'} not in the catalog; --write-extra FILE saves them for --catalog-extra.\n`;
  return wrapLines(head, width) + table + wrapLines(foot, width);
}

export function valuesJson(values: readonly ValuesComparison[]): object[] {
  return values.map((v) => ({
    alias: v.metric.alias,
    rest: v.metric.rest,
    dimension: v.dimension,
    operationsDocumented: v.metric.operationsDocumented,
    seen: v.seen.map((s) => ({ ...s })),
    unknown: [...v.unknown],
    neverSeen: [...v.neverSeen],
  }));
}

export function definitionsJson(diff: DefinitionsDiff, resource: string, values?: { list: readonly ValuesComparison[]; start: number; end: number }): string {
  const doc = {
    schemaVersion: DEFINITIONS_SCHEMA_VERSION,
    resource,
    differing: diff.differing,
    metrics: diff.metrics.map((m) => ({
      alias: m.alias ?? null,
      rest: m.rest,
      displayName: m.displayName ?? null,
      status: m.status,
      legacy: m.legacy,
      dimensions: m.dimensions,
      aggregations: m.aggregations,
      unit: m.unit ?? null,
      primaryAggregation: m.primaryAggregation ?? null,
      notes: m.notes,
    })),
    ...(values ? { values: { start: formatTime(values.start), end: formatTime(values.end), metrics: valuesJson(values.list) } } : {}),
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}

/**
 * One query per catalog metric the resource defines, split by its operation-like dimension over the
 * window (one bucket), and the values seen compared with the catalog.
 */
async function observedValues(opts: DefinitionsOptions, id: string, ctx: Context, diff: DefinitionsDiff) {
  const since = parseDuration(opts.since ?? VALUES_WINDOW);
  if (since === undefined) throw new UsageError(`invalid --since "${opts.since}": expected a duration such as 7d, 30d or PT24H`);
  if (opts.writeExtra !== undefined && opts.writeExtra.trim() === '') throw new UsageError('--write-extra needs a file name, e.g. --write-extra extra.json');
  const present = METRICS.filter((m) => diff.metrics.some((d) => d.alias === m.alias && d.status !== 'catalog-only'));
  const queries: Query[] = present.flatMap((metric) => {
    const dim = operationDimension(metric);
    if (!dim) return [];
    return [
      {
        metric,
        aggregation: aggregationDef('count'),
        filters: [],
        splitBy: [dim],
        interval: { kind: 'full' as const },
        range: { sinceMs: since },
        errors: defaultErrors(metric),
      },
    ];
  });
  if (queries.length === 0) return { list: [], start: ctx.io.now().getTime() - since, end: ctx.io.now().getTime() };
  // The resource as resolved (a subscription name is not looked up twice).
  const data = await fetchData(selectionOf({ resource: id, endpoint: opts.endpoint, timeout: opts.timeout }), ctx, queries);
  let start = Number.POSITIVE_INFINITY;
  let end = Number.NEGATIVE_INFINITY;
  const list = queries.map((q) => {
    const result = runQuery(q, data);
    start = Math.min(start, result.start);
    end = Math.max(end, result.end);
    const dim = q.splitBy[0]!;
    return compareValues(
      q.metric,
      dim.name,
      result.series.map((s) => ({ value: s.dimensions[dim.name] ?? '', count: s.requests })),
    );
  });
  return { list, start, end };
}

export const registerDefinitions: Register = (program, action) => {
  const cmd = program
    .command('definitions')
    .description("compare a resource's live metric definitions with the built-in catalog (exit 0: differences are reported, not errors)");
  addAzureOptions(cmd);
  cmd.option('--json', 'print JSON (schemaVersion, resource, differing, metrics[] with status same|different|catalog-only|resource-only)');
  addTableOrJson(cmd)
    .option(
      '--values',
      'also list the operation-like values each metric emitted (Operation, EventTypeName, MessageStatus...), flagging those the catalog lacks',
    )
    .option('--since <duration>', `the window for --values (default ${VALUES_WINDOW})`)
    .option('--write-extra <file>', 'write the values not in the catalog as JSON for --catalog-extra (implies --values)')
    .option('--width <columns>', `fit the tables to this many columns, ${MIN_WIDTH} to ${MAX_WIDTH} (default: the terminal's width; COLUMNS when piped)`)
    .addHelpText(
      'after',
      `
Reports metrics missing on either side, and for metrics on both: dimensions (REST names, ignoring
case), aggregations, unit and primary aggregation. Exit code 0 when the comparison was made, whatever
it found; 3 when the definitions could not be fetched.

Examples:
  acs-metrics definitions --resource /subscriptions/<guid>/resourceGroups/<group>/providers/Microsoft.Communication/CommunicationServices/<name>
  acs-metrics definitions --subscription <guid> --resource-group my-rg --name my-acs --json | jq '.metrics[] | select(.status != "same")'`,
    )
    .action(
      action<DefinitionsOptions>(async (args, opts, ctx) => {
        if (args.length > 0) throw new UsageError(`unexpected argument "${args[0]}": give the resource with --resource`);
        parseWidth(opts.width);
        const json = wantsJson(opts);
        const target = await azureTarget(opts, ctx);
        if (target.resource === undefined) {
          throw new UsageError('no resource: give --resource ID (or set ACS_METRICS_RESOURCE), or --subscription, --resource-group and --name');
        }
        const { fetchDefinitions } = await import('../sources/azure/definitions.js');
        const { diffDefinitions } = await import('../sources/azure/definitions-diff.js');
        const live = await fetchDefinitions({ ...liveSettings({ ...target, resource: target.resource }, ctx), signal: ctx.io.signal });
        const diff = diffDefinitions(METRICS, live);
        const id = `/${target.resource.id}`;
        const values = opts.values || opts.writeExtra !== undefined ? await observedValues(opts, id, ctx, diff) : undefined;
        if (values && opts.writeExtra !== undefined) {
          const doc = extraJson({
            resource: id,
            start: formatTime(values.start),
            end: formatTime(values.end),
            metrics: values.list.filter((v) => v.unknown.length > 0).map((v) => ({ metric: v.metric, dimension: v.dimension, values: v.unknown })),
          });
          await writeOutputFile(resolve(ctx.io.cwd, opts.writeExtra), doc, { signal: ctx.io.signal, shown: safeText(opts.writeExtra), streams: ctx.io });
          const n = values.list.reduce((k, v) => k + v.unknown.length, 0);
          ctx.note(`wrote ${n} value${n === 1 ? '' : 's'} not in the catalog to ${safeText(opts.writeExtra)}; pass it with --catalog-extra`);
        }
        if (json) ctx.io.stdout.write(definitionsJson(diff, id, values));
        else {
          const width = outputWidth(ctx.io, parseWidth(opts.width));
          ctx.io.stdout.write(definitionsTable(diff, id, ctx.out, width) + (values ? `\n${valuesTable(values.list, values, ctx.out, width)}` : ''));
        }
        return EXIT.OK;
      }),
    );
};

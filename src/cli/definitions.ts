/**
 * `acs-metrics definitions`: the live metric definitions of an ACS resource compared with the built-in
 * catalog. Differences are reported, not errors: the exit code is 0 whenever the comparison was made.
 */
import type { ChalkInstance } from 'chalk';
import { METRICS } from '../catalog/metrics.js';
import { EXIT, UsageError } from '../errors.js';
import { renderGrid } from '../render/grid.js';
import type { DefinitionsDiff, MetricComparison } from '../sources/azure/definitions-diff.js';
import type { Register } from './main.js';
import { addAzureOptions, type AzureOptions, azureTarget, liveSettings } from './source-options.js';

export const DEFINITIONS_SCHEMA_VERSION = 1;

interface DefinitionsOptions extends AzureOptions {
  json?: boolean;
}

const STATUS_LABEL: Record<MetricComparison['status'], string> = {
  same: 'same',
  different: 'different',
  'catalog-only': 'catalog only',
  'resource-only': 'resource only',
};

export function definitionsTable(diff: DefinitionsDiff, resource: string, c: ChalkInstance): string {
  // One row per difference, so that each reads on its own line.
  const rows = diff.metrics.flatMap((m) => {
    const status = m.status === 'same' ? STATUS_LABEL[m.status] : { text: STATUS_LABEL[m.status], style: c.yellow };
    const [first = '', ...rest] = m.notes;
    return [[m.alias ?? '-', m.rest, status, first], ...rest.map((note) => ['', '', '', note])];
  });
  const head = `Metric definitions of ${resource} compared with the built-in catalog\n`;
  const table = renderGrid(['Alias', 'REST name', 'Status', 'Differences'], rows, {
    color: c.level > 0,
    headStyle: c.bold,
  });
  const summary =
    diff.differing === 0
      ? 'The catalog matches the resource.\n'
      : `${diff.differing} of ${diff.metrics.length} metrics differ; correct src/catalog/metrics.ts where the service is right.\n`;
  return head + table + summary;
}

export function definitionsJson(diff: DefinitionsDiff, resource: string): string {
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
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}

export const registerDefinitions: Register = (program, action) => {
  const cmd = program
    .command('definitions')
    .description("compare a resource's live metric definitions with the built-in catalog (exit 0: differences are reported, not errors)");
  addAzureOptions(cmd);
  cmd
    .option('--json', 'print JSON (schemaVersion, resource, differing, metrics[] with status same|different|catalog-only|resource-only)')
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
        const target = azureTarget(opts, ctx);
        if (target.resource === undefined) {
          throw new UsageError('no resource: give --resource ID (or set ACS_METRICS_RESOURCE), or --subscription, --resource-group and --name');
        }
        const { fetchDefinitions } = await import('../sources/azure/definitions.js');
        const { diffDefinitions } = await import('../sources/azure/definitions-diff.js');
        const live = await fetchDefinitions({ ...liveSettings({ ...target, resource: target.resource }, ctx), signal: ctx.io.signal });
        const diff = diffDefinitions(METRICS, live);
        const id = `/${target.resource.id}`;
        ctx.io.stdout.write(opts.json ? definitionsJson(diff, id) : definitionsTable(diff, id, ctx.out));
        return EXIT.OK;
      }),
    );
};

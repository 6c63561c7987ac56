/** `acs-metrics catalog`: browse the built-in catalog of metrics, dimensions and operations. */
import { METRICS } from '../catalog/metrics.js';
import { didYouMean, suggest } from '../catalog/names.js';
import { resolveMetric, searchOperations } from '../catalog/resolve.js';
import { EXIT, UsageError } from '../errors.js';
import { catalogJson, catalogOverview, metricDetail, operationsJson, operationTable } from '../render/catalog.js';
import type { Register } from './register.js';
import { outputWidth, parseWidth } from './width.js';
import { METRIC_ALIASES, offerArgument } from './option-values.js';
import { addTableOrJson, type TableOrJsonOptions, wantsJson } from './table-or-json.js';

const listOf = (items: readonly string[]): string => (items.length < 2 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`);

interface CatalogOptions extends TableOrJsonOptions {
  operation?: string;
  width?: string;
}

export const registerCatalog: Register = (program, action) => {
  const cmd = program
    .command('catalog')
    .description('list the ACS metrics, their dimensions and operations (no Azure access needed)')
    .argument('[metric]', 'a metric: alias (chat), REST name (APIRequestChat) or display name');
  offerArgument(cmd, 0, METRIC_ALIASES);
  cmd
    .option('--operation <fragment>', 'find operations whose name contains a fragment, across metrics')
    .option('--json', 'print JSON (its shape: docs/catalog.md)');
  addTableOrJson(cmd)
    .option('--width <columns>', "fit tables to this many columns, 20 to 1000 (default: the terminal's width; COLUMNS when piped)")
    .addHelpText(
      'after',
      `
Examples:
  acs-metrics catalog                      every metric with its REST name and dimensions
  acs-metrics catalog chat                 Chat's operations and dimensions
  acs-metrics catalog --operation create   operations with "create" in their name
  acs-metrics catalog router --json        one metric as JSON`,
    )
    .action(
      action<CatalogOptions>(async (args, opts, ctx) => {
        const [name] = args;
        const json = wantsJson(opts);
        const width = outputWidth(ctx.io, parseWidth(opts.width));
        if (opts.operation !== undefined) {
          if (name !== undefined) throw new UsageError('give either a metric or --operation, not both');
          if (opts.operation.trim() === '') throw new UsageError('--operation needs a name fragment, e.g. --operation create');
          const hits = searchOperations(opts.operation);
          if (hits.length === 0) {
            // Suggest a fragment: the words operation names are made of (CreateChatThread: create, chat, thread).
            const words = new Set(METRICS.flatMap((m) => m.operations.flatMap((o) => o.name.split(/(?=[A-Z][a-z])|\s+/))));
            const labels = [...words].map((w) => ({ names: [w], label: w.toLowerCase(), value: w }));
            const dym = didYouMean(suggest(opts.operation, labels));
            ctx.note(`no operation name contains "${opts.operation}"${dym ? `; ${dym}` : ''}`);
          }
          ctx.io.stdout.write(json ? operationsJson(hits) : hits.length > 0 ? operationTable(hits, ctx.out, width) : '');
          return EXIT.OK;
        }
        const metrics = name === undefined ? METRICS : [resolveMetric(name)];
        if (json) ctx.io.stdout.write(catalogJson(metrics));
        else if (name !== undefined) ctx.io.stdout.write(metricDetail(metrics[0]!, ctx.out, width));
        else {
          const overview = catalogOverview(metrics, ctx.out, width);
          ctx.io.stdout.write(overview.text);
          if (overview.dropped.length > 0)
            ctx.note(`${listOf(overview.dropped)} left out to fit ${width} columns: see "acs-metrics catalog METRIC" or --width`);
        }
        return EXIT.OK;
      }),
    );
};

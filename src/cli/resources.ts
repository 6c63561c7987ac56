/** `acs-metrics resources`: the ACS resources a selection resolves to (Resource Graph for subscriptions). */
import { EXIT, UsageError } from '../errors.js';
import { renderResourcesCsv, renderResourcesJson, renderResourcesTable } from '../render/resources.js';
import { outputWidth, parseWidth, TABLE_WIDTH_HELP } from './width.js';
import type { Context } from './context.js';
import type { Register } from './register.js';
import { addLiveOptions, estateSettings, type LiveOptions } from './source-options.js';
import { offer } from './option-values.js';

const OUTPUTS = ['table', 'json', 'csv'] as const;

interface ResourcesOptions extends LiveOptions {
  output?: string;
  width?: string;
}

export const registerResources: Register = (program, action) => {
  const cmd = program
    .command('resources')
    .description('list the ACS resources a selection resolves to (name, subscription, resource group, data location, tags)');
  addLiveOptions(cmd);
  cmd.option('-o, --output <format>', 'table, json or csv (json is what --resources-from reads)', 'table');
  cmd.option('--width <columns>', TABLE_WIDTH_HELP);
  offer(cmd, '--output', OUTPUTS);
  cmd.addHelpText(
    'after',
    `
Examples:
  acs-metrics resources --all-subscriptions
  acs-metrics resources --subscription "$SUB" --name 'acs-prod-*' --tag env=prod -o json > prod.json
  acs-metrics status --resources-from prod.json`,
  );
  cmd.action(action<ResourcesOptions>(runResources));
};

async function runResources(args: string[], opts: ResourcesOptions, ctx: Context): Promise<number> {
  if (args.length > 0) throw new UsageError(`unexpected argument "${args[0]}": choose resources with --subscription, --all-subscriptions or --resource`);
  const output = (opts.output ?? 'table').toLowerCase();
  if (!(OUTPUTS as readonly string[]).includes(output)) throw new UsageError(`invalid --output "${opts.output}": expected one of ${OUTPUTS.join(', ')}`);
  const width = parseWidth(opts.width);
  const settings = await estateSettings(opts, ctx);
  if (settings.selection.kind === 'none') {
    throw new UsageError('no resources named: give --subscription S, --all-subscriptions, --resource ID or --resources-from FILE');
  }
  const { EstateSource } = await import('../sources/azure/estate-source.js');
  const list = await new EstateSource(settings).resources(ctx.io.signal);
  ctx.io.stdout.write(
    output === 'json'
      ? renderResourcesJson(list)
      : output === 'csv'
        ? renderResourcesCsv(list)
        : renderResourcesTable(list, ctx.out, outputWidth(ctx.io, width)),
  );
  return EXIT.OK;
}

/**
 * `export --dry-run`: the calls of this run, step by step as runPending makes them (the pending items
 * first, then those the extension up to now adds), added up; nothing is written or fetched but the
 * Resource Graph pages that find the resources.
 */
import { addPlans } from '../core/dry-run.js';
import { parseDuration } from '../core/duration.js';
import type { ManifestItem } from '../sources/export-store.js';
import { parseResourceId } from '../sources/azure/resource-id.js';
import type { Context } from './context.js';
import { printPlan } from './dry-run.js';
import { planSteps, stepQueries } from './export-run.js';
import type { estateSettings } from './source-options.js';

type Settings = Awaited<ReturnType<typeof estateSettings>>;

/** Prints the plan of fetching these passes of pending items (each pass in its own steps). */
export async function planExport(
  passes: readonly (readonly ManifestItem[])[],
  grain: string,
  settings: Settings,
  graphPages: number,
  json: boolean,
  ctx: Context,
): Promise<number> {
  const { EstateSource } = await import('../sources/azure/estate-source.js');
  const grainMs = parseDuration(grain)!;
  const plans = [];
  for (const todo of passes) {
    for (const step of planSteps(todo, grainMs)) {
      const source = new EstateSource({ ...settings, selection: { kind: 'ids', ids: step.resources.map((r) => parseResourceId(r)) } });
      plans.push(await source.plan(stepQueries(step, grainMs)));
    }
  }
  const items = passes.flat();
  const resources = [...new Set(items.map((i) => i.resource))];
  const plan = addPlans(plans, {
    graphPages,
    lookupPages: settings.lookupPages,
    discovered: settings.selection.kind === 'discover',
    subscriptions: resources.map((r) => r.split('/')[2]!),
    windows: new Set(items.map((i) => `${i.fetch.start}|${i.fetch.end}`)).size,
  });
  return printPlan('export', plan, json, ctx);
}

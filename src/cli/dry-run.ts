/**
 * --dry-run on query, status, usage, export and check: the plan of a live run (Resource Graph pages,
 * batch and per-resource calls per subscription, the quotas they meet, the billed calls), printed on
 * stdout as text or JSON; nothing is sent to the metrics APIs. Exit 0.
 */
import type { Command } from 'commander';
import { addPlans, type CallPlan } from '../core/dry-run.js';
import type { Query } from '../core/model.js';
import { EXIT, UsageError } from '../errors.js';
import { renderPlanJson, renderPlanText } from '../render/plan.js';
import type { Context } from './context.js';
import { openSource, type SourceOptions } from './source-options.js';

export const DRY_RUN_HELP =
  'print the plan (Resource Graph pages, batch and per-resource calls per subscription, quotas, billed calls) and send no metrics request; Resource Graph still runs to find the resources; -o json for scripts';

export function addDryRunOption(cmd: Command): Command {
  return cmd.option('--dry-run', DRY_RUN_HELP);
}

/** Refuses --dry-run with files: nothing would be sent. */
export function checkDryRun(opts: { dryRun?: boolean; fixture?: readonly string[] }): void {
  if (opts.dryRun && (opts.fixture ?? []).length > 0) throw new UsageError('--dry-run plans the requests to Azure, and --fixture sends none: drop one of them');
}

/** Prints the plan. */
export function printPlan(command: string, plan: CallPlan, json: boolean, ctx: Context): number {
  ctx.io.stdout.write(json ? renderPlanJson(command, plan) : renderPlanText(command, plan));
  return EXIT.OK;
}

/** The plan of fetching these queries (and the baseline queries of a comparison), printed. */
export async function showPlan(
  command: string,
  opts: SourceOptions & { dryRun?: boolean },
  ctx: Context,
  queries: readonly Query[],
  json: boolean,
  baselineQueries?: (now: number) => readonly Query[],
): Promise<number> {
  checkDryRun(opts);
  const source = await openSource(opts, ctx);
  if (!source.plan) throw new UsageError('--dry-run plans live requests: give --resource, --subscription or --all-subscriptions');
  const plans = [await source.plan(queries, ctx.io.signal)];
  if (baselineQueries) plans.push(await source.plan(baselineQueries(ctx.io.now().getTime()), ctx.io.signal));
  const last = plans[plans.length - 1]!;
  const plan =
    plans.length === 1
      ? last
      : addPlans(plans, {
          graphPages: last.graphPages,
          lookupPages: last.lookupPages,
          discovered: last.discovered,
          subscriptions: last.subscriptions.flatMap((s) => Array<string>(s.resources).fill(s.subscription)),
          windows: plans.reduce((n, p) => n + p.windows, 0),
        });
  return printPlan(command, plan, json, ctx);
}

/**
 * `acs-metrics alerts`: the rules of `check` (flags or --config, read by the same code, so a typo
 * fails the same way) as Azure Monitor alert rules: an ARM template, a Bicep file or Terraform JSON on
 * stdout. Says per rule on stderr whether it maps exactly, approximately or not at all.
 *
 * Nothing is fetched: the resources named (--resource, --resources-from, or --subscription ID with
 * --resource-group and --name) become the default of the template's scopes parameter.
 *
 * Exit codes: 0 written (rules that do not map exactly are reported); 1 with --strict when a rule is
 * not exact (the template is still written); 2 usage or rules-file error (nothing written).
 */
import { type AlertOptions, nameClashes, planAlerts } from '../core/alert-plan.js';
import { EXIT, Problems, UsageError } from '../errors.js';
import { renderArmTemplate } from '../render/alerts-arm.js';
import { renderBicep } from '../render/alerts-bicep.js';
import { renderAlertsSummary } from '../render/alerts-summary.js';
import { renderTerraform } from '../render/alerts-terraform.js';
import type { TemplateInputs } from '../render/alert-resources.js';
import { safeText } from '../render/safe.js';
import { addChangeOptions } from './check-change.js';
import { addRuleOptions, readRules, type RuleOptions } from './check-rules.js';
import type { Context } from './context.js';
import type { Register } from './register.js';
import { addFilterOptions, collectList } from './query-options.js';
import { parseSelection, type SelectionOptions } from './selection.js';
import { parseWorkspace } from './workspace.js';

const OUTPUTS = ['arm', 'bicep', 'terraform'] as const;
type Output = (typeof OUTPUTS)[number];
const RENDER: Record<Output, (inputs: TemplateInputs) => string> = { arm: renderArmTemplate, bicep: renderBicep, terraform: renderTerraform };

interface AlertsOptions extends RuleOptions, SelectionOptions {
  workspace?: string;
  output?: string;
  strict?: boolean;
}

const collect = (value: string, previous: string[] | undefined): string[] => [...(previous ?? []), value];

export const registerAlerts: Register = (program, action) => {
  const cmd = program.command('alerts').description("write check's rules as Azure Monitor alert rules (ARM, Bicep or Terraform), saying which map exactly");
  addFilterOptions(cmd);
  addRuleOptions(cmd);
  addChangeOptions(cmd);
  cmd
    .option('--resource <id>', 'an ACS resource to alert on: the default of the scopes parameter (repeatable; env ACS_METRICS_RESOURCE)', collect)
    .option('--resources-from <file>', 'resource ids, one per line, or the JSON of "acs-metrics resources -o json" ("-" for stdin)')
    .option('--subscription <id>', 'with --resource-group and --name: the resource id from its parts', collect)
    .option('-g, --resource-group <name>', 'the resource group of the ACS resource', collectList)
    .option('--name <name>', 'the name of the ACS resource', collectList)
    .option('--workspace <id>', 'Log Analytics workspace resource id: error-rate rules become log search alerts over the ACS resource logs sent there')
    .option('-o, --output <format>', 'arm (ARM template JSON), bicep or terraform (.tf.json)', 'arm')
    .option('--strict', 'exit 1 when any rule does not map exactly (the template is still written)');
  cmd.addHelpText(
    'after',
    `
Exit codes: 0 written, 1 with --strict a rule is approximate or not mapped, 2 usage or rules-file error.

Examples:
  acs-metrics alerts --config gates.json --resource "$ACS_RESOURCE_ID" > alerts.json
  acs-metrics alerts --config gates.json -o bicep --workspace "$WORKSPACE_ID" > alerts.bicep
  acs-metrics alerts -m sms --since 30m --min-total 1 -o terraform > acs-alerts.tf.json
  acs-metrics alerts --config gates.json --strict > /dev/null     (are all rules exact?)`,
  );
  cmd.action(action<AlertsOptions>(runAlerts));
};

/** The resource ids of the selection, without asking Azure anything. */
async function scopesOf(opts: AlertsOptions, ctx: Context): Promise<string[]> {
  const parsed = await parseSelection(opts, ctx.io);
  if (parsed.subscriptionNames.length > 0) {
    throw new UsageError(
      `--subscription "${safeText(parsed.subscriptionNames[0]!)}": alerts calls no Azure API, give the subscription id (az account show --query id)`,
    );
  }
  const selection = parsed.build();
  if (selection.kind === 'discover') {
    throw new UsageError(
      'alerts calls no Azure API, so it cannot discover resources: give --resource ID, or --resources-from with the output of "acs-metrics resources -o json"',
    );
  }
  return selection.kind === 'ids' ? selection.ids.map((r) => `/${r.id}`) : [];
}

async function runAlerts(args: string[], opts: AlertsOptions, ctx: Context): Promise<number> {
  if (args.length > 0) throw new UsageError(`unexpected argument "${args[0]}": give the metric with --metric, or rules with --config`);
  const problems = new Problems();
  if (opts.resourceName !== undefined) problems.add('--resource-name picks resources in data: alerts writes rules, name the resources with --resource');
  const output = (opts.output ?? 'arm').toLowerCase();
  if (!(OUTPUTS as readonly string[]).includes(output)) problems.add(`invalid --output "${opts.output}": expected one of ${OUTPUTS.join(', ')}`);
  const workspace = opts.workspace === undefined ? undefined : problems.try(() => parseWorkspace(opts.workspace!));
  const scopes = await problems.tryAsync(() => scopesOf(opts, ctx));
  const { rules } = await readRules(opts, problems, ctx, '--metric is required, e.g. --metric chat (or --config FILE with rules; see "acs-metrics catalog")');
  problems.throwIfAny();

  const options: AlertOptions = { workspace: workspace !== undefined };
  const plans = planAlerts(rules ?? [], options);
  const clashes = nameClashes(plans);
  if (clashes.length > 0) throw new UsageError(clashes);

  ctx.io.stdout.write(RENDER[output as Output]({ plans, scopes: scopes ?? [], ...(workspace !== undefined ? { workspace } : {}) }));
  ctx.io.stderr.write(renderAlertsSummary(plans, output, ctx.err));
  const allExact = plans.every((p) => p.mapping.kind === 'exact');
  return opts.strict && !allExact ? EXIT.GATE_FAILED : EXIT.OK;
}

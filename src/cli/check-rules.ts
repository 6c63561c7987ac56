/**
 * The rules of `check` (and of `alerts`, which turns the same rules into Azure Monitor alert rules):
 * one rule from the flags, or several from a rules file (--config), checked against the catalog before
 * anything is fetched or written. A typo fails the same way in both commands.
 */
import type { Command } from 'commander';
import type { MetricDef } from '../catalog/types.js';
import { type CatalogExtra, extraFor } from '../catalog/extra.js';
import { defaultErrors } from '../core/classify.js';
import { defaultRuleName, type GateRule, isRate, LEVELS, type Level, type Rate, parseRate } from '../core/gate.js';
import { CliError, EXIT, type Problems } from '../errors.js';
import { safeText } from '../render/safe.js';
import { loadCatalogExtra } from './catalog-extra.js';
import { loadRulesFile } from './check-config.js';
import { DEFAULT_MIN_REQUESTS } from './rule-checks.js';
import { CHANGE_FLAGS, type ChangeOptions, changeRulesFor, type ParsedChange, parseChangeFlags } from './check-change.js';
import type { Context } from './context.js';
import {
  errorsFor,
  type FilterOptions,
  noErrorRateProblem,
  parseMetricList,
  parseErrors,
  parseFilters,
  parsePositiveInt,
  parseRange,
  resolveMetricOption,
} from './query-options.js';

export interface RuleOptions extends FilterOptions, ChangeOptions {
  config?: string;
  maxErrorRate?: string;
  minRequests?: string;
  minTotal?: string;
  maxTotal?: string;
  perOperation?: boolean;
  failOnNoData?: boolean;
  level?: string;
  ruleName?: string;
  fixture?: string[];
}

/** Flags that define a rule on the command line, with their rules-file keys; not allowed with --config. */
const RULE_FLAGS: readonly [keyof RuleOptions, string, string][] = [
  ['metric', '--metric', 'metric'],
  ['operation', '--operation', 'operations'],
  ['statusCode', '--status-code', 'statusCodes'],
  ['statusClass', '--status-class', 'statusClasses'],
  ['errors', '--errors', 'errors'],
  ['maxErrorRate', '--max-error-rate', 'maxErrorRate'],
  ['minRequests', '--min-requests', 'minRequests'],
  ['minTotal', '--min-total', 'minTotal'],
  ['maxTotal', '--max-total', 'maxTotal'],
  ['perOperation', '--per-operation', 'perOperation'],
  ['level', '--level', 'level'],
  ['ruleName', '--rule-name', 'name'],
];

/** The single rule the flags describe, once the metric is known. */
export function ruleFromFlags(metric: MetricDef, opts: RuleOptions, parts: FlagParts, problems: Problems): GateRule {
  const filters = parseFilters(metric, opts, problems, { extra: extraFor(parts.extra, metric), warn: parts.warn });
  const name = opts.ruleName?.trim() || defaultRuleName(metric, filters);
  const errors = problems.try(() => errorsFor(metric, parts.errors)) ?? defaultErrors(metric);
  const noRate = parts.maxErrorRate ? noErrorRateProblem(metric) : undefined;
  if (noRate) problems.add(noRate);
  const change = changeRulesFor(metric, parts.change, problems);
  return {
    name,
    level: parts.level,
    metric,
    filters,
    range: parts.range,
    errors,
    ...(parts.maxErrorRate ? { maxErrorRate: parts.maxErrorRate } : {}),
    minRequests: parts.minRequests,
    ...(parts.minTotal !== undefined ? { minTotal: parts.minTotal } : {}),
    ...(parts.maxTotal !== undefined ? { maxTotal: parts.maxTotal } : {}),
    perOperation: opts.perOperation === true,
    failOnNoData: opts.failOnNoData === true,
    ...(change ? { change } : {}),
  };
}

export interface FlagParts {
  range: ReturnType<typeof parseRange>;
  errors: ReturnType<typeof parseErrors>;
  extra: CatalogExtra | undefined;
  warn: (line: string) => void;
  maxErrorRate?: Rate;
  minRequests: number;
  minTotal?: number;
  maxTotal?: number;
  level: Level;
  change: ParsedChange;
}

async function parseFlagParts(opts: RuleOptions, problems: Problems, ctx: Context): Promise<FlagParts> {
  const extra = await problems.tryAsync(() => loadCatalogExtra(opts.catalogExtra, ctx.io));
  const warn = (line: string): void => ctx.warn(safeText(line));
  const range = parseRange(opts, problems);
  const errors = parseErrors(opts.errors, problems);
  let maxErrorRate: Rate | undefined;
  if (opts.maxErrorRate !== undefined) {
    const r = parseRate(opts.maxErrorRate);
    if (isRate(r)) maxErrorRate = r;
    else problems.add(`invalid --max-error-rate "${opts.maxErrorRate}": ${r.error}`);
  }
  const minRequests = parsePositiveInt('--min-requests', opts.minRequests, problems, 1) ?? DEFAULT_MIN_REQUESTS;
  const minTotal = parsePositiveInt('--min-total', opts.minTotal, problems, 0);
  const maxTotal = parsePositiveInt('--max-total', opts.maxTotal, problems, 0);
  let level: Level = 'error';
  if (opts.level !== undefined) {
    const l = opts.level.trim().toLowerCase();
    if ((LEVELS as readonly string[]).includes(l)) level = l as Level;
    else problems.add(`invalid --level "${opts.level}": expected error (a failure fails the run) or warn (reported only)`);
  }
  const change = parseChangeFlags(opts, problems, true);
  if (opts.maxErrorRate === undefined && opts.minTotal === undefined && opts.maxTotal === undefined && !change.any) {
    problems.add('nothing to check: give --max-error-rate, --min-total or --max-total (or --config FILE with rules)');
  }
  if (opts.perOperation && opts.maxErrorRate === undefined)
    problems.add('--per-operation applies --max-error-rate to each operation: give --max-error-rate too');
  if (minTotal !== undefined && maxTotal !== undefined && minTotal > maxTotal) {
    problems.add(`--min-total ${minTotal} is above --max-total ${maxTotal}: no request count can pass`);
  }
  return { range, errors, extra, warn, ...(maxErrorRate ? { maxErrorRate } : {}), minRequests, minTotal, maxTotal, level, change };
}

/** The flags that define rules (after the filter options, before the command's own). */
export function addRuleOptions(cmd: Command): Command {
  return cmd
    .option('--max-error-rate <rate>', 'fail when errors / requests over the window is above this: 1%, 0.5% or 0.01 (exactly at it passes)')
    .option('--errors <list>', 'what counts as an error (default: the metric\'s definition, see "acs-metrics catalog METRIC"), e.g. 5xx or 5xx,429')
    .option('--per-operation', 'apply --max-error-rate (and --min-requests) to each operation on its own')
    .option('--min-requests <n>', `fewer requests than this make the error rate "not enough data" (default ${DEFAULT_MIN_REQUESTS})`)
    .option('--fail-on-no-data', 'a rule without enough data fails the run (by default it is reported and passes)')
    .option('--min-total <n>', 'fail when the window has fewer requests than this (traffic vanished)')
    .option('--max-total <n>', 'fail when the window has more requests than this')
    .option('--level <level>', 'error (a failure fails the run; default) or warn (reported only)')
    .option('--rule-name <text>', 'the rule name in reports (default: the metric and operations)')
    .option('-c, --config <file>', 'a rules file (JSON, or YAML for .yml/.yaml) with several rules; see docs/rules-files.md');
}

/** --fixture without --metric: the rule waits for the data to name its one metric. */
export interface PendingRule {
  readonly opts: RuleOptions;
  readonly parts: FlagParts;
}

/**
 * The rules of the options: from --config (rule flags refused) or from the flags. Problems are added,
 * not thrown; `pending` when the metric must come from the fixture; `noMetric` is the problem when no
 * metric is given without a fixture.
 */
export async function readRules(opts: RuleOptions, problems: Problems, ctx: Context, noMetric: string): Promise<{ rules?: GateRule[]; pending?: PendingRule }> {
  let rules: GateRule[] | undefined;
  let pending: PendingRule | undefined;
  if (opts.config !== undefined) {
    for (const [key, flag, fileKey] of RULE_FLAGS) {
      if (opts[key] !== undefined) problems.add(`${flag} cannot be used with --config: set "${fileKey}" in the rules file`);
    }
    if (opts.resourceName !== undefined) problems.add('--resource-name cannot be used with --config: rules files have no resource filter');
    for (const [key, flag, fileKey] of CHANGE_FLAGS) {
      if (opts[key] !== undefined) problems.add(`${flag} cannot be used with --config: set "${fileKey}" in the rules file`);
    }
    const cliChange = parseChangeFlags(opts, problems, false);
    const hasRange = opts.since !== undefined || opts.start !== undefined || opts.end !== undefined;
    const range = hasRange ? parseRange(opts, problems) : undefined;
    const extra = await problems.tryAsync(() => loadCatalogExtra(opts.catalogExtra, ctx.io));
    try {
      rules = await loadRulesFile(opts.config, ctx.io, {
        ...(range ? { range } : {}),
        failOnNoData: opts.failOnNoData === true,
        ...(cliChange.baseline ? { baseline: cliChange.baseline } : {}),
        ...(cliChange.confidence !== undefined ? { confidence: cliChange.confidence } : {}),
        extra,
        warn: (line) => ctx.warn(safeText(line)),
      });
    } catch (err) {
      if (!(err instanceof CliError) || err.exitCode !== EXIT.USAGE) throw err;
      for (const p of err.problems) problems.add(p);
    }
  } else {
    const parts = await parseFlagParts(opts, problems, ctx);
    const list = opts.metric !== undefined && (opts.metric.includes(',') || opts.metric.trim().toLowerCase() === 'all');
    const metric = list ? undefined : resolveMetricOption(opts, problems);
    if (list) {
      // Several metrics: a rule each; with "all", metrics without an error rate are left out of an error-rate check.
      const all = opts.metric!.trim().toLowerCase() === 'all';
      const metrics = parseMetricList(opts.metric!, problems, (opts.fixture ?? []).length > 0).filter(
        (m) => !(all && parts.maxErrorRate && noErrorRateProblem(m)),
      );
      rules = metrics.map((m) => {
        const rule = ruleFromFlags(m, opts, parts, problems);
        return opts.ruleName?.trim() ? { ...rule, name: `${rule.name} (${m.alias})` } : rule;
      });
    } else if (metric) rules = [ruleFromFlags(metric, opts, parts, problems)];
    else if (opts.metric === undefined && !opts.operation?.length) {
      if (!opts.fixture?.length) problems.add(noMetric);
      else pending = { opts, parts };
    }
  }
  return { ...(rules ? { rules } : {}), ...(pending ? { pending } : {}) };
}

/**
 * `acs-metrics check`: error-rate and volume gates for CI. One rule from flags, or several from a
 * rules file (--config); the data comes from the same sources and query path as `query`.
 *
 * Exit codes: 0 every error-level rule passed; 1 an error-level rule failed (or had no data with
 * --fail-on-no-data); 2 usage or rules-file error; 3 the data could not be obtained, or a rule could
 * not be evaluated on it (3 wins over 1). A check never passes because data was missing.
 */
import { appendFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { MetricDef } from '../catalog/types.js';
import { checkRulesPerResource } from '../core/gate-resources.js';
import {
  defaultRuleName,
  errorResult,
  type GateRule,
  isRate,
  LEVELS,
  type Level,
  outcome as outcomeOf,
  type Rate,
  parseRate,
  ruleQuery,
  type CheckOutcome,
} from '../core/gate.js';
import { CliError, DataError, EXIT, Problems, UsageError } from '../errors.js';
import { renderCheckJson, renderCheckText } from '../render/check-report.js';
import { githubAnnotations, githubStepSummary } from '../render/github.js';
import { renderJunit } from '../render/junit.js';
import { safeText } from '../render/safe.js';
import { resolveOutputTarget, writeOutputFile } from '../sources/save.js';
import type { SourceResult } from '../sources/source.js';
import { type CatalogExtra, extraFor } from '../catalog/extra.js';
import { defaultErrors } from '../core/classify.js';
import { loadCatalogExtra } from './catalog-extra.js';
import { DEFAULT_MIN_REQUESTS, loadRulesFile } from './check-config.js';
import type { Context } from './context.js';
import type { Register } from './register.js';
import {
  addFilterOptions,
  errorsFor,
  type FilterOptions,
  noErrorRateProblem,
  inferMetric,
  parseMetricList,
  parseErrors,
  parseFilters,
  parsePositiveInt,
  parseRange,
  resolveMetricOption,
} from './query-options.js';
import { addSourceOptions, fetchWindows, type SourceOptions } from './source-options.js';
import { addDryRunOption, checkDryRun, showPlan } from './dry-run.js';
import { addChangeOptions, CHANGE_FLAGS, type ChangeOptions, changeRulesFor, type ParsedChange, parseChangeFlags } from './check-change.js';
import { baselineQuery } from '../core/compare.js';
import type { Query } from '../core/model.js';
import { addWatchOptions, parseWatch, runWatch, type WatchOptions } from './check-watch.js';
import { absentNote, metricsInFiles } from './metrics-in-files.js';
import { METRIC_ALIASES, offer } from './option-values.js';
import { MAX_WIDTH, MIN_WIDTH, outputWidth, parseWidth } from './width.js';

const OUTPUTS = ['text', 'json', 'yaml'] as const;

interface CheckOptions extends FilterOptions, SourceOptions, ChangeOptions, WatchOptions {
  config?: string;
  maxErrorRate?: string;
  minRequests?: string;
  minTotal?: string;
  maxTotal?: string;
  perOperation?: boolean;
  failOnNoData?: boolean;
  level?: string;
  ruleName?: string;
  width?: string;
  output?: string;
  junit?: string;
}

/** Flags that define a rule on the command line, with their rules-file keys; not allowed with --config. */
const RULE_FLAGS: readonly [keyof CheckOptions, string, string][] = [
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

export const registerCheck: Register = (program, action) => {
  const cmd = program
    .command('check')
    .description('gate a deployment: fail (exit 1) when an error rate or request volume crosses a threshold');
  addFilterOptions(cmd);
  cmd
    .option('--max-error-rate <rate>', 'fail when errors / requests over the window is above this: 1%, 0.5% or 0.01 (exactly at it passes)')
    .option('--errors <list>', "what counts as an error (default: the metric's definition, see \"acs-metrics catalog METRIC\"), e.g. 5xx or 5xx,429")
    .option('--per-operation', 'apply --max-error-rate (and --min-requests) to each operation on its own')
    .option('--min-requests <n>', `fewer requests than this make the error rate "not enough data" (default ${DEFAULT_MIN_REQUESTS})`)
    .option('--fail-on-no-data', 'a rule without enough data fails the run (by default it is reported and passes)')
    .option('--min-total <n>', 'fail when the window has fewer requests than this (traffic vanished)')
    .option('--max-total <n>', 'fail when the window has more requests than this')
    .option('--level <level>', 'error (a failure fails the run; default) or warn (reported only)')
    .option('--rule-name <text>', 'the rule name in reports (default: the metric and operations)')
    .option('-c, --config <file>', 'a rules file (JSON, or YAML for .yml/.yaml) with several rules; see the README')
    .option('-o, --output <format>', 'text, json or yaml (the JSON document)', 'text')
    .option('--junit <file>', 'also write a JUnit XML report (one testcase per rule)')
    .option('--width <columns>', `fit the report's lines to this many columns, ${MIN_WIDTH} to ${MAX_WIDTH} (default: the terminal's width; COLUMNS when piped)`);
  addChangeOptions(cmd);
  addWatchOptions(cmd);
  addSourceOptions(cmd);
  addDryRunOption(cmd);
  offer(cmd, '--metric', [...METRIC_ALIASES, 'all']);
  offer(cmd, '--level', LEVELS);
  offer(cmd, '--output', OUTPUTS);
  cmd.addHelpText(
    'after',
    `
Exit codes: 0 every error-level rule passed, 1 a rule failed, 2 usage or rules-file error,
3 the data could not be obtained or cannot answer a rule (never a pass).

Examples:
  acs-metrics check --resource "$ACS_RESOURCE_ID" --metric chat --since 1h --max-error-rate 1%
  acs-metrics check --fixture fixtures/sample-week.json -m chat --since 24h --max-error-rate 0.5% --errors 5xx,429
  acs-metrics check --fixture fixtures/sample-week.json -m chat --per-operation --max-error-rate 2% --min-requests 100
  acs-metrics check --resource "$ACS_RESOURCE_ID" -m sms --since 30m --min-total 1 --rule-name "sms traffic"
  acs-metrics check --resource "$ACS_RESOURCE_ID" --config gates.json --since 1h --junit gates.xml
  acs-metrics check --resource "$ACS_RESOURCE_ID" -m chat --since 1h --baseline 7d --max-error-rate-increase 0.5pp
  acs-metrics check --subscription "$SUB" --metric all --max-error-rate 1%     (every resource and metric)
  acs-metrics check --subscription "$SUB" --metric all --max-error-rate 1% --dry-run   (the requests it would send)`,
  );
  cmd.action(action<CheckOptions>(runCheckCommand));
};

/** The single rule the flags describe, once the metric is known. */
function ruleFromFlags(metric: MetricDef, opts: CheckOptions, parts: FlagParts, problems: Problems): GateRule {
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

interface FlagParts {
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

async function parseFlagParts(opts: CheckOptions, problems: Problems, ctx: Context): Promise<FlagParts> {
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
  if (opts.perOperation && opts.maxErrorRate === undefined) problems.add('--per-operation applies --max-error-rate to each operation: give --max-error-rate too');
  if (minTotal !== undefined && maxTotal !== undefined && minTotal > maxTotal) {
    problems.add(`--min-total ${minTotal} is above --max-total ${maxTotal}: no request count can pass`);
  }
  return { range, errors, extra, warn, ...(maxErrorRate ? { maxErrorRate } : {}), minRequests, minTotal, maxTotal, level, change };
}

/** --dry-run: the plan of fetching every rule's data (and the baselines of the rules that compare). */
function planCheck(list: readonly GateRule[], opts: CheckOptions, json: boolean, ctx: Context): Promise<number> {
  const compared = list.filter((r) => r.change !== undefined);
  const baselines = compared.length > 0 ? (now: number) => compared.map((r) => baselineQuery(ruleQuery(r), r.change!.baseline, now)) : undefined;
  return showPlan('check', opts, ctx, list.map((r) => ruleQuery(r)), json, baselines);
}

async function runCheckCommand(args: string[], opts: CheckOptions, ctx: Context): Promise<number> {
  if (args.length > 0) throw new UsageError(`unexpected argument "${args[0]}": give the metric with --metric, or rules with --config`);
  const problems = new Problems();
  const output = reportOptions(opts, problems);

  let rules: GateRule[] | undefined;
  /** With --metric all: every metric; with files, those the files hold (the others are noted). */
  let everyMetric = false;
  let pending: { opts: CheckOptions; parts: FlagParts } | undefined;
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
      everyMetric = all;
      const metrics = parseMetricList(opts.metric!, problems).filter((m) => !(all && parts.maxErrorRate && noErrorRateProblem(m)));
      rules = metrics.map((m) => {
        const rule = ruleFromFlags(m, opts, parts, problems);
        return opts.ruleName?.trim() ? { ...rule, name: `${rule.name} (${m.alias})` } : rule;
      });
    } else if (metric) rules = [ruleFromFlags(metric, opts, parts, problems)];
    else if (opts.metric === undefined && !(opts.operation?.length)) {
      if (!opts.fixture?.length) problems.add('--metric is required for a live check, e.g. --metric chat (see "acs-metrics catalog")');
      else pending = { opts, parts };
    }
  }
  const watch = parseWatch(opts, problems);
  problems.throwIfAny();
  // A rules file live: a window beyond the retention names its rule (and whether it is the baseline's).
  if (rules && opts.config !== undefined && !opts.fixture?.length) await checkRuleWindows(rules, ctx.io.now().getTime());
  checkDryRun(opts);
  if (opts.dryRun) return planCheck(rules ?? [], opts, output !== 'text', ctx);
  // --junit is checked before anything is fetched or printed: a report is never followed by a failure to write it.
  if (opts.junit !== undefined) await resolveOutputTarget(resolve(ctx.io.cwd, opts.junit), safeText(opts.junit));

  // Fetch once for every rule; a data failure makes every rule an error (exit 3), never a pass.
  const evaluate = async (list: readonly GateRule[]): Promise<{ outcome: CheckOutcome; data?: SourceResult }> => {
    let data: SourceResult | undefined;
    let baselineData: SourceResult | undefined;
    let failure: string | undefined;
    try {
      const compared = list.filter((r) => r.change !== undefined);
      const baselines = compared.length > 0 ? (now: number) => compared.map((r) => baselineQuery(ruleQuery(r), r.change!.baseline, now)) : undefined;
      ({ data, baseline: baselineData } = await fetchWindows(opts, ctx, list.map((r) => ruleQuery(r)), baselines));
    } catch (err) {
      if (!(err instanceof CliError) || err.exitCode !== EXIT.DATA || (pending && !rules)) throw err;
      failure = err.problems.join('; ');
    }
    if (pending && data && list.length === 0) {
      // --fixture without --metric: the one metric in the data.
      const metric = inferMetric(data.metrics, opts.fixture);
      rules = [ruleFromFlags(metric, pending.opts, pending.parts, problems)];
      problems.throwIfAny();
      list = rules;
    }
    if (!data) return { outcome: outcomeOf(list.map((r) => errorResult(r, failure ?? 'no data'))) };
    if (everyMetric && opts.fixture?.length) list = heldRules(list, data, ctx);
    // Over several resources each rule is judged per resource.
    const perResource = checkRulesPerResource(list, data, baselineData ?? data);
    if (perResource.quiet > 0) {
      const n = perResource.quiet;
      ctx.note(`${n} resource and metric ${n === 1 ? 'pair has' : 'pairs have'} no traffic in the window and ${n === 1 ? 'was' : 'were'} not checked (--fail-on-no-data or --min-total checks them)`);
    }
    const outcome = outcomeOf(perResource.results);
    return { outcome, ...(data ? { data } : {}) };
  };
  if (watch && !opts.fixture?.length) {
    const watched = await runWatch(rules ?? [], watch, evaluate, ctx);
    return report(watched.outcome, watched.data, opts, output, ctx, watched.exitCode);
  }
  if (watch) ctx.note('--watch with --fixture: files do not grow, so the rules are evaluated once');
  const { outcome, data } = await evaluate(rules ?? []);
  return report(outcome, data, opts, output, ctx);
}

/** `--metric all` on files: the rules of the metrics the files hold; the others are noted, not failed. */
function heldRules(list: readonly GateRule[], data: SourceResult, ctx: Context): readonly GateRule[] {
  const { held, absent } = metricsInFiles([...new Set(list.map((r) => r.metric))], data.metrics);
  if (held.length === 0) throw new DataError(`the data holds none of the metrics asked for (${absent.map((m) => m.alias).join(', ')})`);
  const note = absentNote(absent, 'not checked');
  if (note) ctx.note(note);
  return list.filter((r) => held.includes(r.metric));
}

/** The report's options (--output, --junit, --width, --rule-name) checked; returns the output format. */
function reportOptions(opts: CheckOptions, problems: Problems): string {
  const output = (opts.output ?? 'text').toLowerCase();
  if (!(OUTPUTS as readonly string[]).includes(output)) problems.add(`invalid --output "${opts.output}": expected one of ${OUTPUTS.join(', ')}`);
  if (opts.junit !== undefined && opts.junit.trim() === '') problems.add('--junit needs a file name, e.g. --junit check.xml');
  problems.try(() => parseWidth(opts.width));
  if (opts.ruleName !== undefined && opts.ruleName.trim() === '') {
    problems.add('--rule-name is empty: give a name, e.g. --rule-name "chat errors", or leave it out for the default (the metric and its operations)');
  }
  return output;
}

/** Each rule's windows as they would be asked of Azure (retention, empty windows), every problem named by its rule. */
async function checkRuleWindows(rules: readonly GateRule[], now: number): Promise<void> {
  const { queryWindow } = await import('../sources/azure/request-plan.js');
  const problems = new Problems();
  const check = (rule: GateRule, query: Query, baseline: boolean): void => {
    try {
      queryWindow(query, now);
    } catch (err) {
      if (!(err instanceof UsageError)) throw err;
      const message = baseline ? err.message.replace(/^the (time )?window /, 'the baseline window ') : err.message;
      problems.add(`rule "${safeText(rule.name)}": ${message}`);
    }
  };
  for (const rule of rules) {
    check(rule, ruleQuery(rule), false);
    if (rule.change) check(rule, baselineQuery(ruleQuery(rule), rule.change.baseline, now), true);
  }
  problems.throwIfAny();
}

/** The usual report of an outcome (stdout, stderr, GitHub, JUnit); returns the exit code. */
async function report(outcome: CheckOutcome, data: SourceResult | undefined, opts: CheckOptions, output: string, ctx: Context, exitCode = outcome.exitCode): Promise<number> {
  const notes = [...new Set(outcome.results.flatMap((r) => r.notes))];
  for (const note of notes) ctx.note(safeText(note));

  // Machine output (json, yaml) keeps stdout to the document.
  const json = output !== 'text';
  const doc = json ? renderCheckJson(outcome) : undefined;
  ctx.io.stdout.write(doc === undefined ? renderCheckText(outcome, ctx.out, outputWidth(ctx.io, parseWidth(opts.width))) : output === 'yaml' ? await (await import('../render/yaml.js')).jsonToYaml(doc) : doc);

  const failures = new Set<string>();
  for (const r of outcome.results) {
    if (r.verdict !== 'error') continue;
    const line = data ? `rule "${safeText(r.rule.name)}": ${safeText(r.reason)}` : safeText(r.reason);
    if (failures.has(line)) continue;
    failures.add(line);
    ctx.io.stderr.write(`${ctx.err.red('error:')} ${line}\n`);
  }

  if (ctx.io.env.GITHUB_ACTIONS === 'true') await github(outcome, json, ctx);
  if (opts.junit !== undefined) {
    await writeOutputFile(resolve(ctx.io.cwd, opts.junit), renderJunit(outcome, { timestamp: ctx.io.now() }), {
      signal: ctx.io.signal,
      shown: safeText(opts.junit),
      streams: ctx.io,
    });
  }
  return exitCode;
}

/**
 * Annotations go to stdout after the report (stderr with --output json, so that stdout stays JSON:
 * the runner reads workflow commands from both); the summary table is appended to $GITHUB_STEP_SUMMARY.
 */
async function github(outcome: CheckOutcome, json: boolean, ctx: Context): Promise<void> {
  const annotations = githubAnnotations(outcome);
  if (annotations) (json ? ctx.io.stderr : ctx.io.stdout).write(annotations);
  const summary = ctx.io.env.GITHUB_STEP_SUMMARY;
  if (summary === undefined || summary === '') return;
  try {
    await appendFile(resolve(ctx.io.cwd, summary), `${githubStepSummary(outcome)}\n`, 'utf8');
  } catch (err) {
    ctx.warn(`cannot append to GITHUB_STEP_SUMMARY (${safeText(summary)}): ${safeText((err as Error).message)}`);
  }
}

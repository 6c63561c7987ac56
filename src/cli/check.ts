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
import { checkRulesPerResource } from '../core/gate-resources.js';
import { errorResult, type GateRule, LEVELS, outcome as outcomeOf, ruleQuery, type CheckOutcome } from '../core/gate.js';
import { CliError, DataError, EXIT, Problems, UsageError } from '../errors.js';
import { renderCheckJson, renderCheckText } from '../render/check-report.js';
import { githubAnnotations, githubStepSummary } from '../render/github.js';
import { renderJunit } from '../render/junit.js';
import { safeText } from '../render/safe.js';
import { resolveOutputTarget, writeOutputFile } from '../sources/save.js';
import type { SourceResult } from '../sources/source.js';
import type { Context } from './context.js';
import type { Register } from './register.js';
import { addFilterOptions, inferMetric } from './query-options.js';
import { addSourceOptions, fetchWindows, type SourceOptions } from './source-options.js';
import { addDryRunOption, checkDryRun, showPlan } from './dry-run.js';
import { addChangeOptions } from './check-change.js';
import { baselineQuery } from '../core/compare.js';
import type { Query } from '../core/model.js';
import { addRuleOptions, type PendingRule, readRules, type RuleOptions, ruleFromFlags } from './check-rules.js';
import { addWatchOptions, parseWatch, runWatch, type WatchOptions } from './check-watch.js';
import { absentNote, metricsInFiles } from './metrics-in-files.js';
import { METRIC_ALIASES, offer } from './option-values.js';
import { MAX_WIDTH, MIN_WIDTH, outputWidth, parseWidth } from './width.js';

const OUTPUTS = ['text', 'json', 'yaml'] as const;

interface CheckOptions extends RuleOptions, SourceOptions, WatchOptions {
  width?: string;
  output?: string;
  junit?: string;
}

export const registerCheck: Register = (program, action) => {
  const cmd = program.command('check').description('gate a deployment: fail (exit 1) when an error rate or request volume crosses a threshold');
  addFilterOptions(cmd);
  addRuleOptions(cmd)
    .option('-o, --output <format>', 'text, json or yaml (the JSON document)', 'text')
    .option('--junit <file>', 'also write a JUnit XML report (one testcase per rule)')
    .option(
      '--width <columns>',
      `fit the report's lines to this many columns, ${MIN_WIDTH} to ${MAX_WIDTH} (default: the terminal's width; COLUMNS when piped)`,
    );
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

/** The baseline queries of the rules that compare (undefined when none does). */
function baselinesOf(list: readonly GateRule[]): ((now: number) => Query[]) | undefined {
  const compared = list.filter((r) => r.change !== undefined);
  return compared.length > 0 ? (now: number) => compared.map((r) => baselineQuery(ruleQuery(r), r.change!.baseline, now)) : undefined;
}

/** --dry-run: the plan of fetching every rule's data (and the baselines of the rules that compare). */
function planCheck(list: readonly GateRule[], opts: CheckOptions, json: boolean, ctx: Context): Promise<number> {
  return showPlan(
    'check',
    opts,
    ctx,
    list.map((r) => ruleQuery(r)),
    json,
    baselinesOf(list),
  );
}

/** `--metric all` on files: the rules of the metrics the files hold; the others are noted, not failed. */
function heldRules(list: readonly GateRule[], data: SourceResult, ctx: Context): readonly GateRule[] {
  const { held, absent } = metricsInFiles([...new Set(list.map((r) => r.metric))], data.metrics, true);
  if (held.length === 0) throw new DataError(`the data holds none of the metrics asked for (${absent.map((m) => m.alias).join(', ')})`);
  const note = absentNote(absent, 'not checked');
  if (note) ctx.note(note);
  return list.filter((r) => held.includes(r.metric));
}

async function runCheckCommand(args: string[], opts: CheckOptions, ctx: Context): Promise<number> {
  if (args.length > 0) throw new UsageError(`unexpected argument "${args[0]}": give the metric with --metric, or rules with --config`);
  const problems = new Problems();
  const output = reportOptions(opts, problems);
  const read = await readRules(opts, problems, ctx, '--metric is required for a live check, e.g. --metric chat (see "acs-metrics catalog")');
  const watch = parseWatch(opts, problems);
  problems.throwIfAny();
  // A rules file live: a window beyond the retention names its rule (and whether it is the baseline's).
  if (read.rules && opts.config !== undefined && !opts.fixture?.length) await checkRuleWindows(read.rules, ctx.io.now().getTime());
  checkDryRun(opts);
  if (opts.dryRun) return planCheck(read.rules ?? [], opts, output !== 'text', ctx);
  // --junit is checked before anything is fetched or printed: a report is never followed by a failure to write it.
  if (opts.junit !== undefined) await resolveOutputTarget(resolve(ctx.io.cwd, opts.junit), safeText(opts.junit));

  const rules: RuleSet = { rules: read.rules, pending: read.pending };
  const evaluate = (list: readonly GateRule[]) => evaluateRules(list, rules, opts, problems, ctx);
  if (watch && !opts.fixture?.length) {
    const watched = await runWatch(rules.rules ?? [], watch, evaluate, ctx);
    return report(watched.outcome, watched.data, opts, output, ctx, watched.exitCode);
  }
  if (watch) ctx.note('--watch with --fixture: files do not grow, so the rules are evaluated once');
  const { outcome, data } = await evaluate(rules.rules ?? []);
  return report(outcome, data, opts, output, ctx);
}

/** The rules: those of the command line or the file, or (files without --metric) the one made when the data names its metric. */
interface RuleSet {
  rules: readonly GateRule[] | undefined;
  readonly pending: PendingRule | undefined;
}

/** Fetches once for every rule and judges each, per resource; a data failure makes every rule an error (exit 3), never a pass. */
async function evaluateRules(
  list: readonly GateRule[],
  rules: RuleSet,
  opts: CheckOptions,
  problems: Problems,
  ctx: Context,
): Promise<{ outcome: CheckOutcome; data?: SourceResult }> {
  const { data, baselineData, failure } = await fetchRuleData(list, rules, opts, ctx);
  if (rules.pending && data && list.length === 0) {
    // --fixture without --metric: the one metric in the data.
    const metric = inferMetric(data.metrics, opts.fixture);
    rules.rules = [ruleFromFlags(metric, rules.pending.opts, rules.pending.parts, problems)];
    problems.throwIfAny();
    list = rules.rules;
  }
  if (!data) return { outcome: outcomeOf(list.map((r) => errorResult(r, failure ?? 'no data'))) };
  /** With --metric all: every metric; with files, those the files hold (the others are noted). */
  const everyMetric = opts.config === undefined && opts.metric?.trim().toLowerCase() === 'all';
  if (everyMetric && opts.fixture?.length) list = heldRules(list, data, ctx);
  // Over several resources each rule is judged per resource.
  const perResource = checkRulesPerResource(list, data, baselineData ?? data);
  if (perResource.quiet > 0) {
    const n = perResource.quiet;
    ctx.note(
      `${n} resource and metric ${n === 1 ? 'pair has' : 'pairs have'} no traffic in the window and ${n === 1 ? 'was' : 'were'} not checked (--fail-on-no-data or --min-total checks them)`,
    );
  }
  return { outcome: outcomeOf(perResource.results), data };
}

/** The rules' data and their baselines', or why the data could not be obtained (a data error, as every rule's reason). */
async function fetchRuleData(
  list: readonly GateRule[],
  rules: RuleSet,
  opts: CheckOptions,
  ctx: Context,
): Promise<{ data?: SourceResult; baselineData?: SourceResult | undefined; failure?: string }> {
  try {
    const { data, baseline } = await fetchWindows(
      opts,
      ctx,
      list.map((r) => ruleQuery(r)),
      baselinesOf(list),
    );
    return { data, baselineData: baseline };
  } catch (err) {
    if (!(err instanceof CliError) || err.exitCode !== EXIT.DATA || (rules.pending && !rules.rules)) throw err;
    return { failure: err.problems.join('; ') };
  }
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
async function report(
  outcome: CheckOutcome,
  data: SourceResult | undefined,
  opts: CheckOptions,
  output: string,
  ctx: Context,
  exitCode = outcome.exitCode,
): Promise<number> {
  const notes = [...new Set(outcome.results.flatMap((r) => r.notes))];
  for (const note of notes) ctx.note(safeText(note));

  // Machine output (json, yaml) keeps stdout to the document.
  const json = output !== 'text';
  const doc = json ? renderCheckJson(outcome) : undefined;
  ctx.io.stdout.write(
    doc === undefined
      ? renderCheckText(outcome, ctx.out, outputWidth(ctx.io, parseWidth(opts.width)))
      : output === 'yaml'
        ? await (await import('../render/yaml.js')).jsonToYaml(doc)
        : doc,
  );

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

/**
 * `check --watch --for 15m --every 1m`: a rollout gate that waits. Each evaluation judges the window
 * that ends LAG_MS before now (floored to the minute: Azure Monitor's buckets fill a few minutes late,
 * so a bucket still filling is never judged) and is as long as the rule's --since (else --for).
 *
 * Exit: 1 as soon as an error-level rule fails; 0 once every rule has passed in every evaluation for
 * --for; 3 when a rule cannot be evaluated, or when the data stops arriving (the newest request is
 * more than max(10m, 2 x --every) older than the judged window's end); 130 on Ctrl-C, with the report
 * of the last evaluation. One line per evaluation on stderr; the final report is the usual one.
 */
import type { Command } from 'commander';
import { humanDuration, parseDuration } from '../core/duration.js';
import { type CheckOutcome, type GateRule, tally } from '../core/gate.js';
import { floorMinute } from '../core/grid.js';
import { formatTime } from '../core/time.js';
import { CliError, EXIT, type Problems } from '../errors.js';
import type { SourceResult } from '../sources/source.js';
import type { Context } from './context.js';
import { timerSleep } from './io.js';

/** How late Azure Monitor's platform metrics arrive, at most in practice. */
export const LAG_MS = 5 * 60_000;
const MIN_STALL_MS = 10 * 60_000;

export interface WatchOptions {
  watch?: boolean;
  for?: string;
  every?: string;
}

export interface WatchSpec {
  readonly forMs: number;
  readonly everyMs: number;
}

export function addWatchOptions(cmd: Command): Command {
  return cmd
    .option('--watch', 're-evaluate as new data arrives: exit 1 as soon as a rule fails, 0 once every rule passed for --for, 3 when data stops')
    .option('--for <duration>', 'with --watch: how long every rule must pass (default 15m)')
    .option('--every <duration>', 'with --watch: time between evaluations (default 1m)');
}

export function parseWatch(opts: WatchOptions, problems: Problems): WatchSpec | undefined {
  const duration = (flag: string, text: string | undefined, fallback: number): number => {
    if (text === undefined) return fallback;
    const ms = parseDuration(text);
    if (ms === undefined || ms < 1000) {
      problems.add(`invalid ${flag} "${text}": expected a duration such as 15m, 1h or 30s`);
      return fallback;
    }
    return ms;
  };
  if (!opts.watch) {
    for (const flag of ['for', 'every'] as const)
      if (opts[flag] !== undefined) problems.add(`--${flag} goes with --watch: add --watch, or leave --${flag} out`);
    return undefined;
  }
  return { forMs: duration('--for', opts.for, 15 * 60_000), everyMs: duration('--every', opts.every, 60_000) };
}

/** The newest bucket with requests in the data; undefined when there is none. */
export function newestRequest(data: SourceResult | undefined): number | undefined {
  let newest: number | undefined;
  for (const m of data?.metrics ?? []) {
    for (const s of m.series) {
      for (const p of s.points) if (((p.count ?? 0) > 0 || (p.total ?? 0) > 0) && (newest === undefined || p.timestamp > newest)) newest = p.timestamp;
    }
  }
  return newest;
}

type Evaluate = (rules: readonly GateRule[]) => Promise<{ outcome: CheckOutcome; data?: SourceResult }>;

export interface WatchResult {
  readonly outcome: CheckOutcome;
  readonly data?: SourceResult;
  readonly exitCode: number;
}

function summary(outcome: CheckOutcome): string {
  const t = tally(outcome.results);
  const parts = [
    t.pass && `${t.pass} passed`,
    t.fail && `${t.fail} failed`,
    t.warn && `${t.warn} warning${t.warn === 1 ? '' : 's'}`,
    t['no-data'] && `${t['no-data']} not enough data`,
    t.error && `${t.error} could not be evaluated`,
  ];
  return parts.filter(Boolean).join(', ');
}

export async function runWatch(rules: readonly GateRule[], spec: WatchSpec, evaluate: Evaluate, ctx: Context): Promise<WatchResult> {
  const sleep = ctx.io.sleep ?? timerSleep;
  const signal = ctx.io.signal;
  const stallMs = Math.max(MIN_STALL_MS, 2 * spec.everyMs);
  let last: { outcome: CheckOutcome; data?: SourceResult } | undefined;
  let passingSince: number | undefined;
  const line = (text: string): void => void ctx.io.stderr.write(`${ctx.err.dim('watch:')} ${text}\n`);
  const interrupted = (): WatchResult => {
    line('interrupted: the report of the last evaluation follows');
    if (!last) throw new CliError(EXIT.INTERRUPTED, 'interrupted before the first evaluation');
    return { ...last, exitCode: EXIT.INTERRUPTED };
  };
  for (let n = 1; ; n++) {
    const now = ctx.io.now().getTime();
    const end = floorMinute(now - LAG_MS);
    const list = rules.map((r) => ({ ...r, range: { sinceMs: r.range.sinceMs ?? spec.forMs, end } }));
    try {
      last = await evaluate(list);
    } catch (err) {
      if (err instanceof CliError && err.exitCode === EXIT.INTERRUPTED) return interrupted();
      throw err;
    }
    const { outcome } = last;
    const newest = newestRequest(last.data);
    const head = `#${n} ${formatTime(now)}: window to ${formatTime(end)}: ${summary(outcome)}`;
    if (outcome.results.some((r) => r.verdict === 'error')) {
      line(`${head}; stopping: a rule cannot be evaluated`);
      return { ...last, exitCode: EXIT.DATA };
    }
    if (outcome.results.some((r) => r.verdict === 'fail' && r.failsRun)) {
      line(`${head}; stopping: a rule failed`);
      return { ...last, exitCode: EXIT.GATE_FAILED };
    }
    if (newest === undefined || end - (newest + 60_000) > stallMs) {
      const since = newest === undefined ? 'no requests in the window' : `the newest requests are from ${formatTime(newest)}`;
      line(`${head}; stopping: the data stopped arriving (${since}, more than ${humanDuration(stallMs)} before ${formatTime(end)})`);
      return { ...last, exitCode: EXIT.DATA };
    }
    const allPass = outcome.results.every((r) => r.verdict === 'pass' || (r.verdict === 'warn' && !r.failsRun));
    if (allPass) passingSince ??= now;
    else passingSince = undefined;
    const passed = passingSince === undefined ? 0 : now - passingSince;
    if (passingSince !== undefined && passed >= spec.forMs) {
      line(`${head}; every rule passed for ${humanDuration(passed)}`);
      return { ...last, exitCode: EXIT.OK };
    }
    line(`${head}; ${passingSince === undefined ? 'waiting' : `passing for ${humanDuration(passed)} of ${humanDuration(spec.forMs)}`}`);
    if (signal?.aborted) return interrupted();
    await sleep(spec.everyMs, signal);
    if (signal?.aborted) return interrupted();
  }
}

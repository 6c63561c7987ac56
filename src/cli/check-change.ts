/** The options of `check` on change against a baseline: --baseline and the change thresholds. */
import type { Command } from 'commander';
import type { MetricDef } from '../catalog/types.js';
import { type ChangeRules, DEFAULT_CONFIDENCE } from '../core/baseline-gate.js';
import { isParsed, type Parsed, parseChangePercent, parseConfidence, parsePoints, parseTimes } from '../core/change-thresholds.js';
import type { BaselineSpec } from '../core/compare.js';
import type { Problems } from '../errors.js';
import { type BaselineOptions, parseBaseline } from './compare-options.js';
import { noErrorRateProblem } from './query-options.js';

export interface ChangeOptions extends BaselineOptions {
  baseline?: string;
  maxErrorRateIncrease?: string;
  maxErrorRateRatio?: string;
  maxTrafficDrop?: string;
  maxTrafficRise?: string;
  confidence?: string;
}

export function addChangeOptions(cmd: Command): Command {
  return cmd
    .option('--baseline <duration>', 'compare with the same window this long before (1d, 7d, P7D), for the change rules below')
    .option('--baseline-start <time>', 'or compare with this baseline window (with --baseline-end; as long as the current window)')
    .option('--baseline-end <time>', 'the end of the --baseline-start window')
    .option('--max-error-rate-increase <pp>', 'fail when the error rate rises by more than this many percentage points, e.g. 0.5pp, and significantly')
    .option('--max-error-rate-ratio <ratio>', "fail when the error rate is more than this many times the baseline's, e.g. 2x, and significantly")
    .option('--max-traffic-drop <percent>', 'fail when requests fall by more than this, e.g. 50%, and significantly')
    .option('--max-traffic-rise <percent>', 'fail when requests rise by more than this, e.g. 300%, and significantly')
    .option('--confidence <level>', `confidence of the significance tests (default ${DEFAULT_CONFIDENCE * 100}%), e.g. 99%`);
}

/** The change flags with their rules-file keys (not allowed with --config). */
export const CHANGE_FLAGS: readonly [keyof ChangeOptions, string, string][] = [
  ['maxErrorRateIncrease', '--max-error-rate-increase', 'maxErrorRateIncrease'],
  ['maxErrorRateRatio', '--max-error-rate-ratio', 'maxErrorRateRatio'],
  ['maxTrafficDrop', '--max-traffic-drop', 'maxTrafficDrop'],
  ['maxTrafficRise', '--max-traffic-rise', 'maxTrafficRise'],
];

export interface ParsedChange {
  readonly baseline?: BaselineSpec;
  readonly confidence?: number;
  readonly thresholds: Omit<ChangeRules, 'baseline' | 'confidence'>;
  readonly any: boolean;
}

function take(flag: string, text: string | undefined, parse: (t: string) => Parsed, problems: Problems): number | undefined {
  if (text === undefined) return undefined;
  const p = parse(text);
  if (isParsed(p)) return p.value;
  problems.add(`invalid ${flag} "${text}": ${p.error}`);
  return undefined;
}

/** Parses --baseline, --confidence and the thresholds; with `needPairs`, a threshold needs a baseline and the other way round. */
export function parseChangeFlags(opts: ChangeOptions, problems: Problems, needPairs: boolean): ParsedChange {
  const baseline = parseBaseline('--baseline', opts.baseline, opts, problems);
  const confidence = take('--confidence', opts.confidence, parseConfidence, problems);
  const thresholds = {
    ...opt('maxErrorRateIncrease', take('--max-error-rate-increase', opts.maxErrorRateIncrease, parsePoints, problems)),
    ...opt('maxErrorRateRatio', take('--max-error-rate-ratio', opts.maxErrorRateRatio, parseTimes, problems)),
    ...opt(
      'maxTrafficDrop',
      take('--max-traffic-drop', opts.maxTrafficDrop, (t) => parseChangePercent(t, 'drop'), problems),
    ),
    ...opt(
      'maxTrafficRise',
      take('--max-traffic-rise', opts.maxTrafficRise, (t) => parseChangePercent(t, 'rise'), problems),
    ),
  };
  const given = CHANGE_FLAGS.filter(([k]) => opts[k] !== undefined).map(([, flag]) => flag);
  const hasBaseline = opts.baseline !== undefined || opts.baselineStart !== undefined || opts.baselineEnd !== undefined;
  if (needPairs && given.length > 0 && !hasBaseline) {
    problems.add(`${given[0]} compares with a baseline: give --baseline 7d (or --baseline-start and --baseline-end)`);
  }
  if (needPairs && hasBaseline && given.length === 0) {
    problems.add('--baseline needs a rule on change: give --max-error-rate-increase, --max-error-rate-ratio, --max-traffic-drop or --max-traffic-rise');
  }
  if (needPairs && opts.confidence !== undefined && !hasBaseline) problems.add('--confidence applies to the change rules: give --baseline too');
  return { ...(baseline ? { baseline } : {}), ...(confidence !== undefined ? { confidence } : {}), thresholds, any: given.length > 0 };
}

const opt = <K extends string>(key: K, v: number | undefined): { [P in K]?: number } => (v === undefined ? {} : ({ [key]: v } as { [P in K]?: number }));

/** The change rules of a flag-defined rule; problems for error-rate changes on a metric without error rate. */
export function changeRulesFor(metric: MetricDef, parsed: ParsedChange, problems: Problems): ChangeRules | undefined {
  if (!parsed.baseline || !parsed.any) return undefined;
  for (const [key, flag] of [
    ['maxErrorRateIncrease', '--max-error-rate-increase'],
    ['maxErrorRateRatio', '--max-error-rate-ratio'],
  ] as const) {
    const p = parsed.thresholds[key] !== undefined ? noErrorRateProblem(metric, flag) : undefined;
    if (p) problems.add(p.replace('--min-total or --max-total', '--max-traffic-drop or --max-traffic-rise'));
  }
  return { baseline: parsed.baseline, confidence: parsed.confidence ?? DEFAULT_CONFIDENCE, ...parsed.thresholds };
}

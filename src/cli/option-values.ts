/**
 * The values an option (or an argument) takes, attached to its commander definition where the command
 * defines it, so that shell completion reads them from the same tree as --help and cannot fall behind
 * (completion.ts). A list, or a function of the words typed before (the operations of the metric
 * given with -m).
 */
import type { Argument, Command, Option } from 'commander';
import { AGGREGATIONS } from '../catalog/aggregations.js';
import { METRICS } from '../catalog/metrics.js';
import { resolveMetric } from '../catalog/resolve.js';
import type { MetricDef } from '../catalog/types.js';

export type Values = readonly string[] | ((before: readonly string[]) => readonly string[]);

const VALUES = new WeakMap<Option | Argument, Values>();

/** Attaches values to the option `flag` (its long or short name) of `cmd`; returns cmd for chaining. */
export function offer(cmd: Command, flag: string, values: Values): Command {
  const option = cmd.options.find((o) => o.long === flag || o.short === flag);
  if (option === undefined) throw new Error(`${cmd.name()} has no option ${flag}`);
  VALUES.set(option, values);
  return cmd;
}

/** Attaches values to the command's argument at `index`. */
export function offerArgument(cmd: Command, index: number, values: Values): Command {
  const argument = cmd.registeredArguments[index];
  if (argument === undefined) throw new Error(`${cmd.name()} has no argument ${index}`);
  VALUES.set(argument, values);
  return cmd;
}

/** The values attached to an option or argument, for the words typed before it. */
export function valuesOf(target: Option | Argument, before: readonly string[]): readonly string[] | undefined {
  const v = VALUES.get(target);
  return typeof v === 'function' ? v(before) : v;
}

/** The metric the words name with -m/--metric/--metrics (one metric), if any. */
function metricIn(before: readonly string[]): MetricDef | undefined {
  const at = before.findIndex((w) => w === '-m' || w === '--metric' || w === '--metrics');
  const name = at >= 0 ? before[at + 1] : undefined;
  if (name === undefined) return undefined;
  try {
    return resolveMetric(name);
  } catch {
    return undefined;
  }
}

export const METRIC_ALIASES: readonly string[] = METRICS.map((m) => m.alias);
export const AGGREGATION_NAMES: readonly string[] = AGGREGATIONS.map((a) => a.label);
export const STATUS_CLASSES: readonly string[] = ['2xx', '4xx', '5xx'];

/** The operations of the metric given with -m, else of every metric. */
export const operationsOfMetric = (before: readonly string[]): string[] => {
  const metric = metricIn(before);
  return [...new Set((metric ? [metric] : METRICS).flatMap((m) => m.operations.map((o) => o.name)))];
};

/** The dimensions of the metric given with -m (else of the first), and none. */
export const dimensionsOfMetric = (before: readonly string[]): string[] => [...(metricIn(before) ?? METRICS[0]!).dimensions.map((d) => d.name), 'none'];

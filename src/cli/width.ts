/**
 * The width output is fitted to: --width when given, else the terminal's columns when stdout is a
 * terminal, else COLUMNS from the environment (a pipe in a shell that exports it), else no limit.
 */
import { UsageError } from '../errors.js';
import type { Io } from './io.js';

export const MIN_WIDTH = 20;
export const MAX_WIDTH = 1000;

/** --width as a number of columns (MIN_WIDTH..MAX_WIDTH), or undefined when not given. */
export function parseWidth(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n < MIN_WIDTH || n > MAX_WIDTH) {
    throw new UsageError(`invalid --width "${text}": expected a whole number of columns from ${MIN_WIDTH} to ${MAX_WIDTH}`);
  }
  return n;
}

export function outputWidth(io: Io, flag: number | undefined): number | undefined {
  if (flag !== undefined) return flag;
  if (io.stdout.isTTY && io.stdout.columns !== undefined && io.stdout.columns > 0) return Math.max(io.stdout.columns, MIN_WIDTH);
  const env = Number(io.env.COLUMNS);
  if (Number.isInteger(env) && env > 0) return Math.min(Math.max(env, MIN_WIDTH), MAX_WIDTH);
  return undefined;
}

/** The help of --width for a command that prints one table. */
export const TABLE_WIDTH_HELP = `fit the table to this many columns, ${MIN_WIDTH} to ${MAX_WIDTH} (default: the terminal's width; COLUMNS when piped)`;

/** Chart sizes a terminal can show; beyond them drawing takes minutes and gigabytes. */
export const CHART_WIDTH = { min: 20, max: 1000, default: 100 } as const;

/** A chart's width: --width, else the terminal's up to the limit (a narrow one is left to the renderer). */
export const chartWidth = (io: Io, width: number | undefined): number =>
  outputWidth(io, width) ?? Math.min(io.stdout.columns ?? CHART_WIDTH.default, CHART_WIDTH.max);
export const CHART_HEIGHT = { min: 2, max: 200, default: 12 } as const;

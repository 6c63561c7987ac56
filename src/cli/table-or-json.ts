/**
 * `-o table|json` for the commands whose only formats are a table and JSON (catalog, definitions),
 * as every other command spells it; their older `--json` stays the same as `-o json`.
 */
import type { Command } from 'commander';
import { UsageError } from '../errors.js';
import { offer } from './option-values.js';

const FORMATS = ['table', 'json'] as const;

export interface TableOrJsonOptions {
  json?: boolean;
  output?: string;
}

/** Adds -o/--output (table or json) beside an existing --json. */
export function addTableOrJson(cmd: Command): Command {
  cmd.option('-o, --output <format>', 'table (default) or json; --json is the same as -o json');
  return offer(cmd, '--output', FORMATS);
}

/** Whether JSON was asked for; an unknown format is a usage error (exit 2). */
export function wantsJson(opts: TableOrJsonOptions): boolean {
  if (opts.output === undefined) return opts.json === true;
  const format = opts.output.trim().toLowerCase();
  if (!(FORMATS as readonly string[]).includes(format)) throw new UsageError(`invalid --output "${opts.output}": expected one of ${FORMATS.join(', ')}`);
  if (opts.json === true && format !== 'json') throw new UsageError(`--json and --output ${format} disagree: give one of them`);
  return format === 'json' || opts.json === true;
}

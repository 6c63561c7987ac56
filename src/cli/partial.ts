/**
 * Partial results (issue 18): a run that printed its data, but where some resource or metric could not
 * be fetched, exits 4 after the data (query, status, usage, export, resources); --allow-partial turns
 * that 4 into 0. A run where every resource failed is exit 3 (a DataError, raised where it is found).
 */
import type { Command } from 'commander';
import { EXIT } from '../errors.js';
import type { Context } from './context.js';

export interface PartialOptions {
  allowPartial?: boolean;
}

/** The exit codes line of the --help of a command that can print partial results. */
export const PARTIAL_EXIT_HELP = `Exit codes: 0 done, 2 usage error, 3 no data could be fetched (or read), 4 partial: the data
was printed but some resources or metrics failed (each named on stderr; --allow-partial makes it 0),
130 interrupted.`;

export function addPartialOption(cmd: Command): Command {
  return cmd.option('--allow-partial', 'exit 0 instead of 4 when some resources or metrics could not be fetched (they are still named on stderr)');
}

/** What failed, when anything did: how many of how many (resources, files). */
export interface Shortfall {
  readonly failed: number;
  readonly of: number;
  /** "resources" (default), "files". */
  readonly unit?: string;
}

/** The exit code of a run that printed its data, after one note on stderr saying it is partial. */
export function partialExit(ctx: Context, opts: PartialOptions, shortfall: Shortfall | undefined): number {
  if (shortfall === undefined || shortfall.failed === 0) return EXIT.OK;
  const unit = shortfall.unit ?? (shortfall.of === 1 ? 'resource' : 'resources');
  ctx.note(
    `the results are partial: ${shortfall.failed} of ${shortfall.of} ${unit} failed (named above)${opts.allowPartial ? '; --allow-partial: exit 0' : '; exit 4 (--allow-partial: 0)'}`,
  );
  return opts.allowPartial ? EXIT.OK : EXIT.PARTIAL;
}

import type { ChalkInstance } from 'chalk';
import { makeChalk } from './color.js';
import type { Io } from './io.js';

/** What every command action gets: the io, colour for each stream, and stderr helpers. */
export interface Context {
  readonly io: Io;
  /** Colour for stdout (identity functions when colour is off). */
  readonly out: ChalkInstance;
  /** Colour for stderr. */
  readonly err: ChalkInstance;
  readonly debug: boolean;
  /** A note on stderr ("3 series left out by --top"). */
  readonly note: (message: string) => void;
  /** A warning on stderr. */
  readonly warn: (message: string) => void;
  /** With --debug only: a line on stderr. */
  readonly trace: (message: string) => void;
}

export interface GlobalOptions {
  readonly color?: boolean;
  readonly debug?: boolean;
}

export function makeContext(io: Io, opts: GlobalOptions): Context {
  const err = makeChalk(io.stderr, io.env, opts.color);
  const debug = opts.debug === true;
  return {
    io,
    out: makeChalk(io.stdout, io.env, opts.color),
    err,
    debug,
    note: (m) => void io.stderr.write(`${err.dim('note:')} ${m}\n`),
    warn: (m) => void io.stderr.write(`${err.yellow('warning:')} ${m}\n`),
    trace: (m) => {
      if (debug) io.stderr.write(`${err.dim('debug:')} ${m}\n`);
    },
  };
}

/**
 * A context whose notes and warnings can be held back while a read runs (`hushed`): for a source that
 * reads again what it has read once (status, see status-live.ts), whose notes were said the first time.
 * Traces (--debug) are kept.
 */
export function hushable(ctx: Context): { ctx: Context; hushed: <T>(read: () => Promise<T>) => Promise<T> } {
  let quiet = false;
  return {
    ctx: {
      ...ctx,
      note: (m) => {
        if (!quiet) ctx.note(m);
      },
      warn: (m) => {
        if (!quiet) ctx.warn(m);
      },
    },
    hushed: async (read) => {
      quiet = true;
      try {
        return await read();
      } finally {
        quiet = false;
      }
    },
  };
}

/** How a command module plugs into the command line (cli/main.ts loads it and calls its Register). */
import type { Command } from 'commander';
import type { Context, GlobalOptions } from './context.js';

/** What a command module registers: its handler gets positional args, options and the context. */
export type Handler<O> = (args: string[], opts: O & GlobalOptions, ctx: Context) => Promise<number>;

export type Register = (program: Command, action: <O>(handler: Handler<O>) => (...a: unknown[]) => Promise<void>) => void;

/**
 * The command line: commander wiring. main(argv, io) runs one command and returns its exit code; it
 * never exits the process (entry.ts does) so that tests can call it directly.
 */
import { type Command, CommanderError } from 'commander';
import { CliError, EXIT } from '../errors.js';
import { safeText } from '../render/safe.js';
import { makeChalk } from './color.js';
import { type GlobalOptions, makeContext } from './context.js';
import type { Io } from './io.js';
import { COMMAND_LOADERS } from './commands.js';
import type { Handler, Register } from './register.js';
import { newProgram } from './program.js';

/** Every command: the loaders, and completion, which lists them. */
const COMMANDS: readonly (readonly [name: string, load: () => Promise<Register>])[] = [
  ...COMMAND_LOADERS,
  ['completion', async () => (await import('./completion.js')).registerCompletion],
];
/** The hidden command completion scripts call: registered only when it is the command run. */
const COMPLETE: readonly [string, () => Promise<Register>] = ['__complete', COMMANDS[COMMANDS.length - 1]![1]];

/** The commands argv needs: the one it names (global options take no value), or all of them. */
function commandsFor(argv: readonly string[]): typeof COMMANDS {
  const at = argv.findIndex((a) => !a.startsWith('-'));
  if (argv[at] === COMPLETE[0]) return [COMPLETE];
  const named = COMMANDS.filter(([name]) => name === argv[at]);
  const dashDash = argv.indexOf('--');
  return named.length === 1 && (dashDash === -1 || dashDash > at) ? named : COMMANDS;
}

export async function main(argv: readonly string[], io: Io): Promise<number> {
  let exitCode: number = EXIT.OK;
  const program = newProgram(io);

  const action =
    <O>(handler: Handler<O>) =>
    async (...a: unknown[]): Promise<void> => {
      const command = a[a.length - 1] as Command;
      const opts = command.optsWithGlobals<O & GlobalOptions>();
      exitCode = await handler(command.args, opts, makeContext(io, opts));
    };

  try {
    const registers = await Promise.all(commandsFor(argv).map(([, load]) => load()));
    for (const register of registers) register(program, action);
    await program.parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (err) {
    return reportError(err, io, argv);
  }
}

/** Prints an error the way a user should see it and returns the exit code. */
export function reportError(err: unknown, io: Io, argv: readonly string[]): number {
  const debug = argv.includes('--debug');
  const color = makeChalk(io.stderr, io.env, argv.includes('--no-color') ? false : undefined);
  if (err instanceof CommanderError) {
    if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version') return EXIT.OK;
    // commander has already printed its one-line message (with its own "did you mean").
    return EXIT.USAGE;
  }
  if (err instanceof CliError) {
    for (const problem of err.problems) io.stderr.write(`${color.red('error:')} ${safeText(problem)}\n`);
    if (debug && err.stack) io.stderr.write(`${err.stack}\n`);
    return err.exitCode;
  }
  const e = err instanceof Error ? err : new Error(String(err));
  io.stderr.write(`${color.red('internal error:')} ${safeText(e.message)}\n`);
  io.stderr.write(`${e.stack ?? ''}\nThis is a bug in acs-metrics; please report it with the command you ran.\n`);
  return EXIT.INTERNAL;
}

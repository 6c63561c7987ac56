/** The root command and its global options: what main runs and what completion reads (the same --help). */
import { Command } from 'commander';

// main.ts takes CommanderError from here: the build inlines commander into each module that imports
// it (scripts/inline-deps.mjs), and two copies would make `instanceof CommanderError` fail.
export { CommanderError } from 'commander';
import { version } from '../version.js';
import type { Io } from './io.js';

/** The page of the manual (docs/, shipped in the package) that covers a command. */
export function manualPage(command: Command): string {
  return command.parent === null ? 'docs/README.md' : `docs/${command.name()}.md`;
}

/** The line that ends every --help: where the command's manual page is. */
export function manualLine(command: Command): string {
  return `Manual: ${manualPage(command)} (in the acs-metrics package and repository)`;
}

/** The program before any command is registered; with an Io, its output and errors go there. */
export function newProgram(io?: Io): Command {
  const program = new Command('acs-metrics');
  program
    .description('Query, chart and gate Azure Communication Services request metrics (Azure Monitor or fixture files).')
    .version(version(), '-V, --version', 'print the version')
    .option('--no-color', 'never colour the output (also NO_COLOR=1)')
    .option('--debug', 'log requests and show stack traces on stderr')
    .helpOption('-h, --help', 'show help')
    .addHelpCommand(false)
    .exitOverride()
    .showSuggestionAfterError(true)
    .addHelpText('after', '\nRun "acs-metrics <command> --help" for a command\'s options and examples.')
    // Every help ends with its page of the manual: docs/<command>.md, docs/README.md for the root.
    .addHelpText('afterAll', ({ command }) => `\n${manualLine(command)}`);
  if (io !== undefined) {
    program.configureOutput({
      writeOut: (s) => void io.stdout.write(s),
      writeErr: (s) => void io.stderr.write(s),
      outputError: (s, write) => write(s.startsWith('error:') ? s : `error: ${s}`),
    });
  }
  return program;
}

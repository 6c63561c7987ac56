/** The root command and its global options: what main runs and what completion reads (the same --help). */
import { Command } from 'commander';
import { version } from '../version.js';
import type { Io } from './io.js';

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
    .addHelpText('after', '\nRun "acs-metrics <command> --help" for a command\'s options and examples.');
  if (io !== undefined) {
    program.configureOutput({
      writeOut: (s) => void io.stdout.write(s),
      writeErr: (s) => void io.stderr.write(s),
      outputError: (s, write) => write(s.startsWith('error:') ? s : `error: ${s}`),
    });
  }
  return program;
}

/**
 * The process entry point (run by entry.ts, or by a command's bundle, dist/run-<command>.cjs): the
 * only module that touches process exit status and signals.
 */
import { EXIT } from '../errors.js';
import type { Io, OutStream } from './io.js';
import { stdStream } from './std-stream.js';

/**
 * stdout: a closed pipe (`| head`) is not an error: stop quietly with the exit code so far. Any other
 * write failure (a full disk, a terminal gone) is one line on stderr and exit 3, not an uncaught
 * error with a stack trace.
 */
function onStdoutError(err: NodeJS.ErrnoException): void {
  if (err.code === 'EPIPE') process.exit(process.exitCode ?? EXIT.OK);
  const why = err.code === 'ENOSPC' ? 'no space left on device' : err.code === 'EIO' ? 'input/output error' : (err.code ?? err.message);
  stderr().write(`error: cannot write to stdout: ${why}\n`);
  process.exit(EXIT.DATA);
}

/**
 * stderr: notes and messages that cannot be shown are dropped; the command goes on, so that its
 * output and exit code are not cut short (`2>&1 | head` ends through stdout).
 */
function onStderrError(): void {}

let outStream: OutStream | undefined;
let errStream: OutStream | undefined;
const stdout = (): OutStream => (outStream ??= stdStream(1, () => process.stdout, onStdoutError));
const stderr = (): OutStream => (errStream ??= stdStream(2, () => process.stderr, onStderrError));

/** Runs the command line of this process and sets its exit code. */
export async function start(): Promise<void> {
  const argv = process.argv.slice(2);
  // Fast path: `--version` needs neither commander nor any command module.
  if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) {
    const { version } = await import('../version.js');
    stdout().write(`${version()}\n`);
  } else {
    const controller = new AbortController();
    process.once('SIGINT', () => {
      controller.abort();
      process.exitCode = EXIT.INTERRUPTED;
      // A second Ctrl-C, or work that does not stop, ends the process at once.
      process.once('SIGINT', () => process.exit(EXIT.INTERRUPTED));
      setTimeout(() => process.exit(EXIT.INTERRUPTED), 2000).unref();
    });
    const io: Io = {
      stdout: stdout(),
      stderr: stderr(),
      // process.stdin builds a stream (a socket for a pipe) when first read: only for `--fixture -`.
      get stdin() {
        return process.stdin;
      },
      env: process.env,
      cwd: process.cwd(),
      now: () => new Date(),
      signal: controller.signal,
    };
    const { main } = await import('./main.js');
    const code = await main(argv, io);
    process.exitCode = controller.signal.aborted ? EXIT.INTERRUPTED : code;
  }
}

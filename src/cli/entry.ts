/** The process entry point: the only module that touches process exit status and signals. */
import { EXIT } from '../errors.js';
import type { Io } from './io.js';

const argv = process.argv.slice(2);

// Fast path: `--version` needs neither commander nor any command module.
if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) {
  const { version } = await import('../version.js');
  process.stdout.write(`${version()}\n`);
} else {
  // A closed pipe (`| head`) is not an error: stop quietly.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EPIPE') process.exit(process.exitCode ?? EXIT.OK);
      throw err;
    });
  }
  const controller = new AbortController();
  process.once('SIGINT', () => {
    controller.abort();
    process.exitCode = EXIT.INTERRUPTED;
    // A second Ctrl-C, or work that does not stop, ends the process at once.
    process.once('SIGINT', () => process.exit(EXIT.INTERRUPTED));
    setTimeout(() => process.exit(EXIT.INTERRUPTED), 2000).unref();
  });
  const io: Io = {
    stdout: process.stdout,
    stderr: process.stderr,
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

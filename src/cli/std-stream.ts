/**
 * stdout and stderr for the Io: written with fs.writeSync when the descriptor is a file, a pipe, a
 * socket or the null device, and through process.stdout / process.stderr otherwise (a terminal, or
 * anything fstat cannot tell). Node's stream objects load some 25 modules of its own (streams, net,
 * a pipe or TTY wrapper) the first time either is touched: about 160 page faults and 3 ms of every
 * run's start-up, for output that a synchronous write gives as well (Node writes files and pipes
 * synchronously on Linux and macOS too). A write that would block on a non-blocking descriptor
 * (EAGAIN) hands that write and the rest to Node's stream, which waits for the reader.
 *
 * A failed write (EPIPE when `| head` has gone, ENOSPC, ...) goes to `onError` on the next tick, as
 * the stream's 'error' event would; later writes are dropped, as a destroyed stream's are.
 */
import { fstatSync, statSync, writeSync } from 'node:fs';
import type { OutStream } from './io.js';

interface StdStream extends OutStream {
  readonly destroyed: boolean;
  once?(event: 'drain' | 'close' | 'error', listener: () => void): unknown;
  removeListener?(event: 'drain' | 'close' | 'error', listener: () => void): unknown;
}

/** Whether fd can be written with writeSync: a file, pipe or socket, or the null device (never a terminal). */
function direct(fd: number): boolean {
  if (process.platform === 'win32') return false;
  try {
    const st = fstatSync(fd);
    if (st.isFile() || st.isFIFO() || st.isSocket()) return true;
    return st.isCharacterDevice() && st.rdev === statSync('/dev/null').rdev;
  } catch {
    return false;
  }
}

/** The Io stream of descriptor fd (1, 2); `real` gives process.stdout or process.stderr (made only when needed), which gets onError as its 'error' listener. */
export function stdStream(fd: number, real: () => NodeJS.WriteStream, onError: (err: NodeJS.ErrnoException) => void): StdStream {
  let stream: NodeJS.WriteStream | undefined;
  let failed = false;
  const toReal = (): NodeJS.WriteStream => {
    if (stream === undefined) {
      stream = real();
      stream.on('error', onError);
    }
    return stream;
  };
  let own = direct(fd);
  const out: StdStream = {
    get destroyed(): boolean {
      return failed || (stream?.destroyed ?? false);
    },
    get isTTY(): boolean {
      return own ? false : toReal().isTTY === true;
    },
    get columns(): number | undefined {
      return own ? undefined : toReal().columns;
    },
    get rows(): number | undefined {
      return own ? undefined : toReal().rows;
    },
    write(chunk: string): boolean {
      if (failed) return true;
      if (!own) return toReal().write(chunk);
      const bytes = Buffer.from(chunk, 'utf8');
      let at = 0;
      try {
        while (at < bytes.length) at += writeSync(fd, bytes, at, bytes.length - at);
        return true;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EAGAIN') {
          failed = true;
          process.nextTick(onError, err);
          return true;
        }
        own = false;
        return toReal().write(bytes.subarray(at));
      }
    },
    once: (event, listener) => (own ? undefined : toReal().once(event, listener)),
    removeListener: (event, listener) => (own ? undefined : toReal().removeListener(event, listener)),
  };
  if (!own) toReal();
  return out;
}

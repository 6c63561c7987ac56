/**
 * Streamed output: pieces written as a renderer yields them, waiting for 'drain' when the stream's
 * buffer is full (a slow pipe), and stopping when the stream is gone (`| head` closed it: the
 * entry point's error handler ends the run quietly).
 */
import type { OutStream } from './io.js';

interface DrainStream extends OutStream {
  readonly destroyed?: boolean;
  once?(event: 'drain' | 'close' | 'error', listener: () => void): unknown;
  removeListener?(event: 'drain' | 'close' | 'error', listener: () => void): unknown;
}

export async function writeChunks(out: DrainStream, chunks: Iterable<string>): Promise<void> {
  for (const chunk of chunks) {
    if (out.destroyed === true) return;
    if (chunk === '') continue;
    if (out.write(chunk) === false && out.once && out.removeListener) await drained(out);
  }
}

/** Resolves on 'drain', or when the stream closes or fails (nothing more will drain). */
function drained(out: DrainStream): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      for (const event of ['drain', 'close', 'error'] as const) out.removeListener!(event, done);
      resolve();
    };
    for (const event of ['drain', 'close', 'error'] as const) out.once!(event, done);
  });
}

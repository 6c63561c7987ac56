/** A captured Io for running main(argv, io) in tests. */
import { Readable } from 'node:stream';
import type { Io } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';

export interface Captured {
  code: number;
  stdout: string;
  stderr: string;
}

export interface TestIoOptions {
  env?: Record<string, string | undefined>;
  stdin?: string;
  isTTY?: boolean;
  columns?: number;
  now?: Date;
  cwd?: string;
  signal?: AbortSignal;
  /** Io.sleep: the waits of retries and of --watch (e.g. scaled down); default a timer. */
  sleep?: Io['sleep'];
}

export function testIo(opts: TestIoOptions = {}): { io: Io; out: () => string; err: () => string } {
  let out = '';
  let err = '';
  const io: Io = {
    stdout: { write: (s: string) => ((out += s), true), isTTY: opts.isTTY ?? false, columns: opts.columns ?? 100 },
    stderr: { write: (s: string) => ((err += s), true), isTTY: opts.isTTY ?? false },
    stdin: Readable.from(opts.stdin !== undefined ? [opts.stdin] : []),
    env: opts.env ?? {},
    cwd: opts.cwd ?? process.cwd(),
    now: () => opts.now ?? new Date('2026-01-08T00:00:37.250Z'),
    signal: opts.signal,
    ...(opts.sleep ? { sleep: opts.sleep } : {}),
  };
  return { io, out: () => out, err: () => err };
}

/** Runs the CLI in-process and captures its exit code and both streams. */
export async function run(argv: string[], opts: TestIoOptions = {}): Promise<Captured> {
  const t = testIo(opts);
  const code = await main(argv, t.io);
  return { code, stdout: t.out(), stderr: t.err() };
}

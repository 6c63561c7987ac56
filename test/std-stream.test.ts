/**
 * cli/std-stream.ts: stdout and stderr written with fs.writeSync to files, pipes and the null device
 * (every byte, in order), Node's stream for the rest of a write that would block, a failed write
 * reported on the next tick with later writes dropped; and the built binary never making Node's
 * stdout or stderr stream when its output goes to a file or pipe (what the start-up saving is).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { closeSync, constants, existsSync, mkdtempSync, openSync, readFileSync, readSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { stdStream } from '../src/cli/std-stream.js';

const ROOT = resolve(import.meta.dirname, '..');
const SAMPLE = join(ROOT, 'fixtures', 'sample-week.json');
const dirs: string[] = [];
const fds: number[] = [];
const tempDir = (): string => {
  const d = mkdtempSync(join(tmpdir(), 'acs-std-'));
  dirs.push(d);
  return d;
};
const open = (path: string, flags: number): number => {
  const fd = openSync(path, flags);
  fds.push(fd);
  return fd;
};

afterEach(() => {
  for (const fd of fds.splice(0)) closeSync(fd);
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A stand-in for process.stdout that records what it is given. */
function fakeStream(): NodeJS.WriteStream & { written: Buffer[] } {
  const written: Buffer[] = [];
  return {
    written,
    isTTY: true,
    columns: 99,
    on: () => undefined,
    once: () => undefined,
    removeListener: () => undefined,
    write: (chunk: string | Buffer) => written.push(Buffer.from(chunk)) > 0,
  } as unknown as NodeJS.WriteStream & { written: Buffer[] };
}

describe.runIf(process.platform !== 'win32')('stdStream', () => {
  it('writes a file with writeSync: every byte in order, not a terminal, Node stream never made', () => {
    const path = join(tempDir(), 'out');
    const fd = open(path, constants.O_WRONLY | constants.O_CREAT);
    let made = 0;
    const out = stdStream(
      fd,
      () => (made++, fakeStream()),
      () => undefined,
    );
    const pieces = ['Operation,Count\n', 'SendChatMessage,12\n', 'é ü 漢字 😀\n', 'x'.repeat(200_000)];
    for (const p of pieces) expect(out.write(p)).toBe(true);
    expect(out.isTTY).toBe(false);
    expect(out.columns).toBeUndefined();
    expect(out.destroyed).toBe(false);
    expect(made).toBe(0);
    expect(readFileSync(path, 'utf8')).toBe(pieces.join(''));
  });

  it('writes the null device itself, and anything else (here a terminal stand-in) through the stream', () => {
    const fd = open('/dev/null', constants.O_WRONLY);
    let made = 0;
    expect(
      stdStream(
        fd,
        () => (made++, fakeStream()),
        () => undefined,
      ).write('gone\n'),
    ).toBe(true);
    expect(made).toBe(0);
    if (!existsSync('/dev/zero')) return;
    const fake = fakeStream();
    const other = stdStream(
      open('/dev/zero', constants.O_WRONLY),
      () => fake,
      () => undefined,
    );
    expect(other.isTTY).toBe(true);
    expect(other.columns).toBe(99);
    other.write('to the stream\n');
    expect(Buffer.concat(fake.written).toString()).toBe('to the stream\n');
  });

  it('a pipe whose reader is gone: EPIPE reported on the next tick, later writes dropped', async () => {
    const fifo = join(tempDir(), 'fifo');
    execFileSync('mkfifo', [fifo]);
    const reader = openSync(fifo, constants.O_RDONLY | constants.O_NONBLOCK);
    const fd = open(fifo, constants.O_WRONLY);
    closeSync(reader);
    const errors: string[] = [];
    const out = stdStream(
      fd,
      () => fakeStream(),
      (err) => errors.push(String(err.code)),
    );
    expect(out.write('first\n')).toBe(true);
    expect(errors).toEqual([]); // not from inside write()
    await new Promise((r) => process.nextTick(r));
    expect(errors).toEqual(['EPIPE']);
    expect(out.destroyed).toBe(true);
    out.write('second\n');
    await new Promise((r) => setTimeout(r, 10));
    expect(errors).toEqual(['EPIPE']);
  });

  it('a full non-blocking pipe (EAGAIN): what did not fit goes to the stream, nothing lost or repeated', () => {
    const fifo = join(tempDir(), 'fifo');
    execFileSync('mkfifo', [fifo]);
    const reader = open(fifo, constants.O_RDONLY | constants.O_NONBLOCK);
    const fd = open(fifo, constants.O_WRONLY | constants.O_NONBLOCK);
    const fake = fakeStream();
    const out = stdStream(
      fd,
      () => fake,
      () => undefined,
    );
    // Far more than a pipe holds (64 KiB on Linux), of distinct lines, so that an order or a repeat shows.
    const text = Array.from({ length: 40_000 }, (_, i) => `line ${i}\n`).join('');
    out.write(text);
    out.write('after\n');
    const inPipe = Buffer.alloc(1 << 20);
    let n = 0;
    try {
      for (;;) {
        const got = readSync(reader, inPipe, n, inPipe.length - n, null);
        if (got <= 0) break;
        n += got;
      }
    } catch {
      // EAGAIN: the pipe is empty
    }
    expect(n).toBeGreaterThan(0);
    expect(fake.written.length).toBeGreaterThan(0);
    expect(inPipe.subarray(0, n).toString() + Buffer.concat(fake.written).toString()).toBe(`${text}after\n`);
  });
});

describe.runIf(process.platform !== 'win32')('the built binary', () => {
  beforeAll(() => {
    if (!existsSync(join(ROOT, 'dist', 'run-query.cjs'))) {
      const b = spawnSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'ignore' });
      if (b.status !== 0) throw new Error('npm run build failed');
    }
  });

  it('writes to a file and a pipe without making process.stdout or process.stderr', () => {
    const dir = tempDir();
    // A preload that reports (on fd 2, by writeSync) any read of process.stdout or process.stderr.
    const watch = join(dir, 'watch.cjs');
    writeFileSync(
      watch,
      `const fs = require('node:fs');
for (const name of ['stdout', 'stderr']) {
  const d = Object.getOwnPropertyDescriptor(process, name);
  Object.defineProperty(process, name, { configurable: true, get() { fs.writeSync(2, 'touched ' + name + '\\n'); Object.defineProperty(process, name, d); return process[name]; } });
}`,
    );
    const out = join(dir, 'out.txt');
    for (const args of [['--version'], ['catalog'], ['query', '--fixture', SAMPLE, '-m', 'chat', '--since', '24h']]) {
      const fd = openSync(out, 'w');
      try {
        const r = spawnSync(process.execPath, ['-r', watch, join(ROOT, 'bin', 'acs-metrics.js'), ...args], {
          cwd: ROOT,
          encoding: 'utf8',
          stdio: ['ignore', fd, 'pipe'],
          env: { ...process.env, NO_COLOR: '1' },
        });
        expect(r.status).toBe(0);
        expect(r.stderr).not.toContain('touched');
      } finally {
        closeSync(fd);
      }
      expect(readFileSync(out, 'utf8').length).toBeGreaterThan(0);
    }
  });
});

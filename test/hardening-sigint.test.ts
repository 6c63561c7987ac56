/**
 * Ctrl-C (SIGINT to the built binary) ends a run promptly: exit 130, "error: interrupted", well within
 * 2 s of the signal, nothing on stdout, and no --save file nor its temp file. While a live request
 * waits on a slow Azure Monitor (the emulator), and while a fixture read waits for input on stdin or
 * on a named pipe, with or without a writer (a read in libuv's thread pool could not be cancelled:
 * the process could not even exit).
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Harness, openHarness, RESOURCE, testDataset, TOKEN } from './emulator/harness.js';

const ROOT = resolve(import.meta.dirname, '..');
const BIN = join(ROOT, 'bin', 'acs-metrics.js');
/** How long after SIGINT the process may take to end (it takes some 20 ms; CI machines are slow). */
const PROMPT_MS = 1500;

interface Interrupted {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** Milliseconds from the SIGINT to the end of the process. */
  afterSignalMs: number;
}

/**
 * Spawns the binary, waits until `ready()` says it is waiting (or for `readyMs`), sends SIGINT and
 * measures how long it takes to end. A guard kills it after 10 s.
 */
function interrupt(
  args: string[],
  opts: { env: Record<string, string>; cwd: string; ready?: () => boolean; readyMs?: number; stdin?: 'pipe' | 'ignore' },
): Promise<Interrupted> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: opts.cwd, env: opts.env, stdio: [opts.stdin ?? 'ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let signalledAt = 0;
    child.stdout!.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    if (opts.stdin === 'pipe') child.stdin!.write('{"value": [');
    const started = Date.now();
    const poll = setInterval(() => {
      if ((opts.ready?.() ?? false) || Date.now() - started > (opts.readyMs ?? 8000)) {
        clearInterval(poll);
        signalledAt = Date.now();
        child.kill('SIGINT');
      }
    }, 20);
    const guard = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.on('error', fail);
    child.on('close', (code, signal) => {
      clearInterval(poll);
      clearTimeout(guard);
      done({ code, signal, stdout, stderr, afterSignalMs: signalledAt ? Date.now() - signalledAt : -1 });
    });
  });
}

let dir: string;
beforeAll(() => {
  if (!existsSync(join(ROOT, 'dist', 'cli', 'entry.js'))) execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'ignore' });
  dir = mkdtempSync(join(tmpdir(), 'acs-sigint-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const baseEnv = (): Record<string, string> => ({ PATH: process.env.PATH ?? '', HOME: dir, NO_COLOR: '1' });

describe('Ctrl-C during a live query (emulator, slow response)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await openHarness(testDataset(Math.floor(Date.now() / 60_000) * 60_000));
  });
  afterAll(async () => {
    await h?.close();
  });
  beforeEach(() => h.emulator.reset());

  const env = () => ({ ...baseEnv(), NODE_EXTRA_CA_CERTS: h.cert.caFile, ACS_METRICS_ACCESS_TOKEN: TOKEN, ACS_METRICS_ENDPOINT: h.emulator.endpoint });
  const live = ['--resource', RESOURCE, '-m', 'chat', '--since', '6h'];

  const commands: [string, string[]][] = [
    ['query', ['query', ...live, '-o', 'json']],
    ['check', ['check', ...live, '--max-error-rate', '5%', '-o', 'json']],
  ];
  for (const [name, args] of commands) {
    it(`${name} --save: exit 130 at once, no output, no file, no temp file`, async () => {
      h.emulator.inject({ kind: 'slow', delayMs: 20_000 }, 5);
      const save = `${name}-interrupted.json`;
      const r = await interrupt([...args, '--save', save], { env: env(), cwd: dir, ready: () => h.emulator.requests.length > 0 });
      expect(h.emulator.metricRequests.length).toBeGreaterThan(0);
      expect(r.code).toBe(130);
      expect(r.stderr).toBe('error: interrupted\n');
      expect(r.stdout).toBe('');
      expect(r.afterSignalMs).toBeLessThan(PROMPT_MS);
      expect(readdirSync(dir).filter((f) => f.includes('interrupted'))).toEqual([]);
    });
  }
});

describe('Ctrl-C while a fixture read waits for input', () => {
  it('on stdin (--fixture -)', async () => {
    const r = await interrupt(['query', '--fixture', '-', '-m', 'chat'], { env: baseEnv(), cwd: dir, stdin: 'pipe', readyMs: 700 });
    expect(r).toMatchObject({ code: 130, stdout: '', stderr: 'error: interrupted\n' });
    expect(r.afterSignalMs).toBeLessThan(PROMPT_MS);
  });

  describe.runIf(process.platform !== 'win32')('on a named pipe', () => {
    it('with a writer that sends part of the data and then nothing', async () => {
      const fifo = join(dir, 'slow.fifo');
      execFileSync('mkfifo', [fifo]);
      // exec: the sleep takes the shell's pid, so writer.kill() ends it (no orphan sleeping 30 s).
      const writer = spawn('sh', ['-c', `exec 3>'${fifo}'; printf '{"value": [' >&3; exec sleep 30`], { stdio: 'ignore' });
      try {
        const r = await interrupt(['query', '--fixture', fifo, '-m', 'chat'], { env: baseEnv(), cwd: dir, readyMs: 700 });
        expect(r).toMatchObject({ code: 130, stdout: '', stderr: 'error: interrupted\n' });
        expect(r.afterSignalMs).toBeLessThan(PROMPT_MS);
      } finally {
        writer.kill();
        rmSync(fifo, { force: true });
      }
    });

    it('with no writer at all (open() waits)', async () => {
      const fifo = join(dir, 'nobody.fifo');
      execFileSync('mkfifo', [fifo]);
      try {
        const r = await interrupt(['query', '--fixture', fifo, '-m', 'chat'], { env: baseEnv(), cwd: dir, readyMs: 700 });
        expect(r).toMatchObject({ code: 130, stdout: '', stderr: 'error: interrupted\n' });
        expect(r.afterSignalMs).toBeLessThan(PROMPT_MS);
      } finally {
        rmSync(fifo, { force: true });
      }
    });

    it('still reads a pipe to the end: <(cat file) and a writer that takes its time', () => {
      const out = execFileSync(
        'bash',
        ['-c', `node '${BIN}' query --fixture <(sleep 0.3; cat '${join(ROOT, 'fixtures', 'sample-week.json')}') -m chat --since 2h -o csv --split-by none`],
        {
          cwd: dir,
          env: baseEnv(),
          encoding: 'utf8',
        },
      );
      expect(out.split('\r\n')[0]).toBe('timestamp,value');
      expect(out.split('\r\n')).toHaveLength(4);
    });
  });
});

/**
 * The built binary in a pipeline: `| head -1` on every output format ends quietly (the CLI's own exit
 * status 0, nothing on stderr), also when the output is far larger than a pipe's buffer and when the
 * reader is gone before the first byte; a full disk is one line and exit 3, never a stack trace.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '..');
const SAMPLE = join(ROOT, 'fixtures', 'sample-week.json');

beforeAll(() => {
  if (!existsSync(join(ROOT, 'dist', 'cli', 'entry.js'))) {
    const b = spawnSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'ignore' });
    if (b.status !== 0) throw new Error('npm run build failed');
  }
});

interface Piped {
  /** The exit status of acs-metrics itself (not of the pipeline). */
  code: number;
  /** What acs-metrics wrote on stderr. */
  stderr: string;
  /** What the reader printed. */
  out: string;
}

/** `acs-metrics ARGS | READER` in POSIX sh; the CLI's status and stderr (unless merged into the pipe) are kept in files. */
function piped(args: string[], reader = 'head -1', merge = false): Piped {
  const quoted = args.map((a) => `'${a.replace(/'/g, "'\\''")}'`).join(' ');
  const dir = mkdtempSync(join(tmpdir(), 'acs-pipes-'));
  const err = join(dir, 'stderr');
  const code = join(dir, 'code');
  writeFileSync(err, '');
  const redirect = merge ? '2>&1' : '2>"$ERR_FILE"';
  const script = `{ node bin/acs-metrics.js ${quoted} ${redirect}; echo $? >"$CODE_FILE"; } | ${reader}`;
  try {
    const r = spawnSync('sh', ['-c', script], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1', ERR_FILE: err, CODE_FILE: code },
      timeout: 30_000,
    });
    return { code: Number(readFileSync(code, 'utf8').trim()), stderr: readFileSync(err, 'utf8'), out: r.stdout };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('| head -1', () => {
  const query = ['query', '--fixture', SAMPLE, '-m', 'chat', '--split-by', 'operation,statuscode'];
  const cases: [string, string[], RegExp][] = [
    ['table', [...query], /^Chat API Requests \(APIRequestChat\)/],
    ['chart', [...query, '-o', 'chart'], /^Chat API Requests \(APIRequestChat\)/],
    ['json', [...query, '-o', 'json'], /^\{$/],
    // About 300 KiB: several pipe buffers, so the write really meets a closed pipe.
    ['csv', [...query, '-o', 'csv'], /^Operation,StatusCode,timestamp,value$/],
    ['catalog', ['catalog'], /\S/],
    ['catalog --json', ['catalog', '--json'], /^\{$/],
    ['--version', ['--version'], /^\d+\.\d+\.\d+$/],
  ];
  for (const [name, args, first] of cases) {
    it(`${name}: exit 0, nothing on stderr but notes`, () => {
      const r = piped(args);
      expect(r.out.trimEnd()).toMatch(first);
      expect(r.code).toBe(0);
      // The chart notes how many series it left out; nothing else may appear.
      for (const line of r.stderr.split('\n').filter((l) => l !== '')) expect(line).toMatch(/^note: /);
      expect(r.stderr).not.toMatch(/EPIPE|error|\n\s+at /i);
    });
  }

  it('a reader gone before the first byte (| true) ends quietly too, --version included', () => {
    for (const args of [['--version'], ['catalog', '--json'], [...query, '-o', 'csv']]) {
      for (let i = 0; i < 3; i++) {
        const r = piped(args, 'true');
        expect(r).toEqual({ code: 0, stderr: '', out: '' });
      }
    }
  });

  it('2>&1 | head -1: notes and output share the pipe, still quiet', () => {
    for (const output of ['chart', 'csv']) {
      const r = piped([...query, '-o', output, '--width', '40'], 'head -1', true);
      expect(r.code).toBe(0);
      expect(r.out).toMatch(/^(Chat API Requests|Operation,)/);
    }
  });
});

describe.runIf(existsSync('/dev/full'))('a full disk', () => {
  it('is one line on stderr and exit 3 for stdout', () => {
    for (const args of [['--version'], ['catalog'], ['query', '--fixture', SAMPLE, '-m', 'chat', '-o', 'csv']]) {
      const r = spawnSync(process.execPath, ['bin/acs-metrics.js', ...args], {
        cwd: ROOT,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, NO_COLOR: '1' },
        timeout: 30_000,
      });
      expect(r.status).toBe(0); // a pipe: the control case
      const full = spawnSync('sh', ['-c', `node bin/acs-metrics.js ${args.map((a) => `'${a}'`).join(' ')} >/dev/full`], {
        cwd: ROOT,
        encoding: 'utf8',
        env: { ...process.env, NO_COLOR: '1' },
        timeout: 30_000,
      });
      expect(full.status).toBe(3);
      expect(full.stderr).toBe('error: cannot write to stdout: no space left on device\n');
    }
  });

  it('drops notes it cannot write to stderr, keeping the output and the exit code', () => {
    const r = spawnSync('sh', ['-c', `node bin/acs-metrics.js query --fixture '${SAMPLE}' -m chat -o chart --width 40 2>/dev/full`], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1' },
      timeout: 30_000,
    });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^Chat API Requests/);
  });
});

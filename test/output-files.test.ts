/**
 * Output files (check --junit, query/check --save): a symlink is followed and its target replaced
 * atomically; a device, a FIFO or /dev/stdout is written in place (never replaced, never deleted); a
 * directory is refused; a write error is one line and exit 3.
 *
 * Devices are made with mknod in a temp folder when running as root, so that a regression replaces a
 * copy, never the machine's /dev/null or /dev/full.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { chatBody, metricsBody, writeFixture } from './helpers/fixture.js';
import { run } from './helpers/io.js';
import { tempDir } from './helpers/temp.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const chat = writeFixture(chatBody());
const isRoot = process.getuid?.() === 0;
const unix = process.platform !== 'win32';

/** check with a JUnit report into `path` (relative to `cwd`). */
const junit = (path: string, cwd: string) => run(['check', '--fixture', chat, '-m', 'chat', '--max-error-rate', '10%', '--junit', path], { cwd });
/** query with --save into `path`. */
const save = (path: string, cwd: string) => run(['query', '--fixture', chat, '-m', 'chat', '-o', 'csv', '--save', path], { cwd });

/** Only these names in `dir` (no temp file left behind). */
const names = (dir: string) => readdirSync(dir).sort();

describe.runIf(unix)('output files', () => {
  let dir: string;
  beforeAll(() => {
    dir = tempDir();
  });

  it('a regular file is replaced atomically: new content, no temp file left, its mode kept', async () => {
    const d = join(dir, 'regular');
    mkdirSync(d);
    writeFileSync(join(d, 'r.xml'), 'old', { mode: 0o640 });
    const r = await junit('r.xml', d);
    expect(r.code).toBe(0);
    expect(readFileSync(join(d, 'r.xml'), 'utf8')).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuites /);
    expect(statSync(join(d, 'r.xml')).mode & 0o777).toBe(0o640);
    expect(names(d)).toEqual(['r.xml']);
  });

  it('a symlink stays a link and its target gets the content (also a chain)', async () => {
    const d = join(dir, 'links');
    mkdirSync(join(d, 'real'), { recursive: true });
    writeFileSync(join(d, 'real', 'target.xml'), 'old');
    symlinkSync('real/target.xml', join(d, 'middle.xml'));
    symlinkSync('middle.xml', join(d, 'link.xml'));
    const r = await junit('link.xml', d);
    expect(r.code).toBe(0);
    expect(lstatSync(join(d, 'link.xml')).isSymbolicLink()).toBe(true);
    expect(lstatSync(join(d, 'middle.xml')).isSymbolicLink()).toBe(true);
    expect(readlinkSync(join(d, 'link.xml'))).toBe('middle.xml');
    expect(readFileSync(join(d, 'real', 'target.xml'), 'utf8')).toMatch(/^<\?xml /);
    expect(names(d)).toEqual(['link.xml', 'middle.xml', 'real']);
    expect(names(join(d, 'real'))).toEqual(['target.xml']);
  });

  it('a dangling symlink whose directory exists: the target is created, the link kept', async () => {
    const d = join(dir, 'dangling');
    mkdirSync(join(d, 'out'), { recursive: true });
    symlinkSync('out/new.json', join(d, 'save.json'));
    const r = await save('save.json', d);
    expect([r.code, r.stderr]).toEqual([0, 'note: saved the response to save.json\n']);
    expect(lstatSync(join(d, 'save.json')).isSymbolicLink()).toBe(true);
    expect(JSON.parse(readFileSync(join(d, 'out', 'new.json'), 'utf8'))).toEqual(chatBody());
  });

  it('a dangling symlink into a missing directory: exit 3 before anything is written', async () => {
    const d = join(dir, 'dangling-nowhere');
    mkdirSync(d);
    symlinkSync('nowhere/new.json', join(d, 'save.json'));
    const r = await save('save.json', d);
    expect(r).toEqual({ code: 3, stdout: '', stderr: 'error: cannot write save.json: no such directory\n' });
    expect(lstatSync(join(d, 'save.json')).isSymbolicLink()).toBe(true);
  });

  it('a symlink loop: exit 3, one line', async () => {
    const d = join(dir, 'loop');
    mkdirSync(d);
    symlinkSync('b.xml', join(d, 'a.xml'));
    symlinkSync('a.xml', join(d, 'b.xml'));
    const r = await junit('a.xml', d);
    expect(r.code).toBe(3);
    expect(r.stderr).toBe('error: cannot write a.xml: too many levels of symbolic links\n');
  });

  it('a directory is refused (exit 3), also through a symlink, and left alone', async () => {
    const d = join(dir, 'dirs');
    mkdirSync(join(d, 'sub'), { recursive: true });
    symlinkSync('sub', join(d, 'to-sub'));
    for (const path of ['sub', 'to-sub']) {
      const j = await junit(path, d);
      expect([j.code, j.stderr]).toEqual([3, `error: cannot write ${path}: is a directory\n`]);
      const s = await save(path, d);
      expect(s).toEqual({ code: 3, stdout: '', stderr: `error: cannot write ${path}: is a directory\n` });
    }
    expect(statSync(join(d, 'sub')).isDirectory()).toBe(true);
    expect(lstatSync(join(d, 'to-sub')).isSymbolicLink()).toBe(true);
    expect(names(join(d, 'sub'))).toEqual([]);
  });

  it('a FIFO is written in place: a reader gets the bytes, the FIFO stays', async () => {
    const d = join(dir, 'fifo');
    mkdirSync(d);
    const fifo = join(d, 'report.fifo');
    execFileSync('mkfifo', [fifo]);
    const reader = spawn('cat', [fifo], { stdio: ['ignore', 'pipe', 'ignore'] });
    // If the FIFO is never opened for writing, cat would wait forever: the guard ends it.
    const guard = setTimeout(() => reader.kill(), 10_000);
    let got = '';
    reader.stdout.setEncoding('utf8').on('data', (c: string) => (got += c));
    const ended = new Promise<number | null>((done) => reader.on('close', done));
    try {
      const r = await junit('report.fifo', d);
      expect(r.code).toBe(0);
      expect(await ended).toBe(0);
      expect(got).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuites [^]*<\/testsuites>\n$/);
      expect(statSync(fifo).isFIFO()).toBe(true);
      expect(names(d)).toEqual(['report.fifo']);
    } finally {
      clearTimeout(guard);
      reader.kill();
    }
  });

  describe.runIf(isRoot)('character devices (copies made with mknod)', () => {
    it('a null device stays a character device', async () => {
      const d = join(dir, 'null-dev');
      mkdirSync(d);
      execFileSync('mknod', [join(d, 'null'), 'c', '1', '3']);
      const r = await junit('null', d);
      expect([r.code, r.stderr]).toEqual([0, '']);
      const s = await save('null', d);
      expect([s.code, s.stderr]).toEqual([0, 'note: saved the response to null\n']);
      expect(statSync(join(d, 'null')).isCharacterDevice()).toBe(true);
      expect(names(d)).toEqual(['null']);
    });

    it('a full device: exit 3, one line, and it stays a device', async () => {
      const d = join(dir, 'full-dev');
      mkdirSync(d);
      execFileSync('mknod', [join(d, 'full'), 'c', '1', '7']);
      const r = await junit('full', d);
      expect(r.code).toBe(3);
      expect(r.stderr).toBe('error: cannot write full: no space left on device\n');
      expect(r.stdout).toContain('check PASSED');
      const s = await save('full', d);
      expect(s).toEqual({ code: 3, stdout: '', stderr: 'error: cannot write full: no space left on device\n' });
      expect(statSync(join(d, 'full')).isCharacterDevice()).toBe(true);
      expect(names(d)).toEqual(['full']);
    });
  });

  describe.runIf(!isRoot)('the real /dev/null (safe: without root nothing in /dev can be replaced)', () => {
    it('stays a character device', async () => {
      const r = await junit('/dev/null', dir);
      expect([r.code, r.stderr]).toEqual([0, '']);
      expect(statSync('/dev/null').isCharacterDevice()).toBe(true);
    });
  });
});

describe.runIf(unix && existsSync('/proc/self/fd'))('/dev/stdout and /proc/self/fd/N: written through the open descriptor', () => {
  it("in process: /dev/stdout and /dev/stderr go to the command's own streams, after the report", async () => {
    const out = await junit('/dev/stdout', ROOT);
    expect(out.code).toBe(0);
    expect(out.stdout).toMatch(/^PASS  chat [^]*check PASSED[^]*\n<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuites [^]*<\/testsuites>\n$/);
    const err = await junit('/dev/stderr', ROOT);
    expect(err.stdout).not.toContain('<?xml');
    expect(err.stderr).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuites [^]*<\/testsuites>\n$/);
  });

  const BIN = join(ROOT, 'bin', 'acs-metrics.js');
  beforeAll(() => {
    if (!existsSync(join(ROOT, 'dist', 'cli', 'entry.js'))) execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'ignore' });
  });
  const bin = (args: string[]) =>
    execFileSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });

  for (const path of ['/dev/stdout', '/proc/self/fd/1']) {
    it(`--junit ${path}: the report, then the XML, on the pipe; the link untouched`, () => {
      const before = lstatSync('/dev/stdout');
      const out = bin(['check', '--fixture', chat, '-m', 'chat', '--max-error-rate', '10%', '--junit', path]);
      expect(out).toMatch(
        /^PASS  chat  error rate 6\.57% <= 10\.00%[^]*check PASSED[^]*\n<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuites [^]*<\/testsuites>\n$/,
      );
      const after = lstatSync('/dev/stdout');
      expect(after.isSymbolicLink()).toBe(true);
      expect(after.ino).toBe(before.ino);
    });
  }

  it('--save /dev/stdout: the fixture JSON on the pipe, then the CSV', () => {
    const one = writeFixture(metricsBody([{ name: 'APIRequestChat', series: [{ dims: { operation: 'GetChatMessage' }, counts: [3] }] }]));
    const out = bin(['query', '--fixture', one, '-m', 'chat', '-o', 'csv', '--save', '/dev/stdout']);
    const csvAt = out.indexOf('Operation,timestamp,value');
    expect(JSON.parse(out.slice(0, csvAt))).toEqual(JSON.parse(readFileSync(one, 'utf8')));
    expect(out.slice(csvAt)).toBe('Operation,timestamp,value\r\nGetChatMessage,2026-01-01T00:00:00Z,3\r\n');
  });
});

describe('--junit into a folder that does not exist', () => {
  it('is exit 3 before any report is printed', async () => {
    const { run: runCli } = await import('./helpers/io.js');
    const sample = new URL('../fixtures/sample-week.json', import.meta.url).pathname;
    const r = await runCli(['check', '--fixture', sample, '-m', 'chat', '--max-error-rate', '5%', '--junit', 'no-such-folder/x.xml']);
    expect(r).toEqual({ code: 3, stdout: '', stderr: 'error: cannot write no-such-folder/x.xml: no such directory\n' });
  });
});

#!/usr/bin/env node
/**
 * The acs-metrics benchmark (`npm run bench`, which builds first). Generates its inputs in .bench/,
 * times the built CLI (node bin/acs-metrics.js) beside a baseline run in the same session, and
 * writes the medians, the ratios and whether each target is met into BENCHMARKS.md.
 *
 *   node bench/run.mjs [--runs N] [--quick] [--only startup,sample,large,estate] [--no-write] [--check]
 *
 * The estate group (status over 200 resources against the emulator) is bench/estate.mjs.
 *
 *   --runs N    timed runs per command (default: 21 for start-up, 11 for the sample, 7 for the large file)
 *   --quick     fewer runs (7, 5, 3), for a first look
 *   --only      run some groups only (BENCHMARKS.md is then left alone)
 *   --no-write  print the results without writing BENCHMARKS.md
 *   --check     exit 1 when a target is missed
 *
 * Every group runs one warm-up of each command (its output checked), then the timed runs with
 * baseline and subject interleaved (alternating which goes first) so that a noisy neighbour hits
 * both alike. The ratio of a measurement is the median over the rounds of subject / baseline of the
 * same round; the table also shows each command's median. Peak memory is the child's maximum resident set size, from GNU time (-f %M) when
 * /usr/bin/time is GNU time, else from a preload (bench/maxrss-preload.mjs) reading
 * process.resourceUsage().maxRSS at exit.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, platform, release, totalmem, arch } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { generateLarge } from './generate-large.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const BENCH_DIR = join(ROOT, '.bench');
const BIN = join(ROOT, 'bin', 'acs-metrics.js');
const NODE = process.execPath;
const rel = (p) => relative(ROOT, p) || p;

// ---------------------------------------------------------------------------------------------------
// Options

const argv = process.argv.slice(2);
const flag = (name) => argv.includes(name);
const value = (name) => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
};
const quick = flag('--quick');
const runsOverride = value('--runs') !== undefined ? Number(value('--runs')) : undefined;
if (runsOverride !== undefined && !(Number.isInteger(runsOverride) && runsOverride >= 1)) {
  process.stderr.write('bench: --runs needs a whole number of at least 1\n');
  process.exit(2);
}
const only = value('--only')?.split(',').map((s) => s.trim());
const write = !flag('--no-write') && only === undefined;
const runsFor = (normal, fast) => runsOverride ?? (quick ? fast : normal);

/** The targets of the issue: ratios of medians, subject over baseline. */
const TARGET = 1.5;

// ---------------------------------------------------------------------------------------------------
// Inputs

function newerThan(file, ...sources) {
  if (!existsSync(file)) return false;
  const t = statSync(file).mtimeMs;
  return sources.every((s) => !existsSync(s) || statSync(s).mtimeMs <= t);
}

function prepareInputs() {
  mkdirSync(BENCH_DIR, { recursive: true });
  const sample = join(BENCH_DIR, 'sample-week.json');
  const sampleGen = join(ROOT, 'scripts', 'generate-fixtures.mjs');
  if (!newerThan(sample, sampleGen)) {
    process.stderr.write(`bench: generating ${rel(sample)}\n`);
    execFileSync(NODE, [sampleGen, BENCH_DIR], { stdio: ['ignore', 'ignore', 'inherit'] });
  }
  const large = join(BENCH_DIR, 'large-30d-pt1m.json');
  const largeGen = join(ROOT, 'bench', 'generate-large.mjs');
  if (!newerThan(large, largeGen)) {
    process.stderr.write(`bench: generating ${rel(large)} (about 110 MiB)\n`);
    generateLarge(large);
  }
  return { sample, large };
}

// ---------------------------------------------------------------------------------------------------
// Running a command

const DEV_NULL = openSync(platform() === 'win32' ? 'NUL' : '/dev/null', 'w');

/** How peak memory is read: GNU time when it works here, else the preload. */
const rssMethod = (() => {
  const probe = join(BENCH_DIR, 'time-probe.txt');
  try {
    mkdirSync(BENCH_DIR, { recursive: true });
    const r = spawnSync('/usr/bin/time', ['-f', '%M', '-o', probe, NODE, '-e', '0'], { stdio: 'ignore' });
    const kib = r.status === 0 ? Number(readFileSync(probe, 'utf8').trim().split('\n').pop()) : NaN;
    if (Number.isFinite(kib) && kib > 0) return 'GNU time (/usr/bin/time -f %M)';
  } catch {
    // not available
  } finally {
    rmSync(probe, { force: true });
  }
  return 'process.resourceUsage().maxRSS (preload)';
})();
const GNU_TIME = rssMethod.startsWith('GNU');

/**
 * Runs `node ...args` once; returns wall time (ms, spawn to exit), peak RSS (KiB, when asked), the
 * exit status, stderr, and stdout when captured.
 */
function runOnce(cmd, { rss = false, capture = false } = {}) {
  const rssFile = join(BENCH_DIR, `maxrss-${process.pid}.txt`);
  let file = NODE;
  let args = cmd.args;
  const env = { ...process.env, NO_COLOR: '1' };
  delete env.FORCE_COLOR;
  if (rss && GNU_TIME) {
    file = '/usr/bin/time';
    args = ['-f', '%M', '-o', rssFile, NODE, ...cmd.args];
  } else if (rss) {
    args = ['--import', pathToFileURL(join(ROOT, 'bench', 'maxrss-preload.mjs')).href, ...cmd.args];
    env.BENCH_MAXRSS_FILE = rssFile;
  }
  const t0 = process.hrtime.bigint();
  const r = spawnSync(file, args, {
    cwd: ROOT,
    env,
    stdio: ['ignore', capture ? 'pipe' : DEV_NULL, 'pipe'],
    maxBuffer: 256 * 1024 * 1024,
  });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  let rssKiB;
  if (rss) {
    rssKiB = Number(readFileSync(rssFile, 'utf8').trim().split('\n').pop());
    rmSync(rssFile, { force: true });
  }
  return { ms, rssKiB, status: r.status, signal: r.signal, stderr: r.stderr?.toString() ?? '', stdout: r.stdout?.toString() ?? '' };
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/**
 * One group: a baseline and subjects, each warmed up (and its output checked), then `runs` rounds
 * with every command once, the order alternating between rounds.
 */
function group(name, { baseline, subjects, runs, warmup = 1, rss = false }) {
  const all = [baseline, ...subjects];
  process.stderr.write(`bench: ${name}: ${warmup} warm-up and ${runs} timed run${runs === 1 ? '' : 's'} of ${all.length} commands\n`);
  for (const cmd of all) {
    for (let i = 0; i < warmup; i++) {
      const r = runOnce(cmd, { capture: true });
      if (r.status !== 0) throw new Error(`${cmd.label} failed (exit ${r.status ?? r.signal}):\n${r.stderr}`);
      if (r.stderr.trim() !== '' && !cmd.allowStderr) throw new Error(`${cmd.label} wrote to stderr:\n${r.stderr}`);
      if (i === 0) cmd.check?.(r.stdout);
    }
  }
  const samples = new Map(all.map((c) => [c, { ms: [], rss: [] }]));
  for (let i = 0; i < runs; i++) {
    const order = i % 2 === 0 ? all : [...all].reverse();
    for (const cmd of order) {
      const r = runOnce(cmd, { rss });
      if (r.status !== 0) throw new Error(`${cmd.label} failed (exit ${r.status ?? r.signal}):\n${r.stderr}`);
      samples.get(cmd).ms.push(r.ms);
      if (rss) samples.get(cmd).rss.push(r.rssKiB);
    }
  }
  const base = samples.get(baseline);
  /** Median over the rounds of subject / baseline of the same round: runs side by side see the same load. */
  const paired = (s, key) => median(s[key].map((v, i) => v / base[key][i]));
  const stats = (cmd) => {
    const s = samples.get(cmd);
    return {
      ms: median(s.ms),
      rssKiB: rss ? median(s.rss) : undefined,
      msRatio: paired(s, 'ms'),
      rssRatio: rss ? paired(s, 'rss') : undefined,
      all: s.ms,
    };
  };
  return { name, runs, baseline: { cmd: baseline, ...stats(baseline) }, subjects: subjects.map((c) => ({ cmd: c, ...stats(c) })) };
}

// ---------------------------------------------------------------------------------------------------
// The benchmark

const cli = (label, ...args) => ({ label, args: [BIN, ...args] });

function checkJsonLarge(stdout) {
  const doc = JSON.parse(stdout);
  const points = doc.series.map((s) => s.points.length);
  if (doc.series.length !== 40 || points.some((n) => n !== 720) || doc.query.interval !== 'PT1H') {
    throw new Error(`unexpected result of the large query: ${doc.series.length} series, interval ${doc.query.interval}`);
  }
}

function main() {
  const inputs = prepareInputs();
  const results = [];
  const want = (g) => only === undefined || only.includes(g);

  if (want('startup')) {
    results.push(
      group('start-up', {
        baseline: { label: 'node -e 0', args: ['-e', '0'] },
        subjects: [
          { ...cli('--version', '--version'), check: (out) => assert(/^\d+\.\d+\.\d+/.test(out), 'version') },
          { ...cli('catalog --json', 'catalog', '--json'), check: (out) => assert(JSON.parse(out).metrics.length >= 10, 'catalog') },
        ],
        runs: runsFor(21, 7),
        warmup: 3,
      }),
    );
  }
  if (want('sample')) {
    results.push(
      group('sample table query', {
        baseline: { label: 'read+parse', args: [join(ROOT, 'bench', 'read-parse.mjs'), inputs.sample] },
        subjects: [
          {
            ...cli('sample: query -m chat (table)', 'query', '--fixture', inputs.sample, '-m', 'chat'),
            check: (out) => assert(out.includes('SendChatMessage'), 'table'),
          },
        ],
        runs: runsFor(11, 5),
        warmup: 2,
        rss: true,
      }),
    );
  }
  if (want('large')) {
    results.push(
      group('large JSON query', {
        baseline: { label: 'read+parse', args: [join(ROOT, 'bench', 'read-parse.mjs'), inputs.large] },
        subjects: [
          {
            ...cli('large: query -m chat --split-by operation,statuscode -i PT1H -o json', 'query', '--fixture', inputs.large, '-m', 'chat', '--split-by', 'operation,statuscode', '-i', 'PT1H', '-o', 'json'),
            check: checkJsonLarge,
          },
        ],
        runs: runsFor(7, 3),
        warmup: 1,
        rss: true,
      }),
    );
  }

  const rows = tableRows(results);
  const machine = describeMachine();
  process.stdout.write(`\n${machine.line}\n\n${textTable(rows)}\n`);
  const missed = rows.filter((r) => r.met === false);
  process.stdout.write(missed.length === 0 ? '\nevery target met\n' : `\n${missed.length} target${missed.length > 1 ? 's' : ''} missed\n`);
  if (write) {
    writeBenchmarks(rows, machine, inputs);
    process.stdout.write(`wrote ${rel(join(ROOT, 'BENCHMARKS.md'))}\n`);
  }
  if (flag('--check') && missed.length > 0) process.exitCode = 1;
}

function assert(ok, what) {
  if (!ok) throw new Error(`unexpected output (${what})`);
}

// ---------------------------------------------------------------------------------------------------
// Reporting

const fmtMs = (ms) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${Math.round(ms)} ms`);
const fmtMiB = (kib) => `${(kib / 1024).toFixed(0)} MiB`;
const fmtRatio = (r) => `${r.toFixed(2)}x`;

/** One row per measurement: what, baseline, subject, ratio, target and whether it is met. */
function tableRows(results) {
  const rows = [];
  for (const g of results) {
    for (const s of g.subjects) {
      const target = g.name === 'sample table query' ? undefined : TARGET;
      const ratio = s.msRatio;
      rows.push({
        what: `${s.cmd.label}: time`,
        baseline: `${g.baseline.cmd.label}: ${fmtMs(g.baseline.ms)}`,
        subject: fmtMs(s.ms),
        ratio,
        target,
        met: target === undefined ? undefined : ratio <= target,
        runs: g.runs,
      });
      if (s.rssKiB !== undefined) {
        const r = s.rssRatio;
        const t = g.name === 'large JSON query' ? TARGET : undefined;
        rows.push({
          what: `${s.cmd.label}: peak RSS`,
          baseline: `${g.baseline.cmd.label}: ${fmtMiB(g.baseline.rssKiB)}`,
          subject: fmtMiB(s.rssKiB),
          ratio: r,
          target: t,
          met: t === undefined ? undefined : r <= t,
          runs: g.runs,
        });
      }
    }
  }
  return rows;
}

function textTable(rows) {
  const head = ['measurement', 'baseline (median)', 'acs-metrics (median)', 'ratio (paired)', 'target'];
  const body = rows.map((r) => [r.what, r.baseline, r.subject, fmtRatio(r.ratio), r.target === undefined ? '-' : `<= ${r.target}x ${r.met ? 'met' : 'MISSED'}`]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells) => cells.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd();
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)].join('\n');
}

function describeMachine() {
  const c = cpus();
  const model = (c[0]?.model ?? 'unknown CPU').replace(/\s+/g, ' ').trim();
  const memGiB = (totalmem() / 1024 ** 3).toFixed(1);
  const date = new Date().toISOString().slice(0, 10);
  let commit = 'unknown';
  try {
    commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
    // Changes to tracked files other than this report (which the previous run rewrote).
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no', '--', '.', ':!BENCHMARKS.md'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'ignore'] })
      .toString()
      .trim();
    if (dirty !== '') commit += ' (with local changes)';
  } catch {
    // not a git checkout
  }
  const facts = { date, cpu: model, cores: c.length, memGiB, node: process.version, os: `${platform()} ${release()} ${arch()}`, commit };
  return { ...facts, line: `${date}: ${facts.cores} x ${model}, ${memGiB} GiB, Node ${facts.node}, ${facts.os}, commit ${commit}; peak RSS by ${rssMethod}` };
}

const START = '<!-- bench:results:start -->';
const END = '<!-- bench:results:end -->';

function writeBenchmarks(rows, machine, inputs) {
  const file = join(ROOT, 'BENCHMARKS.md');
  const mdRows = rows.map(
    (r) =>
      `| ${r.what} | ${r.baseline} | ${r.subject} | ${fmtRatio(r.ratio)} | ${r.target === undefined ? '-' : `<= ${r.target}x`} | ${r.met === undefined ? '-' : r.met ? 'met' : '**missed**'} |`,
  );
  const size = (p) => `${(statSync(p).size / 1024 / 1024).toFixed(1)} MiB`;
  const section = [
    START,
    `Last run: **${machine.date}** on ${machine.cores} x ${machine.cpu}, ${machine.memGiB} GiB memory, Node ${machine.node},`,
    `${machine.os}, commit ${machine.commit}. Peak RSS by ${rssMethod}. Medians of ${[...new Set(rows.map((r) => r.runs))].join('/')} timed runs`,
    'after warm-up, baseline and subject interleaved.',
    '',
    `Inputs: \`${rel(inputs.sample)}\` (${size(inputs.sample)}), \`${rel(inputs.large)}\` (${size(inputs.large)}, 40 series x 43,200 points).`,
    '',
    '| measurement | baseline (median) | acs-metrics (median) | ratio (median of paired runs) | target | |',
    '|---|---|---|---|---|---|',
    ...mdRows,
    '',
    rows.every((r) => r.met !== false) ? 'Every target met.' : `Missed: ${rows.filter((r) => r.met === false).map((r) => r.what).join('; ')}.`,
    END,
  ].join('\n');
  let text = existsSync(file) ? readFileSync(file, 'utf8') : `# Benchmarks\n\n${START}\n${END}\n`;
  const a = text.indexOf(START);
  const b = text.indexOf(END);
  text = a >= 0 && b > a ? `${text.slice(0, a)}${section}${text.slice(b + END.length)}` : `${text.trimEnd()}\n\n${section}\n`;
  writeFileSync(file, text);
}

try {
  main();
  if (only === undefined || only.includes('estate')) {
    // status over 200 resources against the emulator: its own script and BENCHMARKS.md section.
    const r = spawnSync(NODE, [join(ROOT, 'bench', 'estate.mjs'), ...(write ? [] : ['--no-write']), ...(flag('--check') ? ['--check'] : []), ...(quick ? ['--runs', '1'] : [])], { stdio: 'inherit' });
    if (r.status !== 0) process.exitCode = r.status ?? 1;
  }
} finally {
  closeSync(DEV_NULL);
}

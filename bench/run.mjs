#!/usr/bin/env node
/**
 * The acs-metrics benchmark (`npm run bench`, which builds first). Generates its inputs in .bench/,
 * times the built CLI (node bin/acs-metrics.js) beside a baseline run in the same session, and
 * writes the medians, the ratios and whether each target is met into BENCHMARKS.md.
 *
 *   node bench/run.mjs [--runs N] [--quick] [--only startup,sample,large,output,peers,scaling,speed,estate,archive] [--no-write] [--check]
 *
 *   --only speed: the reading-speed target alone (the 8x scaling input beside reading its bytes).
 *
 * The estate group (status over 200 resources against the emulator) is bench/estate.mjs; the archive
 * group (usage over a year of 100 resources, Parquet beside json) is bench/archive.mjs.
 *
 *   --runs N    timed runs per command (default: 21 for start-up, 11 for the sample, 7 for the large
 *               file, 3 for the peers (jq takes a minute a run) and for the scaling inputs)
 *   --quick     fewer runs (7, 5, 3, 1, 1), for a first look
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
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
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
const only = value('--only')
  ?.split(',')
  .map((s) => s.trim());
const write = !flag('--no-write') && only === undefined;
const runsFor = (normal, fast) => runsOverride ?? (quick ? fast : normal);

/** Peak memory the scaling inputs (2 GiB) must be queried in. */
const SCALING_RSS_MIB = 300;
/** Seconds per GiB the 2 GiB input may take at -i P1D (issue 22; round two: 2.97). */
const SPEED_S_PER_GIB = 2;
/** Time per byte at 8x may be at most this times that at 1x (linear growth). */
const LINEARITY = 1.25;

// ---------------------------------------------------------------------------------------------------
// Inputs

function newerThan(file, ...sources) {
  if (!existsSync(file)) return false;
  const t = statSync(file).mtimeMs;
  return sources.every((s) => !existsSync(s) || statSync(s).mtimeMs <= t);
}

function prepareInputs({ scaling = false, speed = false } = {}) {
  mkdirSync(BENCH_DIR, { recursive: true });
  const sample = join(BENCH_DIR, 'sample-week.json');
  const sampleGen = join(ROOT, 'scripts', 'generate-fixtures.mjs');
  if (!newerThan(sample, sampleGen)) {
    process.stderr.write(`bench: generating ${rel(sample)}\n`);
    execFileSync(NODE, [sampleGen, BENCH_DIR], { stdio: ['ignore', 'ignore', 'inherit'] });
  }
  const largeGen = join(ROOT, 'bench', 'generate-large.mjs');
  const make = (file, days, startDay = 0) => {
    if (!newerThan(file, largeGen)) {
      process.stderr.write(`bench: generating ${rel(file)} (${days} days)\n`);
      generateLarge(file, { days, startDay });
    }
    return file;
  };
  const large = make(join(BENCH_DIR, 'large-30d-pt1m.json'), 30);
  const eight = () => make(join(BENCH_DIR, 'scale-8x-600d.json'), 600);
  if (!scaling) return speed ? { sample, large, eight: eight() } : { sample, large };
  // 1x, 2x, 4x, 8x: 75 to 600 days of the same 40 series (8x: 2.0 GiB), and a folder of twenty
  // consecutive 30-day files (the same 600 days, as exported telemetry would be).
  const scale = [1, 2, 4, 8].map((x) => ({ x, file: make(join(BENCH_DIR, `scale-${x}x-${75 * x}d.json`), 75 * x) }));
  const folder = join(BENCH_DIR, 'scale-folder-20x30d');
  mkdirSync(folder, { recursive: true });
  for (let i = 0; i < 20; i++) make(join(folder, `day-${String(i * 30).padStart(3, '0')}.json`), 30, i * 30);
  return { sample, large, scale, folder };
}

/** Python itself (not a pyenv shim, which would add a shell to every run), or undefined. */
function findPython() {
  try {
    return execFileSync('python3', ['-c', 'import sys; print(sys.executable)'], { stdio: ['ignore', 'pipe', 'ignore'] })
      .toString()
      .trim();
  } catch {
    return undefined;
  }
}

/** jq, installed with apt-get when missing and possible; undefined (the row is skipped) otherwise. */
function findJq() {
  const has = () => spawnSync('jq', ['--version'], { stdio: 'ignore' }).status === 0;
  if (has()) return 'jq';
  if (process.getuid?.() === 0 && spawnSync('apt-get', ['--version'], { stdio: 'ignore' }).status === 0) {
    process.stderr.write('bench: installing jq (apt-get install -y jq)\n');
    spawnSync('apt-get', ['install', '-y', '-q', 'jq'], { stdio: ['ignore', 'ignore', 'inherit'] });
    if (has()) return 'jq';
  }
  return undefined;
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
  const exe = cmd.exe ?? NODE;
  let file = exe;
  let args = cmd.args;
  const env = { ...process.env, NO_COLOR: '1' };
  delete env.FORCE_COLOR;
  if (rss && GNU_TIME) {
    file = '/usr/bin/time';
    args = ['-f', '%M', '-o', rssFile, exe, ...cmd.args];
  } else if (rss && exe !== NODE) {
    throw new Error(`peak memory of ${cmd.label} needs GNU time`);
  } else if (rss) {
    args = ['--import', pathToFileURL(join(ROOT, 'bench', 'maxrss-preload.mjs')).href, ...cmd.args];
    env.BENCH_MAXRSS_FILE = rssFile;
  }
  const t0 = process.hrtime.bigint();
  const r = spawnSync(file, args, {
    cwd: ROOT,
    env,
    stdio: ['ignore', capture ? 'pipe' : DEV_NULL, 'pipe'],
    maxBuffer: 1024 * 1024 * 1024,
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
      if (i === 0) {
        cmd.check?.(r.stdout);
        cmd.output = r.stdout;
      }
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
const LARGE_QUERY = ['-m', 'chat', '--split-by', 'operation,statuscode', '-i', 'PT1H', '-o', 'json'];
const OUTPUT_QUERY = ['-m', 'chat', '--split-by', 'operation,statuscode', '-i', 'PT1M', '-o', 'json'];
/** Peak memory the PT1M output of the large file must be written in. */
const OUTPUT_RSS_MIB = 300;

function checkJsonLarge(stdout) {
  const doc = JSON.parse(stdout);
  const points = doc.series.map((s) => s.points.length);
  if (doc.series.length !== 40 || points.some((n) => n !== 720) || doc.query.interval !== 'PT1H') {
    throw new Error(`unexpected result of the large query: ${doc.series.length} series, interval ${doc.query.interval}`);
  }
}

/** The large query's hourly sums per "Operation|StatusCode", from the tool's JSON output. */
function hourlyOfTool(stdout) {
  const doc = JSON.parse(stdout);
  return Object.fromEntries(doc.series.map((s) => [`${s.dimensions.Operation}|${s.dimensions.StatusCode}`, s.points.map((p) => p.value ?? 0)]));
}

/** A peer's {"Operation|StatusCode": [hourly sums]} must be the tool's, to the point. */
function sameTotals(label, tool) {
  return (stdout) => {
    const peer = JSON.parse(stdout);
    const keys = Object.keys(tool).sort();
    assert(JSON.stringify(Object.keys(peer).sort()) === JSON.stringify(keys), `${label}: other series than acs-metrics`);
    for (const k of keys) assert(JSON.stringify(peer[k]) === JSON.stringify(tool[k]), `${label}: hourly sums of ${k} differ from acs-metrics'`);
  };
}

function main() {
  const want = (g) => only === undefined || only.includes(g);
  const inputs = prepareInputs({ scaling: want('scaling'), speed: only?.includes('speed') });
  const results = [];
  const notes = [];

  if (want('startup')) {
    results.push(
      group('start-up', {
        baseline: { label: 'node -e 0', args: ['-e', '0'] },
        subjects: [
          { ...cli('--version', '--version'), target: 1.2, check: (out) => assert(/^\d+\.\d+\.\d+/.test(out), 'version') },
          { ...cli('catalog', 'catalog'), target: 1.2, check: (out) => assert(out.includes('APIRequestChat'), 'catalog') },
          { ...cli('catalog --json', 'catalog', '--json'), target: 1.2, check: (out) => assert(JSON.parse(out).metrics.length >= 10, 'catalog') },
          {
            ...cli('README query (table, sample week)', 'query', '--fixture', join(ROOT, 'fixtures', 'sample-week.json'), '--metric', 'chat', '--since', '24h'),
            target: 1.5,
            allowStderr: true, // the catalog's retirement note
            check: (out) => assert(out.includes('SendChatMessage'), 'table'),
          },
          {
            // What any reader of the sample must do at least (no target): the README query's floor.
            label: 'floor: the sample as text, its Chat series parsed (bench/read-chat.cjs)',
            args: [join(ROOT, 'bench', 'read-chat.cjs'), join(ROOT, 'fixtures', 'sample-week.json')],
            check: (out) => assert(out.trim() === '40', 'forty series'),
          },
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
            allowStderr: true,
            check: (out) => assert(out.includes('SendChatMessage'), 'table'),
          },
        ],
        runs: runsFor(11, 5),
        warmup: 2,
        rss: true,
      }),
    );
  }
  let toolOutput;
  if (want('large')) {
    const query = {
      ...cli('large: query -m chat --split-by operation,statuscode -i PT1H -o json', 'query', '--fixture', inputs.large, ...LARGE_QUERY),
      target: 0.6,
      rssTarget: 0.3,
      check: checkJsonLarge,
    };
    results.push(
      group('large JSON query', {
        baseline: { label: 'read+parse', args: [join(ROOT, 'bench', 'read-parse.mjs'), inputs.large] },
        subjects: [query],
        runs: runsFor(7, 3),
        warmup: 1,
        rss: true,
      }),
    );
    toolOutput = query.output;
  }
  if (want('peers')) {
    toolOutput ??= runOnce(cli('large query', 'query', '--fixture', inputs.large, ...LARGE_QUERY), { capture: true }).stdout;
    const tool = hourlyOfTool(toolOutput);
    const peers = [
      { label: 'peer: node -e 0', args: ['-e', '0'] },
      { label: 'peer: read the bytes (1 MiB reads)', args: [join(ROOT, 'bench', 'read-bytes.mjs'), inputs.large] },
      { ...cli('large: the query again', 'query', '--fixture', inputs.large, ...LARGE_QUERY), check: checkJsonLarge },
    ];
    const jq = findJq();
    if (jq)
      peers.push({
        label: 'peer: jq (bench/peers/hourly.jq)',
        exe: jq,
        args: ['-c', '-f', join(ROOT, 'bench', 'peers', 'hourly.jq'), inputs.large],
        check: sameTotals('jq', tool),
      });
    else notes.push('jq is not installed and could not be installed (apt-get as root): its row is left out.');
    const python = findPython();
    if (python)
      peers.push({
        label: 'peer: Python json.load (bench/peers/hourly.py)',
        exe: python,
        args: [join(ROOT, 'bench', 'peers', 'hourly.py'), inputs.large],
        check: sameTotals('Python', tool),
      });
    else notes.push('python3 is not installed: its row is left out.');
    results.push(
      group('peers on the large file', {
        baseline: { label: 'read+parse', args: [join(ROOT, 'bench', 'read-parse.mjs'), inputs.large] },
        subjects: peers,
        runs: runsFor(3, 1),
        warmup: 1,
        rss: true,
      }),
    );
  }
  if (want('output')) {
    // Issue 22: a month of minutes written out (154 MB of JSON) streams in flat memory.
    results.push(
      group('large output', {
        baseline: { label: 'read+parse', args: [join(ROOT, 'bench', 'read-parse.mjs'), inputs.large] },
        subjects: [
          {
            ...cli('output: query -m chat --split-by operation,statuscode -i PT1M -o json (154 MB out)', 'query', '--fixture', inputs.large, ...OUTPUT_QUERY),
            rssLimitMiB: OUTPUT_RSS_MIB,
            check: (out) => assert(out.length > 150e6 && out.endsWith('}\n'), 'the PT1M document'),
          },
        ],
        runs: runsFor(5, 3),
        warmup: 1,
        rss: true,
      }),
    );
  }
  let scaling;
  if (want('scaling')) scaling = runScaling(inputs);
  else if (only?.includes('speed')) scaling = runSpeed(inputs);

  const rows = tableRows(results);
  if (scaling) rows.push(...scaling.rows);
  const machine = describeMachine();
  process.stdout.write(`\n${machine.line}\n\n${textTable(rows)}\n`);
  if (scaling) process.stdout.write(`\n${scaling.summary}\n`);
  const missed = rows.filter((r) => r.met === false);
  process.stdout.write(missed.length === 0 ? '\nevery target met\n' : `\n${missed.length} target${missed.length > 1 ? 's' : ''} missed\n`);
  if (write) {
    writeBenchmarks(rows, machine, inputs, scaling, notes);
    process.stdout.write(`wrote ${rel(join(ROOT, 'BENCHMARKS.md'))}\n`);
  }
  if (flag('--check') && missed.length > 0) process.exitCode = 1;
}

/**
 * The scaling inputs, each queried once (after a run of the 1x file to warm the disk cache and the
 * code) beside reading its bytes: time, peak memory, and the slope of time over size.
 */
function runScaling(inputs) {
  const args = ['-m', 'chat', '--split-by', 'operation,statuscode', '-i', 'P1D', '-o', 'json'];
  const runs = runsFor(3, 1);
  const measure = (label, path) => {
    const cmd = cli(label, 'query', '--fixture', path, ...args);
    const bytes = { label: 'read bytes', args: [join(ROOT, 'bench', 'read-bytes.mjs'), path] };
    const r = [];
    for (let i = 0; i < runs; i++) {
      const q = runOnce(cmd, { rss: true });
      if (q.status !== 0) throw new Error(`${label} failed (exit ${q.status ?? q.signal}):\n${q.stderr}`);
      const b = runOnce(bytes, { rss: true });
      if (b.status !== 0) throw new Error(`reading the bytes of ${rel(path)} failed:\n${b.stderr}`);
      r.push({ ms: q.ms, rssKiB: q.rssKiB, bytesMs: b.ms });
    }
    const size = pathSize(path);
    return { label, size, ms: median(r.map((x) => x.ms)), rssKiB: median(r.map((x) => x.rssKiB)), bytesMs: median(r.map((x) => x.bytesMs)) };
  };
  process.stderr.write(`bench: scaling: ${runs} run${runs > 1 ? 's' : ''} of each input (1x to 8x, and the folder)\n`);
  runOnce(cli('warm-up', 'query', '--fixture', inputs.scale[0].file, ...args));
  const points = inputs.scale.map(({ x, file }) => ({ x, ...measure(`scaling ${x}x: ${rel(file)}`, file) }));
  const folder = measure(`scaling: folder ${rel(inputs.folder)}`, inputs.folder);
  // Least squares of time over size: seconds per GiB, and the fixed part.
  const GiB = 1024 ** 3;
  const xs = points.map((p) => p.size / GiB);
  const ys = points.map((p) => p.ms / 1000);
  const mx = xs.reduce((a, b) => a + b) / xs.length;
  const my = ys.reduce((a, b) => a + b) / ys.length;
  const slope = xs.reduce((a, x, i) => a + (x - mx) * (ys[i] - my), 0) / xs.reduce((a, x) => a + (x - mx) ** 2, 0);
  const intercept = my - slope * mx;
  const perByte = (p) => p.ms / p.size;
  const linearity = perByte(points[3]) / perByte(points[0]);
  const rows = [];
  for (const p of [...points, folder]) {
    rows.push({
      what: `${p.label} (${fmtBytes(p.size)}): time`,
      baseline: `read bytes: ${fmtMs(p.bytesMs)}`,
      subject: fmtMs(p.ms),
      ratio: p.ms / p.bytesMs,
      runs,
    });
    const big = p === folder || p.x === 8;
    const mib = p.rssKiB / 1024;
    rows.push({
      what: `${p.label} (${fmtBytes(p.size)}): peak RSS`,
      baseline: '-',
      subject: fmtMiB(p.rssKiB),
      ratio: undefined,
      target: big ? `< ${SCALING_RSS_MIB} MiB` : undefined,
      met: big ? mib < SCALING_RSS_MIB : undefined,
      runs,
    });
  }
  rows.push(speedRow(points[3], runs));
  rows.push({
    what: 'scaling: time per byte at 8x over 1x',
    baseline: '1x',
    subject: '8x',
    ratio: linearity,
    target: `<= ${LINEARITY}x`,
    met: linearity <= LINEARITY,
    runs,
  });
  const summary = `Scaling (query -i P1D -o json): ${slope.toFixed(2)} s per GiB + ${intercept.toFixed(2)} s (least squares over 1x, 2x, 4x, 8x); time per byte at 8x is ${linearity.toFixed(2)}x that at 1x.`;
  return { rows, summary, slope, intercept, linearity };
}

/** The reading-speed target: seconds per GiB of the 8x input at -i P1D, its peak RSS under SCALING_RSS_MIB. */
function speedRow(p, runs) {
  const GiB = 1024 ** 3;
  const perGiB = p.ms / 1000 / (p.size / GiB);
  const bytesPerGiB = p.bytesMs / 1000 / (p.size / GiB);
  const mib = p.rssKiB / 1024;
  return {
    what: `reading speed: query -i P1D of the 8x input, s per GiB (peak RSS ${fmtMiB(p.rssKiB)})`,
    baseline: `read bytes: ${bytesPerGiB.toFixed(2)} s per GiB`,
    subject: `${perGiB.toFixed(2)} s per GiB`,
    ratio: p.ms / p.bytesMs,
    target: `<= ${SPEED_S_PER_GIB} s per GiB, < ${SCALING_RSS_MIB} MiB`,
    met: perGiB <= SPEED_S_PER_GIB && mib < SCALING_RSS_MIB,
    runs,
  };
}

/** --only speed: the 8x input alone, queried beside reading its bytes (median of 3 rounds). */
function runSpeed(inputs) {
  const args = ['-m', 'chat', '--split-by', 'operation,statuscode', '-i', 'P1D', '-o', 'json'];
  const runs = runsFor(3, 1);
  const cmd = cli('speed', 'query', '--fixture', inputs.eight, ...args);
  const bytes = { label: 'read bytes', args: [join(ROOT, 'bench', 'read-bytes.mjs'), inputs.eight] };
  process.stderr.write(`bench: speed: ${runs} run${runs > 1 ? 's' : ''} of ${rel(inputs.eight)}\n`);
  runOnce(bytes); // the disk cache
  const r = [];
  for (let i = 0; i < runs; i++) {
    const q = runOnce(cmd, { rss: true });
    if (q.status !== 0) throw new Error(`speed failed (exit ${q.status ?? q.signal}):\n${q.stderr}`);
    const b = runOnce(bytes, { rss: true });
    r.push({ ms: q.ms, rssKiB: q.rssKiB, bytesMs: b.ms });
  }
  const p = { size: pathSize(inputs.eight), ms: median(r.map((x) => x.ms)), rssKiB: median(r.map((x) => x.rssKiB)), bytesMs: median(r.map((x) => x.bytesMs)) };
  const row = speedRow(p, runs);
  return { rows: [row], summary: `Reading speed (query -i P1D -o json, ${fmtBytes(p.size)}): ${row.subject}, read bytes ${row.baseline.slice(12)}.` };
}

function pathSize(path) {
  const st = statSync(path);
  if (!st.isDirectory()) return st.size;
  let total = 0;
  for (const name of readdirSync(path)) total += pathSize(join(path, name));
  return total;
}

const fmtBytes = (n) => (n >= 1024 ** 3 ? `${(n / 1024 ** 3).toFixed(2)} GiB` : `${(n / 1024 ** 2).toFixed(0)} MiB`);

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
      const target = s.cmd.target;
      rows.push({
        what: `${s.cmd.label}: time`,
        baseline: `${g.baseline.cmd.label}: ${fmtMs(g.baseline.ms)}`,
        subject: fmtMs(s.ms),
        ratio: s.msRatio,
        target: target === undefined ? undefined : `<= ${target}x`,
        met: target === undefined ? undefined : s.msRatio <= target,
        runs: g.runs,
      });
      if (s.rssKiB !== undefined && s.cmd.rssLimitMiB !== undefined) {
        rows.push({
          what: `${s.cmd.label}: peak RSS`,
          baseline: `${g.baseline.cmd.label}: ${fmtMiB(g.baseline.rssKiB)}`,
          subject: fmtMiB(s.rssKiB),
          ratio: s.rssRatio,
          target: `< ${s.cmd.rssLimitMiB} MiB`,
          met: s.rssKiB / 1024 < s.cmd.rssLimitMiB,
          runs: g.runs,
        });
      } else if (s.rssKiB !== undefined) {
        const t = s.cmd.rssTarget;
        rows.push({
          what: `${s.cmd.label}: peak RSS`,
          baseline: `${g.baseline.cmd.label}: ${fmtMiB(g.baseline.rssKiB)}`,
          subject: fmtMiB(s.rssKiB),
          ratio: s.rssRatio,
          target: t === undefined ? undefined : `<= ${t}x`,
          met: t === undefined ? undefined : s.rssRatio <= t,
          runs: g.runs,
        });
      }
    }
  }
  return rows;
}

function textTable(rows) {
  const head = ['measurement', 'baseline (median)', 'acs-metrics (median)', 'ratio (paired)', 'target'];
  const body = rows.map((r) => [
    r.what,
    r.baseline,
    r.subject,
    r.ratio === undefined ? '-' : fmtRatio(r.ratio),
    r.target === undefined ? '-' : `${r.target} ${r.met ? 'met' : 'MISSED'}`,
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells) =>
    cells
      .map((c, i) => c.padEnd(widths[i]))
      .join('  ')
      .trimEnd();
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)].join('\n');
}

function describeMachine() {
  const c = cpus();
  const model = (c[0]?.model ?? 'unknown CPU').replace(/\s+/g, ' ').trim();
  const memGiB = (totalmem() / 1024 ** 3).toFixed(1);
  const date = new Date().toISOString().slice(0, 10);
  let commit = 'unknown';
  try {
    commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'ignore'] })
      .toString()
      .trim();
    // Changes to tracked files other than this report (which the previous run rewrote).
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no', '--', '.', ':!BENCHMARKS.md'], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'ignore'],
    })
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

function writeBenchmarks(rows, machine, inputs, scaling, notes) {
  const file = join(ROOT, 'BENCHMARKS.md');
  const mdRows = rows.map(
    (r) =>
      `| ${r.what} | ${r.baseline} | ${r.subject} | ${r.ratio === undefined ? '-' : fmtRatio(r.ratio)} | ${r.target ?? '-'} | ${r.met === undefined ? '-' : r.met ? 'met' : '**missed**'} |`,
  );
  const size = (p) => fmtBytes(pathSize(p));
  const section = [
    START,
    `Last run: **${machine.date}** on ${machine.cores} x ${machine.cpu}, ${machine.memGiB} GiB memory, Node ${machine.node},`,
    `${machine.os}, commit ${machine.commit}. Peak RSS by ${rssMethod}. Medians of ${[...new Set(rows.map((r) => r.runs))].join('/')} timed runs`,
    'after warm-up, baseline and subject interleaved.',
    '',
    `Inputs: \`${rel(inputs.sample)}\` (${size(inputs.sample)}), \`${rel(inputs.large)}\` (${size(inputs.large)}, 40 series x 43,200 points)` +
      (inputs.scale
        ? `, \`${rel(inputs.scale[0].file)}\` to \`${rel(inputs.scale[3].file)}\` (${size(inputs.scale[0].file)} to ${size(inputs.scale[3].file)}) and \`${rel(inputs.folder)}/\` (20 files, ${size(inputs.folder)}).`
        : '.'),
    '',
    '| measurement | baseline (median) | acs-metrics (median) | ratio (median of paired runs) | target | |',
    '|---|---|---|---|---|---|',
    ...mdRows,
    '| estate: requests and wall time (the estate issue) | - | - | - | - | not measured here yet |',
    '',
    ...(scaling ? [scaling.summary, ''] : []),
    ...notes.map((n) => `Note: ${n}`),
    ...(notes.length ? [''] : []),
    rows.every((r) => r.met !== false)
      ? 'Every target met.'
      : `Missed: ${rows
          .filter((r) => r.met === false)
          .map((r) => r.what)
          .join('; ')}.`,
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
    const r = spawnSync(
      NODE,
      [
        join(ROOT, 'bench', 'estate.mjs'),
        ...(write ? [] : ['--no-write']),
        ...(flag('--check') ? ['--check'] : []),
        ...(quick ? ['--runs', '1', '--quick'] : []),
      ],
      { stdio: 'inherit' },
    );
    if (r.status !== 0) process.exitCode = r.status ?? 1;
  }
  if (only === undefined || only.includes('archive')) {
    // usage over a year of 100 resources from Parquet and from json: its own script and section.
    const r = spawnSync(
      NODE,
      [
        join(ROOT, 'bench', 'archive.mjs'),
        ...(write ? [] : ['--no-write']),
        ...(flag('--check') ? ['--check'] : []),
        ...(quick ? ['--runs', '1', '--quick'] : []),
      ],
      { stdio: 'inherit' },
    );
    if (r.status !== 0) process.exitCode = r.status ?? 1;
  }
} finally {
  closeSync(DEV_NULL);
}

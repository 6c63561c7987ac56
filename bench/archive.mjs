#!/usr/bin/env node
/**
 * The archive benchmark (run by bench/run.mjs, or alone after `npm run build`:
 * node bench/archive.mjs [--runs N] [--no-write] [--check]): issue 20's targets for a year of PT1H
 * archive of 100 resources x 12 metrics (bench/generate-archive.mjs, in .bench/archive-1y):
 * `usage --since 365d -o json` from the Parquet archive beside the same from the json export, in
 * rounds (the order alternating, so that a noisy neighbour slows both alike), both outputs checked to
 * be identical; wall time, peak RSS (GNU time) and the ratio json / Parquet of each round; and the
 * two archives' sizes. And `query -m chat --since 30d --compare 335d -o json` (the last 30 days
 * against the same days 335 days before: the archive holds one year, so a --compare 365d would have no
 * baseline) over both, timed alike. Writes the section between the bench:archive markers of BENCHMARKS.md (not
 * with BENCH_ARCHIVE_RESOURCES=n, which measures n resources instead of 100).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ARCHIVE, generateArchive } from './generate-archive.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const OUT = join(ROOT, '.bench', ARCHIVE.resources === 100 ? 'archive-1y' : `archive-1y-${ARCHIVE.resources}`);
const BIN = join(ROOT, 'bin', 'acs-metrics.js');
const argv = process.argv.slice(2);
const runsArg = argv.indexOf('--runs');
const RUNS = runsArg >= 0 ? Number(argv[runsArg + 1]) : 3;
const WRITE = !argv.includes('--no-write') && ARCHIVE.resources === 100;
const TARGETS = { seconds: 5, rssMB: 300, speedup: 10, smaller: 5 };

function newerThan(path, ...sources) {
  return existsSync(path) && sources.every((s) => statSync(s).mtimeMs <= statSync(path).mtimeMs);
}

function bytesUnder(dir) {
  let n = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) n += e.isDirectory() ? bytesUnder(join(dir, e.name)) : statSync(join(dir, e.name)).size;
  return n;
}

function filesUnder(dir) {
  let n = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) n += e.isDirectory() ? filesUnder(join(dir, e.name)) : 1;
  return n;
}

const USAGE = ['usage', '--since', '365d', '-o', 'json'];
const COMPARE = ['query', '-m', 'chat', '--since', '30d', '--compare', '335d', '-o', 'json'];

/**
 * One run of the command over an archive: wall ms, CPU ms (user + system: less moved by a loaded
 * machine than the wall time), peak RSS (KiB; both from GNU time) and stdout.
 */
function runCommand(dir, command = USAGE) {
  const rssFile = join(ROOT, '.bench', `archive-rss-${process.pid}.txt`);
  const t0 = process.hrtime.bigint();
  const r = spawnSync('/usr/bin/time', ['-f', '%U %S %M', '-o', rssFile, process.execPath, BIN, ...command, '--fixture', dir], {
    cwd: ROOT,
    env: { ...process.env, NO_COLOR: '1' },
    maxBuffer: 256 * 1024 * 1024,
  });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`${command[0]} --fixture ${dir} failed (exit ${r.status ?? r.signal}):\n${r.stderr}`);
  const [user, system, kib] = readFileSync(rssFile, 'utf8').trim().split('\n').pop().split(' ').map(Number);
  rmSync(rssFile, { force: true });
  return { ms, cpuMs: (user + system) * 1000, kib, stdout: r.stdout.toString() };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** A query's JSON with its resource list in id order (it follows the files' order, which the formats do not share). */
function sameResources(stdout) {
  const doc = JSON.parse(stdout);
  if (Array.isArray(doc.resources)) doc.resources.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return JSON.stringify(doc);
}

async function main() {
  const marker = join(OUT, '.generated');
  if (!newerThan(marker, join(ROOT, 'bench', 'generate-archive.mjs'))) {
    process.stderr.write(`bench: generating ${OUT} (a few minutes)\n`);
    await generateArchive(OUT);
    writeFileSync(marker, new Date().toISOString());
  }
  const json = join(OUT, 'json');
  const parquet = join(OUT, 'parquet');
  const rounds = [];
  for (let i = 0; i < RUNS; i++) {
    process.stderr.write(`bench: archive: round ${i + 1} of ${RUNS}\n`);
    const order = i % 2 === 0 ? ['parquet', 'json'] : ['json', 'parquet'];
    const round = {};
    for (const which of order) round[which] = runCommand(which === 'json' ? json : parquet);
    if (round.json.stdout !== round.parquet.stdout) throw new Error('usage from the Parquet archive differs from usage from the json export');
    for (const which of order) round[`${which}Compare`] = runCommand(which === 'json' ? json : parquet, COMPARE);
    if (sameResources(round.jsonCompare.stdout) !== sameResources(round.parquetCompare.stdout))
      throw new Error('query --compare from the Parquet archive differs from the same from the json export');
    rounds.push(round);
  }
  const pq = { ms: median(rounds.map((r) => r.parquet.ms)), cpuMs: median(rounds.map((r) => r.parquet.cpuMs)), kib: median(rounds.map((r) => r.parquet.kib)) };
  const js = { ms: median(rounds.map((r) => r.json.ms)), cpuMs: median(rounds.map((r) => r.json.cpuMs)), kib: median(rounds.map((r) => r.json.kib)) };
  const cpuSpeedup = median(rounds.map((r) => r.json.cpuMs / r.parquet.cpuMs));
  const speedup = median(rounds.map((r) => r.json.ms / r.parquet.ms));
  const cmp = {
    pq: median(rounds.map((r) => r.parquetCompare.ms)),
    pqKib: median(rounds.map((r) => r.parquetCompare.kib)),
    js: median(rounds.map((r) => r.jsonCompare.ms)),
    jsKib: median(rounds.map((r) => r.jsonCompare.kib)),
    pqCpu: median(rounds.map((r) => r.parquetCompare.cpuMs)),
    jsCpu: median(rounds.map((r) => r.jsonCompare.cpuMs)),
  };
  const cmpSpeedup = median(rounds.map((r) => r.jsonCompare.ms / r.parquetCompare.ms));
  const sizes = { json: bytesUnder(json), parquet: bytesUnder(parquet), jsonFiles: filesUnder(json), parquetFiles: filesUnder(parquet) };
  const smaller = sizes.json / sizes.parquet;
  const met = (ok) => (ok ? 'met' : 'missed');
  const mb = (kib) => `${Math.round((kib * 1024) / 1e6)} MB`;
  const checks = [
    `Parquet wall time ${(pq.ms / 1000).toFixed(2)} s (target <= ${TARGETS.seconds} s: ${met(pq.ms <= TARGETS.seconds * 1000)})`,
    `peak RSS ${mb(pq.kib)} (target <= ${TARGETS.rssMB} MB: ${met((pq.kib * 1024) / 1e6 <= TARGETS.rssMB)})`,
    `${speedup.toFixed(1)}x faster than from the json export (target >= ${TARGETS.speedup}x: ${met(speedup >= TARGETS.speedup)})`,
    `${smaller.toFixed(1)}x smaller (target >= ${TARGETS.smaller}x: ${met(smaller >= TARGETS.smaller)})`,
  ];
  const lines = [
    `Archive: ${ARCHIVE.resources} resources x ${ARCHIVE.metrics} metrics x ${ARCHIVE.seriesPerMetric} series, a year (2025) at PT1H (${((ARCHIVE.resources * ARCHIVE.metrics * ARCHIVE.seriesPerMetric * (ARCHIVE.end - ARCHIVE.start)) / 3_600_000 / 1e6).toFixed(1)} million points); \`usage --since 365d -o json\`, ${RUNS} rounds, medians; outputs identical. Run ${new Date().toISOString().slice(0, 16)}Z, Node ${process.version}.`,
    '',
    '| archive | files | size | usage wall time | usage CPU time | peak RSS |',
    '|---|---|---|---|---|---|',
    `| json export | ${sizes.jsonFiles} | ${(sizes.json / 1e6).toFixed(0)} MB | ${(js.ms / 1000).toFixed(2)} s | ${(js.cpuMs / 1000).toFixed(2)} s | ${mb(js.kib)} |`,
    `| Parquet archive | ${sizes.parquetFiles} | ${(sizes.parquet / 1e6).toFixed(1)} MB | ${(pq.ms / 1000).toFixed(2)} s | ${(pq.cpuMs / 1000).toFixed(2)} s | ${mb(pq.kib)} |`,
    '',
    `\`query -m chat --since 30d --compare 335d -o json\` (the last 30 days against the same days 335 days before; outputs identical but for the order of the resource list, which follows the files): json ${(cmp.js / 1000).toFixed(2)} s (CPU ${(cmp.jsCpu / 1000).toFixed(2)} s) / ${mb(cmp.jsKib)}, Parquet ${(cmp.pq / 1000).toFixed(2)} s (CPU ${(cmp.pqCpu / 1000).toFixed(2)} s) / ${mb(cmp.pqKib)}, ${cmpSpeedup.toFixed(1)}x faster (no target).`,
    '',
    `Every round (json / Parquet, wall and CPU): ${rounds.map((r) => `${(r.json.ms / 1000).toFixed(1)} s / ${(r.parquet.ms / 1000).toFixed(1)} s, CPU ${(r.json.cpuMs / 1000).toFixed(1)} s / ${(r.parquet.cpuMs / 1000).toFixed(1)} s`).join('; ')}; by CPU time Parquet is ${cpuSpeedup.toFixed(1)}x faster.`,
    '',
    `${checks.join('; ')}.`,
  ];
  process.stdout.write(`\n${lines.join('\n')}\n`);
  if (WRITE) {
    const file = join(ROOT, 'BENCHMARKS.md');
    const text = readFileSync(file, 'utf8');
    const START = '<!-- bench:archive:start -->';
    const END = '<!-- bench:archive:end -->';
    const section = `${START}\n${lines.join('\n')}\n${END}`;
    const at = text.indexOf(START);
    writeFileSync(
      file,
      at >= 0
        ? `${text.slice(0, at)}${section}${text.slice(text.indexOf(END) + END.length)}`
        : `${text.trimEnd()}\n\n## Archive: a year of 100 resources from Parquet and from json\n\n${section}\n`,
    );
  }
  if (argv.includes('--check') && checks.some((c) => c.includes('missed'))) process.exitCode = 1;
}

await main();

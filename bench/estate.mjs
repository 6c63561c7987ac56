#!/usr/bin/env node
/**
 * The estate benchmark (run by bench/run.mjs, or alone: node bench/estate.mjs [--runs N] [--no-write]):
 * `status` over 200 ACS resources in three subscriptions x every catalog metric, against the test
 * emulator with a fixed 100 ms latency per request, through the batch API (the default) beside the
 * baseline of one Metrics - List request per resource and metric (`--no-batch --per-metric`, the
 * way `az monitor metrics list` and acs-resource-explorer work), both the built CLI over the same
 * estate. Counts requests (at the emulator), wall time and the CLI's peak RSS, and writes the section
 * between the bench:estate markers of BENCHMARKS.md. The two reports must be identical. Then runs
 * bench/estate-scale.mjs (10,000 resources under the service's quotas; --quick: a tenth).
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createInterface } from 'node:readline';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const BENCH_DIR = join(ROOT, '.bench');
const BIN = join(ROOT, 'bin', 'acs-metrics.js');
const argv = process.argv.slice(2);
const runsArg = argv.indexOf('--runs');
const RUNS = runsArg >= 0 ? Number(argv[runsArg + 1]) : 3;
const WRITE = !argv.includes('--no-write');
const RESOURCES = 200;
const LATENCY_MS = 100;
const TARGETS = { requests: 20, time: 10, rssMiB: 200 };

async function startEmulator() {
  mkdirSync(BENCH_DIR, { recursive: true });
  const bundle = join(BENCH_DIR, 'estate-emulator.mjs');
  const { build } = await import('esbuild');
  await build({ entryPoints: [join(ROOT, 'bench', 'estate-emulator.ts')], bundle: true, platform: 'node', format: 'esm', outfile: bundle, logLevel: 'error' });
  const child = spawn(process.execPath, [bundle, JSON.stringify({ resources: RESOURCES, latencyMs: LATENCY_MS })], { stdio: ['ignore', 'pipe', 'inherit'] });
  const line = await new Promise((res, rej) => {
    createInterface({ input: child.stdout }).once('line', res);
    child.once('exit', (code) => rej(new Error(`the emulator exited (${code})`)));
  });
  return { child, ...JSON.parse(line) };
}

async function stats(port, reset = false) {
  const r = await fetch(`http://127.0.0.1:${port}/stats`, { method: reset ? 'POST' : 'GET' });
  return r.json();
}

function runCli(args, emu) {
  const rssFile = join(BENCH_DIR, `estate-rss-${process.pid}.txt`);
  const env = {
    ...process.env,
    NO_COLOR: '1',
    NODE_EXTRA_CA_CERTS: emu.caFile,
    ACS_METRICS_ACCESS_TOKEN: emu.token,
    ACS_METRICS_ENDPOINT: emu.endpoint,
    ACS_METRICS_BATCH_ENDPOINT: emu.endpoint,
    BENCH_MAXRSS_FILE: rssFile,
  };
  const t0 = process.hrtime.bigint();
  const preload = pathToFileURL(join(ROOT, 'bench', 'maxrss-preload.mjs')).href;
  return new Promise((res, rej) => {
    const child = spawn(process.execPath, ['--import', preload, BIN, ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (c) => (out += c));
    child.stderr.on('data', (c) => (err += c));
    child.on('exit', (code) => {
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      if (code !== 0) return rej(new Error(`acs-metrics ${args.join(' ')} failed (exit ${code}):\n${err}`));
      const rssKiB = Number(readFileSync(rssFile, 'utf8').trim());
      rmSync(rssFile, { force: true });
      res({ ms, rssKiB, stdout: out, stderr: err });
    });
  });
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

async function main() {
  const emu = await startEmulator();
  try {
    const common = ['status', '--all-subscriptions', '--metric', 'all', '-o', 'json'];
    const subjects = [
      { label: 'batch API (default)', args: common },
      { label: 'per resource and metric (baseline)', args: [...common, '--no-batch', '--per-metric'] },
    ];
    const results = new Map(subjects.map((s) => [s, { ms: [], rss: [], requests: [] }]));
    let reference;
    for (let i = 0; i < RUNS; i++) {
      for (const s of i % 2 === 0 ? subjects : [...subjects].reverse()) {
        await stats(emu.statsPort, true);
        const r = await runCli(s.args, emu);
        const n = await stats(emu.statsPort);
        // The live clock moves between runs: compare the counts, not the window or bucket times.
        const doc = JSON.parse(r.stdout);
        const counts = JSON.stringify(
          doc.resources.map((x) => [x.id, x.requests, x.errors, x.metrics.map((m) => [m.metric, m.requests, m.errors, m.worstOperation])]),
        );
        reference ??= counts;
        if (counts !== reference) throw new Error(`${s.label} gave other numbers than the first run`);
        if (doc.resources.length !== RESOURCES || doc.partial) throw new Error(`${s.label}: ${doc.resources.length} resources, partial ${doc.partial}`);
        const x = results.get(s);
        x.ms.push(r.ms);
        x.rss.push(r.rssKiB);
        x.requests.push(n.requests);
        process.stderr.write(`bench: estate: ${s.label}: ${n.requests} requests, ${(r.ms / 1000).toFixed(2)} s, ${(r.rssKiB / 1024).toFixed(0)} MiB\n`);
      }
    }
    const [batch, base] = subjects.map((s) => results.get(s));
    const row = (label, x) => ({ label, requests: median(x.requests), ms: median(x.ms), rssMiB: median(x.rss) / 1024 });
    const b = row(subjects[0].label, batch);
    const p = row(subjects[1].label, base);
    const ratios = { requests: p.requests / b.requests, time: p.ms / b.ms };
    const met = { requests: ratios.requests >= TARGETS.requests, time: ratios.time >= TARGETS.time, rss: b.rssMiB < TARGETS.rssMiB };
    const lines = [
      `Estate: ${RESOURCES} resources in 3 subscriptions x all ${(await import(pathToFileURL(join(ROOT, 'dist', 'catalog', 'metrics.js')).href)).METRICS.length} catalog metrics, emulator latency ${LATENCY_MS} ms per request, --concurrency 8 (default), median of ${RUNS} runs.`,
      '',
      '| path | requests | wall time | peak RSS |',
      '|---|---|---|---|',
      `| ${b.label} | ${b.requests} | ${(b.ms / 1000).toFixed(2)} s | ${b.rssMiB.toFixed(0)} MiB |`,
      `| ${p.label} | ${p.requests} | ${(p.ms / 1000).toFixed(2)} s | ${p.rssMiB.toFixed(0)} MiB |`,
      '',
      `Requests: ${ratios.requests.toFixed(1)}x fewer (target >= ${TARGETS.requests}x: ${met.requests ? 'met' : 'MISSED'}); wall time: ${ratios.time.toFixed(1)}x less (target >= ${TARGETS.time}x: ${met.time ? 'met' : 'MISSED'}); peak RSS of the batch run ${b.rssMiB.toFixed(0)} MiB (target < ${TARGETS.rssMiB} MiB: ${met.rss ? 'met' : 'MISSED'}).`,
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
    if (WRITE) {
      const file = join(ROOT, 'BENCHMARKS.md');
      const START = '<!-- bench:estate:start -->';
      const END = '<!-- bench:estate:end -->';
      const text = readFileSync(file, 'utf8');
      const section = `${START}\n${lines.join('\n')}\n${END}`;
      const at = text.indexOf(START);
      writeFileSync(
        file,
        at >= 0
          ? `${text.slice(0, at)}${section}${text.slice(text.indexOf(END) + END.length)}`
          : `${text.trimEnd()}\n\n## Estate: status over 200 resources\n\n${section}\n`,
      );
    }
    if (argv.includes('--check') && !(met.requests && met.time && met.rss)) process.exitCode = 1;
  } finally {
    emu.child.kill('SIGTERM');
  }
  // The estate at scale: 10,000 resources under the service's quotas (--quick: a tenth).
  const scale = spawnSync(
    process.execPath,
    [join(ROOT, 'bench', 'estate-scale.mjs'), ...argv.filter((a) => ['--quick', '--no-write', '--check'].includes(a))],
    { stdio: 'inherit' },
  );
  if (scale.status !== 0) process.exitCode = scale.status ?? 1;
}

await main();

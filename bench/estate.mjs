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
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { bundleEmulator, ROOT, runCli, startEmulator, stats } from './estate-harness.mjs';

const argv = process.argv.slice(2);
const runsArg = argv.indexOf('--runs');
const RUNS = runsArg >= 0 ? Number(argv[runsArg + 1]) : 3;
const WRITE = !argv.includes('--no-write');
const RESOURCES = 200;
const LATENCY_MS = 100;
const TARGETS = { requests: 20, time: 10, rssMiB: 200 };

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

async function main() {
  const emu = await startEmulator(await bundleEmulator(), { resources: RESOURCES, latencyMs: LATENCY_MS });
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
      `Estate: ${RESOURCES} resources in 3 subscriptions x all ${(await import(pathToFileURL(join(ROOT, 'dist', 'catalog', 'metrics.js')).href)).METRICS.filter((m) => !m.legacy).length} current catalog metrics (-m all), emulator latency ${LATENCY_MS} ms per request, --concurrency 8 (default), median of ${RUNS} runs.`,
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

/**
 * What the estate benchmarks share (bench/estate.mjs, bench/estate-scale.mjs): the test emulator
 * bundled and started in its own process, its request counts, and the built CLI run against it with
 * its wall time and peak RSS (bench/maxrss-preload.mjs).
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createInterface } from 'node:readline';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const BENCH_DIR = join(ROOT, '.bench');
const BIN = join(ROOT, 'bin', 'acs-metrics.js');

/** bench/estate-emulator.ts bundled with esbuild into .bench/; returns the file. */
export async function bundleEmulator() {
  mkdirSync(BENCH_DIR, { recursive: true });
  const out = join(BENCH_DIR, 'estate-emulator.mjs');
  const { build } = await import('esbuild');
  await build({ entryPoints: [join(ROOT, 'bench', 'estate-emulator.ts')], bundle: true, platform: 'node', format: 'esm', outfile: out, logLevel: 'error' });
  return out;
}

/** The bundled emulator started with its JSON config; resolves with its child and its first line (ports, token, CA). */
export async function startEmulator(file, config) {
  const child = spawn(process.execPath, [file, JSON.stringify(config)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const line = await new Promise((res, rej) => {
    createInterface({ input: child.stdout }).once('line', res);
    child.once('exit', (code) => rej(new Error(`the emulator exited (${code})`)));
  });
  return { child, ...JSON.parse(line) };
}

/** The emulator's request counts; `reset` zeroes them. */
export const stats = async (port, reset = false) => (await fetch(`http://127.0.0.1:${port}/stats`, { method: reset ? 'POST' : 'GET' })).json();

/** The built CLI against the emulator: wall time (ms), peak RSS (KiB), stdout and stderr; a non-zero exit rejects. */
export function runCli(args, emu, tag = 'estate') {
  const rssFile = join(BENCH_DIR, `${tag}-rss-${process.pid}.txt`);
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
    const out = [];
    let err = '';
    child.stdout.on('data', (c) => out.push(c));
    child.stderr.on('data', (c) => (err += c));
    child.on('exit', (code) => {
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      if (code !== 0) return rej(new Error(`acs-metrics ${args.join(' ')} failed (exit ${code}):\n${err}`));
      const rssKiB = Number(readFileSync(rssFile, 'utf8').trim());
      rmSync(rssFile, { force: true });
      res({ ms, rssKiB, stdout: Buffer.concat(out).toString('utf8'), stderr: err });
    });
  });
}

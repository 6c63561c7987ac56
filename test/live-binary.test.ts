/**
 * The built binary (`node bin/acs-metrics.js`, built by `npm run build`) against the emulator: the
 * process trusts the test certificate through NODE_EXTRA_CA_CERTS, as a real deployment would trust a
 * corporate CA; every output format once, credentials, Ctrl-C, and lazy loading of the Azure SDK.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Harness, openHarness, RESOURCE, testDataset, TOKEN } from './emulator/harness.js';

const ROOT = resolve(import.meta.dirname, '..');
const BIN = join(ROOT, 'bin', 'acs-metrics.js');

interface Result {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

let h: Harness;
let dir: string;
beforeAll(async () => {
  if (!existsSync(join(ROOT, 'dist', 'cli', 'entry.js'))) throw new Error('dist/ is missing: run "npm run build" (npm test does)');
  // The binary runs on the real clock: data up to the current minute.
  h = await openHarness(testDataset(Math.floor(Date.now() / 60_000) * 60_000));
  dir = mkdtempSync(join(tmpdir(), 'acs-metrics-bin-'));
});
afterAll(async () => {
  await h?.close();
  rmSync(dir, { recursive: true, force: true });
});
beforeEach(() => h.emulator.reset());

/** A clean environment: nothing of the caller's Azure or ACS settings leaks in. */
function env(extra: Record<string, string | undefined> = {}): Record<string, string> {
  const base: Record<string, string | undefined> = {
    PATH: process.env.PATH,
    HOME: dir,
    NO_COLOR: '1',
    NODE_EXTRA_CA_CERTS: h.cert.caFile,
    ACS_METRICS_ACCESS_TOKEN: TOKEN,
    ACS_METRICS_ENDPOINT: h.emulator.endpoint,
    ...extra,
  };
  return Object.fromEntries(Object.entries(base).filter((e): e is [string, string] => e[1] !== undefined));
}

function runBin(args: string[], environment: Record<string, string>, onSpawn?: (kill: (s: NodeJS.Signals) => void) => void): Promise<Result> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: dir, env: environment, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const guard = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(guard);
      resolvePromise({ code, signal, stdout, stderr });
    });
    onSpawn?.((s) => child.kill(s));
  });
}

const query = ['query', '--resource', RESOURCE, '-m', 'chat', '--since', '6h'];

describe('the built binary against the emulator', () => {
  it('prints a table', async () => {
    const r = await runBin([...query], env());
    expect(r.stderr).toMatch(/^note: the last bucket \(.*\) may be incomplete: Azure Monitor data arrives a few minutes late\n/);
    // The lifecycle note: chat traffic on a retiring channel.
    expect(r.stderr.split('\n')[1]).toBe(
      'note: chat (APIRequestChat) retires on 2028-09-30 (no new customers since 2026-10-23); see https://learn.microsoft.com/azure/communication-services/acs-retirement-and-breaking-changes-guide',
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Chat API Requests \(APIRequestChat\) · count per PT5M · /);
    expect(r.stdout).toContain('│ SendChatMessage │');
    expect(h.emulator.metricRequests).toHaveLength(1);
  });

  it('takes a subscription by name (the bundle resolves it through Resource Graph) and answers as with the id', async () => {
    const [, , sub, , rg, , , , name] = RESOURCE.split('/');
    // A fixed window inside the data, so that both runs ask for the same minutes.
    const end = new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000 - 3_600_000).toISOString();
    const window = ['-m', 'chat', '--end', end, '--since', '2h', '-o', 'json'];
    const byName = await runBin(['query', '--subscription', 'SUBSCRIPTION 1', '-g', rg!, '--name', name!, ...window], env());
    expect(h.emulator.graphRequests).toHaveLength(1);
    const byId = await runBin(['query', '--resource', RESOURCE, ...window], env());
    expect(byName).toEqual(byId);
    expect(byName.code).toBe(0);
    expect(sub).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('prints JSON', async () => {
    const r = await runBin([...query, '-o', 'json'], env());
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.schemaVersion).toBe(1);
    expect(doc.series.map((s: { dimensions: { Operation: string } }) => s.dimensions.Operation)).toContain('SendChatMessage');
  });

  it('prints CSV', async () => {
    const r = await runBin([...query, '-o', 'csv', '--split-by', 'none'], env());
    expect(r.code).toBe(0);
    expect(r.stdout.split('\r\n')[0]).toBe('timestamp,value');
    expect(r.stdout.split('\r\n').length).toBeGreaterThan(70);
  });

  it('prints a chart', async () => {
    const r = await runBin([...query, '-o', 'chart', '--width', '72'], env());
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('── SendChatMessage');
  });

  it('replays a --save file to identical output', async () => {
    const a = await runBin([...query, '--save', 'bin-saved.json'], env());
    expect(a.code).toBe(0);
    const b = await runBin(['query', '--fixture', 'bin-saved.json', '-m', 'chat', '--since', '6h'], env());
    expect(b.code).toBe(0);
    expect(b.stdout).toBe(a.stdout);
  });

  it('does not trust the emulator without NODE_EXTRA_CA_CERTS', async () => {
    const r = await runBin([...query], env({ NODE_EXTRA_CA_CERTS: undefined }));
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(
      new RegExp(
        `^error: cannot reach ${new URL(h.emulator.endpoint).host.replace(/\./g, '\\.')}: TLS problem \\(DEPTH_ZERO_SELF_SIGNED_CERT\\): self[- ]signed certificate\\n$`,
      ),
    );
  });

  it('says how to sign in when there are no credentials, before any request', async () => {
    // Only the environment credential, with nothing set: no az CLI, no managed identity probes.
    const r = await runBin([...query], env({ ACS_METRICS_ACCESS_TOKEN: undefined, AZURE_TOKEN_CREDENTIALS: 'EnvironmentCredential' }));
    expect(r.stderr).toBe(
      'error: no Azure credentials found: run `az login`, or set AZURE_TENANT_ID/AZURE_CLIENT_ID/AZURE_CLIENT_SECRET, or ACS_METRICS_ACCESS_TOKEN\n',
    );
    expect(r.code).toBe(3);
    expect(h.emulator.requests).toHaveLength(0);
  });

  it('stops on Ctrl-C with exit 130 and leaves no --save file', async () => {
    h.emulator.inject({ kind: 'slow', delayMs: 15_000 });
    const started = Date.now();
    const r = await runBin([...query, '--save', 'sigint.json'], env(), (kill) => {
      const poll = setInterval(() => {
        if (h.emulator.requests.length > 0 || Date.now() - started > 10_000) {
          clearInterval(poll);
          kill('SIGINT');
        }
      }, 20);
    });
    expect(h.emulator.requests).toHaveLength(1);
    expect(r.code).toBe(130);
    expect(r.stderr).toBe('error: interrupted\n');
    expect(Date.now() - started).toBeLessThan(8000);
    expect(readdirSync(dir).filter((f) => f.startsWith('sigint') || f.startsWith('.sigint'))).toEqual([]);
  });

  it('never prints the token, even with --debug and a failure', async () => {
    h.emulator.inject({ kind: 'status', status: 401 });
    const r = await runBin([...query, '--debug'], env());
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('(authorization: <redacted>)');
    expect(r.stdout + r.stderr).not.toContain(TOKEN);
  });

  it('loads the Azure SDK only for live queries', async () => {
    const loaded = async (args: string[]) => (await runBin(args, env({ NODE_DEBUG: 'esm,module' }))).stderr;
    const catalog = await loaded(['catalog']);
    // Each command runs from its bundle (scripts/bundle-commands.mjs), with no module of the others.
    expect(catalog).toContain('dist/run-catalog.cjs');
    expect(catalog).not.toContain('dist/cli/');
    expect(catalog).not.toContain('node_modules/@azure/');
    const fixture = await loaded(['query', '--fixture', join(ROOT, 'fixtures', 'sample-week.json'), '-m', 'chat', '--since', '24h']);
    expect(fixture).toContain('dist/run-query.cjs');
    expect(fixture).not.toContain('dist/sources/');
    expect(fixture).not.toContain('node_modules/@azure/');
    const liveRun = await loaded([...query]);
    expect(liveRun).toContain('node_modules/@azure/arm-monitor/');
    // A ready token needs no @azure/identity.
    expect(liveRun).not.toContain('node_modules/@azure/identity/');
    expect(liveRun).not.toContain('node_modules/@azure/storage-blob/');
    // A blob archive loads the Storage SDK (nothing listens on port 9: the run fails, after loading it).
    const blobEnv = env({ NODE_DEBUG: 'esm,module', AZURE_STORAGE_CONNECTION_STRING: 'UseDevelopmentStorage=true' });
    const blob = await runBin(['query', '--fixture', 'http://127.0.0.1:9/devstoreaccount1/archive/x', '-m', 'chat'], blobEnv);
    expect(blob.stderr).toContain('node_modules/@azure/storage-blob/');
    expect(blob.code).toBe(3);
  }, 60_000);
});

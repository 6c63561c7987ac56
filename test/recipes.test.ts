/**
 * The progressive-delivery recipes (recipes/): the command line of the Argo Rollouts AnalysisTemplate
 * (Job provider) and of the Flagger canary webhook (load tester, type: cmd) is read from the recipe
 * file, with the rules of its ConfigMap and the environment its pod gets, and run against the
 * emulator: green (exit 0), red (exit 1), and data that stops (exit 3). The clock advances only when
 * the command sleeps; data arrives 3 minutes late.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { resolveMetric } from '../src/catalog/resolve.js';
import { main } from '../src/cli/main.js';
import { testIo } from './helpers/io.js';
import { tempDir } from './helpers/temp.js';
import { buildMetric, type Dataset } from './emulator/dataset.js';
import { type Harness, liveEnv, NOW, openHarness, RESOURCE } from './emulator/harness.js';

const ROOT = resolve(import.meta.dirname, '..');
const RECIPES = join(ROOT, 'recipes');
const MIN = 60_000;
const T0_MINUTE = Math.floor(NOW / MIN) * MIN;

let clock = NOW;
let errorsFrom = Number.POSITIVE_INFINITY;
let stopsAt = Number.POSITIVE_INFINITY;
const chat = resolveMetric('chat');
const dataset: Dataset = {
  get metrics() {
    const end = Math.min(Math.floor((clock - 3 * MIN) / MIN) * MIN, stopsAt);
    return [
      buildMetric(chat, T0_MINUTE - 60 * MIN, end, MIN, [
        { dims: { Operation: 'SendChatMessage', StatusCode: '200', StatusSubClass: '2xx' }, count: (t) => (t >= errorsFrom ? 50 : 100) },
        { dims: { Operation: 'SendChatMessage', StatusCode: '500', StatusSubClass: '5xx' }, count: (t) => (t >= errorsFrom ? 50 : 0) },
      ]),
    ];
  },
};

let h: Harness;
beforeAll(async () => {
  h = await openHarness(dataset);
});
afterAll(async () => {
  await h?.close();
});

type Doc = Record<string, any>;
const docs = (file: string): Doc[] => parseAllDocuments(readFileSync(join(RECIPES, file), 'utf8')).map((d) => d.toJS() as Doc);

/** The rules of the acs-gates ConfigMap, written where the pod would see them (mountPath -> dir). */
function mountRules(): string {
  const [configMap] = docs('acs-gates.yaml');
  expect(configMap!.metadata.name).toBe('acs-gates');
  const dir = tempDir();
  for (const [key, text] of Object.entries(configMap!.data as Record<string, string>)) writeFileSync(join(dir, key), text);
  return dir;
}

/** Words of a command line as sh splits them (quotes, no expansion). */
function shellWords(cmd: string): string[] {
  return [...cmd.matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g)].map((m) => m[1] ?? m[2] ?? m[3]!);
}

/** Runs `acs-metrics ARGS` in-process with the pod's environment, a clock that advances on sleep. */
async function runAt(argv: string[], env: Record<string, string>) {
  clock = NOW;
  const t = testIo({ env: liveEnv(h, env) });
  const io = { ...t.io, now: () => new Date(clock), sleep: async (ms: number) => void (clock += ms) };
  expect(argv[0]).toBe('acs-metrics');
  const code = await main(argv.slice(1), io);
  return { code, stdout: t.out(), stderr: t.err() };
}

/** The Argo recipe's command and environment, with the template's args filled in. */
function argoCommand(rulesDir: string): { argv: string[]; env: Record<string, string> } {
  const [template] = docs('argo-rollouts/analysis-template.yaml');
  expect(template!.kind).toBe('AnalysisTemplate');
  const job = template!.spec.metrics[0].provider.job.spec;
  const container = job.template.spec.containers[0];
  const args: Record<string, string> = { 'acs-resource-id': RESOURCE, image: 'acs-metrics:test' };
  const fill = (s: string) => s.replace(/\{\{args\.([\w-]+)\}\}/g, (_, name: string) => args[name]!);
  const mount = container.volumeMounts[0].mountPath as string;
  const argv = (container.command as string[]).map((w) => fill(w).replace(mount, rulesDir));
  const env = Object.fromEntries((container.env as { name: string; value: string }[]).map((e) => [e.name, fill(e.value)]));
  return { argv, env };
}

/** The Flagger recipe's webhook command and the load tester's environment. */
function flaggerCommand(rulesDir: string): { argv: string[]; env: Record<string, string> } {
  const [canary, patch] = docs('flagger/canary.yaml');
  const hook = canary!.spec.analysis.webhooks[0];
  expect(hook.metadata.type).toBe('cmd');
  const container = patch!.spec.template.spec.containers[0];
  const mount = container.volumeMounts[0].mountPath as string;
  const argv = shellWords(hook.metadata.cmd).map((w) => w.replace(mount, rulesDir));
  // The load tester's own resource id is an example: the test points it at the emulator's.
  const env = Object.fromEntries(
    (container.env as { name: string; value: string }[]).map((e) => [e.name, e.name === 'ACS_METRICS_RESOURCE' ? RESOURCE : e.value]),
  );
  return { argv, env };
}

describe('Argo Rollouts AnalysisTemplate (Job provider)', () => {
  it('runs check --watch on the ConfigMap rules with the resource from the pod env', () => {
    const { argv, env } = argoCommand('/rules-here');
    expect(argv).toEqual(['acs-metrics', 'check', '--config', '/rules-here/gates.json', '--since', '10m', '--watch', '--for', '15m', '--every', '1m']);
    expect(env).toEqual({ ACS_METRICS_RESOURCE: RESOURCE });
  });

  it('exit 3 is retried by the Job, any other failure fails it at once', () => {
    const [template] = docs('argo-rollouts/analysis-template.yaml');
    const job = template!.spec.metrics[0].provider.job.spec;
    expect(job.template.spec.restartPolicy).toBe('Never');
    expect(job.podFailurePolicy.rules).toEqual([{ action: 'FailJob', onExitCodes: { containerName: 'acs-metrics', operator: 'NotIn', values: [3] } }]);
    expect(job.backoffLimit).toBe(2);
  });

  it('green: 15 minutes of clean traffic, exit 0 (analysis Successful)', async () => {
    errorsFrom = Number.POSITIVE_INFINITY;
    stopsAt = Number.POSITIVE_INFINITY;
    const r = await runAt(...(Object.values(argoCommand(mountRules())) as [string[], Record<string, string>]));
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/PASS {2}chat errors +error rate 0\.00% <= 1\.00% +requests 1,000 +errors 0/);
    expect(r.stderr).toContain('watch: #16 ');
  });

  it('red: half the requests fail from 23:58, exit 1 (analysis Failed: roll back)', async () => {
    errorsFrom = T0_MINUTE - 2 * MIN;
    stopsAt = Number.POSITIVE_INFINITY;
    const r = await runAt(...(Object.values(argoCommand(mountRules())) as [string[], Record<string, string>]));
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/FAIL {2}chat errors +error rate 5\.00% > 1\.00% +requests 1,000 +errors 50/);
  });

  it('traffic that vanishes: exit 1 (the chat traffic rule fails)', async () => {
    errorsFrom = Number.POSITIVE_INFINITY;
    stopsAt = T0_MINUTE - 10 * MIN;
    const r = await runAt(...(Object.values(argoCommand(mountRules())) as [string[], Record<string, string>]));
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/FAIL +chat traffic +requests 0 < min-total 1 +requests 0/);
  });

  it('data that cannot be read (a resource the emulator does not know): exit 3, never a pass', async () => {
    errorsFrom = Number.POSITIVE_INFINITY;
    stopsAt = Number.POSITIVE_INFINITY;
    const { argv, env } = argoCommand(mountRules());
    const r = await runAt(argv, { ...env, ACS_METRICS_RESOURCE: RESOURCE.replace('acs-test', 'acs-gone') });
    expect(r.code).toBe(3);
  });
});

describe('Flagger canary webhook (load tester, type: cmd)', () => {
  it('green: exit 0 (the webhook passes)', async () => {
    errorsFrom = Number.POSITIVE_INFINITY;
    stopsAt = Number.POSITIVE_INFINITY;
    const { argv, env } = flaggerCommand(mountRules());
    expect(argv.slice(0, 4)).toEqual(['acs-metrics', 'check', '--config', expect.stringMatching(/gates\.json$/)]);
    const r = await runAt(argv, env);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('PASS  chat errors');
  });

  it('red: exit 1 (a failed check; `threshold` of them roll back)', async () => {
    // The watched window ends 5 minutes before the clock: errors from 23:50 are in it at once.
    errorsFrom = T0_MINUTE - 10 * MIN;
    stopsAt = Number.POSITIVE_INFINITY;
    const { argv, env } = flaggerCommand(mountRules());
    const r = await runAt(argv, env);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('FAIL  chat errors');
  });
});

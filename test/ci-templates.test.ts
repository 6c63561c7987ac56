/**
 * The GitHub Action (action.yml) and the Azure Pipelines template (ci/azure-pipelines/): the script of
 * their check step is read from the file, its `${{ inputs.x }}` / `${{ parameters.x }}` and `$(...)`
 * macros filled in as the runner would, and run with bash against the built binary (`npm run build`
 * first) on the bundled sample week: green and red, with the annotations, job summary, step output
 * and JUnit file they promise. The install steps (npm ci) are not run here: they would replace this
 * checkout's node_modules.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { tempDir } from './helpers/temp.js';
import { type Harness, openHarness, RESOURCE, testDataset, TOKEN } from './emulator/harness.js';

const ROOT = resolve(import.meta.dirname, '..');
const SAMPLE = join(ROOT, 'fixtures', 'sample-week.json');

/** Chat over the sample's last hour: 553 requests, 6 errors (1.08%). */
const rules = (maxErrorRate: string) =>
  JSON.stringify({
    rules: [
      { name: 'chat errors', metric: 'chat', maxErrorRate },
      { name: 'chat traffic', metric: 'chat', minTotal: 1 },
    ],
  });

/** Runs a step's script as GitHub runs a composite bash step: `bash --noprofile --norc -eo pipefail {0}`. */
function runBash(script: string, env: Record<string, string>, cwd: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done, fail) => {
    // Not spawnSync: the emulator answers from this process.
    const child = spawn('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', script], {
      cwd,
      env: { PATH: process.env.PATH!, HOME: cwd, NO_COLOR: '1', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const guard = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', fail);
    child.on('close', (code) => {
      clearTimeout(guard);
      done({ code, stdout, stderr });
    });
  });
}

describe('action.yml (composite GitHub Action)', () => {
  const action = parse(readFileSync(join(ROOT, 'action.yml'), 'utf8'));
  const step = (action.runs.steps as { id?: string; run: string; env?: Record<string, string> }[]).find((s) => s.id === 'check')!;

  /** The step's env with ${{ inputs.x }} filled from `given`, else the input's default. */
  function stepEnv(given: Record<string, string>): Record<string, string> {
    return Object.fromEntries(
      Object.entries(step.env!).map(([k, v]) => [
        k,
        v.replace(/\$\{\{ inputs\.([\w-]+) \}\}/g, (_, name: string) => given[name] ?? String(action.inputs[name].default ?? '')),
      ]),
    );
  }

  async function runAction(maxErrorRate: string, inputs: Record<string, string> = { args: `--fixture ${SAMPLE}` }, live: Record<string, string> = {}) {
    const dir = tempDir();
    writeFileSync(join(dir, 'gates.json'), rules(maxErrorRate));
    const env = {
      ...live,
      ...stepEnv({ rules: 'gates.json', junit: 'acs-check.xml', ...inputs }),
      GITHUB_ACTIONS: 'true',
      GITHUB_ACTION_PATH: ROOT,
      GITHUB_OUTPUT: join(dir, 'output'),
      GITHUB_STEP_SUMMARY: join(dir, 'summary.md'),
    };
    const r = await runBash(step.run, env, dir);
    const read = (f: string) => (existsSync(join(dir, f)) ? readFileSync(join(dir, f), 'utf8') : '');
    return { ...r, output: read('output'), summary: read('summary.md'), junit: read('acs-check.xml') };
  }

  it('is composite, installs with npm ci, and takes the rules file and the selection as inputs', () => {
    expect(action.runs.using).toBe('composite');
    expect(action.runs.steps[0].run).toBe('npm ci --prefix "$GITHUB_ACTION_PATH" --no-audit --no-fund');
    expect(Object.keys(action.inputs)).toEqual(['rules', 'resource', 'resources-from', 'subscription', 'resource-group', 'name', 'since', 'junit', 'args']);
    expect(action.outputs['exit-code'].value).toBe('${{ steps.check.outputs.exit-code }}');
  });

  it('green: exit 0, exit-code=0, the summary table', async () => {
    const r = await runAction('2%');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^PASS {2}chat errors +error rate 1\.08% <= 2\.00% +requests 553 +errors 6/m);
    expect(r.summary).toMatch(/^### acs-metrics check: PASSED\n/);
    expect(r.summary).toContain('| ✅ PASS | chat errors | chat | 1.08% | 2.00% | 553 | 6 | RemoveChatThreadParticipant 50.00% |');
    expect(r.output).toBe('exit-code=0\n');
    expect(r.summary).toContain('chat errors');
    expect(r.stdout).not.toContain('::error');
    expect(r.junit).toContain('<testcase');
  });

  it('red: exit 1, exit-code=1, an ::error annotation for the failing rule', async () => {
    const r = await runAction('1%');
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^FAIL {2}chat errors +error rate 1\.08% > 1\.00%/m);
    expect(r.stdout).toContain(
      '::error title=acs-metrics check%3A chat errors::FAIL chat errors (chat): error rate 1.08%25 > 1.00%25 (requests 553, errors 6, worst RemoveChatThreadParticipant 50.00%25)\n',
    );
    expect(r.output).toBe('exit-code=1\n');
    expect(r.summary).toContain('chat errors');
    expect(r.junit).toContain('<failure');
  });
  describe('against the emulator, with the resource input (the binary on the real clock)', () => {
    let h: Harness;
    beforeAll(async () => {
      h = await openHarness(testDataset(Math.floor(Date.now() / 60_000) * 60_000));
    });
    afterAll(async () => {
      await h?.close();
    });
    const live = () => ({
      NODE_EXTRA_CA_CERTS: h.cert.caFile,
      ACS_METRICS_ACCESS_TOKEN: TOKEN,
      ACS_METRICS_ENDPOINT: h.emulator.endpoint,
      ACS_METRICS_BATCH_ENDPOINT: h.emulator.endpoint,
    });

    // Chat over any hour of the test data: 9 errors (429s, a 500, 404s) in about 310 requests, 2.9% (2% to 4% whatever the minute).
    it('green: 5% passes', async () => {
      const r = await runAction('5%', { resource: RESOURCE }, live());
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/^PASS {2}chat errors +error rate [23]\.\d\d% <= 5\.00%/m);
      expect(r.output).toBe('exit-code=0\n');
    });

    it('red: 1% fails with an annotation', async () => {
      const r = await runAction('1%', { resource: RESOURCE }, live());
      expect(r.code).toBe(1);
      expect(r.stdout).toMatch(/^::error title=acs-metrics check%3A chat errors::FAIL chat errors/m);
      expect(r.output).toBe('exit-code=1\n');
    });
  });
});

describe('ci/azure-pipelines/acs-metrics-check.yml (steps template)', () => {
  const template = parse(readFileSync(join(ROOT, 'ci', 'azure-pipelines', 'acs-metrics-check.yml'), 'utf8'));
  const step = (template.steps as { task?: string; env?: Record<string, string>; inputs: Record<string, string> }[]).find((s) => s.task === 'AzureCLI@2')!;
  const defaults = Object.fromEntries((template.parameters as { name: string; default?: string }[]).map((p) => [p.name, p.default ?? '']));

  function runTemplate(maxErrorRate: string) {
    const dir = tempDir();
    writeFileSync(join(dir, 'gates.json'), rules(maxErrorRate));
    const params: Record<string, string> = { ...defaults, rules: join(dir, 'gates.json'), args: `--fixture ${SAMPLE}`, acsMetricsPath: ROOT };
    const env = Object.fromEntries(Object.entries(step.env!).map(([k, v]) => [k, v.replace(/\$\{\{ parameters\.(\w+) \}\}/g, (_, n: string) => params[n]!)]));
    // Azure Pipelines replaces $(Build.ArtifactStagingDirectory) in the script before it runs.
    const script = step.inputs.inlineScript!.replaceAll('$(Build.ArtifactStagingDirectory)', dir);
    const r = spawnSync('bash', ['-c', script], { cwd: dir, env: { PATH: process.env.PATH!, NO_COLOR: '1', ...env }, encoding: 'utf8', timeout: 60_000 });
    const junit = existsSync(join(dir, 'acs-check.xml')) ? readFileSync(join(dir, 'acs-check.xml'), 'utf8') : '';
    return { code: r.status, stdout: r.stdout, stderr: r.stderr, junit };
  }

  it('runs check with the service connection, then publishes the JUnit report always', () => {
    expect(step.inputs.scriptType).toBe('bash');
    const publish = (template.steps as { task?: string; condition?: string; inputs?: Record<string, string> }[]).find(
      (s) => s.task === 'PublishTestResults@2',
    )!;
    expect(publish.condition).toBe('always()');
    expect(publish.inputs!.testResultsFiles).toBe('$(Build.ArtifactStagingDirectory)/acs-check.xml');
  });

  it('green: exit 0 and a JUnit report without failures', () => {
    const r = runTemplate('2%');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^PASS {2}chat errors/m);
    expect(r.junit).toContain('<testsuite name="acs-metrics check"');
    expect(r.junit).not.toContain('<failure');
  });

  it('red: exit 1 (the task fails) and a JUnit failure for the rule', () => {
    const r = runTemplate('1%');
    expect(r.code).toBe(1);
    expect(r.junit).toContain('<failure');
  });
});

/**
 * Every acs-metrics command the README shows runs here, in the README's order, against the bundled
 * sample: fixture commands read fixtures/sample-week.json, live ones ($ACS_ID, $ACS_RESOURCE_ID) ask
 * the Azure Monitor emulator serving the same sample, with the clock just after its end (off the
 * minute). Each must give the result the README documents: exit 0 (the rules-file example passes on
 * the sample), or the code a `# exits N` comment on the line gives; data on stdout, no error on stderr.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { datasetFromBody } from './emulator/dataset.js';
import { type Harness, liveEnv, openHarness, RESOURCE, SUBSCRIPTION } from './emulator/harness.js';
import { run } from './helpers/io.js';

const ROOT = join(import.meta.dirname, '..');
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');
const SAMPLE = join(ROOT, 'fixtures', 'sample-week.json');
const CLOCK = new Date('2026-01-08T00:00:37.250Z');

/** The lines of the README's sh blocks, continuation lines joined, comments dropped. */
function shellLines(markdown: string): string[] {
  const lines: string[] = [];
  let inSh = false;
  let pending = '';
  for (const raw of markdown.split('\n')) {
    const line = raw.trim();
    if (line.startsWith('```')) {
      inSh = !inSh && line === '```sh';
      continue;
    }
    if (!inSh) continue;
    const joined = pending + line;
    if (joined.endsWith('\\')) {
      pending = `${joined.slice(0, -1)} `;
      continue;
    }
    pending = '';
    if (joined !== '' && !joined.startsWith('#')) lines.push(joined);
  }
  return lines;
}

/** Shell words of a command line up to a pipe, a redirection or a comment (quotes removed, $VARS kept). */
function words(line: string): string[] {
  const out: string[] = [];
  const re = /"([^"]*)"|'([^']*)'|(\|\s|>\s|#\s)|(\S+)/g;
  for (let m = re.exec(line); m !== null; m = re.exec(line)) {
    if (m[3] !== undefined) break;
    out.push(m[1] ?? m[2] ?? m[4]!);
  }
  return out;
}

const SUBSTITUTE: Record<string, string> = {
  $ACS_ID: RESOURCE,
  $ACS_RESOURCE_ID: RESOURCE,
  $WORKSPACE_ID: '/subscriptions/00000000-0000-4000-8000-000000000001/resourceGroups/rg-logs/providers/Microsoft.OperationalInsights/workspaces/acs-logs',
  $SUB: SUBSCRIPTION,
  '<guid>': SUBSCRIPTION,
  'my-rg': 'rg-test',
  'my-acs': 'acs-test',
  'fixtures/sample-week.json': SAMPLE,
};

/** The README's rules-file example (the JSON block after "#### Rules file"). */
function rulesExample(): string {
  const at = README.indexOf('#### Rules file');
  const start = README.indexOf('```json', at) + '```json'.length;
  return README.slice(start, README.indexOf('```', start));
}

const commands = shellLines(README)
  .map((l) => l.replace(/^npm ci && npx /, ''))
  .filter((l) => l.startsWith('acs-metrics ') || l.startsWith('export ACS_METRICS_RESOURCE='));
// Sovereign clouds cannot be reached from a test: their endpoints are checked in live-query-cli.test.ts.
// Nor can Blob Storage: export-blob.test.ts runs those commands against Azurite.
const runnable = commands.filter((l) => !/--endpoint https:\/\/management\.(usgovcloudapi\.net|chinacloudapi\.cn)/.test(l) && !/ https:\/\/\w+\.blob\.core\.windows\.net\//.test(l));

describe('the README commands, on the bundled sample', () => {
  let h: Harness;
  let dir: string;
  const env: Record<string, string | undefined> = {};
  beforeAll(async () => {
    // Azure keeps minute data: the sample's hours are served as minutes, so any window can be asked for.
    // The same resource is also a one-resource estate (Resource Graph and the batch API) for the estate examples.
    const dataset = datasetFromBody(JSON.parse(readFileSync(SAMPLE, 'utf8')), { minutes: true });
    const estate = [{ id: RESOURCE, subscription: SUBSCRIPTION, resourceGroup: 'rg-test', name: 'acs-test', location: 'global', dataLocation: 'Europe', tags: { env: 'prod' }, dataset }];
    h = await openHarness(dataset, undefined, estate);
    dir = mkdtempSync(join(tmpdir(), 'acs-metrics-test-readme-'));
    writeFileSync(join(dir, 'gates.json'), rulesExample());
    Object.assign(env, liveEnv(h));
  });
  afterAll(async () => {
    await h.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('finds the commands (the README has not lost its examples)', () => {
    expect(runnable.length).toBeGreaterThanOrEqual(20);
    expect(commands.length - runnable.length).toBe(5);
  });

  it.each(runnable.map((l) => [l]))('%s', async (line) => {
    if (line.startsWith('export ')) {
      env.ACS_METRICS_RESOURCE = RESOURCE;
      return;
    }
    const argv = words(line).slice(1).map((w) => SUBSTITUTE[w] ?? w);
    const r = await run(argv, { env, cwd: dir, now: CLOCK });
    expect(r.stderr).not.toMatch(/^error/m);
    expect(r.code).toBe(Number(/# exits (\d+)/.exec(line)?.[1] ?? 0));
    // An export writes its folder, not stdout; everything else prints data.
    if (!/^acs-metrics export (?!--verify)/.test(line)) expect(r.stdout).not.toBe('');
    // `> file`: later commands read it (--resources-from prod.json).
    const redirect = /\s>\s+(\S+)\s*$/.exec(line)?.[1];
    if (redirect && !redirect.includes('/')) writeFileSync(join(dir, redirect), r.stdout);
  });
});

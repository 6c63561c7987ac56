/**
 * The emulator serving the bundled sample week: a live query and the same query on the fixture file
 * must print the same thing, since the core treats both sources alike.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { run } from './helpers/io.js';
import { datasetFromBody } from './emulator/dataset.js';
import { type Harness, liveEnv, openHarness, RESOURCE } from './emulator/harness.js';
import { withoutCost } from './helpers/cost.js';

const SAMPLE = join(resolve(import.meta.dirname, '..'), 'fixtures', 'sample-week.json');

let h: Harness;
beforeAll(async () => {
  h = await openHarness(datasetFromBody(JSON.parse(readFileSync(SAMPLE, 'utf8'))));
});
afterAll(async () => h?.close());

const cases: string[][] = [
  ['-m', 'chat', '--since', '24h', '--interval', '1h'],
  ['-m', 'router', '--since', '3d', '--interval', '6h', '--split-by', 'operation,statuscode', '-o', 'csv'],
  ['-m', 'sms', '--since', '7d', '--interval', 'FULL', '--errors', '5xx,429', '-o', 'json'],
  ['-m', 'email', '--start', '2026-01-05', '--end', '2026-01-07', '--interval', '1d', '--status-class', '4xx,5xx', '--split-by', 'statuscode'],
];
for (const args of cases) {
  it(`prints the same live and from the file: ${args.join(' ')}`, async () => {
    const live = await run(['query', '--resource', RESOURCE, ...args], { env: liveEnv(h) });
    const file = await run(['query', '--fixture', SAMPLE, ...args]);
    expect(live.code).toBe(0);
    expect(file.code).toBe(0);
    expect(live.stdout.length).toBeGreaterThan(100);
    expect(withoutCost(live.stdout)).toBe(withoutCost(file.stdout));
  });
}

/**
 * The same data read from a json export and from a Parquet archive gives byte-identical output: the
 * order of resources does not come from the archive's files (a json export keeps a resource's files
 * under <sub>/<group>/<name>/, a Parquet archive under part-<sub>.<group>.<name>.*, so "rg.x" and "rg"
 * sort one way in one and the other way in the other), but is defined: resource id order.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EstateResource } from './emulator/estate-api.js';
import { chatErrorsPerHour, chatPerHour, makeEstate, SUBS } from './emulator/estate.js';
import { type Harness, liveEnv, openEstateHarness } from './emulator/harness.js';
import { run } from './helpers/io.js';
import { tempDir } from './helpers/temp.js';

/**
 * Ten resources in one subscription: resource i in group "rg" (even i) or "rg.x" (odd i), named
 * acs-<i % 5>, so that resources i and i + 5 share a name and (but for i = 3) their traffic.
 */
function estate(): EstateResource[] {
  return makeEstate(10).map((r, i) => {
    const [rg, name] = [i % 2 === 0 ? 'rg' : 'rg.x', `acs-${i % 5}`];
    const id = `/subscriptions/${SUBS[0]}/resourceGroups/${rg}/providers/Microsoft.Communication/CommunicationServices/${name}`;
    return { ...r, id, subscription: SUBS[0], resourceGroup: rg, name };
  });
}

describe('a json export and a Parquet archive of the same data', () => {
  let h: Harness;
  let pq: string;
  let js: string;
  const resources = estate();
  beforeAll(async () => {
    h = await openEstateHarness(resources);
    pq = join(tempDir(), 'pq');
    js = join(tempDir(), 'js');
    const argv = ['--subscription', SUBS[0], '-m', 'chat', '--interval', 'PT1H', '--since', '40d'];
    expect(await run(['export', pq, ...argv, '--format', 'parquet'], { env: liveEnv(h) })).toMatchObject({ code: 0, stdout: '' });
    expect(await run(['export', js, ...argv], { env: liveEnv(h) })).toMatchObject({ code: 0, stdout: '' });
  }, 60_000);
  afterAll(async () => {
    await h.close();
  }, 60_000);

  it('list the resources in id order, with the same numbers, in byte-identical output', async () => {
    const byId = resources.map((r) => r.id).sort((a, b) => (a.toLowerCase() < b.toLowerCase() ? -1 : 1));
    for (const dir of [pq, js]) {
      const r = await run(['query', '-m', 'chat', '--since', '1d', '--split-by', 'resource', '-o', 'json', '--fixture', dir]);
      expect(r.code, r.stderr).toBe(0);
      const answer = JSON.parse(r.stdout) as { resources: { id: string }[]; series: { dimensions: { Resource: string }; total: number }[] };
      expect(answer.resources.map((x) => x.id)).toEqual(byId);
      // By hand: 24 hours of (i % 5 + 1) SendChatMessage and, for i = 3, 2 GetChatThread an hour.
      const totals = Object.fromEntries(answer.series.map((s) => [s.dimensions.Resource, s.total]));
      expect(totals).toEqual(Object.fromEntries(resources.map((x, i) => [x.id, 24 * (chatPerHour(i) + chatErrorsPerHour(i))])));
    }
  }, 60_000);

  it('give byte-identical output to every command, table and json', async () => {
    const commands = [
      ['query', '-m', 'chat', '-o', 'json'],
      ['query', '-m', 'chat', '--since', '1d', '-o', 'json'],
      ['query', '-m', 'chat', '--since', '1d', '--split-by', 'resource'],
      ['query', '-m', 'chat', '--since', '1d', '--split-by', 'resource', '-o', 'csv'],
      ['check', '-m', 'chat', '--max-error-rate', '5%', '--since', '1d'],
      ['check', '-m', 'chat', '--max-error-rate', '5%', '--since', '1d', '-o', 'json'],
      ['status', '--since', '1d'],
      ['status', '--since', '1d', '-o', 'json'],
      ['usage', '--since', '1d'],
    ];
    for (const argv of commands) {
      const a = await run([...argv, '--fixture', pq]);
      const b = await run([...argv, '--fixture', js]);
      expect(a.stdout, argv.join(' ')).not.toBe('');
      expect(a.stdout, argv.join(' ')).toBe(b.stdout);
    }
  }, 60_000);
});

/**
 * Issue 20's target "a daily re-run on 120 resources sends no more requests than an export of that
 * one day", counted at the emulator: an archive of 120 resources in three subscriptions exported
 * over 40 days, then run again a day later, beside a new export of just that last day at the same clock.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeEstate } from './emulator/estate.js';
import { DAY, HOUR, liveEnv, NOW, openEstateHarness } from './emulator/harness.js';
import { run } from './helpers/io.js';
import { tempDir } from './helpers/temp.js';

describe('a daily re-run of an export of 120 resources', () => {
  it('sends no more requests than an export of that one day (json and Parquet)', async () => {
    const h = await openEstateHarness(makeEstate(120, NOW + 2 * DAY));
    try {
      const at = async (clock: number, argv: string[]) => {
        h.emulator.clock = clock;
        h.emulator.reset();
        const r = await run(argv, { env: liveEnv(h), now: new Date(clock) });
        expect(r.code).toBe(0);
        return { graph: h.emulator.graphRequests.length, batch: h.emulator.batchRequests.length, all: h.emulator.requests.length };
      };
      const args = ['--all-subscriptions', '-m', 'chat,sms', '--interval', 'PT1H'];
      const counts: Record<string, unknown> = {};
      for (const format of ['json', 'parquet']) {
        const dir = join(tempDir(), 'archive');
        // 40 days: two 30-day requests per batch, so a re-run that fetched the archive again would send twice as many.
        const first = await at(NOW, ['export', dir, ...args, '--since', '40d', '--format', format]);
        const rerun = await at(NOW + DAY + 7 * HOUR, ['export', dir, ...args]);
        const oneDay = await at(NOW + DAY + 7 * HOUR, ['export', join(tempDir(), 'day'), ...args, '--since', '1d', '--format', format]);
        expect(first.batch).toBe(2 * oneDay.batch);
        expect(rerun.all).toBeLessThanOrEqual(oneDay.all);
        expect(rerun.batch).toBeLessThanOrEqual(oneDay.batch);
        counts[format] = { first, rerun, oneDay };
      }
      process.stderr.write(`daily re-run requests: ${JSON.stringify(counts)}\n`);
    } finally {
      await h.close();
    }
  }, 120_000);
});

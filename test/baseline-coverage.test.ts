/**
 * Issue 19 item 1: a baseline window the data covers only in part is never compared as if whole
 * (query --compare, check --baseline, a rules file's baseline). On the sample week (data from
 * 2026-01-01T00:00Z to 2026-01-08T00:00Z), `--since 1d --compare 6d23h` puts the baseline at
 * 2025-12-31T01:00Z-2026-01-01T01:00Z: one covered hour (275 Chat requests) against 24 (59,053).
 */
import { describe, expect, it } from 'vitest';
import { run } from './helpers/io.js';
import { writeFixture } from './helpers/fixture.js';

const SAMPLE = 'fixtures/sample-week.json';
const refusal = (flag: string) =>
  'error: the baseline window 2025-12-31T01:00:00Z to 2026-01-01T01:00:00Z is only partly in the data (1h of 1d); ' +
  'the data covers 2026-01-01T00:00:00Z to 2026-01-08T00:00:00Z: a baseline is compared only when the data covers all of it; ' +
  `give a shorter ${flag} or --since, or a baseline window inside the data\n`;

describe('a baseline partly outside the data', () => {
  it('query --compare: refused (exit 2), in every output format, nothing on stdout', async () => {
    for (const o of ['table', 'json', 'csv', 'chart']) {
      const r = await run(['query', '--fixture', SAMPLE, '-m', 'chat', '--split-by', 'none', '--since', '1d', '--compare', '6d23h', '-o', o]);
      expect([o, r.code, r.stdout]).toEqual([o, 2, '']);
      expect(r.stderr).toBe(refusal('--compare'));
    }
  });

  it('an explicit baseline window partly before the data: refused the same way', async () => {
    const r = await run([
      'query',
      '--fixture',
      SAMPLE,
      '-m',
      'chat',
      '--since',
      '1d',
      '--baseline-start',
      '2025-12-31T01:00Z',
      '--baseline-end',
      '2026-01-01T01:00Z',
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(refusal('--compare'));
  });

  it('check --baseline: neither a rise nor a drop is judged on it (exit 2, not FAIL or PASS)', async () => {
    for (const rule of [
      ['--max-traffic-rise', '100%'],
      ['--max-traffic-drop', '50%'],
      ['--max-error-rate-increase', '0.5pp'],
    ]) {
      const r = await run(['check', '--fixture', SAMPLE, '-m', 'chat', '--since', '1d', '--baseline', '6d23h', ...rule]);
      expect([rule[0], r.code, r.stdout]).toEqual([rule[0], 2, '']);
      expect(r.stderr).toBe(refusal('--baseline'));
    }
  });

  it('a rules file baseline: refused the same way', async () => {
    const config = writeFixture({ rules: [{ metric: 'chat', since: '1d', baseline: '6d23h', maxTrafficDrop: '50%' }] }, 'rules.json');
    const r = await run(['check', '--fixture', SAMPLE, '--config', config]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(refusal('--baseline'));
  });

  it('a baseline the data covers whole is compared as before (6d: 26,688 against 59,053)', async () => {
    const r = await run(['query', '--fixture', SAMPLE, '-m', 'chat', '--split-by', 'none', '--since', '1d', '--compare', '6d', '-o', 'json']);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect([doc.total, doc.baseline.total]).toEqual([59053, 26688]);
  });
});

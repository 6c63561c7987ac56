/**
 * az's `--filter "Operation eq 'X'"` names the metric the way `--operation X` does: without --metric,
 * an operation only one metric has chooses it, and one several metrics share asks for --metric.
 */
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from './helpers/io.js';

const SAMPLE = resolve(import.meta.dirname, '..', 'fixtures', 'sample-week.json');

describe('--filter without --metric', () => {
  it('query: the metric of the one operation (the 13-metric sample), as --operation infers it', async () => {
    const byFilter = await run(['query', '--fixture', SAMPLE, '--filter', "Operation eq 'SendChatMessage'", '--since', '1h', '-o', 'json']);
    const byOperation = await run(['query', '--fixture', SAMPLE, '--operation', 'SendChatMessage', '--since', '1h', '-o', 'json']);
    expect(byFilter.code).toBe(0);
    expect(byFilter.stdout).toBe(byOperation.stdout);
    const doc = JSON.parse(byFilter.stdout);
    expect([doc.query.metricAlias, doc.total]).toEqual(['chat', 150]);
  });

  it('check: the same rule as with --operation', async () => {
    const r = await run([
      'check',
      '--fixture',
      SAMPLE,
      '--filter',
      "operation eq 'SendChatMessage' and StatusCode eq '*'",
      '--since',
      '1h',
      '--max-error-rate',
      '1%',
    ]);
    expect([r.code, r.stdout.split('\n')[0]]).toEqual([1, 'FAIL  chat SendChatMessage  error rate 1.33% > 1.00%  requests 150  errors 2']);
  });

  it('an operation several metrics share asks for --metric, as --operation does', async () => {
    const message =
      'error: operation "add participants" exists in several metrics: callautomation ("Add Participants"), rooms ("AddParticipants"); choose one with --metric\n';
    const r = await run(['query', '--fixture', SAMPLE, '--filter', "Operation eq 'add participants'"]);
    expect([r.code, r.stdout, r.stderr]).toEqual([2, '', message]);
    const op = await run(['query', '--fixture', SAMPLE, '--operation', 'add participants']);
    expect(op.stderr).toBe(message);
  });

  it("eq '*' names no operation: the data's metrics still ask for --metric", async () => {
    const r = await run(['query', '--fixture', SAMPLE, '--filter', "Operation eq '*'"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error: the data holds 13 metrics \(chat, sms, .*\): choose one with --metric\n$/);
  });
});

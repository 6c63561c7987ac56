/**
 * A file read for some metrics converts and checks only those: the series of the others are read when
 * something asks for them, with the same messages. So a query of Chat on the sample week (13 metrics)
 * does not pay for the other twelve, and a bad point in a metric nobody asked for does not stop it.
 * Both readers (JSON.parse for small files, the byte stream for large ones) behave alike.
 */
import { describe, expect, it } from 'vitest';
import type { Query } from '../src/core/model.js';
import { METRICS } from '../src/catalog/metrics.js';
import { FixtureSource } from '../src/sources/fixture-source.js';
import { chatBody, metricsBody, writeFixture } from './helpers/fixture.js';
import { run, testIo } from './helpers/io.js';

/** Chat as in chatBody (137 requests, 9 errors) and SMS whose second point has a negative count. */
function body(): object {
  const b = metricsBody([
    { name: 'APIRequestChat', series: [] },
    { name: 'APIRequestSMS', series: [{ dims: { operation: 'SMSMessageSent', statuscode: '202', statuscodeclass: '2xx' }, counts: [4, -1] }] },
  ]) as { value: object[] };
  b.value[0] = (chatBody() as { value: object[] }).value[0]!;
  return b;
}

const SMS_ERROR = 'value[1].timeseries[0].data[1].count is negative (-1)';

describe('metrics nobody asked for', () => {
  const file = writeFixture(body());

  it('are not checked by a query of another metric; a query of them reports the bad point', async () => {
    const chat = await run(['query', '--fixture', file, '-m', 'chat', '--split-by', 'none', '-o', 'csv']);
    expect(chat.code).toBe(0);
    // By hand from chatBody: 10+0+7+1, 20+5+7+0, 30+7+0 (a gap), 40+0+7+3.
    expect(chat.stdout).toBe('timestamp,value\r\n2026-01-01T00:00:00Z,18\r\n2026-01-01T01:00:00Z,32\r\n2026-01-01T02:00:00Z,37\r\n2026-01-01T03:00:00Z,50\r\n');

    const sms = await run(['query', '--fixture', file, '-m', 'sms']);
    expect(sms).toEqual({ code: 3, stdout: '', stderr: `error: ${file}: ${SMS_ERROR}\n` });
    // A check whose rules cover SMS reads it too.
    const check = await run(['check', '--fixture', file, '-m', 'chat,sms', '--max-error-rate', '50%']);
    expect(check.code).toBe(3);
    expect(check.stderr).toContain(SMS_ERROR);
  });

  it('are read, with the same message, by both readers when asked for (streamed or whole)', async () => {
    const query = (alias: string) => ({ metric: METRICS.find((m) => m.alias === alias)! }) as unknown as Query;
    for (const streamFrom of [0, Infinity]) {
      const source = new FixtureSource([file], testIo().io, { streamFrom });
      const got = await source.fetch([query('chat')]);
      const chat = got.metrics.find((m) => m.name === 'APIRequestChat')!;
      expect(chat.series).toHaveLength(4);
      const sms = got.metrics.find((m) => m.name === 'APIRequestSMS')!;
      expect(() => sms.series).toThrow(`${file}: ${SMS_ERROR}`);
      // Without queries, every metric is read at once.
      await expect(new FixtureSource([file], testIo().io, { streamFrom }).fetch([])).rejects.toThrow(`${file}: ${SMS_ERROR}`);
    }
  });
});

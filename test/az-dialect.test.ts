/** az monitor metrics list spellings: the same numbers as ours, or one line pointing to ours. */
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseODataFilter } from '../src/cli/odata-filter.js';
import { parseDuration } from '../src/core/duration.js';
import { run } from './helpers/io.js';

const SAMPLE = join(resolve(import.meta.dirname, '..'), 'fixtures', 'sample-week.json');
const q = (...args: string[]) => run(['query', '--fixture', SAMPLE, '-o', 'json', ...args]);
const json = async (...args: string[]) => {
  const r = await q(...args);
  expect(r.stderr.replace(/note: .*\n/g, '')).toBe('');
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout) as { query: Record<string, unknown>; total: number; series: { dimensions: Record<string, string>; total: number }[] };
};

describe('az spellings give the same answer as ours', () => {
  const same = async (az: string[], ours: string[]) => expect(await json(...az)).toEqual(await json(...ours));

  it('--metrics, --start-time, --end-time (with a space instead of T), --aggregation Total', async () => {
    await same(
      ['--metrics', 'APIRequestChat', '--start-time', '2026-01-07 06:00', '--end-time', '2026-01-07 18:00:00Z', '--aggregation', 'Total'],
      ['-m', 'chat', '--start', '2026-01-07T06:00Z', '--end', '2026-01-07T18:00Z', '-a', 'sum'],
    );
    for (const [az, ours] of [
      ['Maximum', 'max'],
      ['Minimum', 'min'],
      ['Average', 'average'],
      ['Count', 'count'],
    ]) {
      await same(['-m', 'sms', '--aggregation', az!], ['-m', 'sms', '-a', ours!]);
    }
  });

  it('--offset counts back from --end-time (and from the end of the data), forward from --start-time', async () => {
    await same(
      ['-m', 'chat', '--end-time', '2026-01-07T00:00Z', '--offset', '1d12h'],
      ['-m', 'chat', '--start', '2026-01-05T12:00Z', '--end', '2026-01-07T00:00Z'],
    );
    await same(['-m', 'chat', '--offset', '1h30m'], ['-m', 'chat', '--since', '90m']);
    await same(
      ['-m', 'chat', '--start-time', '2026-01-05T12:00Z', '--offset', '1d12h'],
      ['-m', 'chat', '--start', '2026-01-05T12:00Z', '--end', '2026-01-07T00:00Z'],
    );
    const r = await json('-m', 'chat', '--start-time', '2026-01-05T12:00Z', '--offset', '1d12h');
    expect([r.query.start, r.query.end]).toEqual(['2026-01-05T12:00:00Z', '2026-01-07T00:00:00Z']);
  });

  it('--dimension is --split-by; --filter eq values filter and eq * splits', async () => {
    await same(['-m', 'chat', '--dimension', 'StatusCode'], ['-m', 'chat', '--split-by', 'statuscode']);
    await same(
      ['-m', 'chat', '--filter', "Operation eq 'SendChatMessage' or Operation eq 'GetChatMessage' and StatusCode eq '*'"],
      ['-m', 'chat', '--operation', 'SendChatMessage,GetChatMessage', '--split-by', 'statuscode'],
    );
    await same(['-m', 'chat', '--filter', "StatusCodeClass eq '5xx'"], ['-m', 'chat', '--status-class', '5xx']);
    await same(['-m', 'chat', '--filter', "(StatusCode eq '500' or StatusCode eq '503') and Operation eq '*'"], ['-m', 'chat', '--status-code', '500,503']);
  });

  it('a filter on another dimension is passed on with its raw values (here: data not split by it, exit 3)', async () => {
    const r = await q('-m', 'sms', '--split-by', 'none', '--filter', "NumberType eq 'TollFree'");
    expect(r.code).toBe(3);
    expect(r.stderr).toBe(
      `error: ${SAMPLE}: the APIRequestSMS data is not split by NumberType, so the query cannot filter or split by it (the data's dimensions: Operation, StatusCode, StatusSubClass)\n`,
    );
  });
});

describe('what az users get pointed to', () => {
  const usage = async (args: string[], line: string) => {
    const r = await run(['query', '--fixture', SAMPLE, ...args]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`error: ${line}\n`);
  };
  const ACCEPTED =
    "acs-metrics accepts Dim eq 'value' terms joined by or (one dimension) and and (between dimensions), e.g. \"Operation eq 'SendChatMessage' or Operation eq 'GetChatMessage' and StatusCode eq '*'\"";
  it('refuses other --filter forms with one line saying what is accepted', async () => {
    await usage(
      ['-m', 'chat', '--filter', "Operation ne 'x'"],
      `unsupported --filter "Operation ne 'x'": "Operation ne 'x'" is not of the form Dim eq 'value'; ${ACCEPTED}`,
    );
    await usage(
      ['-m', 'chat', '--filter', "Operation eq 'a' or StatusCode eq '500'"],
      `unsupported --filter "Operation eq 'a' or StatusCode eq '500'": "or" joins different dimensions (Operation, StatusCode); ${ACCEPTED}`,
    );
    await usage(
      ['-m', 'chat', '--filter', "startswith(Operation, 'Send')"],
      `unsupported --filter "startswith(Operation, 'Send')": "startswith(Operation, 'Send')" is not of the form Dim eq 'value'; ${ACCEPTED}`,
    );
  });
  it('names the option given twice and the metrics it cannot read at once', async () => {
    await usage(['-m', 'chat', '--start', '2026-01-07', '--start-time', '2026-01-07'], 'give either --start or --start-time, not both');
    await usage(['--metrics', 'APIRequestChat', 'APIRequestSMS'], '--metrics: acs-metrics reads one metric at a time (got 2); run one query per metric');
    await usage(
      ['-m', 'chat', '--start-time', '2026-01-06', '--end-time', '2026-01-07', '--offset', '1h'],
      'give at most two of --start-time, --end-time and --offset',
    );
    await usage(['-m', 'chat', '--offset', '1x'], 'invalid --offset "1x": expected a duration such as 30m, 24h, 7d, 1d12h or PT6H');
    await usage(
      ['-m', 'chat', '--operation', 'GetChatMessage', '--filter', "Operation eq 'SendChatMessage'"],
      'Operation is filtered by both --filter and its own option: give it once',
    );
  });
  it('a subscription name is taken (looked up later): a bad option beside it is still a usage error before any Azure call', async () => {
    const r = await run(['query', '-m', 'chat', '--subscription', 'My Subscription', '-g', 'rg', '--name', 'acs', '--timeout', '0s']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('error: invalid --timeout "0s": expected a duration from 1s to 1h, such as 30s, 2m or PT30S\n');
  });
  it('--filter is no longer taken for --fixture', async () => {
    const r = await run(['query', '--fixture', SAMPLE, '-m', 'chat', '--filter', "Operation eq 'SendChatMessage'", '-o', 'csv']);
    expect(r.code).toBe(0);
    expect(r.stderr).not.toContain('--fixture');
  });
});

describe('parsing', () => {
  it('az durations: 1d12h, 1h30m, 2w3d', () => {
    expect(parseDuration('1d12h')).toBe(36 * 3_600_000);
    expect(parseDuration('1h30m')).toBe(90 * 60_000);
    expect(parseDuration('2w3d')).toBe(17 * 86_400_000);
    expect(parseDuration('1h1d')).toBeUndefined();
    expect(parseDuration('0d0h')).toBeUndefined();
  });
  it('OData terms, quotes doubled inside values', () => {
    expect(parseODataFilter("Operation eq 'It''s' or operation eq 'B' and StatusCode eq '*'")).toEqual([
      { dimension: 'Operation', values: ["It's", 'B'] },
      { dimension: 'StatusCode', values: '*' },
    ]);
    expect(parseODataFilter("X eq 'a and b'")).toEqual([{ dimension: 'X', values: ['a and b'] }]);
  });
});

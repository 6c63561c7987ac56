/**
 * Same class of error, same exit code: a fixture without any ACS metric the catalog knows is a data
 * problem (exit 3) naming the file, as a missing metric is; the data holding several metrics is a
 * usage problem (exit 2): the fix is --metric.
 */
import { describe, expect, it } from 'vitest';
import { metricsBody, writeFixture } from './helpers/fixture.js';
import { run } from './helpers/io.js';

const foreign = writeFixture(
  metricsBody([
    { name: 'Foo', series: [{ dims: { operation: 'X' }, counts: [1] }] },
    { name: 'Bar', series: [{ dims: { operation: 'Y' }, counts: [2] }] },
  ]),
  'x.json',
);
const empty = writeFixture({ value: [] }, 'empty.json');
const chat = writeFixture(metricsBody([{ name: 'APIRequestChat', series: [{ dims: { operation: 'GetChatMessage' }, counts: [1] }] }]));

describe('a fixture without a known ACS metric: exit 3, naming the file', () => {
  for (const command of [['query'], ['check', '--max-error-rate', '1%']]) {
    it(`${command[0]} --fixture x.json (Foo, Bar)`, async () => {
      const r = await run([...command, '--fixture', foreign]);
      expect(r).toEqual({ code: 3, stdout: '', stderr: `error: ${foreign}: holds no ACS metric the catalog knows (it holds Foo, Bar)\n` });
    });

    it(`${command[0]} --fixture with no metrics at all`, async () => {
      const r = await run([...command, '--fixture', empty]);
      expect(r).toEqual({ code: 3, stdout: '', stderr: `error: ${empty}: holds no ACS metric the catalog knows (it holds no metrics)\n` });
    });

    it(`${command[0]} with two files names both`, async () => {
      const r = await run([...command, '--fixture', foreign, '--fixture', empty]);
      expect(r).toEqual({ code: 3, stdout: '', stderr: `error: ${foreign}, ${empty}: holds no ACS metric the catalog knows (it holds Foo, Bar)\n` });
    });

    it(`${command[0]} on stdin says stdin`, async () => {
      const r = await run([...command, '--fixture', '-'], { stdin: JSON.stringify(metricsBody([{ name: 'Foo', series: [] }])) });
      expect(r).toEqual({ code: 3, stdout: '', stderr: 'error: stdin: holds no ACS metric the catalog knows (it holds Foo)\n' });
    });
  }

  it('--metric chat on such a file: exit 3 too (the metric is absent)', async () => {
    const r = await run(['query', '--fixture', foreign, '-m', 'chat']);
    expect(r.code).toBe(3);
    expect(r.stderr).toBe(`error: ${foreign}: no data for chat (APIRequestChat); the data holds Foo, Bar\n`);
  });

  it('a file with a known metric plus foreign ones still infers the known one', async () => {
    const r = await run(['query', '--fixture', chat, '--fixture', foreign, '-o', 'json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).query.metric).toBe('APIRequestChat');
  });
});

describe('empty values of other options are usage errors (exit 2), not data errors or silent defaults', () => {
  it('--fixture "" (was "cannot read : is a directory", exit 3)', async () => {
    for (const command of [
      ['query', '-m', 'chat'],
      ['check', '-m', 'chat', '--max-error-rate', '1%'],
    ]) {
      const r = await run([...command, '--fixture', chat, '--fixture', ' ']);
      expect(r).toEqual({ code: 2, stdout: '', stderr: 'error: --fixture needs a file name (or - for stdin)\n' });
    }
  });

  it('--min-total "" (was 0: a gate that always passes), --max-total, --min-requests, --top', async () => {
    const check = (flag: string) => run(['check', '--fixture', chat, '-m', 'chat', '--max-error-rate', '1%', flag, '']);
    expect(await check('--min-total')).toEqual({ code: 2, stdout: '', stderr: 'error: invalid --min-total "": expected a whole number of at least 0\n' });
    expect(await check('--max-total')).toEqual({ code: 2, stdout: '', stderr: 'error: invalid --max-total "": expected a whole number of at least 0\n' });
    expect(await check('--min-requests')).toEqual({ code: 2, stdout: '', stderr: 'error: invalid --min-requests "": expected a whole number of at least 1\n' });
    const top = await run(['query', '--fixture', chat, '-m', 'chat', '--top', ' ']);
    expect(top).toEqual({ code: 2, stdout: '', stderr: 'error: invalid --top " ": expected a whole number of at least 1\n' });
  });
});

describe('a bad value is exit 2 wherever it is found (issue 18)', () => {
  it('-i PT5M on hourly data (was exit 3): query, and query --compare', async () => {
    const stderr = "error: --interval PT5M does not fit the data's PT1H buckets: use PT1H or a multiple of it\n";
    expect(await run(['query', '--fixture', 'fixtures/sample-week.json', '-m', 'chat', '-i', 'PT5M'])).toEqual({ code: 2, stdout: '', stderr });
    expect(await run(['query', '--fixture', 'fixtures/sample-week.json', '-m', 'sms', '-i', '7m', '--since', '1d', '--compare', '1d'])).toEqual({
      code: 2,
      stdout: '',
      stderr: "error: --interval PT7M does not fit the data's PT1H buckets: use PT1H or a multiple of it\n",
    });
  });
});

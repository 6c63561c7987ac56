import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CliError, DataError, EXIT, UsageError } from '../src/errors.js';
import { FixtureSource, formatBytes } from '../src/sources/fixture-source.js';
import { testIo } from './helpers/io.js';

const body = (name: string, count: number) => ({
  timespan: '2026-01-07T13:00:00Z/2026-01-07T14:00:00Z',
  interval: 'PT1H',
  value: [
    {
      name: { value: name, localizedValue: name },
      unit: 'Count',
      timeseries: [
        {
          metadatavalues: [{ name: { value: 'operation', localizedValue: 'operation' }, value: 'Op' }],
          data: [{ timeStamp: '2026-01-07T13:00:00Z', count, total: count }],
        },
      ],
      errorCode: 'Success',
    },
  ],
});

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'acs-fixture-source-'));
  mkdirSync(join(dir, 'fixtures'));
  writeFileSync(join(dir, 'fixtures', 'chat.json'), JSON.stringify(body('APIRequestChat', 5)));
  writeFileSync(join(dir, 'fixtures', 'two.json'), JSON.stringify([body('APIRequestSMS', 2), { values: [body('ApiRequestRooms', 3)] }]));
  writeFileSync(join(dir, 'fixtures', 'empty.json'), '');
  writeFileSync(join(dir, 'fixtures', 'blank.json'), ' \n\n');
  writeFileSync(join(dir, 'fixtures', 'bad.json'), '{"value": [\n  {"name": }\n]}');
  writeFileSync(join(dir, 'fixtures', 'bom.json'), `\ufeff${JSON.stringify(body('APIRequestChat', 9))}`);
  writeFileSync(
    join(dir, 'fixtures', 'utf16.json'),
    Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(JSON.stringify(body('APIRequestChat', 4)), 'utf16le')]),
  );
  writeFileSync(join(dir, 'fixtures', 'secret.json'), JSON.stringify(body('APIRequestChat', 1)));
  chmodSync(join(dir, 'fixtures', 'secret.json'), 0o000);
  mkdirSync(join(dir, 'fixtures', 'nothing'));
  // A folder of exported files: read in path order, at any depth; hidden and non-JSON files left out.
  mkdirSync(join(dir, 'exports', 'day-2'), { recursive: true });
  mkdirSync(join(dir, 'exports', '.cache'));
  writeFileSync(join(dir, 'exports', 'day-2', 'chat.json'), JSON.stringify(body('APIRequestChat', 22)));
  writeFileSync(join(dir, 'exports', 'day-1.json'), JSON.stringify(body('APIRequestChat', 11)));
  writeFileSync(join(dir, 'exports', 'day-3.JSON'), JSON.stringify(body('APIRequestChat', 33)));
  writeFileSync(join(dir, 'exports', '.partial.json'), '{"val');
  writeFileSync(join(dir, 'exports', '.cache', 'x.json'), '{');
  writeFileSync(join(dir, 'exports', 'README.txt'), 'not JSON');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function failure(paths: string[], opts: { stdin?: string; maxBytes?: number } = {}): Promise<CliError> {
  const { io } = testIo({ cwd: dir, stdin: opts.stdin });
  const err = await new FixtureSource(paths, io, { maxBytes: opts.maxBytes }).fetch([]).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(CliError);
  expect((err as CliError).problems).toHaveLength(1);
  return err as CliError;
}

describe('FixtureSource', () => {
  it('reads a file relative to io.cwd, with no anchor', async () => {
    const { io } = testIo({ cwd: dir });
    const source = new FixtureSource(['fixtures/chat.json'], io, { keepBodies: true });
    expect(source.label).toBe('fixtures/chat.json');
    const r = await source.fetch([]);
    // Streamed (the default, without --save): the same metrics, and no bodies kept.
    const streamed = await new FixtureSource(['fixtures/chat.json'], io, { streamFrom: 0 }).fetch([]);
    expect(streamed.raw).toEqual([]);
    expect(streamed.metrics).toEqual(r.metrics);
    expect(r.anchor).toBeUndefined();
    expect(r.raw).toEqual([body('APIRequestChat', 5)]);
    expect(r.metrics).toEqual([
      {
        name: 'APIRequestChat',
        displayName: 'APIRequestChat',
        unit: 'Count',
        interval: 'PT1H',
        intervalMs: 3_600_000,
        start: 1767790800000,
        end: 1767794400000,
        origin: 'fixtures/chat.json',
        series: [{ dimensions: { operation: 'Op' }, points: [{ timestamp: 1767790800000, count: 5, total: 5 }] }],
      },
    ]);
  });

  it('reads several files and stdin, concatenating metrics and bodies', async () => {
    const { io } = testIo({ cwd: dir, stdin: JSON.stringify(body('ApiRequests', 7)) });
    const source = new FixtureSource(['fixtures/chat.json', '-', join(dir, 'fixtures', 'two.json')], io, { keepBodies: true });
    expect(source.label).toBe(`fixtures/chat.json, stdin, ${join(dir, 'fixtures', 'two.json')}`);
    const r = await source.fetch([]);
    expect(r.metrics.map((m) => [m.name, m.origin, m.series[0]!.points[0]!.count])).toEqual([
      ['APIRequestChat', 'fixtures/chat.json', 5],
      ['ApiRequests', 'stdin', 7],
      ['APIRequestSMS', join(dir, 'fixtures', 'two.json'), 2],
      ['ApiRequestRooms', join(dir, 'fixtures', 'two.json'), 3],
    ]);
    // An array file gives one raw body per element.
    expect(r.raw).toHaveLength(4);
    expect(r.raw[3]).toEqual({ values: [body('ApiRequestRooms', 3)] });
  });

  it('reads UTF-8 with a byte order mark and UTF-16 (Windows PowerShell redirection)', async () => {
    const { io } = testIo({ cwd: dir });
    const r = await new FixtureSource(['fixtures/bom.json', 'fixtures/utf16.json'], io).fetch([]);
    expect(r.metrics.map((m) => m.series[0]!.points[0]!.count)).toEqual([9, 4]);
  });

  it('reads every *.json file of a folder, at any depth, in path order', async () => {
    const { io } = testIo({ cwd: dir });
    const r = await new FixtureSource(['exports', 'fixtures/chat.json'], io, { streamFrom: 0 }).fetch([]);
    expect(r.metrics.map((m) => [m.origin, m.series[0]!.points[0]!.count])).toEqual([
      [join('exports', 'day-1.json'), 11],
      [join('exports', 'day-2', 'chat.json'), 22],
      [join('exports', 'day-3.JSON'), 33],
      ['fixtures/chat.json', 5],
    ]);
    // A bad file in a folder is named by its path.
    const err = await failure(['fixtures']);
    expect(err.message).toBe("fixtures/bad.json: not valid JSON: Unexpected token '}' in JSON at position 23 (line 2, column 12)");
  });

  it('refuses stdin twice', async () => {
    const err = await failure(['-', '-'], { stdin: '{}' });
    expect(err).toBeInstanceOf(UsageError);
    expect(err.message).toBe('"-" (stdin) can be given only once as a fixture');
  });

  it('says which file is missing, a directory, unreadable, empty or not JSON', async () => {
    const cases: [string, string][] = [
      ['fixtures/nope.json', 'cannot read fixtures/nope.json: no such file'],
      ['fixtures/chat.json/x', 'cannot read fixtures/chat.json/x: no such file'],
      ['fixtures/nothing', 'fixtures/nothing: no .json files in this folder'],
      ['fixtures/empty.json', 'fixtures/empty.json: empty file'],
      ['fixtures/blank.json', 'fixtures/blank.json: empty file'],
      ['fixtures/bad.json', "fixtures/bad.json: not valid JSON: Unexpected token '}' in JSON at position 23 (line 2, column 12)"],
    ];
    if (process.getuid?.() !== 0) cases.push(['fixtures/secret.json', 'cannot read fixtures/secret.json: permission denied']);
    for (const [path, message] of cases) {
      const err = await failure(['fixtures/chat.json', path]);
      expect(err).toBeInstanceOf(DataError);
      expect(err.exitCode).toBe(EXIT.DATA);
      expect(err.message).toBe(message);
    }
  });

  it('says stdin is empty or not JSON', async () => {
    expect((await failure(['-'], { stdin: '' })).message).toBe('stdin: empty input');
    expect((await failure(['-'], { stdin: '[1, 2' })).message).toBe(
      "stdin: not valid JSON: Expected ',' or ']' after array element in JSON at position 5 (line 1, column 6)",
    );
  });

  it('refuses files and stdin over the size limit without parsing them', async () => {
    expect((await failure(['fixtures/two.json'], { maxBytes: 100 })).message).toMatch(/^fixtures\/two\.json: too large \(\d+ bytes; the limit is 100 bytes\)$/);
    expect((await failure(['-'], { stdin: 'x'.repeat(2048), maxBytes: 1024 })).message).toBe('stdin: too large (2 KiB read so far; the limit is 1 KiB)');
  });

  it('stops when interrupted', async () => {
    const ac = new AbortController();
    ac.abort();
    const { io } = testIo({ cwd: dir, signal: ac.signal });
    await expect(new FixtureSource(['fixtures/chat.json'], io).fetch([])).rejects.toMatchObject({ exitCode: EXIT.INTERRUPTED });
  });

  it('formats sizes', () => {
    expect(formatBytes(512 * 1024 * 1024)).toBe('512 MiB');
    expect(formatBytes(600.5 * 1024 * 1024)).toBe('600.5 MiB');
    expect(formatBytes(1536)).toBe('1.5 KiB');
    expect(formatBytes(100)).toBe('100 bytes');
  });
});

/**
 * Issue 19 item 4: a key given twice decides nothing silently. A data point with two `count` (or any
 * aggregation, or timestamp) values is refused (exit 3) naming the key and the point, the same way by
 * both readers (JSON.parse and the streaming reader); a JSON rules file with a key twice is refused
 * (exit 2) naming the key, its path and its line and column, as YAML refuses it.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DataError } from '../src/errors.js';
import { FixtureSource } from '../src/sources/fixture-source.js';
import { findDuplicateKeys } from '../src/sources/json-duplicates.js';
import { writeFixture } from './helpers/fixture.js';
import { run, testIo } from './helpers/io.js';
import { tempDir } from './helpers/temp.js';

const metric = (name: string, points: string[]) =>
  `{"id":"/subscriptions/x/providers/Microsoft.Insights/metrics/${name}","name":{"value":"${name}"},"unit":"Count","errorCode":"Success","timeseries":[{"metadatavalues":[{"name":{"value":"Operation"},"value":"SendChatMessage"}],"data":[${points.join(',')}]}]}`;
const body = (metrics: string[]) => `{"timespan":"2026-01-01T00:00:00Z/2026-01-01T03:00:00Z","interval":"PT1H","value":[${metrics.join(',')}]}`;
const ok = (h: number, n: number) => `{"timeStamp":"2026-01-01T0${h}:00:00Z","count":${n}}`;

/** The metrics of a file read by each reader, or its message. */
async function bothReaders(text: string, wanted: string[]) {
  const dir = tempDir();
  writeFileSync(join(dir, 'f.json'), text);
  const { io } = testIo({ cwd: dir });
  const read = (keepBodies: boolean) =>
    new FixtureSource(['f.json'], io, { keepBodies, streamFrom: keepBodies ? Infinity : 0 }).fetch([]).then(
      (r) => {
        // Points are checked when a metric is read: read the wanted ones.
        for (const m of r.metrics) if (wanted.includes(m.name)) for (const s of m.series) void s.points.length;
        return 'read';
      },
      (e: unknown) => (e instanceof DataError ? e.message : String(e)),
    );
  return { stream: await read(false), whole: await read(true) };
}

const MESSAGE = 'f.json: value[0].timeseries[0].data[1].count is given twice in one point (20, then 21): a point holds one value per aggregation; keep one';

describe('a data point with a key given twice', () => {
  const layouts: [string, string][] = [
    ['compact (the streaming fast path)', '{"timeStamp":"2026-01-01T01:00:00Z","count":20,"count":21}'],
    ['spaced and pretty', '{\n  "timeStamp": "2026-01-01T01:00:00Z",\n  "count": 20,\n  "count": 21\n}'],
    // (A point that nests an object is not looked at by the quick test of the whole text.)
    ['with another key (the generic reader)', '{"timeStamp":"2026-01-01T01:00:00Z","count":20,"other":"x","count":21.0}'],
  ];
  for (const [name, point] of layouts) {
    it(`is refused by both readers with the same message: ${name}`, async () => {
      const r = await bothReaders(body([metric('APIRequestChat', [ok(0, 5), point, ok(2, 7)])]), ['APIRequestChat']);
      expect(r.whole).toBe(MESSAGE);
      expect(r.stream).toBe(MESSAGE);
    });
  }

  it('a timestamp or another aggregation given twice too', async () => {
    const r = await bothReaders(
      body([metric('APIRequestChat', [ok(0, 5), '{"timeStamp":"2026-01-01T01:00:00Z","total":3,"timeStamp":"2026-01-01T02:00:00Z"}'])]),
      ['APIRequestChat'],
    );
    const m =
      'f.json: value[0].timeseries[0].data[1].timeStamp is given twice in one point ("2026-01-01T01:00:00Z", then "2026-01-01T02:00:00Z"): a point holds one value per aggregation; keep one';
    expect(r).toEqual({ stream: m, whole: m });
  });

  it('query exits 3 with that message; a metric not asked for is not read (as for any bad point)', async () => {
    const file = writeFixture(
      body([metric('APIRequestChat', [ok(0, 5), '{"timeStamp":"2026-01-01T01:00:00Z","count":20,"count":21}']), metric('APIRequestSMS', [ok(0, 4), ok(1, 6)])]),
      'f.json',
    );
    const chat = await run(['query', '--fixture', file, '-m', 'chat']);
    expect(chat.code).toBe(3);
    expect(chat.stderr).toBe(`error: ${MESSAGE.replace('f.json', file)}\n`);
    const sms = await run(['query', '--fixture', file, '-m', 'sms', '-o', 'json']);
    expect(sms.code).toBe(0);
    expect(JSON.parse(sms.stdout).total).toBe(10);
  });

  it('another key given twice is left alone by both readers alike (JSON.parse keeps the last)', async () => {
    const r = await bothReaders(body([metric('APIRequestChat', [ok(0, 5), '{"timeStamp":"2026-01-01T01:00:00Z","count":1,"note":"a","note":"b"}'])]), [
      'APIRequestChat',
    ]);
    expect(r).toEqual({ stream: 'read', whole: 'read' });
  });

  it('the same key in different points, or "count" as a value, is not a duplicate', async () => {
    const r = await bothReaders(body([metric('APIRequestChat', [ok(0, 5), ok(1, 20), '{"timeStamp":"2026-01-01T02:00:00Z","count":1,"note":"count"}'])]), [
      'APIRequestChat',
    ]);
    expect(r).toEqual({ stream: 'read', whole: 'read' });
  });
});

describe('findDuplicateKeys', () => {
  it('names the key, its object and the place of the second key', () => {
    const text = '{"a": [1, {"b": 1, "c": {"b": 2}, "b": "x"}], "a": null}';
    expect(findDuplicateKeys(text)).toEqual([
      { path: ['a', 1], key: 'b', first: '1', second: '"x"', line: 1, column: 35 },
      { path: [], key: 'a', first: '[…]', second: 'null', line: 1, column: 47 },
    ]);
    expect(findDuplicateKeys('{"a\\u0062": 1, "ab": 2, "s": "}\\"{"}')).toEqual([{ path: [], key: 'ab', first: '1', second: '2', line: 1, column: 16 }]);
  });
});

describe('a JSON rules file with a key given twice', () => {
  it('is refused (exit 2) as YAML refuses it: the key, its path, line and column', async () => {
    const config = writeFixture(
      '{\n  "rules": [\n    { "metric": "chat", "since": "1d", "maxErrorRate": "1%", "maxErrorRate": "50%" }\n  ]\n}\n',
      'rules.json',
    );
    const r = await run(['check', '--fixture', 'fixtures/sample-week.json', '--config', config]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`error: ${config}: rules[0].maxErrorRate is given twice (line 3, column 62; "1%", then "50%"): give each key once\n`);
  });
});

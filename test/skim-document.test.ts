/**
 * Issue 22 part 3: a file read for some of its metrics is skimmed (src/sources/skim-document.ts): its
 * bytes are checked as JSON without building objects, and only the wanted metrics (and the others
 * without their series) are parsed. The oracle is the reference reader, readMetricsDocument: whenever
 * the skim answers, every metric (its fields, its series or the message reading them fails with) is
 * the reference's; when the file is anything else (not JSON, a key looked at given twice, ...) it does
 * not answer, and the file is read the usual way.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { MetricData } from '../src/core/model.js';
import { readMetricsDocument } from '../src/sources/parse-response.js';
import { skimMetrics } from '../src/sources/skim-document.js';
import { SERVICE_DATA_ARRAY, SERVICE_STAMP } from '../src/sources/skim-patterns.js';
import { checkPoint, toMillis } from '../src/sources/parse-response.js';
import { run } from './helpers/io.js';
import { tempDir } from './helpers/temp.js';

const ROOM = 4 * 1024 ** 3;

/** A metric as a comparable value: its fields, and its series as points (or the message reading them gives). */
function view(m: MetricData): unknown {
  let series: unknown;
  try {
    series = m.series.map((s) => ({ dimensions: { ...s.dimensions }, points: s.points }));
  } catch (err) {
    series = `throws: ${(err as Error).message}`;
  }
  // (Spreading the metric would read its series outside the try.)
  const fields = Object.fromEntries(
    Object.keys(m)
      .filter((k) => k !== 'series')
      .map((k) => [k, m[k as keyof MetricData]]),
  );
  return { ...fields, series };
}

/** The reference reader's metrics, or its message. */
function reference(text: string, wanted: (n: string) => boolean): unknown {
  try {
    return readMetricsDocument(text.replace(/^\uFEFF/, ''), 'f.json', wanted).metrics.map(view);
  } catch (err) {
    return `throws: ${(err as Error).message}`;
  }
}

const NAMES = ['APIRequestChat', 'APIRequestSMS', 'UserEngagement'];
const point = fc.record(
  {
    timeStamp: fc.oneof(
      fc.integer({ min: 0, max: 47 }).map((h) => new Date(Date.UTC(2026, 0, 1, h)).toISOString().replace('.000Z', 'Z')),
      fc.constant('banana'),
      fc.constantFrom('2026-01-01T00:00:00+00:00', '2026-02-29T00:00:00Z', '2024-02-29T01:00:00Z', '2026-01-01T24:00:00Z'),
    ),
    count: fc.oneof(fc.integer({ min: 0, max: 99 }), fc.constant(-1), fc.constant(null), fc.double({ min: 0, max: 1e6, noNaN: true }), fc.constant(-0)),
    average: fc.oneof(fc.double({ min: 0, max: 1e30, noNaN: true }), fc.constant(1e-7)),
    total: fc.oneof(fc.integer({ min: 0, max: 99 }), fc.constant('7')),
  },
  { requiredKeys: ['timeStamp'] },
);
/** Points as the service writes them (most of a real file): the skim reads them without checkPoint's per-point checks. */
const servicePoint = fc.record({
  timeStamp: fc.integer({ min: 0, max: 24 * 400 }).map((h) => new Date(Date.UTC(2024, 0, 1, h)).toISOString().replace('.000Z', 'Z')),
  count: fc.oneof(fc.nat(), fc.constant(null)),
  total: fc.oneof(fc.nat(), fc.double({ min: 0, max: 1e6, noNaN: true })),
});
const series = fc.record({
  metadatavalues: fc.array(
    fc.record({ name: fc.record({ value: fc.constantFrom('operation', 'statuscode', 'Op"é') }), value: fc.constantFrom('Send', '200', 'ü\\n') }),
    { maxLength: 2 },
  ),
  data: fc.oneof(fc.array(point, { maxLength: 4 }), fc.array(servicePoint, { maxLength: 6 })),
});
const metric = fc.record(
  {
    id: fc.constant('/subscriptions/x/resourceGroups/g/providers/Microsoft.Communication/CommunicationServices/a/providers/Microsoft.Insights/metrics/M'),
    name: fc.record({ value: fc.constantFrom(...NAMES), localizedValue: fc.constant('Name') }),
    unit: fc.constant('Count'),
    timeseries: fc.oneof(fc.array(series, { maxLength: 3 }), fc.constant(null)),
    errorCode: fc.constant('Success'),
  },
  { requiredKeys: ['name', 'timeseries'] },
);
/** Text edits that keep or break the document: a key twice, an escaped key, a stray or missing character. */
const edit = fc.oneof(
  fc.constant((t: string) => t),
  fc.constant((t: string) => t.replace(/"count":(\d+)/, '"count":$1,"count":5')),
  fc.constant((t: string) => t.replace('"value":[', '"valu\\u0065":[')),
  fc.constant((t: string) => t.replace('"timeseries":', '"timeseries":[],"timeseries":')),
  fc.constant((t: string) => t.replace('"interval":"PT1H"', '"interval":"PT1H","value":[]')),
  fc.constant((t: string) => `\uFEFF${t}`),
  // Syntax errors inside data points (where the one regular expression checks the text).
  fc.constant((t: string) => t.replace(/,(\s*"total")/, '$1')),
  fc.constant((t: string) => t.replace(/("count":\s*\d+)/, '$1.')),
  fc.constant((t: string) => t.replace(/("count":\s*)(\d)/, '$1+$2')),
  fc.constant((t: string) => t.replace('Z"', 'Z\u0001"')),
  fc.constant((t: string) => t.replace(/}(\s*)]/, '},$1]')),
  fc.constant((t: string) => t.replace('"count"', '"count\\q"')),
  fc.constant((t: string) => t.replace(/"total":(\d+)/, '"total":$1,"count":1')),
  fc.constant((t: string) => t.replace('"timeStamp"', '"timestamp"')),
  fc.constant((t: string) => t.replace('"data"', '"d\\u0061ta"')),
  fc.constant((t: string) => t.replace(/"data":(\[[^\]]*\])/, '"data":$1,"data":[]')),
  fc.constant((t: string) => t.replace(/"count":(\d+)/, '"count":1e400')),
  // ... and in the rest of a series (where the scanner does).
  fc.constant((t: string) => t.replace('"Send"', '"Se\u0001nd"')),
  fc.constant((t: string) => t.replace('"Send"', '"S\\u00zz"')),
  fc.constant((t: string) => t.replace('"metadatavalues"', '"x":1e,"metadatavalues"')),
  fc.constant((t: string) => t.replace('"metadatavalues"', '"x":-01,"metadatavalues"')),
  fc.constant((t: string) => t.replace('"metadatavalues"', '"x":tru,"metadatavalues"')),
  fc.tuple(fc.nat(), fc.constantFrom('', '{', '}', '[', ']', ',', ':', '"', 'x', ' ', '\\', '1', '-', '\u0001')).map(([at, c]) => (t: string) => {
    const i = at % t.length;
    return t.slice(0, i) + c + t.slice(i + 1);
  }),
);

describe('skimMetrics', () => {
  it('gives the reference reader metrics, series and messages, or leaves the file to it', () => {
    let answered = 0;
    fc.assert(
      fc.property(fc.array(metric, { maxLength: 4 }), fc.subarray(NAMES), fc.boolean(), edit, (metrics, names, pretty, change) => {
        const body = { timespan: '2026-01-01T00:00:00Z/2026-01-03T00:00:00Z', interval: 'PT1H', value: metrics, namespace: 'n' };
        const text = change(JSON.stringify(body, null, pretty ? 2 : undefined));
        const wanted = (n: string) => names.includes(n);
        const skimmed = skimMetrics(Buffer.from(text, 'utf8'), 'f.json', wanted, ROOM);
        if (skimmed === undefined) return;
        answered++;
        expect(skimmed.map(view)).toEqual(reference(text, wanted));
      }),
      { numRuns: 600 },
    );
    // Most documents are plain responses: the skim answers for them (not only the usual reader).
    expect(answered).toBeGreaterThan(150);
  });

  it('answers for plain responses, compact or pretty; a bad point of a metric not asked for fails only when read', () => {
    const m = (name: string, count: number) => ({
      name: { value: name },
      timeseries: [{ metadatavalues: [], data: [{ timeStamp: '2026-01-01T00:00:00Z', count }] }],
    });
    const body = { timespan: '2026-01-01T00:00:00Z/2026-01-01T01:00:00Z', interval: 'PT1H', value: [m('APIRequestChat', 5), m('APIRequestSMS', -1)] };
    for (const text of [JSON.stringify(body), JSON.stringify(body, null, 2)]) {
      const got = skimMetrics(Buffer.from(text), 'f.json', (n) => n === 'APIRequestChat', ROOM)!;
      expect(got.map((x) => x.name)).toEqual(['APIRequestChat', 'APIRequestSMS']);
      expect(got[0]!.series[0]!.points).toEqual([{ timestamp: Date.UTC(2026, 0, 1), count: 5 }]);
      expect(() => got[1]!.series).toThrow('f.json: value[1].timeseries[0].data[0].count is negative (-1)');
    }
  });

  it('leaves batch responses, arrays of responses, other top-level values and UTF-16 to the usual reader', () => {
    const no = (text: string | Buffer) => skimMetrics(typeof text === 'string' ? Buffer.from(text) : text, 'f.json', () => true, ROOM);
    expect(no('{"values":[{"value":[]}]}')).toBeUndefined();
    expect(no('[{"value":[]}]')).toBeUndefined();
    expect(no('{"value":{}}')).toBeUndefined();
    expect(no('{"value":[]} x')).toBeUndefined();
    expect(no(Buffer.from('\ufeff{"value":[]}', 'utf16le'))).toBeUndefined();
    expect(no('{"value":[]}')).toEqual([]);
    // A file that might not fit in the heap is measured by the usual reader.
    expect(skimMetrics(Buffer.from('{"value":[]}'), 'f.json', () => true, 100)).toBeUndefined();
  });
});

describe('a query of one metric of a file', () => {
  const good = (name: string) => `{"name":{"value":"${name}"},"timeseries":[{"data":[{"timeStamp":"2026-01-01T00:00:00Z","count":3}]}]}`;
  const file = (text: string) => {
    const path = join(tempDir(), 'f.json');
    writeFileSync(path, text);
    return path;
  };

  it('still refuses a syntax error in a metric not asked for, with the line and column', async () => {
    const path = file(
      `{"interval":"PT1H","value":[\n${good('APIRequestChat')},\n{"name":{"value":"APIRequestSMS"},"timeseries":[{"data":[{"timeStamp":"2026-01-01T00:00:00Z","count":3,}]}]}]}`,
    );
    const r = await run(['query', '--fixture', path, '-m', 'chat', '-o', 'csv']);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(new RegExp(`^error: ${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: not valid JSON: .*\\(line 3, column 104\\)\\n$`));
  });

  it('reads the metric asked for from a file whose other metrics are not read', async () => {
    const path = file(`{"interval":"PT1H","value":[${good('APIRequestSMS').replace('"count":3', '"count":-3')},${good('APIRequestChat')}]}`);
    const r = await run(['query', '--fixture', path, '-m', 'chat', '--split-by', 'none', '-o', 'csv']);
    expect(r).toEqual({ code: 0, stdout: 'timestamp,value\r\n2026-01-01T00:00:00Z,3\r\n', stderr: '' });
  });
});

describe('the service layout of points (skim-patterns.ts)', () => {
  const stamp = new RegExp(`^${SERVICE_STAMP}$`);
  const two = (n: number) => String(n).padStart(2, '0');

  it('takes a timestamp only when the reference reader reads it as that date (others are checked by checkPoint)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 9999 }),
        fc.integer({ min: 0, max: 13 }),
        fc.integer({ min: 0, max: 32 }),
        fc.integer({ min: 0, max: 24 }),
        fc.integer({ min: 0, max: 60 }),
        (y, mo, d, h, mi) => {
          const s = `${String(y).padStart(4, '0')}-${two(mo)}-${two(d)}T${two(h)}:${two(mi)}:${two(mi % 61)}Z`;
          const valid = mo >= 1 && mo <= 12 && d >= 1 && d <= new Date(Date.UTC(2000, mo, 0)).getUTCDate() && h <= 23 && mi <= 59;
          const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
          expect(stamp.test(`"${s}"`)).toBe(valid && !(mo === 2 && d === 29 && !leap));
          if (stamp.test(`"${s}"`)) expect(toMillis(s)).toBe(Date.parse(s));
        },
      ),
      { numRuns: 3000 },
    );
    for (const y of [1900, 2000, 2024, 2100, 2400, 1600, 2026])
      expect(stamp.test(`"${y}-02-29T00:00:00Z"`)).toBe(!Number.isNaN(toMillis(`${y}-02-29T00:00:00Z`)));
    expect(stamp.test('"2026-01-01T24:00:00Z"')).toBe(false); // the next day to Date.parse: left to checkPoint
  });

  it('takes a data array only when checkPoint takes every point as it is', () => {
    const value = fc.oneof(fc.nat(), fc.constant(null), fc.double({ noNaN: true }), fc.constant(-0), fc.constant('1'), fc.constant(1e300));
    const key = fc.constantFrom('timeStamp', 'timestamp', 'count', 'total', 'average', 'minimum', 'maximum', 'other');
    const entry = fc.tuple(key, value);
    const pointText = fc
      .tuple(fc.constantFrom('2026-01-01T00:00:00Z', '2026-02-30T00:00:00Z', 'x'), fc.array(entry, { maxLength: 6 }))
      .map(([ts, entries]) => `{"timeStamp":"${ts}"${entries.map(([k, v]) => `,"${k}":${JSON.stringify(v)}`).join('')}}`);
    fc.assert(
      fc.property(fc.array(pointText, { maxLength: 4 }), fc.boolean(), (points, spaced) => {
        const text = spaced ? `[ ${points.join(' ,\n ')} ]` : `[${points.join(',')}]`;
        SERVICE_DATA_ARRAY.lastIndex = 0;
        if (!SERVICE_DATA_ARRAY.test(text) || SERVICE_DATA_ARRAY.lastIndex !== text.length) return;
        // Taken: each point passes checkPoint and holds no key twice.
        for (const p of points) {
          const keys = [...p.matchAll(/"([a-zA-Z]+)":/g)].map((m) => m[1]);
          expect(new Set(keys).size).toBe(keys.length);
          expect(Number.isNaN(checkPoint(JSON.parse(p), () => 'x', 0, 'f'))).toBe(false);
        }
      }),
      { numRuns: 2000 },
    );
  });
});

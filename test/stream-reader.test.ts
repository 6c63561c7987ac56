/**
 * The streaming reader against the reference (JSON.parse + parseMetricsBody): the same MetricData on
 * random responses of every shape, cut into chunks anywhere; the same one-line messages on broken
 * ones; and its own limits (syntax errors with a byte position, the heap budget).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AGGREGATIONS } from '../src/catalog/aggregations.js';
import { resolveDimension, resolveMetric } from '../src/catalog/resolve.js';
import { DEFAULT_ERRORS, type MetricData, type Query } from '../src/core/model.js';
import { runQuery } from '../src/core/run-query.js';
import { pointColumns } from '../src/core/points.js';
import { DataError } from '../src/errors.js';
import { FixtureSource } from '../src/sources/fixture-source.js';
import { parseMetricsBody, parseMetricsDocument } from '../src/sources/parse-response.js';
import { StreamBudgetError, StreamReader, StreamSyntaxError } from '../src/sources/stream-reader.js';
import { testIo } from './helpers/io.js';

/** Reads text with the streaming reader, in chunks cut at the given positions. */
function streamed(text: string | Buffer, cuts: readonly number[] = [], origin = 'f'): MetricData[] {
  const bytes = typeof text === 'string' ? Buffer.from(text) : text;
  const reader = new StreamReader();
  // The caller's loop: unread bytes are given again with the next chunk.
  let pending = Buffer.alloc(0);
  const ends = [...new Set(cuts.filter((c) => c > 0 && c < bytes.length))].sort((a, b) => a - b);
  let from = 0;
  for (const end of [...ends, bytes.length]) {
    const chunk = Buffer.concat([pending, bytes.subarray(from, end)]);
    const last = end === bytes.length;
    const used = reader.feed(chunk, 0, chunk.length, last);
    pending = chunk.subarray(used);
    from = end;
  }
  if (!reader.complete) throw new Error('empty');
  return parseMetricsBody(reader.result(), origin);
}

const reference = (text: string, origin = 'f'): MetricData[] => parseMetricsDocument(text, origin);

// ---------------------------------------------------------------------------------------------------
// Random responses

const stampZ = fc.integer({ min: Date.UTC(1999, 0, 1), max: Date.UTC(2040, 0, 1) }).map((t) => Math.floor(t / 60_000) * 60_000);
const stampText = fc.tuple(stampZ, fc.constantFrom('Z', '+00:00', 'ms', '+02:00', 'space')).map(([t, form]) => {
  const iso = new Date(t).toISOString();
  if (form === 'Z') return iso.replace('.000Z', 'Z');
  if (form === '+00:00') return iso.replace('.000Z', '+00:00');
  if (form === 'ms') return iso;
  if (form === 'space') return iso.replace('T', ' ').replace('.000Z', '');
  return new Date(t + 7_200_000).toISOString().replace('.000Z', '+02:00');
});
const aggValue = fc.oneof(
  { weight: 5, arbitrary: fc.integer({ min: 0, max: 50 }) },
  { weight: 2, arbitrary: fc.constant(null) },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 2 ** 40 }) },
  { weight: 1, arbitrary: fc.double({ min: 0, max: 1e6, noNaN: true }) },
  { weight: 1, arbitrary: fc.constantFrom(0.5, 1e21, 1.5e-7, -0) },
);
const point = fc.record(
  {
    timeStamp: stampText,
    count: aggValue,
    total: aggValue,
    average: aggValue,
    minimum: aggValue,
    maximum: aggValue,
    extra: fc.constantFrom('x', 1, [1, { a: [] }], null),
  },
  { requiredKeys: ['timeStamp'] },
);
const series = fc.record(
  {
    metadatavalues: fc.array(
      fc.record({
        name: fc.constantFrom('operation', 'statuscode', 'Resource', 'statusCodeClass').map((v) => ({ value: v, localizedValue: v })),
        value: fc.constantFrom('SendChatMessage', '200', '5xx', 'ü "quoted"\\'),
      }),
      { maxLength: 3 },
    ),
    data: fc.array(point, { maxLength: 8 }),
  },
  { requiredKeys: ['data'] },
);
const metric = fc.record(
  {
    id: fc.constant(
      '/subscriptions/s/resourceGroups/g/providers/Microsoft.Communication/CommunicationServices/acs-a/providers/Microsoft.Insights/metrics/APIRequestChat',
    ),
    name: fc.constantFrom('APIRequestChat', 'ApiRequests', 'APIRequestSMS').map((v) => ({ value: v, localizedValue: v })),
    unit: fc.constant('Count'),
    errorCode: fc.constantFrom('Success', 'Throttled'),
    timeseries: fc.array(series, { maxLength: 3 }),
  },
  { requiredKeys: ['name', 'timeseries'] },
);
const rest = fc.record({
  cost: fc.nat(),
  timespan: fc.constant('2026-01-01T00:00:00Z/2026-01-02T00:00:00Z'),
  interval: fc.constantFrom('PT1M', 'PT1H', '1:00:00', '0:01:00', 'FULL', null),
  value: fc.array(metric, { maxLength: 3 }),
});
const batch = fc.record({
  values: fc.array(
    fc.record({
      starttime: fc.constant('2026-01-01T00:00:00Z'),
      endtime: fc.constant('2026-01-02T00:00:00Z'),
      interval: fc.constant('PT1H'),
      resourceid: fc.constantFrom('/subscriptions/s/resourceGroups/g/providers/Microsoft.Communication/CommunicationServices/acs-b', null),
      value: fc.array(metric, { maxLength: 2 }),
    }),
    { maxLength: 3 },
  ),
});
const body = fc.oneof(rest, batch);
const document = fc.oneof({ weight: 3, arbitrary: body }, { weight: 1, arbitrary: fc.array(body, { minLength: 1, maxLength: 3 }) });
/** The text as REST (compact), az CLI (indented, sorted keys) or hand-edited (tabs), sometimes with escaped keys. */
const responseText = fc.tuple(document, fc.constantFrom(undefined, 2, '\t', 4), fc.boolean()).map(([doc, indent, escapes]) => {
  let text = JSON.stringify(doc, null, indent);
  if (escapes) text = text.replace(/"count"/g, '"\\u0063ount"').replace(/"timeStamp"/, '"time\\u0053tamp"');
  return text;
});

describe('the streaming reader', () => {
  it('gives the same MetricData as JSON.parse on random responses, cut into chunks anywhere (property)', () => {
    fc.assert(
      fc.property(responseText, fc.array(fc.nat(), { maxLength: 6 }), (text, cuts) => {
        const bytes = Buffer.from(text);
        let expected: MetricData[] | Error;
        try {
          expected = reference(text);
        } catch (e) {
          expected = e as Error;
        }
        const at = cuts.map((c) => c % (bytes.length + 1));
        if (expected instanceof Error) {
          expect(() => streamed(bytes, at)).toThrow(expected.message);
        } else {
          expect(streamed(bytes, at)).toEqual(expected);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('reads a response cut at every byte position, and one byte at a time', () => {
    const text = JSON.stringify({
      timespan: '2026-01-01T00:00:00Z/2026-01-01T03:00:00Z',
      interval: 'PT1H',
      value: [
        {
          name: { value: 'APIRequestChat', localizedValue: 'Chat API Requests' },
          unit: 'Count',
          timeseries: [
            {
              metadatavalues: [{ name: { value: 'operation' }, value: 'SendChatMessage' }],
              data: [
                { timeStamp: '2026-01-01T00:00:00Z', count: 12, total: 12.5, average: null },
                { timeStamp: '2026-01-01T01:00:00+00:00', count: 1e3, minimum: 0.25, extra: [true, false, { x: 'y' }] },
                { timestamp: '2026-01-01T02:00:00Z', maximum: 12345678901234567 },
              ],
            },
          ],
        },
      ],
    });
    const expected = reference(text);
    expect(expected[0]!.series[0]!.points).toEqual([
      { timestamp: Date.UTC(2026, 0, 1, 0), count: 12, total: 12.5, average: null },
      { timestamp: Date.UTC(2026, 0, 1, 1), count: 1000, minimum: 0.25 },
      { timestamp: Date.UTC(2026, 0, 1, 2), maximum: 12345678901234568 },
    ]);
    const bytes = Buffer.from(text);
    for (let i = 0; i <= bytes.length; i++) expect(streamed(bytes, [i])).toEqual(expected);
    expect(streamed(bytes, Array.from(bytes.keys()))).toEqual(expected);
  });

  it('keeps a series as columns: timestamps, and an index into values shared across the file', () => {
    const points = Array.from({ length: 600 }, (_, i) => ({
      timeStamp: new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString().replace('.000Z', 'Z'),
      count: i % 3,
      total: i % 3,
    }));
    const text = JSON.stringify({
      interval: 'PT1M',
      value: [{ name: { value: 'APIRequestChat' }, timeseries: [{ data: points }, { data: points.slice(0, 10) }] }],
    });
    const [m] = streamed(text, [1000, 5000]);
    const a = pointColumns(m!.series[0]!);
    const b = pointColumns(m!.series[1]!);
    expect(a && 'index' in a && b && 'index' in b).toBe(true);
    if (!a || !('index' in a) || !b || !('index' in b)) return;
    expect(a.table).toBe(b.table);
    expect(a.table).toEqual([
      { count: 0, total: 0 },
      { count: 1, total: 1 },
      { count: 2, total: 2 },
    ]);
    expect(Array.from(a.index.subarray(0, 6))).toEqual([0, 1, 2, 0, 1, 2]);
    expect(a.timestamps[599]).toBe(Date.UTC(2026, 0, 1) + 599 * 60_000);
    expect(m!.series[0]!.points).toEqual(points.map((p) => ({ timestamp: Date.parse(p.timeStamp), count: p.count, total: p.count })));
  });

  it('keeps unsorted points in time order, as the reference reader does', () => {
    const text = JSON.stringify({
      value: [
        {
          name: { value: 'APIRequestChat' },
          timeseries: [
            {
              data: [
                { timeStamp: '2026-01-01T01:00:00Z', count: 1 },
                { timeStamp: '2026-01-01T00:00:00Z', count: 2 },
              ],
            },
          ],
        },
      ],
    });
    const [m] = streamed(text);
    expect(m!.series[0]!.points.map((p) => p.count)).toEqual([2, 1]);
    expect(streamed(text)).toEqual(reference(text));
  });

  it('reports a bad point where the reference reader does: after the checks that come before it', () => {
    // The metric has no name and a bad point: the name is checked first.
    const noName = '{"value":[{"timeseries":[{"data":[{"timeStamp":"2026-01-01T00:00:00Z","count":-1}]}]}]}';
    expect(() => streamed(noName)).toThrow(new DataError('f: value[0].name is missing'));
    const cases: [string, string][] = [
      ['{"count":-1,"timeStamp":"2026-01-01T00:00:00Z"}', 'value[0].timeseries[1].data[2].count is negative (-1)'],
      ['{"timeStamp":"banana"}', 'value[0].timeseries[1].data[2].timeStamp is not a date ("banana")'],
      ['{"timeStamp":"2026-02-30T00:00:00Z"}', 'value[0].timeseries[1].data[2].timeStamp is not a date ("2026-02-30T00:00:00Z")'],
      ['{"count":3}', 'value[0].timeseries[1].data[2].timeStamp is missing'],
      ['{"timeStamp":null,"timestamp":"2026-01-01T00:00:00Z"}', 'value[0].timeseries[1].data[2].timeStamp is missing'],
      ['{"timeStamp":"2026-01-01T00:00:00Z","total":"3"}', 'value[0].timeseries[1].data[2].total is not a number ("3")'],
      ['{"timeStamp":"2026-01-01T00:00:00Z","maximum":1e999}', 'value[0].timeseries[1].data[2].maximum is not a finite number (Infinity)'],
      ['{"timeStamp":"2026-01-01T00:00:00Z","average":[[]]}', 'value[0].timeseries[1].data[2].average is not a number (found an array)'],
      ['[]', 'value[0].timeseries[1].data[2] is not a data point (found an empty array)'],
      ['7', 'value[0].timeseries[1].data[2] is not a data point (7)'],
    ];
    const ok = '{"timeStamp":"2026-01-01T00:00:00Z","count":1}';
    for (const [bad, message] of cases) {
      const text = `{"value":[{"name":{"value":"APIRequestChat"},"timeseries":[{"data":[]},{"data":[${ok},${ok},${bad},${bad},${ok}]}]}]}`;
      expect(() => reference(text)).toThrow(new DataError(`f: ${message}`));
      expect(() => streamed(text)).toThrow(new DataError(`f: ${message}`));
    }
  });

  it('checks the JSON grammar as JSON.parse does, with the byte position', () => {
    const bad: [string, number][] = [
      ['{"value": [1,]}', 13],
      ['{"value": 01}', 11],
      ['{"value": [1 2]}', 13],
      ['{"value": "a\nb"}', 12],
      ['{"value": "\\x"}', 10],
      ['{"value": tru}', 13],
      ['{"value": []} x', 14],
      ["{'value': []}", 1],
      ['{"value": [{"timeStamp":"2026-01-01T00:00:00Z","count":1.}]}', 57],
      ['{"value": -}', 11],
    ];
    for (const [text, position] of bad) {
      expect(() => JSON.parse(text)).toThrow(SyntaxError);
      const reader = new StreamReader();
      const b = Buffer.from(text);
      let err: unknown;
      try {
        reader.feed(b, 0, b.length, true);
      } catch (e) {
        err = e;
      }
      expect(err, text).toBeInstanceOf(StreamSyntaxError);
      expect((err as StreamSyntaxError).position, text).toBe(position);
    }
    for (const text of ['{"value": [', '{"value": "abc', '{"value": 1', '{"val', '[{}', 'nul']) {
      const b = Buffer.from(text);
      expect(() => new StreamReader().feed(b, 0, b.length, true), text).toThrow(/^unexpected end|^unterminated string|^unexpected character/);
    }
  });

  it('refuses a skeleton over its budget', () => {
    const text = Buffer.from(`[${Array(10_000).fill('{}').join(',')}]`);
    expect(() => new StreamReader(100_000).feed(text, 0, text.length, true)).toThrow(StreamBudgetError);
    expect(() => new StreamReader(1_000_000).feed(text, 0, text.length, true)).not.toThrow();
  });
});

describe('queries over streamed data', () => {
  const chat = resolveMetric('chat');
  const MIN = 60_000;
  /** A chat response: series on a grid of `step` minutes from `start`, some points left out or moved off it. */
  const response = fc
    .record({
      start: fc.integer({ min: 0, max: 3 * 24 * 60 }).map((m) => Date.UTC(2026, 0, 1) + m * MIN),
      step: fc.constantFrom(1, 5, 60),
      series: fc.array(
        fc.record({
          op: fc.constantFrom('SendChatMessage', 'GetChatMessage'),
          code: fc.constantFrom('200', '429', '500'),
          counts: fc.array(fc.option(fc.integer({ min: 0, max: 40 }), { nil: null }), { minLength: 1, maxLength: 200 }),
          gap: fc.option(fc.nat(), { nil: undefined }),
          offGrid: fc.option(fc.nat(), { nil: undefined }),
        }),
        { minLength: 1, maxLength: 4 },
      ),
    })
    .map(({ start, step, series }) =>
      JSON.stringify({
        interval: step === 60 ? 'PT1H' : `PT${step}M`,
        value: [
          {
            name: { value: 'APIRequestChat' },
            timeseries: series.map((s) => ({
              metadatavalues: [
                { name: { value: 'operation' }, value: s.op },
                { name: { value: 'statuscode' }, value: s.code },
                { name: { value: 'statuscodeclass' }, value: `${s.code[0]}xx` },
              ],
              data: s.counts
                .map((c, k) => ({ k, c }))
                .filter(({ k }) => s.gap === undefined || k !== s.gap % s.counts.length)
                .map(({ k, c }) => ({
                  timeStamp: new Date(start + k * step * MIN + (s.offGrid !== undefined && k === s.offGrid % s.counts.length ? 30_000 : 0)).toISOString(),
                  count: c,
                  total: c,
                })),
            })),
          },
        ],
      }),
    );
  const variant = fc.record({
    interval: fc.constantFrom(
      { kind: 'auto' as const },
      { kind: 'full' as const },
      { kind: 'fixed' as const, ms: 3_600_000, iso: 'PT1H' },
      { kind: 'fixed' as const, ms: 15 * MIN, iso: 'PT15M' },
    ),
    range: fc.oneof(
      fc.constant({}),
      fc.integer({ min: 1, max: 48 * 60 }).map((m) => ({ sinceMs: m * MIN })),
      fc
        .tuple(fc.integer({ min: -600, max: 4 * 24 * 60 }), fc.integer({ min: 1, max: 3000 }))
        .map(([a, len]) => ({ start: Date.UTC(2026, 0, 1) + a * MIN, end: Date.UTC(2026, 0, 1) + (a + len) * MIN })),
    ),
    split: fc.constantFrom([], ['operation'], ['statuscode', 'operation']),
  });
  const outcome = (q: Query, metrics: MetricData[]) => {
    try {
      return runQuery(q, { metrics });
    } catch (e) {
      return { error: (e as Error).message };
    }
  };

  it('give the results (or the message) of the reference reader for any grid, gap, window and interval (property)', () => {
    fc.assert(
      fc.property(response, variant, (text, v) => {
        const q: Query = {
          metric: chat,
          aggregation: AGGREGATIONS.find((a) => a.key === 'count')!,
          filters: [],
          splitBy: v.split.map((d) => resolveDimension(chat, d)),
          interval: v.interval,
          range: v.range,
          errors: DEFAULT_ERRORS,
        };
        expect(outcome(q, streamed(text, [700]))).toEqual(outcome(q, reference(text)));
      }),
      { numRuns: 300 },
    );
  });
});

describe('FixtureSource, streamed or read whole', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'acs-stream-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const both = async (bytes: Buffer) => {
    const file = join(dir, 'f.json');
    writeFileSync(file, bytes);
    const { io } = testIo({ cwd: dir });
    const get = (keepBodies: boolean) =>
      new FixtureSource(['f.json'], io, { keepBodies, streamFrom: 0 }).fetch([]).then(
        (r) => ({ metrics: r.metrics }),
        (e: unknown) => ({ error: e instanceof DataError ? e.message : String(e) }),
      );
    return { stream: await get(false), whole: await get(true) };
  };

  const encodings = fc.constantFrom('utf8', 'bom', 'utf16le', 'utf16be');
  const encode = (text: string, enc: string): Buffer => {
    if (enc === 'bom') return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]);
    if (enc === 'utf16le') return Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    if (enc === 'utf16be') return Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(text, 'utf16le').swap16()]);
    return Buffer.from(text);
  };

  it('give the same metrics or the same message on random and broken responses in every encoding (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        responseText,
        encodings,
        fc.option(fc.tuple(fc.nat(), fc.constantFrom('', '}', '"', ',', '-', 'x', '\u0000', '[[')), { nil: undefined }),
        async (text, enc, cut) => {
          // Broken: a piece cut out and something else put in.
          const t = cut === undefined ? text : text.slice(0, cut[0] % (text.length + 1)) + cut[1] + text.slice((cut[0] % (text.length + 1)) + 3);
          const r = await both(encode(t, enc));
          expect(r.stream).toEqual(r.whole);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('say the same about empty and blank files', async () => {
    for (const text of ['', '  \n', '\ufeff']) {
      const r = await both(Buffer.from(text));
      expect(r.stream).toEqual({ error: 'f.json: empty file' });
      expect(r.whole).toEqual(r.stream);
    }
  });

  it('a streamed file has no size limit of its own; one given is kept', async () => {
    const file = join(dir, 'big.json');
    writeFileSync(file, JSON.stringify({ value: [{ name: { value: 'APIRequestChat' }, timeseries: [] }], pad: 'x'.repeat(5000) }));
    const { io } = testIo({ cwd: dir });
    const r = await new FixtureSource(['big.json'], io, { streamFrom: 0 }).fetch([]);
    expect(r.metrics.map((m) => m.name)).toEqual(['APIRequestChat']);
    const err = await new FixtureSource(['big.json'], io, { maxBytes: 1024, streamFrom: 0 }).fetch([]).catch((e: unknown) => e);
    expect((err as DataError).message).toMatch(/^big\.json: too large \(\d+(\.\d)? KiB; the limit is 1 KiB\)$/);
  });
});

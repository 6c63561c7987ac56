/**
 * Issue 22, reading speed: the streamed reader's layout-specific point reader (fast-point.ts
 * servicePoint) and the query's per-bucket runs (Accumulator.addRun) must give exactly what the
 * general paths give. Oracles: the reference reader (JSON.parse + parseMetricsBody) for points, and
 * Accumulator.add called point by point for runs.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Accumulator, tableColumns } from '../src/core/accumulate.js';
import type { PointValues } from '../src/core/points.js';
import type { AggregationKey } from '../src/catalog/types.js';
import { DataError } from '../src/errors.js';
import { parseMetricsBody, parseMetricsDocument } from '../src/sources/parse-response.js';
import { StreamReader } from '../src/sources/stream-reader.js';

/** The streaming reader over text cut at the given byte positions (unread bytes given again). */
function streamed(bytes: Buffer, cuts: readonly number[]): unknown {
  const reader = new StreamReader();
  let pending = Buffer.alloc(0);
  let from = 0;
  const ends = [...new Set(cuts.filter((c) => c > 0 && c < bytes.length))].sort((a, b) => a - b);
  for (const end of [...ends, bytes.length]) {
    const chunk = Buffer.concat([pending, bytes.subarray(from, end)]);
    const used = reader.feed(chunk, 0, chunk.length, end === bytes.length);
    pending = chunk.subarray(used);
    from = end;
  }
  return parseMetricsBody(reader.result(), 'f');
}

function outcome(read: () => unknown): unknown {
  try {
    return read();
  } catch (e) {
    if (e instanceof DataError) return `DataError: ${e.message}`;
    return `${(e as Error).name}`;
  }
}

const START = Date.UTC(2026, 0, 1);
const stamp = (k: number): string => new Date(START + k * 60_000).toISOString().replace('.000Z', 'Z');

const KEY_NAMES = ['count', 'total', 'average', 'minimum', 'maximum'] as const;
/** A whole number as the service writes it, null, or a long one (15 digits fit the fast reader). */
const goodValue = fc.oneof(
  { weight: 8, arbitrary: fc.integer({ min: 0, max: 60 }).map(String) },
  { weight: 2, arbitrary: fc.constant('null') },
  { weight: 1, arbitrary: fc.constantFrom('999999999999999', '1000000000000000', '12345678901234567', '9007199254740993', '1.5', '2e3', '0.0') },
);
/** Text just off the layout or not a valid value: each must fall back (or be refused) as the reference reader says. */
const oddValue = fc.constantFrom('-0', '-1', '01', '1 ', 'nul', 'true', '"3"', '1E+2');
/** The service's keys in its order, each maybe left out, with good values. */
const servicePoint = fc
  .array(fc.tuple(fc.boolean(), goodValue), { minLength: 5, maxLength: 5 })
  .map((picks) => picks.flatMap(([keep, v], i) => (keep ? [`"${KEY_NAMES[i]}":${v}`] : [])));
/** Something else: keys in another order or misspelt, a key given twice, an odd value. */
const oddPoint = fc
  .array(
    fc.tuple(
      fc.constantFrom(
        ...KEY_NAMES,
        'counts',
        'tota',
        'maximun',
        'Count',
        'extra',
        'timeStamp',
        'minimun',
        'maxinum',
        'mXnimum',
        'avera',
        'averagf',
        'totals',
        'countt',
      ),
      fc.oneof(goodValue, oddValue),
    ),
    { maxLength: 6 },
  )
  .map((pairs) => pairs.map(([k, v]) => `"${k}":${v}`));
/** A point: the service's layout most of the time, else a variant of its fields or its form. */
const pointText = fc
  .tuple(
    fc.oneof({ weight: 30, arbitrary: servicePoint }, { weight: 1, arbitrary: oddPoint }),
    fc.oneof(
      { weight: 30, arbitrary: fc.constant('service') },
      { weight: 1, arbitrary: fc.constantFrom('lower', 'space', 'last', 'plus') },
      { weight: 3, arbitrary: fc.constant('days') },
    ),
  )
  .map(([fields, form]) => (k: number): string => {
    // 'days': a date of its own for every point (37 days apart: months, years and leap days change).
    const ts = form === 'plus' ? stamp(k).replace('Z', '+00:00') : form === 'days' ? stamp(k * 37 * 1440 + k) : stamp(k);
    const t = `"${form === 'lower' ? 'timestamp' : 'timeStamp'}":"${ts}"`;
    if (form === 'last') return `{${[...fields, t].join(',')}}`;
    if (form === 'space') return `{ ${[t, ...fields].join(', ')} }`;
    return `{${[t, ...fields].join(',')}}`;
  });
const responseText = fc.array(fc.array(pointText, { minLength: 1, maxLength: 30 }), { minLength: 1, maxLength: 3 }).map((series) => {
  const timeseries = series.map(
    (points, s) => `{"metadatavalues":[{"name":{"value":"operation"},"value":"Op${s}"}],"data":[${points.map((p, k) => p(k)).join(',')}]}`,
  );
  return `{"interval":"PT1M","value":[{"name":{"value":"APIRequestChat"},"timeseries":[${timeseries.join(',')}]}]}`;
});

describe('points in the service layout', () => {
  it('read exactly as the reference reader reads them, or refused with its message, cut anywhere (property)', () => {
    fc.assert(
      fc.property(responseText, fc.array(fc.nat(), { maxLength: 4 }), (text, cuts) => {
        const bytes = Buffer.from(text);
        const expected = outcome(() => parseMetricsDocument(text, 'f'));
        const at = cuts.map((c) => c % (bytes.length + 1));
        const got = outcome(() => streamed(bytes, at));
        if (typeof expected === 'string' && expected.startsWith('DataError: f: not valid JSON')) expect(typeof got).toBe('string');
        else expect(got).toEqual(expected);
      }),
      { numRuns: 400 },
    );
  });

  it('a key given twice inside a point of a long series is refused with its place', () => {
    const points = Array.from({ length: 50 }, (_, k) => `{"timeStamp":"${stamp(k)}","count":1,"total":1}`);
    points[37] = `{"timeStamp":"${stamp(37)}","count":1,"total":1,"count":2}`;
    const text = `{"value":[{"name":{"value":"A"},"timeseries":[{"data":[${points.join(',')}]}]}]}`;
    expect(() => streamed(Buffer.from(text), [])).toThrow(
      'f: value[0].timeseries[0].data[37].count is given twice in one point (1, then 2): a point holds one value per aggregation; keep one',
    );
  });
});

const agg = fc.oneof(
  { weight: 3, arbitrary: fc.integer({ min: 0, max: 9 }) },
  { weight: 1, arbitrary: fc.constant(null) },
  { weight: 1, arbitrary: fc.constant(undefined) },
  { weight: 2, arbitrary: fc.double({ min: 0, max: 1e6, noNaN: true }) },
  { weight: 1, arbitrary: fc.constantFrom(-0, 0.1, 0.2, 1e-300) },
);
const values = fc.record({ count: agg, total: agg, average: agg, minimum: agg, maximum: agg }).map((v) => {
  const o: Record<string, number | null> = {};
  for (const [k, x] of Object.entries(v)) if (x !== undefined) o[k] = x;
  return o as PointValues;
});
const KEYS: readonly AggregationKey[] = ['count', 'total', 'average', 'minimum', 'maximum'];

describe('Accumulator.addRun', () => {
  it('gives every bucket and total exactly what add() point by point gives, for every kept aggregation (property)', () => {
    fc.assert(
      fc.property(
        fc.array(values, { minLength: 1, maxLength: 12 }),
        fc.array(fc.tuple(fc.nat(3), fc.array(fc.nat(), { maxLength: 30 })), { maxLength: 8 }),
        fc.constantFrom<AggregationKey | undefined>(undefined, ...KEYS),
        (table, runs, keep) => {
          const byRun = new Accumulator(4, keep);
          const byPoint = new Accumulator(4, keep);
          const columns = tableColumns(table);
          for (const [bucket, picks] of runs) {
            const index = Uint16Array.from(picks.map((p) => p % table.length));
            byRun.addRun(bucket, index, 0, index.length, columns);
            for (const j of index) byPoint.add(bucket, table[j]!);
          }
          for (const key of KEYS) {
            for (let i = 0; i < 4; i++) expect(Object.is(byRun.value(i, key), byPoint.value(i, key)), `${key} ${i}`).toBe(true);
            expect(Object.is(byRun.overall(key), byPoint.overall(key)), key).toBe(true);
          }
          expect(byRun.bytes).toBe(byPoint.bytes);
        },
      ),
      { numRuns: 500 },
    );
  });
});

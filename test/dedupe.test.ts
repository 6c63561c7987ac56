import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AGGREGATIONS } from '../src/catalog/aggregations.js';
import { resolveDimension, resolveMetric } from '../src/catalog/resolve.js';
import { dedupeMetric } from '../src/core/dedupe.js';
import { DEFAULT_ERRORS, type MetricData, type Query, type RawPoint, type RawSeries } from '../src/core/model.js';
import { columnarSeries, pointColumns } from '../src/core/points.js';
import { runQuery } from '../src/core/run-query.js';
import { DataError, EXIT } from '../src/errors.js';
import { parseMetricsBody } from '../src/sources/parse-response.js';
import { metricsBody } from './helpers/fixture.js';

const chat = resolveMetric('chat');
const H = 3_600_000;
const T0 = Date.parse('2026-01-01T00:00:00Z');
const RES = '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Communication/CommunicationServices';

function query(split: string[] = [], over: Partial<Query> = {}): Query {
  return {
    metric: chat,
    aggregation: AGGREGATIONS.find((a) => a.key === 'count')!,
    filters: [],
    splitBy: split.map((d) => resolveDimension(chat, d)),
    interval: { kind: 'auto' },
    range: {},
    errors: DEFAULT_ERRORS,
    ...over,
  };
}

/** The parsed chat body of test/helpers/fixture.ts, as a file would give it (columnar series). */
function parsed(origin: string, series: { dims: Record<string, string>; counts: (number | null)[] }[]): MetricData[] {
  return parseMetricsBody(metricsBody([{ name: 'APIRequestChat', series }]), origin);
}

const SEND = { operation: 'SendChatMessage', statuscode: '201', statuscodeclass: '2xx' };
const GET = { operation: 'GetChatMessage', statuscode: '429', statuscodeclass: '4xx' };
const file = (origin: string) =>
  parsed(origin, [
    { dims: SEND, counts: [10, 20, 30, 40] },
    { dims: GET, counts: [1, 0, null, 3] },
  ]);

function dataError(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(DataError);
    expect((err as DataError).exitCode).toBe(EXIT.DATA);
    expect((err as DataError).problems).toHaveLength(1);
    return (err as DataError).message;
  }
  throw new Error('expected a DataError');
}

const plain = (dimensions: Record<string, string>, points: RawPoint[]): RawSeries => ({ dimensions, points });
const md = (origin: string, series: RawSeries[], resourceId?: string): MetricData => ({
  name: 'APIRequestChat',
  interval: 'PT1H',
  intervalMs: H,
  origin,
  series,
  ...(resourceId !== undefined ? { resourceId } : {}),
});

describe('dedupeMetric', () => {
  it('counts the same file given twice once, with one note', () => {
    const once = runQuery(query(), { metrics: file('a.json') });
    const twice = runQuery(query(), { metrics: [...file('a.json'), ...file('b.json')] });
    // 10+20+30+40 + 1+0+3 = 104, not 208.
    expect(once.total).toBe(104);
    expect(twice.total).toBe(104);
    expect(twice.series[0]!.points.map((p) => p.value)).toEqual([11, 20, 30, 43]);
    // 8 points, of which one (GET at 02:00) has no count: still the same point.
    expect(twice.notes).toEqual(['a.json and b.json hold the same APIRequestChat points (8 of them): counted once']);
    expect(once.notes).toEqual([]);
  });

  it('counts a body repeated inside one file once', () => {
    const r = runQuery(query(), { metrics: [...file('a.json'), ...file('a.json')] });
    expect(r.total).toBe(104);
    expect(r.notes).toEqual(['a.json holds the same APIRequestChat points more than once (8 of them): counted once']);
  });

  it('keeps series whose key nobody shares untouched (the same columns, no copy)', () => {
    const input = file('a.json');
    const out = dedupeMetric(chat, input);
    expect(out.notes).toEqual([]);
    expect(pointColumns(out.metrics[0]!.series[0]!)).toBe(pointColumns(input[0]!.series[0]!));
    // The resource becomes a dimension: here the metric id's resource part.
    expect(out.metrics[0]!.series[0]!.dimensions).toEqual({ ...SEND, resource: '/subscriptions/x' });
  });

  it('merges overlapping copies: the shared hours once, the others as they are', () => {
    const first = parsed('jan1.json', [{ dims: SEND, counts: [10, 20, 30, 40] }]);
    // Starts two hours later: 30 and 40 again, then 50 and 60.
    const later = parseMetricsBody(
      metricsBody([{ name: 'APIRequestChat', series: [{ dims: SEND, counts: [30, 40, 50, 60] }] }], '2026-01-01T02:00:00Z'),
      'jan1b.json',
    );
    const r = runQuery(query(), { metrics: [...first, ...later] });
    expect(r.total).toBe(10 + 20 + 30 + 40 + 50 + 60);
    expect(r.series[0]!.points.map((p) => p.value)).toEqual([10, 20, 30, 40, 50, 60]);
    expect(r.notes).toContain('jan1.json and jan1b.json hold the same APIRequestChat points (2 of them): counted once');
  });

  it('keeps the same series of consecutive files as parts, columns shared, with the same results as one file', () => {
    const day1 = parsed('day1.json', [{ dims: SEND, counts: [10, 20] }]);
    const day2 = parseMetricsBody(metricsBody([{ name: 'APIRequestChat', series: [{ dims: SEND, counts: [30, 40] }] }], '2026-01-01T02:00:00Z'), 'day2.json');
    const out = dedupeMetric(chat, [...day1, ...day2]);
    expect(out.notes).toEqual([]);
    expect(pointColumns(out.metrics[0]!.series[0]!)).toBe(pointColumns(day1[0]!.series[0]!));
    expect(pointColumns(out.metrics[1]!.series[0]!)).toBe(pointColumns(day2[0]!.series[0]!));
    const r = runQuery(query(['operation']), { metrics: [...day1, ...day2] });
    const whole = runQuery(query(['operation']), { metrics: parsed('all.json', [{ dims: SEND, counts: [10, 20, 30, 40] }]) });
    expect(r.series).toEqual(whole.series);
    expect(r.total).toBe(100);
  });

  it('merges a timestamp repeated inside one series, and sorts an unsorted one', () => {
    const s = plain({ operation: 'X' }, [
      { timestamp: T0 + H, count: 5 },
      { timestamp: T0, count: 2 },
      { timestamp: T0 + H, count: 5 },
    ]);
    const out = dedupeMetric(chat, [md('r.json', [s])]);
    expect(out.metrics[0]!.series[0]!.points).toEqual([
      { timestamp: T0, count: 2 },
      { timestamp: T0 + H, count: 5 },
    ]);
    expect(out.notes).toEqual(['r.json holds the same APIRequestChat points more than once (1 of them): counted once']);
  });

  it('keeps the aggregations only one side has (count from one file, total from the other)', () => {
    const a = md('a.json', [plain({ operation: 'X' }, [{ timestamp: T0, count: 4 }])]);
    const b = md('b.json', [plain({ operation: 'X' }, [{ timestamp: T0, count: 4, total: 9 }])]);
    const out = dedupeMetric(chat, [a, b]);
    expect(out.metrics.flatMap((m) => m.series.flatMap((s) => s.points))).toEqual([{ timestamp: T0, count: 4, total: 9 }]);
  });

  it('refuses two different values for one series and timestamp, naming both places', () => {
    const other = parsed('b.json', [
      { dims: SEND, counts: [10, 20, 31, 40] },
      { dims: GET, counts: [1, 0, null, 3] },
    ]);
    expect(dataError(() => runQuery(query(), { metrics: [...file('a.json'), ...other] }))).toBe(
      'a.json and b.json hold different APIRequestChat points for (Operation=SendChatMessage, StatusCode=201, StatusSubClass=2xx, Resource=x) at 2026-01-01T02:00:00Z: count 30 in a.json, 31 in b.json; keep one of them',
    );
    const repeat = md('r.json', [
      plain({}, [
        { timestamp: T0, count: 1 },
        { timestamp: T0, count: 2 },
      ]),
    ]);
    expect(dataError(() => dedupeMetric(chat, [repeat]))).toBe(
      'r.json holds two different APIRequestChat points for (not split) at 2026-01-01T00:00:00Z: count 1 in r.json, 2 in r.json; keep one of them',
    );
  });

  it('refuses data of one resource split two ways over overlapping times', () => {
    const bySplit = file('ops.json');
    const total = parsed('total.json', [{ dims: {}, counts: [11, 20, 30, 43] }]);
    expect(dataError(() => runQuery(query(), { metrics: [...bySplit, ...total] }))).toBe(
      'ops.json and total.json hold APIRequestChat data of x split two ways over the same time (2026-01-01T00:00:00Z to 2026-01-01T03:00:00Z): split by Operation, StatusCode, StatusSubClass in ops.json, not split in total.json; the requests would be counted twice: give files with the same split',
    );
  });

  it('accepts different splits over times that do not overlap, and of different resources', () => {
    const early = md('early.json', [plain({ operation: 'X' }, [{ timestamp: T0, count: 1 }])], `${RES}/a`);
    const late = md('late.json', [plain({}, [{ timestamp: T0 + H, count: 2 }])], `${RES}/a`);
    const otherResource = md('b.json', [plain({}, [{ timestamp: T0, count: 4 }])], `${RES}/b`);
    const r = runQuery(query(['resource']), { metrics: [early, late, otherResource] });
    expect(r.series.map((s) => [s.dimensions.Resource, s.total])).toEqual([
      [`${RES}/b`, 4],
      [`${RES}/a`, 3],
    ]);
  });

  it('never treats two resources as one series, and reads resource ids ignoring case', () => {
    const a = md('a.json', [plain({ operation: 'X' }, [{ timestamp: T0, count: 1 }])], `${RES}/a`);
    const b = md('b.json', [plain({ operation: 'X' }, [{ timestamp: T0, count: 1 }])], `${RES}/b`);
    const aUpper = md('A.json', [plain({ operation: 'X' }, [{ timestamp: T0, count: 1 }])], `${RES}/a`.toUpperCase());
    const out = dedupeMetric(chat, [a, b, aUpper]);
    expect(out.metrics.map((m) => m.series.map((s) => s.dimensions.resource))).toEqual([[`${RES}/a`], [`${RES}/b`], []]);
    expect(out.notes).toEqual(['a.json and A.json hold the same APIRequestChat points (1 of them): counted once']);
  });
});

// ---------------------------------------------------------------------------------------------------
// Property: however the data is repeated, the total is each distinct (series, timestamp) once.

const RESOURCES = [undefined, `${RES}/acs-a`, `${RES}/acs-b`] as const;
const OPS = ['SendChatMessage', 'GetChatMessage', 'ListChatMessages'] as const;

/** The truth: resource index -> operation -> hour -> count. */
const truthArb = fc.array(fc.record({ resource: fc.nat(RESOURCES.length - 1), op: fc.nat(OPS.length - 1), hour: fc.nat(11), count: fc.nat(1000) }), {
  minLength: 1,
  maxLength: 40,
});

/** A place (file or body): one resource, some points of its series, maybe repeated, in any order. */
const placeArb = fc.record({
  resource: fc.nat(RESOURCES.length - 1),
  picks: fc.array(fc.nat(), { maxLength: 30 }),
  columnar: fc.boolean(),
  origin: fc.constantFrom('a.json', 'b.json', 'c.json'),
});

describe('dedupeMetric: property', () => {
  it('the query total equals the sum of each distinct (series, timestamp) once; a conflict always throws', () => {
    fc.assert(
      fc.property(truthArb, fc.array(placeArb, { minLength: 1, maxLength: 6 }), fc.option(fc.nat(), { nil: undefined }), (rows, places, conflictAt) => {
        // One value per (resource, op, hour): the first row wins.
        const truth = new Map<string, { resource: number; op: number; hour: number; count: number }>();
        for (const r of rows) {
          const key = `${r.resource}/${r.op}/${r.hour}`;
          if (!truth.has(key)) truth.set(key, r);
        }
        const points = [...truth.values()];
        const given = new Set<string>();
        let conflict = false;
        const metrics: MetricData[] = [];
        let conflictCounter = 0;
        for (const place of places) {
          const own = points.filter((p) => p.resource === place.resource);
          if (own.length === 0) continue;
          const bySeries = new Map<number, RawPoint[]>();
          for (const pick of place.picks) {
            const p = own[pick % own.length]!;
            const key = `${p.resource}/${p.op}/${p.hour}`;
            let count = p.count;
            // Maybe one point of a repeat gets another value.
            if (given.has(key) && conflictAt !== undefined && conflictCounter++ === conflictAt % 8) {
              count += 1;
              conflict = true;
            }
            given.add(key);
            const list = bySeries.get(p.op) ?? [];
            list.push({ timestamp: T0 + p.hour * H, count });
            bySeries.set(p.op, list);
          }
          const series = [...bySeries].map(([op, pts]) => {
            const dims = { operation: OPS[op]! };
            if (!place.columnar) return plain(dims, pts);
            const sorted = [...pts].sort((x, y) => x.timestamp - y.timestamp);
            return columnarSeries(dims, { timestamps: Float64Array.from(sorted, (p) => p.timestamp), values: sorted }, () => sorted);
          });
          metrics.push(md(place.origin, series, RESOURCES[place.resource]));
        }
        if (given.size === 0) return;
        const expected = points.filter((p) => given.has(`${p.resource}/${p.op}/${p.hour}`)).reduce((sum, p) => sum + p.count, 0);
        const run = () => runQuery(query([], { range: { start: T0, end: T0 + 12 * H } }), { metrics });
        if (conflict) {
          expect(dataError(run)).toMatch(
            /^[abc]\.json (and [abc]\.json hold different|holds two different) APIRequestChat points for \(Operation=\w+(, Resource=acs-[ab])?\) at 2026-01-01T\d\d:00:00Z: count \d+ in [abc]\.json, \d+ in [abc]\.json; keep one of them$/,
          );
          return;
        }
        const result = runQuery(query([], { range: { start: T0, end: T0 + 12 * H } }), { metrics });
        expect(result.total).toBe(expected);
        // Per resource too: split by Resource.
        const byResource = runQuery(query(['resource'], { range: { start: T0, end: T0 + 12 * H } }), { metrics });
        const oracle = new Map<string, number>();
        for (const p of points) {
          if (!given.has(`${p.resource}/${p.op}/${p.hour}`)) continue;
          const id = RESOURCES[p.resource] ?? '';
          oracle.set(id, (oracle.get(id) ?? 0) + p.count);
        }
        expect(new Map(byResource.series.map((s) => [s.dimensions.Resource!, s.total]))).toEqual(oracle);
      }),
      { numRuns: 300 },
    );
  });
});

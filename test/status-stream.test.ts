/**
 * status reduced resource by resource as the estate arrives (src/core/status-stream.ts) against the
 * report built from every resource's data at once (statusResults over all of it, then buildStatus:
 * the path status always took, the oracle), on random estates parsed from batch-shaped answers as
 * the live source parses them: resources whose data of a metric failed, is missing, has no series,
 * lacks the Operation split (read apart), mixes both, has null and zero counts, error series; the
 * resources handed on in any order. Whenever the stream says it is exact, the report, every rendering,
 * the failure notes, the failed metrics and the PARTIAL count must be the same, down to the byte. A
 * resource answering another timespan or interval (or data a whole query refuses) may make a metric
 * inexact: the stream names it, and finishWith, given that metric's data alone (what the caller kept
 * aside), must then give the same report too. Answers to one request (the live case) are never
 * inexact, not even when no resource's data names a metric at all (it fails with the "no data"
 * message, naming the data's metrics in its order).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Chalk } from 'chalk';
import { metricByRestName } from '../src/catalog/resolve.js';
import type { MetricDef } from '../src/catalog/types.js';
import { failureNotes, resourceFailures, shortfall } from '../src/core/estate.js';
import type { MetricData, Query, QueryResult } from '../src/core/model.js';
import { buildStatus, statusReport, statusResults } from '../src/core/status.js';
import { type StatusParts, StatusStream } from '../src/core/status-stream.js';
import { perResourceQuery } from '../src/core/usage.js';
import { CliError, EXIT } from '../src/errors.js';
import { renderStatusCsv, renderStatusJson, renderStatusTable } from '../src/render/status.js';
import { parseMetricsBody } from '../src/sources/parse-response.js';

const HOUR = 3_600_000;
const NOW = Date.UTC(2026, 0, 25, 12, 0);
const START = NOW - 24 * HOUR;
const iso = (t: number): string => new Date(t).toISOString().replace('.000Z', 'Z');
const METRICS = ['APIRequestChat', 'APIRequestSMS', 'APIRequestAuthentication'];
const defs: MetricDef[] = METRICS.map((n) => metricByRestName(n)!);
const queries: Query[] = defs.map((m) => perResourceQuery(m, { sinceMs: 24 * HOUR }, { kind: 'auto' }, false));
const idOf = (i: number): string =>
  `/subscriptions/00000000-0000-4000-8000-00000000000${i % 3}/resourceGroups/rg/providers/Microsoft.Communication/CommunicationServices/acs-${i}`;

/** A dimension's value of a success (k 0) or error (k 1) series of an operation. */
function dimValue(name: string, op: string, k: number): string {
  if (/class/i.test(name)) return k === 0 ? '2xx' : '4xx';
  if (/code$/i.test(name)) return k === 0 ? '200' : '500';
  if (/^operation$/i.test(name)) return op;
  return 'x';
}

const count = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: 0, max: 50 }) },
  { weight: 2, arbitrary: fc.constant(null) },
  { weight: 1, arbitrary: fc.constant(0) },
);
const seriesArb = fc.record({
  /** Without an op the series lacks the Operation dimension (a resource read apart). */
  op: fc.constantFrom('SendMessage', 'GetThread', undefined),
  k: fc.integer({ min: 0, max: 1 }),
  counts: fc.array(fc.option(count, { nil: undefined }), { maxLength: 24 }),
});
const metricArb = fc.oneof(
  // A series once per answer, as Azure answers.
  {
    weight: 6,
    arbitrary: fc.record({ kind: fc.constant('ok' as const), series: fc.uniqueArray(seriesArb, { maxLength: 4, selector: (s) => `${s.op}|${s.k}` }) }),
  },
  // Series repeated with other counts: a conflict the whole query refuses (the stream gives up, or agrees).
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('ok' as const), series: fc.array(seriesArb, { maxLength: 4 }), repeats: fc.constant(true) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('failed' as const), code: fc.constantFrom('ResourceNotFound', 'Throttled') }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'absent' as const }) },
);
const resourceArb = fc.record({
  metrics: fc.tuple(metricArb, metricArb, metricArb),
  /** Hours the answer's timespan starts later (another window than asked: the stream may give up). */
  shift: fc.oneof({ weight: 9, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.integer({ min: 1, max: 3 }) }),
});
const estateArb = fc.record({
  resources: fc.array(resourceArb, { minLength: 1, maxLength: 6 }),
  order: fc.array(fc.nat(), { maxLength: 6 }),
  /** No --metric: one resource shows every metric, traffic or not. */
  everyMetric: fc.boolean(),
});
type Estate = fc.RecordValue<typeof estateArb>;

/** One resource's batch entry (every metric of it), parsed as the live source parses it. */
function dataOf(r: Estate['resources'][number], i: number): MetricData[] {
  const start = START + r.shift * HOUR;
  const value = r.metrics.flatMap((m, mi) => {
    const def = defs[mi]!;
    if (m.kind === 'absent') return [];
    const name = { value: def.rest, localizedValue: def.rest };
    if (m.kind === 'failed') return [{ name, unit: 'Count', errorCode: m.code, errorMessage: `${m.code} for acs-${i}`, timeseries: [] }];
    const timeseries = m.series.map((s) => ({
      metadatavalues: def.dimensions
        .filter((d) => s.op !== undefined || !/^operation$/i.test(d.rest))
        .map((d) => ({ name: { value: d.rest.toLowerCase() }, value: dimValue(d.rest, s.op ?? '', s.k) })),
      data: s.counts.flatMap((c, h) =>
        c === undefined ? [] : [c === null ? { timeStamp: iso(start + h * HOUR) } : { timeStamp: iso(start + h * HOUR), count: c }],
      ),
    }));
    return [{ name, unit: 'Count', errorCode: 'Success', timeseries }];
  });
  return parseMetricsBody({ values: [{ resourceid: idOf(i), starttime: iso(start), endtime: iso(NOW), interval: 'PT1H', value }] }, 'Azure Monitor');
}

/** The old path: every metric's results over all the data, then buildStatus (src/cli/status.ts before the stream). */
function oracle(ids: readonly string[], data: readonly MetricData[], everyMetric: boolean) {
  const results: QueryResult[] = [];
  const failedMetrics: { metric: MetricDef; message: string }[] = [];
  for (const q of queries) {
    try {
      results.push(...statusResults(q, { metrics: data, anchor: NOW }));
    } catch (err) {
      if (!(err instanceof CliError) || err.exitCode !== EXIT.DATA) throw err;
      failedMetrics.push({ metric: q.metric, message: err.problems.join('; ') });
    }
  }
  if (results.length === 0) return { failedMetrics, report: undefined };
  const failures = resourceFailures(data);
  const window = { start: results[0]!.start, end: results[0]!.end };
  const report = buildStatus({ resources: ids, results, failedMetrics, failures, everyMetric: everyMetric && ids.length === 1, window });
  return { failedMetrics, failures, report, failed: shortfall(data).failed };
}

const renders = (report: NonNullable<ReturnType<typeof oracle>['report']>): string[] => [
  renderStatusJson(report, { total: 3, answers: 2 }),
  renderStatusCsv(report),
  renderStatusTable(report, new Chalk({ level: 0 }), 140),
];

function check(e: Estate): 'exact' | 'inexact' {
  const ids = e.resources.map((_, i) => idOf(i));
  const perResource = e.resources.map(dataOf);
  let expected: ReturnType<typeof oracle> | Error;
  try {
    expected = oracle(ids, perResource.flat(), e.everyMetric);
  } catch (err) {
    expected = err as Error;
  }
  const stream = new StatusStream(queries, ids, NOW, e.everyMetric);
  // Resources arrive in any order.
  const order = ids.map((_, i) => i).sort((a, b) => (e.order[a] ?? a) - (e.order[b] ?? b) || a - b);
  // Each resource's metrics in parts (part n: metric n), the parts in any order too.
  for (const i of order) {
    for (const mi of [0, 1, 2].map((k) => (k + i) % 3)) {
      const part = perResource[i]!.filter((m) => m.name.toLowerCase() === defs[mi]!.rest.toLowerCase());
      if (part.length > 0) stream.add(i, part, mi);
    }
  }
  const finished = stream.finish();
  const live = e.resources.every((r) => r.shift === 0 && r.metrics.every((m) => !('repeats' in m)));
  let got: StatusParts;
  if ('inexact' in finished) {
    // Answers to one request are always exact, a metric that no resource's data names included.
    if (live && !(expected instanceof Error)) expect.fail(`answers to one request, inexact: ${finished.inexact}`);
    // Else the metrics named are told from their data alone, all of it at once, in the data's order.
    const named = new Set(finished.metrics.map((m) => m.rest.toLowerCase()));
    const theirs = perResource.flat().filter((m) => named.has(m.name.toLowerCase()));
    if (expected instanceof Error) {
      expect(() => stream.finishWith(theirs)).toThrow(expected.message);
      return 'inexact';
    }
    got = stream.finishWith(theirs);
  } else {
    got = finished;
  }
  expect(expected).not.toBeInstanceOf(Error);
  const want = expected as ReturnType<typeof oracle>;
  expect(got.failedMetrics).toEqual(want.failedMetrics);
  expect(got.hasResults).toBe(want.report !== undefined);
  if (want.report === undefined) return 'inexact' in finished ? 'inexact' : 'exact';
  const report = statusReport({ ...got, everyMetric: e.everyMetric && ids.length === 1 });
  expect(report).toEqual(want.report);
  expect(renders(report)).toEqual(renders(want.report));
  expect(failureNotes(got.failures)).toEqual(failureNotes(want.failures!));
  expect(got.failedResources).toBe(want.failed);
  return 'inexact' in finished ? 'inexact' : 'exact';
}

describe('status reduced resource by resource (property, against buildStatus over all the data)', () => {
  it('gives the same report and renderings, from the stream when it is exact (answers to one request always are), else with the data of the metrics it names', () => {
    const seen = { exact: 0, inexact: 0 };
    fc.assert(
      fc.property(estateArb, (e) => {
        seen[check(e)]++;
      }),
      { numRuns: 400, seed: 22 },
    );
    // The property ran on both sides.
    expect(seen.exact).toBeGreaterThan(200);
    expect(seen.inexact).toBeGreaterThan(0);
  });

  it('a resource read apart (no Operation split) and one with it: both rows, the report as before', () => {
    const e: Estate = {
      resources: [
        { metrics: [{ kind: 'ok', series: [{ op: 'SendMessage', k: 1, counts: [1, 2, 3] }] }, { kind: 'absent' }, { kind: 'ok', series: [] }], shift: 0 },
        {
          metrics: [{ kind: 'ok', series: [{ op: undefined, k: 0, counts: [4, null, 5] }] }, { kind: 'failed', code: 'Throttled' }, { kind: 'absent' }],
          shift: 0,
        },
      ],
      order: [1, 0],
      everyMetric: true,
    };
    expect(check(e)).toBe('exact');
  });
});

/**
 * usage's sums (per series, no hourly result: src/core/usage-sums.ts) against the bucket-by-bucket
 * path through runQuery (the oracle: the path usage took before), on random data: gaps, points only
 * with a total, duplicates across files, a window that cuts buckets, several resources, operations
 * and metrics, grains finer and coarser than an hour, and non-whole values (which take the bucket
 * path). The report and every rendering must be the same, down to the byte; so must any error.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Chalk } from 'chalk';
import { metricByRestName } from '../src/catalog/resolve.js';
import type { MetricDef } from '../src/catalog/types.js';
import type { MetricData, RangeSpec, RawPoint } from '../src/core/model.js';
import type { QueryData } from '../src/core/run-query.js';
import { usageReport, type UsagePath } from '../src/core/usage.js';
import { usageSums } from '../src/core/usage-sums.js';
import { perResourceQuery } from '../src/core/usage.js';
import { columnsToSeries } from '../src/sources/point-check.js';
import { PointSink, ValueTable } from '../src/sources/point-sink.js';
import { renderUsageCsv, renderUsageJson, renderUsageMarkdown, renderUsageTable } from '../src/render/usage.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
// Sunday 2026-01-25 and the days around it: weeks and a month end inside the data.
const BASE = Date.UTC(2026, 0, 25);
const RG = '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Communication/CommunicationServices';
const METRIC_NAMES = ['APIRequestChat', 'APIRequestSMS', 'APIRequestAuthentication'];
const metric = (rest: string): MetricDef => metricByRestName(rest)!;

/** A dimension's value in a success (0) or error (1) series of operation op. */
function dimValue(name: string, op: string, k: number): string {
  if (/class/i.test(name)) return k === 0 ? '2xx' : '4xx';
  if (/code$/i.test(name)) return k === 0 ? '200' : '429';
  if (/^operation$/i.test(name)) return op;
  return 'x';
}

const value = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: 0, max: 40 }) },
  { weight: 2, arbitrary: fc.constant(null) },
  { weight: 1, arbitrary: fc.constant(0) },
);
const point = fc.record({ count: value, totalOnly: fc.boolean() });
const seriesArb = fc.record({
  op: fc.constantFrom('OpA', 'OpB', ''),
  k: fc.integer({ min: 0, max: 1 }),
  points: fc.array(fc.option(point, { nil: undefined }), { maxLength: 60 }),
});
const fileArb = fc.record({
  metric: fc.constantFrom(...METRIC_NAMES),
  resource: fc.constantFrom('acs-a', 'acs-b', 'acs-c'),
  offset: fc.integer({ min: 0, max: 40 }),
  series: fc.array(seriesArb, { minLength: 1, maxLength: 4 }),
});

interface Case {
  grainMs: number;
  /** Minutes past the hour of the data's grid (a grid off the hour makes buckets that cross edges). */
  shift: number;
  files: fc.RecordValue<typeof fileArb>[];
  fraction: boolean;
  /** Series as the streaming and Parquet readers make them (indexed columns), and whether a missing point is a gap or a null. */
  columnar?: boolean;
  gaps?: boolean;
}

/** The files of a case as MetricData; a file written twice (the same points) stands for a duplicate across files. */
function dataOf(c: Case): QueryData {
  const table = new ValueTable();
  const metrics: MetricData[] = c.files.map((f, n) => {
    const def = metric(f.metric);
    const t0 = BASE + c.shift * MIN + f.offset * c.grainMs;
    const series = f.series.map((s) => {
      const dimensions: Record<string, string> = {};
      for (const d of def.dimensions) dimensions[d.rest.toLowerCase()] = dimValue(d.rest, s.op, s.k);
      const points: RawPoint[] = [];
      s.points.forEach((p, i) => {
        const timestamp = t0 + i * c.grainMs;
        if (p === undefined) {
          if (c.gaps !== false) return; // a gap
          points.push({ timestamp, count: null, total: null });
          return;
        }
        const v = p.count === null ? null : c.fraction ? p.count + 0.1 : p.count;
        points.push(p.totalOnly ? { timestamp, total: v } : { timestamp, count: v, total: v });
      });
      if (!c.columnar) return { dimensions, points };
      const sink = new PointSink(table);
      for (const p of points) sink.add(p.timestamp, p.count, p.total, undefined, undefined, undefined);
      const { columns, sorted } = sink.finish();
      return columnsToSeries(dimensions, columns, sorted);
    });
    const end = t0 + Math.max(1, ...f.series.map((s) => s.points.length)) * c.grainMs;
    return { name: def.rest, intervalMs: c.grainMs, start: t0, end, resourceId: `${RG}/${f.resource}`, origin: `file-${n % 3}.json`, series };
  });
  return { metrics };
}

/** A report (or the error it throws) and its renderings. */
function outcome(c: Case, range: RangeSpec, trend: 'auto' | 'week' | 'month' | 'none', path: UsagePath): unknown {
  const data = dataOf(c);
  const present = new Set(data.metrics.map((m) => m.name));
  const metrics = METRIC_NAMES.filter((n) => present.has(n)).map(metric);
  try {
    const report = usageReport(metrics, data, range, 2, trend, path);
    return {
      report,
      json: renderUsageJson(report),
      csv: renderUsageCsv(report),
      md: renderUsageMarkdown(report),
      table: renderUsageTable(report, { color: new Chalk({ level: 0 }), width: 120 }),
    };
  } catch (e) {
    return { error: `${(e as Error).constructor.name}: ${(e as Error).message}` };
  }
}

const caseArb = fc.record({
  grainMs: fc.constantFrom(5 * MIN, 15 * MIN, HOUR, 6 * HOUR, DAY),
  shift: fc.constantFrom(0, 0, 35),
  files: fc.array(fileArb, { minLength: 1, maxLength: 5 }).chain((files) =>
    // Some files again as they are: the same points from two places.
    fc.subarray(files).map((again) => [...files, ...again]),
  ),
  fraction: fc.integer({ min: 0, max: 3 }).map((n) => n === 0),
  columnar: fc.boolean(),
  gaps: fc.boolean(),
});
const rangeArb = fc.oneof(
  fc.constant<RangeSpec>({}),
  fc.record({ sinceMs: fc.integer({ min: 1, max: 60 * 24 * 4 }).map((m) => m * MIN) }),
  fc.record({ start: fc.integer({ min: -60, max: 24 * 60 * 3 }).map((m) => BASE + m * MIN) }),
  fc.record({
    start: fc.integer({ min: 0, max: 24 * 60 }).map((m) => BASE + m * MIN),
    end: fc.integer({ min: 24 * 60, max: 24 * 60 * 5 }).map((m) => BASE + m * MIN + 17 * 1000),
  }),
);

describe('usage sums against the bucket-by-bucket path', () => {
  it('gives the same report, renderings and errors for any data, window and trend', () => {
    fc.assert(
      fc.property(caseArb, rangeArb, fc.constantFrom('auto', 'week', 'month', 'none'), (c, range, trend) => {
        // The oracle: plain points, bucket by bucket; the sums from the same points as plain or indexed columns.
        expect(outcome(c, range, trend as 'auto', 'sums')).toEqual(outcome({ ...c, columnar: false }, range, trend as 'auto', 'buckets'));
      }),
      { numRuns: 300 },
    );
  });

  it('takes its own path for whole counts and the bucket path for fractions', () => {
    const c: Case = {
      grainMs: HOUR,
      shift: 0,
      fraction: false,
      files: [{ metric: 'APIRequestChat', resource: 'acs-a', offset: 0, series: [{ op: 'OpA', k: 0, points: [{ count: 3, totalOnly: false }] }] }],
    };
    const q = perResourceQuery(metric('APIRequestChat'), {}, { kind: 'fixed', ms: HOUR, iso: 'PT1H' });
    const sums = usageSums(q, dataOf(c));
    expect(sums?.series.map((s) => [s.requests, s.errors, s.firstTraffic])).toEqual([[3, 0, BASE]]);
    expect(usageSums(q, dataOf({ ...c, fraction: true }))).toBeUndefined();
  });
});

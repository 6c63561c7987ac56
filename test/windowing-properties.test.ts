/**
 * The windowing rule for all inputs: random grains, data, timespans with seconds, unaligned windows and
 * intervals, checked against oracles that sum the raw points themselves, for files (parse + core, and
 * the gate) and for live queries against the Azure Monitor emulator.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveMetric } from '../src/catalog/resolve.js';
import { parseDuration } from '../src/core/duration.js';
import { checkRule, type GateRule } from '../src/core/gate.js';
import type { IntervalSpec, RangeSpec } from '../src/core/model.js';
import { runQuery } from '../src/core/run-query.js';
import { CliError } from '../src/errors.js';
import { parseMetricsBody } from '../src/sources/parse-response.js';
import { buildMetric } from './emulator/dataset.js';
import { type Harness, liveEnv, openHarness, RESOURCE } from './emulator/harness.js';
import { run } from './helpers/io.js';
import { query } from './helpers/query.js';
import { withoutCost } from './helpers/cost.js';

const MIN = 60_000;
const floorMin = (t: number): number => Math.floor(t / MIN) * MIN;
const iso = (t: number): string => new Date(t).toISOString();
const BASE = Date.parse('2026-02-01T00:00:00Z');

interface FileCase {
  grain: number;
  origin: number;
  /** The echoed timespan, with seconds, as Azure writes it. */
  spanStart: number;
  spanEnd: number;
  /** counts[series][bucket]; null is a bucket without data. */
  counts: (number | null)[][];
  range: RangeSpec;
  interval: IntervalSpec;
}

const fileCase = fc
  .record({
    grainMin: fc.constantFrom(1, 5, 15, 30, 60),
    originMin: fc.integer({ min: 0, max: 3 * 1440 }),
    startSec: fc.integer({ min: 0, max: 59 }),
    endSec: fc.integer({ min: 0, max: 59 }),
    spanMin: fc.integer({ min: 1, max: 400 }),
    seriesCount: fc.integer({ min: 1, max: 3 }),
    seed: fc.array(fc.option(fc.integer({ min: 0, max: 1000 }), { nil: null, freq: 5 }), { minLength: 1200, maxLength: 1200 }),
    window: fc.oneof(
      fc.constant({ kind: 'all' as const }),
      fc.record({ kind: fc.constant('since' as const), ms: fc.integer({ min: 1000, max: 500 * MIN }) }),
      fc.record({ kind: fc.constant('range' as const), a: fc.integer({ min: -200 * MIN, max: 600 * MIN }), len: fc.integer({ min: 1000, max: 400 * MIN }) }),
    ),
    multiple: fc.option(fc.integer({ min: 1, max: 4 }), { nil: undefined }),
  })
  .map((r): FileCase => {
    const grain = r.grainMin * MIN;
    const origin = BASE + r.originMin * MIN;
    const spanEnd = origin + r.spanMin * MIN + r.endSec * 1000;
    const buckets = Math.ceil((r.spanMin * MIN) / grain);
    const counts = Array.from({ length: r.seriesCount }, (_, s) => Array.from({ length: buckets }, (_, k) => r.seed[(s * 400 + k) % r.seed.length]!));
    let range: RangeSpec = {};
    if (r.window.kind === 'since') range = { sinceMs: r.window.ms };
    if (r.window.kind === 'range') range = { start: origin + r.window.a, end: origin + r.window.a + r.window.len };
    const interval: IntervalSpec =
      r.multiple === undefined ? { kind: 'auto' } : { kind: 'fixed', ms: grain * r.multiple, iso: `PT${r.grainMin * r.multiple}M` };
    return { grain, origin, spanStart: origin + r.startSec * 1000, spanEnd, counts, range, interval };
  });

function fileBody(c: FileCase): unknown {
  return {
    timespan: `${iso(c.spanStart).replace('.000Z', 'Z')}/${iso(c.spanEnd).replace('.000Z', 'Z')}`,
    interval: `PT${c.grain / MIN}M`,
    value: [
      {
        name: { value: 'APIRequestChat' },
        timeseries: c.counts.map((series, s) => ({
          metadatavalues: [{ name: { value: 'operation' }, value: `Op${s}` }],
          data: series.map((n, k) => ({ timeStamp: iso(c.origin + k * c.grain), ...(n === null ? {} : { count: n }) })),
        })),
      },
    ],
  };
}

/** The raw points of the case with from <= t < to, summed; null when none carries a count. */
function rawSum(c: FileCase, from: number, to: number): number | null {
  let sum: number | null = null;
  for (const series of c.counts) {
    series.forEach((n, k) => {
      const t = c.origin + k * c.grain;
      if (n !== null && t >= from && t < to) sum = (sum ?? 0) + n;
    });
  }
  return sum;
}

describe('files: every window, grain and interval', () => {
  it('shows whole data buckets covering the asked window, drops no point inside it, and check counts the same', () => {
    fc.assert(
      fc.property(fileCase, (c) => {
        const metrics = parseMetricsBody(fileBody(c), 'prop.json');
        const dataEnd = floorMin(c.spanEnd);
        const askedEnd = c.range.end ?? dataEnd;
        const askedStart = c.range.start ?? (c.range.sinceMs !== undefined ? askedEnd - c.range.sinceMs : c.origin);
        const fs = floorMin(askedStart);
        const fe = floorMin(askedEnd);
        const q = query('chat', { split: [], range: c.range, interval: c.interval });
        const g = c.grain;
        const onGrid = (t: number): boolean => Math.abs((t - c.origin) % g) === 0;
        const dataStart = c.origin;
        const bucketOf = (t: number): number => c.origin + Math.floor((t - c.origin) / g) * g;
        let r;
        try {
          r = runQuery(q, { metrics });
        } catch (err) {
          // Refused only when the window holds no whole minute, or misses the data entirely.
          expect(err).toBeInstanceOf(CliError);
          expect(fe <= fs || fe <= dataStart || bucketOf(fs) >= dataEnd).toBe(true);
          return;
        }
        expect(fe > fs && fe > dataStart && bucketOf(fs) < dataEnd).toBe(true);
        // The start: the data bucket holding the asked (minute-floored) start, or the data's start.
        expect(onGrid(r.start)).toBe(true);
        expect(r.start).toBe(Math.max(dataStart, bucketOf(fs)));
        // The end: the end of the data bucket holding the asked end, or the data's own (partial) end.
        expect(r.end).toBeLessThanOrEqual(dataEnd);
        if (r.end !== dataEnd) {
          expect(onGrid(r.end)).toBe(true);
          expect(r.end).toBeGreaterThanOrEqual(fe);
          expect(r.end - g).toBeLessThan(fe);
        }
        // Buckets: from the start, a whole number of data buckets each.
        const G = r.intervalMs!;
        expect(G % g).toBe(0);
        r.timestamps.forEach((t, i) => expect(t).toBe(r.start + i * G));
        expect(r.timestamps.length).toBe(Math.ceil((r.end - r.start) / G));
        // No point inside the shown window is dropped; none outside it is counted.
        expect(r.total).toBe(rawSum(c, r.start, r.end));
        r.series[0]?.points.forEach((p) => expect(p.value).toBe(rawSum(c, p.timestamp, Math.min(p.timestamp + G, r.end))));
        const rule: GateRule = {
          name: 'p',
          level: 'error',
          metric: q.metric,
          filters: [],
          range: c.range,
          errors: q.errors,
          minRequests: 1,
          minTotal: 0,
          perOperation: false,
          failOnNoData: false,
        };
        const verdict = checkRule(rule, { metrics });
        expect(verdict.requests).toBe(rawSum(c, r.start, r.end) ?? 0);
        expect(verdict.window).toEqual({ start: r.start, end: r.end });
      }),
      { numRuns: 300 },
    );
  });
});

describe('live: every clock, window and interval against the emulator', () => {
  const chat = resolveMetric('chat');
  const DATA_START = Date.parse('2026-01-05T00:00:00Z');
  const DATA_END = Date.parse('2026-01-08T00:00:00Z');
  // Three days of minute data whose counts vary minute by minute, in two series.
  const count =
    (k: number) =>
    (t: number): number =>
      ((Math.floor(t / MIN) * 7919 + k * 104_729) % 13) + (k === 1 ? 0 : 1);
  const dataset = {
    metrics: [
      buildMetric(chat, DATA_START, DATA_END, MIN, [
        { dims: { Operation: 'SendChatMessage', StatusCode: '200', StatusSubClass: '2xx' }, count: count(0) },
        { dims: { Operation: 'SendChatMessage', StatusCode: '500', StatusSubClass: '5xx' }, count: count(1) },
      ]),
    ],
  };
  const sum = (from: number, to: number, cls?: string): number => {
    let n = 0;
    for (const s of dataset.metrics[0]!.series) {
      if (cls !== undefined && s.dims.statuscodeclass !== cls) continue;
      for (const p of s.points) if (p.t >= from && p.t < to) n += p.count ?? 0;
    }
    return n;
  };
  let h: Harness;
  let dir: string;
  beforeAll(async () => {
    h = await openHarness(dataset);
    dir = mkdtempSync(join(tmpdir(), 'acs-metrics-test-window-'));
  });
  afterAll(async () => {
    await h.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('asks for and shows the minute-floored window, and every bucket and total equals the raw sum', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: DATA_END - 36 * 3_600_000, max: DATA_END }),
        fc.integer({ min: 61_000, max: 12 * 3_600_000 }),
        fc.constantFrom('auto', '5m', '15m', '1h', 'PT7M'),
        async (clock, since, interval) => {
          const now = new Date(clock);
          const argv = ['--resource', RESOURCE, '-m', 'chat', '--since', `${since / 1000}s`];
          const save = join(dir, 'live.json');
          const q = await run(['query', ...argv, '--split-by', 'none', '--interval', interval, '-o', 'json', '--save', save], { env: liveEnv(h), now });
          expect(q.stderr).not.toMatch(/^error/m);
          expect(q.code).toBe(0);
          const doc = JSON.parse(q.stdout);
          const fs = floorMin(clock - since);
          const fe = floorMin(clock);
          expect(Date.parse(doc.query.start)).toBe(fs);
          expect(Date.parse(doc.query.end)).toBe(fe);
          expect(doc.requests).toBe(sum(fs, fe));
          const G = parseDuration(doc.query.interval)!;
          if (interval !== 'auto') expect(G).toBe(parseDuration(interval));
          expect(doc.series[0].points.length).toBe(Math.ceil((fe - fs) / G));
          doc.series[0].points.forEach((p: { timestamp: string; value: number }, i: number) => {
            const t = Date.parse(p.timestamp);
            expect(t).toBe(fs + i * G);
            expect(p.value).toBe(sum(t, Math.min(t + G, fe)));
          });
          // The replay of --save prints the same, for any clock.
          const replay = await run(
            ['query', '--fixture', save, '-m', 'chat', '--since', `${since / 1000}s`, '--split-by', 'none', '--interval', interval, '-o', 'json'],
            { now },
          );
          expect(replay.code).toBe(0);
          expect(withoutCost(replay.stdout)).toBe(withoutCost(q.stdout));
          const c = await run(['check', ...argv, '--errors', '5xx', '--max-error-rate', '100%', '-o', 'json'], { env: liveEnv(h), now });
          const rule = JSON.parse(c.stdout).rules[0];
          expect(rule.requests).toBe(sum(fs, fe));
          expect(rule.errors).toBe(sum(fs, fe, '5xx'));
        },
      ),
      { numRuns: 60 },
    );
  }, 120_000);
});

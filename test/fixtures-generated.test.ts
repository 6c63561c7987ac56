import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { BAD_ROUTE_OPERATION, METRICS } from '../src/catalog/metrics.js';
import type { MetricData, RawSeries } from '../src/core/model.js';
import { parseMetricsDocument } from '../src/sources/parse-response.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SAMPLE = join(ROOT, 'fixtures', 'sample-week.json');
const H = 3_600_000;
const START = Date.UTC(2026, 0, 1);
const END = Date.UTC(2026, 0, 8);

const tmp = mkdtempSync(join(tmpdir(), 'acs-fixtures-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const committed = readFileSync(SAMPLE);
const metrics = parseMetricsDocument(committed.toString('utf8'), 'fixtures/sample-week.json');
const byName = new Map(metrics.map((m) => [m.name, m]));
const metric = (rest: string): MetricData => byName.get(rest)!;

/** Sum of counts at time t over the series that match. */
const countAt = (m: MetricData, t: number, match: (s: RawSeries) => boolean): number =>
  m.series.filter(match).reduce((sum, s) => sum + (s.points.find((p) => p.timestamp === t)?.count ?? 0), 0);

describe('fixtures/sample-week.json', () => {
  it('is what scripts/generate-fixtures.mjs writes, byte for byte, with a one-line summary on stderr', () => {
    const r = spawnSync(process.execPath, [join(ROOT, 'scripts', 'generate-fixtures.mjs'), tmp], { cwd: ROOT, encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^wrote \S*sample-week\.json: 13 metrics, \d+ series, \d+ points, [\d.]+ MiB\n$/);
    const regenerated = readFileSync(join(tmp, 'sample-week.json'));
    expect(regenerated.equals(committed)).toBe(true);
  });

  it('is one Metrics - List body, compact and well under 3 MB', () => {
    expect(statSync(SAMPLE).size).toBeLessThan(2.5 * 1024 * 1024);
    const body = JSON.parse(committed.toString('utf8')) as Record<string, unknown>;
    expect(Object.keys(body)).toEqual(['cost', 'timespan', 'interval', 'value', 'namespace', 'resourceregion']);
    expect(body.timespan).toBe('2026-01-01T00:00:00Z/2026-01-08T00:00:00Z');
    expect(body.interval).toBe('PT1H');
    expect(body.namespace).toBe('Microsoft.Communication/CommunicationServices');
    expect(body.resourceregion).toBe('global');
  });

  it('has every catalog metric, with its REST name and display name', () => {
    expect(metrics.map((m) => m.name)).toEqual(METRICS.map((m) => m.rest));
    for (const def of METRICS) {
      const m = metric(def.rest);
      expect(m.displayName).toBe(def.displayName);
      expect(m.unit).toBe('Count');
      expect(m.errorCode).toBeUndefined();
      expect([m.start, m.end, m.intervalMs]).toEqual([START, END, H]);
      expect(m.series.length).toBeGreaterThan(0);
    }
  });

  it('splits by the catalog dimensions (REST names, lower-cased) and uses catalog operations', () => {
    for (const def of METRICS.filter((m) => m.errors.kind === 'status' && m.errors.codeDimension === 'StatusCode')) {
      const [op, code, cls] = def.dimensions.map((d) => d.rest.toLowerCase());
      const ops = new Set([...def.operations.map((o) => o.name), BAD_ROUTE_OPERATION]);
      for (const s of metric(def.rest).series) {
        expect(Object.keys(s.dimensions)).toEqual([op, code, cls]);
        if (def.operationsDocumented) expect(ops.has(s.dimensions[op!]!)).toBe(true);
        expect(s.dimensions[cls!]).toBe(`${s.dimensions[code!]![0]}xx`);
      }
    }
    expect(metric('ApiRequestRouter').series[0]!.dimensions).toHaveProperty('operationname');
    expect(metric('ApiRequestRouter').series[0]!.dimensions).toHaveProperty('statuscodesubclass');
    expect(metric('APIRequestCallAutomation').series.some((s) => s.dimensions.operation === 'Create Call')).toBe(true);
  });

  it('has the metrics that are not requests split by their own dimensions', () => {
    const keys = (rest: string) => [...new Set(metric(rest).series.map((s) => Object.keys(s.dimensions).join(',')))];
    expect(keys('AcsCallAutomationCallbackEvent')).toEqual(['eventtypename,code,codeclass']);
    expect(keys('DeliveryStatusUpdate')).toEqual(['messagestatus,result,ishardbounce']);
    expect(keys('UserEngagement')).toEqual(['engagementtype']);
    for (const s of metric('AcsCallAutomationCallbackEvent').series) {
      expect(s.dimensions.eventtypename).toMatch(/^Microsoft\.Communication\.[A-Za-z]+$/);
      expect(s.dimensions.codeclass).toBe(`${s.dimensions.code![0]}xx`);
      // In the sample, an event fails exactly when its type says so.
      expect(s.dimensions.codeclass !== '2xx').toBe(s.dimensions.eventtypename!.endsWith('Failed'));
    }
    for (const s of metric('DeliveryStatusUpdate').series) {
      expect(s.dimensions.result).toBe(s.dimensions.messagestatus === 'Delivered' ? 'Success' : 'Failure');
    }
  });

  it('shows callback failures during the Chat incident only: 5xx events 2026-01-06 13:00-16:00Z', () => {
    const cb = metric('AcsCallAutomationCallbackEvent');
    const is5xx = (s: RawSeries) => s.dimensions.codeclass === '5xx';
    let inside = 0;
    for (let t = START; t < END; t += H) {
      const n = countAt(cb, t, is5xx);
      if (t >= Date.UTC(2026, 0, 6, 13) && t < Date.UTC(2026, 0, 6, 16)) inside += n;
      else expect(n).toBe(0);
    }
    expect(inside).toBe(219);
  });

  it('shows an email hard-bounce spike on 2026-01-07 10:00-12:00Z', () => {
    const dv = metric('DeliveryStatusUpdate');
    const rate = (from: number, to: number) => {
      let all = 0;
      let bounced = 0;
      for (let t = from; t < to; t += H) {
        all += countAt(dv, t, () => true);
        bounced += countAt(dv, t, (s) => s.dimensions.ishardbounce === 'true');
      }
      return bounced / all;
    };
    expect(rate(Date.UTC(2026, 0, 7, 10), Date.UTC(2026, 0, 7, 12))).toBeGreaterThan(0.1);
    expect(rate(START, Date.UTC(2026, 0, 7))).toBeLessThan(0.02);
  });

  it('has every bucket of the week in every series, count equal to total, and no all-zero series', () => {
    let gaps = 0;
    for (const m of metrics) {
      for (const s of m.series) {
        expect(s.points.map((p) => p.timestamp)).toEqual(Array.from({ length: 168 }, (_, i) => START + i * H));
        for (const p of s.points) {
          if (p.count === undefined) {
            gaps++;
            expect(Object.keys(p)).toEqual(['timestamp']);
          } else expect(p.total).toBe(p.count);
        }
        expect(s.points.some((p) => (p.count ?? 0) > 0)).toBe(true);
      }
    }
    // The Email ingestion gap: 2026-01-05 02:00-05:00Z, no aggregation keys, in each Email series.
    const email = metric('ApiRequests');
    expect(gaps).toBe(3 * email.series.length);
    for (const s of email.series) {
      expect(s.points.filter((p) => p.count === undefined).map((p) => p.timestamp)).toEqual([
        Date.UTC(2026, 0, 5, 2),
        Date.UTC(2026, 0, 5, 3),
        Date.UTC(2026, 0, 5, 4),
      ]);
    }
    expect(email.series.some((s) => s.dimensions.operation === BAD_ROUTE_OPERATION && s.dimensions.statuscode === '404')).toBe(true);
  });

  it('shows the Chat incident on 2026-01-06 13:00-16:00Z: 5xx and 429 bursts in SendChatMessage and CreateChatThread', () => {
    const chat = metric('APIRequestChat');
    const fivexx = (s: RawSeries) => s.dimensions.statuscodeclass === '5xx';
    for (const hour of [13, 14, 15]) {
      const t = Date.UTC(2026, 0, 6, hour);
      expect(countAt(chat, t, fivexx)).toBeGreaterThan(100);
      for (const op of ['SendChatMessage', 'CreateChatThread']) {
        for (const code of ['503', '429']) {
          expect(countAt(chat, t, (s) => s.dimensions.operation === op && s.dimensions.statuscode === code)).toBeGreaterThan(0);
        }
      }
      expect(countAt(chat, t, (s) => s.dimensions.operation === 'SendChatMessage' && s.dimensions.statuscode === '500')).toBeGreaterThan(0);
    }
    // Outside the incident, 5xx are rare: a few an hour at most.
    for (let t = START; t < END; t += H) {
      if (t >= Date.UTC(2026, 0, 6, 13) && t < Date.UTC(2026, 0, 6, 16)) continue;
      expect(countAt(chat, t, fivexx)).toBeLessThan(10);
    }
    // 503 appears only in the incident.
    const s503 = chat.series.filter((s) => s.dimensions.statuscode === '503');
    const when = new Set(s503.flatMap((s) => s.points.filter((p) => (p.count ?? 0) > 0).map((p) => p.timestamp)));
    expect([...when].sort()).toEqual([Date.UTC(2026, 0, 6, 13), Date.UTC(2026, 0, 6, 14), Date.UTC(2026, 0, 6, 15)]);
  });

  it('shows the SMS throttling burst on 2026-01-05 09:00-11:00Z', () => {
    const sms = metric('APIRequestSMS');
    const throttled = (s: RawSeries) => s.dimensions.operation === 'SMSMessageSent' && s.dimensions.statuscode === '429';
    expect(countAt(sms, Date.UTC(2026, 0, 5, 9), throttled)).toBeGreaterThan(20);
    expect(countAt(sms, Date.UTC(2026, 0, 5, 10), throttled)).toBeGreaterThan(20);
    expect(countAt(sms, Date.UTC(2026, 0, 5, 12), throttled)).toBeLessThan(10);
  });

  it('has a daily rhythm: weekday business hours busier than nights and the weekend', () => {
    const chat = metric('APIRequestChat');
    const all = () => true;
    const tuesdayPeak = countAt(chat, Date.UTC(2026, 0, 6, 12), all);
    const tuesdayNight = countAt(chat, Date.UTC(2026, 0, 6, 3), all);
    const saturdayPeak = countAt(chat, Date.UTC(2026, 0, 3, 12), all);
    expect(tuesdayPeak).toBeGreaterThan(5 * tuesdayNight);
    expect(tuesdayPeak).toBeGreaterThan(2 * saturdayPeak);
  });
});

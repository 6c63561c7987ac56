/** Small Metrics - List response bodies for tests, written to temp files. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from './temp.js';

export interface SeriesSpec {
  /** REST dimension name (any case) to value. */
  dims: Record<string, string>;
  /** Counts per bucket from the start; null leaves the bucket without data. */
  counts: (number | null)[];
}

export interface MetricSpec {
  name: string;
  series: SeriesSpec[];
  errorCode?: string;
  errorMessage?: string;
}

/** A Metrics - List body with hourly buckets from `start`. */
export function metricsBody(metrics: MetricSpec[], start = '2026-01-01T00:00:00Z', intervalMs = 3_600_000): object {
  const t0 = Date.parse(start);
  const buckets = Math.max(0, ...metrics.flatMap((m) => m.series.map((s) => s.counts.length)));
  const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');
  return {
    cost: 0,
    timespan: `${iso(t0)}/${iso(t0 + buckets * intervalMs)}`,
    interval: `PT${intervalMs / 60_000 >= 60 ? `${intervalMs / 3_600_000}H` : `${intervalMs / 60_000}M`}`,
    namespace: 'Microsoft.Communication/CommunicationServices',
    resourceregion: 'global',
    value: metrics.map((m) => ({
      id: `/subscriptions/x/providers/Microsoft.Insights/metrics/${m.name}`,
      type: 'Microsoft.Insights/metrics',
      name: { value: m.name, localizedValue: m.name },
      unit: 'Count',
      errorCode: m.errorCode ?? 'Success',
      ...(m.errorMessage ? { errorMessage: m.errorMessage } : {}),
      timeseries: m.series.map((s) => ({
        metadatavalues: Object.entries(s.dims).map(([name, value]) => ({ name: { value: name, localizedValue: name }, value })),
        data: s.counts.map((c, i) => (c === null ? { timeStamp: iso(t0 + i * intervalMs) } : { timeStamp: iso(t0 + i * intervalMs), count: c, total: c })),
      })),
    })),
  };
}

/** Writes a body (or any text) to a new temp file and returns its path (removed after the test file). */
export function writeFixture(body: object | string, name = 'fixture.json'): string {
  const dir = tempDir();
  const path = join(dir, name);
  writeFileSync(path, typeof body === 'string' ? body : JSON.stringify(body));
  return path;
}

/** Chat: SendChatMessage 201 and 503, GetChatMessage 200 and 429, over four hours. */
export function chatBody(): object {
  const s = (op: string, code: string, counts: (number | null)[]): SeriesSpec => ({
    dims: { operation: op, statuscode: code, statuscodeclass: `${code[0]}xx` },
    counts,
  });
  return metricsBody([
    {
      name: 'APIRequestChat',
      series: [
        s('SendChatMessage', '201', [10, 20, 30, 40]),
        s('SendChatMessage', '503', [0, 5, null, 0]),
        s('GetChatMessage', '200', [7, 7, 7, 7]),
        s('GetChatMessage', '429', [1, 0, 0, 3]),
      ],
    },
  ]);
}

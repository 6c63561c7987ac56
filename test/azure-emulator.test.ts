/** The emulator itself: it must answer the way the service is documented to, or the other tests prove little. */
import { request } from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveMetric } from '../src/catalog/resolve.js';
import { buildMetric, datasetFromBody } from './emulator/dataset.js';
import { answerMetrics } from './emulator/metrics-api.js';
import { parseFilter } from './emulator/odata.js';
import { type Harness, openHarness, RESOURCE, TOKEN } from './emulator/harness.js';

const T0 = Date.parse('2026-01-07T00:00:00Z');
const MIN = 60_000;
const chat = resolveMetric('chat');
const dataset = {
  metrics: [
    buildMetric(chat, T0, T0 + 60 * MIN, MIN, [
      { dims: { Operation: 'Send', StatusCode: '200', StatusSubClass: '2xx' }, count: 3 },
      { dims: { Operation: 'Send', StatusCode: '503', StatusSubClass: '5xx' }, count: 1 },
      { dims: { Operation: 'Get', StatusCode: '200', StatusSubClass: '2xx' }, count: 2 },
    ]),
  ],
};

function ask(params: Record<string, string>) {
  const answer = answerMetrics(dataset, {
    params: new URLSearchParams({ metricnames: 'APIRequestChat', timespan: '2026-01-07T00:00:00Z/2026-01-07T01:00:00Z', ...params }),
    resourceId: RESOURCE,
    now: T0,
  });
  type Series = { metadatavalues: { name: { value: string }; value: string }[]; data: Record<string, unknown>[] };
  const body = answer.body as { interval: string; timespan: string; value: { timeseries: Series[] }[]; code?: string; message?: string };
  return { status: answer.status, body, series: body.value?.[0]?.timeseries ?? [] };
}

describe('emulator $filter', () => {
  it('reads eq, or within one dimension, and, and * (with quotes doubled)', () => {
    expect(parseFilter("(Operation eq 'a''b' or operation eq 'c') and StatusCodeClass eq '*'")).toEqual([
      { dimension: 'Operation', values: ["a'b", 'c'] },
      { dimension: 'StatusCodeClass' },
    ]);
  });
  it('refuses or across dimensions, as the service does', () => {
    expect(() => parseFilter("Operation eq 'a' or StatusCode eq '200'")).toThrow('cannot separate two different metadata names');
  });
});

describe('emulator Metrics - List', () => {
  it('without a filter, sums every series into one with no dimensions', () => {
    const { series, body } = ask({ interval: 'PT1H', aggregation: 'Count,Total' });
    expect(body.interval).toBe('PT1H');
    expect(series).toEqual([{ metadatavalues: [], data: [{ timeStamp: '2026-01-07T00:00:00Z', count: 360, total: 360 }] }]);
  });

  it('splits by every dimension named in the filter, lower-cased, and collapses the others', () => {
    const { series } = ask({ interval: 'PT30M', aggregation: 'Count', $filter: "Operation eq 'Send' and StatusCodeClass eq '*'" });
    expect(series.map((s) => [s.metadatavalues.map((m) => `${m.name.value}=${m.value}`), s.data.map((d) => d.count)])).toEqual([
      [
        ['operation=Send', 'statuscodeclass=2xx'],
        [90, 90],
      ],
      [
        ['operation=Send', 'statuscodeclass=5xx'],
        [30, 30],
      ],
    ]);
  });

  it('answers FULL with one point and the span as interval; averages, minimums and maximums', () => {
    const { series, body } = ask({ interval: 'FULL', aggregation: 'average,minimum,maximum,count' });
    expect(body.interval).toBe('PT1H');
    expect(series[0]!.data).toEqual([{ timeStamp: '2026-01-07T00:00:00Z', average: 1, minimum: 1, maximum: 1, count: 360 }]);
  });

  it('ranks by orderby and cuts at top, 10 by default', () => {
    const desc = ask({ interval: 'FULL', aggregation: 'Count', $filter: "StatusCode eq '*' and Operation eq '*'", top: '2', orderby: 'Count desc' });
    expect(desc.series.map((s) => s.data[0]!.count)).toEqual([180, 120]);
    const asc = ask({ interval: 'FULL', aggregation: 'Count', $filter: "Operation eq '*' and StatusCode eq '*'", top: '1', orderby: 'count asc' });
    expect(asc.series.map((s) => s.data[0]!.count)).toEqual([60]);
  });

  it('cuts to the timespan and answers a grain finer than the data at the data grain', () => {
    const { series, body } = ask({ timespan: '2026-01-07T00:10:00Z/2026-01-07T00:13:00Z', interval: 'PT1M', aggregation: 'Count' });
    expect(body.timespan).toBe('2026-01-07T00:10:00Z/2026-01-07T00:13:00Z');
    expect(series[0]!.data.map((d) => d.count)).toEqual([6, 6, 6]);
  });

  it('refuses an unknown metric in the service wording, and a dimension the metric lacks', () => {
    expect(ask({ metricnames: 'APIRequestChatt' }).body).toEqual({
      code: 'BadRequest',
      message:
        'Failed to find metric configuration for provider: Microsoft.Communication, resource Type: CommunicationServices, metric: APIRequestChatt, Valid metrics: APIRequestChat',
    });
    expect(ask({ $filter: "Country eq '*'" }).status).toBe(400);
  });

  it('reads a Metrics-List body, such as a saved fixture, as its data', () => {
    const body = ask({
      interval: 'PT1M',
      aggregation: 'Count,Total',
      $filter: "Operation eq '*' and StatusCode eq '*' and StatusCodeClass eq '*'",
      top: '100',
    }).body;
    const again = datasetFromBody(body);
    expect(again.metrics[0]!.dimensions).toEqual(['Operation', 'StatusCode', 'StatusCodeClass']);
    expect(again.metrics[0]!.series).toHaveLength(3);
    expect(again.metrics[0]!.series.reduce((n, s) => n + s.points.reduce((m, p) => m + (p.count ?? 0), 0), 0)).toBe(360);
  });
});

describe('emulator server', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await openHarness();
  });
  afterAll(async () => h?.close());

  const get = (path: string, token = TOKEN) =>
    new Promise<{ status: number; body: unknown }>((resolve, reject) => {
      const req = request(`${h.emulator.endpoint}${path}`, { ca: h.cert.cert, headers: { authorization: `Bearer ${token}` } }, (res) => {
        let text = '';
        res.setEncoding('utf8').on('data', (d: string) => (text += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) }));
      });
      req.on('error', reject);
      req.end();
    });

  it('serves HTTPS with the test certificate, checks the token, the resource and the api-version, and records requests', async () => {
    const metrics = `${RESOURCE}/providers/Microsoft.Insights/metrics?api-version=2024-02-01&metricnames=APIRequestChat`;
    expect((await get(metrics)).status).toBe(200);
    expect((await get(metrics, 'wrong')).status).toBe(401);
    expect((await get(metrics.replace('acs-test', 'other'))).status).toBe(404);
    expect((await get(metrics.replace('2024-02-01', '2018-01-01'))).status).toBe(400);
    const defs = await get(`${RESOURCE}/providers/Microsoft.Insights/metricDefinitions?api-version=2024-02-01`);
    expect((defs.body as { value: { name: { value: string } }[] }).value.map((d) => d.name.value)).toEqual([
      'APIRequestChat',
      'ApiRequestRouter',
      'ApiRequestRooms',
    ]);
    expect(h.emulator.requests.map((r) => r.status)).toEqual([200, 401, 404, 400, 200]);
    expect(h.emulator.requests[0]!.headers.authorization).toBe(`Bearer ${TOKEN}`);
  });
});

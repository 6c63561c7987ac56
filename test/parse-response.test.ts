import { describe, expect, it } from 'vitest';
import { DataError, EXIT } from '../src/errors.js';
import { lineColumn, parseMetricsBody, parseMetricsDocument, readMetricsDocument } from '../src/sources/parse-response.js';

const T0 = Date.UTC(2026, 0, 7, 13, 0, 0); // 2026-01-07T13:00:00Z = 1767790800000
const H = 3_600_000;
const SUB = '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Communication/CommunicationServices/acs';

const dim = (name: string, value: string) => ({ name: { value: name, localizedValue: name }, value });

/** A Metrics - List body as the REST API returns it. */
function restBody() {
  return {
    cost: 120,
    timespan: '2026-01-07T13:00:00Z/2026-01-07T16:00:00Z',
    interval: 'PT1H',
    value: [
      {
        id: `${SUB}/providers/Microsoft.Insights/metrics/APIRequestChat`,
        type: 'Microsoft.Insights/metrics',
        name: { value: 'APIRequestChat', localizedValue: 'Chat API Requests' },
        unit: 'Count',
        timeseries: [
          {
            metadatavalues: [dim('operation', 'SendChatMessage'), dim('statuscode', '201'), dim('statuscodeclass', '2xx')],
            data: [
              { timeStamp: '2026-01-07T13:00:00Z', count: 12.0, total: 12.0, average: 1.0, minimum: 1.0, maximum: 1.0 },
              { timeStamp: '2026-01-07T14:00:00Z', count: 0.0, total: 0.0 },
              { timeStamp: '2026-01-07T15:00:00Z' },
            ],
          },
          {
            metadatavalues: [dim('operation', 'SendChatMessage'), dim('statuscode', '503'), dim('statuscodeclass', '5xx')],
            data: [
              { timeStamp: '2026-01-07T13:00:00Z', count: 3, total: null },
              { timeStamp: '2026-01-07T14:00:00Z', count: null },
            ],
          },
        ],
        errorCode: 'Success',
      },
    ],
    namespace: 'Microsoft.Communication/CommunicationServices',
    resourceregion: 'global',
  };
}

function errorOf(fn: () => unknown): DataError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(DataError);
    return err as DataError;
  }
  throw new Error('expected a DataError');
}

const messageOf = (fn: () => unknown): string => {
  const e = errorOf(fn);
  expect(e.problems).toHaveLength(1);
  expect(e.exitCode).toBe(EXIT.DATA);
  return e.message;
};

describe('parseMetricsBody: accepted shapes', () => {
  it('reads a REST Metrics - List body', () => {
    const [m, ...rest] = parseMetricsBody(restBody(), 'fixtures/x.json');
    expect(rest).toEqual([]);
    expect(m).toEqual({
      name: 'APIRequestChat',
      displayName: 'Chat API Requests',
      unit: 'Count',
      interval: 'PT1H',
      intervalMs: H,
      start: T0,
      end: T0 + 3 * H,
      origin: 'fixtures/x.json',
      // The resource part of the metric's id.
      resourceId: SUB,
      series: [
        {
          dimensions: { operation: 'SendChatMessage', statuscode: '201', statuscodeclass: '2xx' },
          points: [
            { timestamp: 1767790800000, count: 12, total: 12, average: 1, minimum: 1, maximum: 1 },
            { timestamp: 1767794400000, count: 0, total: 0 },
            { timestamp: 1767798000000 },
          ],
        },
        {
          dimensions: { operation: 'SendChatMessage', statuscode: '503', statuscodeclass: '5xx' },
          points: [
            { timestamp: 1767790800000, count: 3, total: null },
            { timestamp: 1767794400000, count: null },
          ],
        },
      ],
    });
    expect(m!.errorCode).toBeUndefined();
  });

  it('keeps missing aggregation keys missing and null ones null (no data is not zero)', () => {
    const [m] = parseMetricsBody(restBody(), 'x');
    const empty = m!.series[0]!.points[2]!;
    expect(Object.keys(empty)).toEqual(['timestamp']);
    const nulls = m!.series[1]!.points[1]!;
    expect(Object.keys(nulls)).toEqual(['timestamp', 'count']);
    expect(nulls.count).toBeNull();
    expect(m!.series[1]!.points[0]!.total).toBeNull();
    expect('average' in m!.series[1]!.points[0]!).toBe(false);
  });

  it('reads the az CLI output: sorted keys, +00:00 offsets, nulls', () => {
    const az = {
      cost: 59,
      interval: 'PT1M',
      namespace: 'Microsoft.Communication/CommunicationServices',
      resourceregion: 'global',
      timespan: '2026-01-07T13:00:00Z/2026-01-07T13:03:00Z',
      value: [
        {
          displayDescription: 'Count of all requests against the Communication Services SMS endpoint.',
          errorCode: 'Success',
          errorMessage: null,
          id: `${SUB}/providers/Microsoft.Insights/metrics/APIRequestSMS`,
          name: { localizedValue: 'SMS API Requests', value: 'APIRequestSMS' },
          resourceGroup: 'rg',
          timeseries: [
            {
              data: [
                { average: null, count: 0.0, maximum: null, minimum: null, timeStamp: '2026-01-07T13:01:00+00:00', total: 0.0 },
                { average: 1.0, count: 4.0, maximum: 1.0, minimum: 1.0, timeStamp: '2026-01-07T13:00:00+00:00', total: 4.0 },
                { average: 1.0, count: 2.0, maximum: 1.0, minimum: 1.0, timeStamp: '2026-01-07T14:02:00+01:00', total: 2.0 },
              ],
              metadatavalues: [{ name: { localizedValue: 'operation', value: 'operation' }, value: 'SMSMessageSent' }],
            },
          ],
          type: 'Microsoft.Insights/metrics',
          unit: 'Count',
        },
      ],
    };
    const [m] = parseMetricsBody(az, 'az.json');
    expect(m!.name).toBe('APIRequestSMS');
    expect(m!.intervalMs).toBe(60_000);
    expect(m!.start).toBe(T0);
    expect(m!.end).toBe(T0 + 180_000);
    expect(m!.errorCode).toBeUndefined();
    expect(m!.errorMessage).toBeUndefined();
    // Sorted by time; 14:02+01:00 is 13:02Z.
    expect(m!.series[0]!.points).toEqual([
      { timestamp: T0, count: 4, total: 4, average: 1, minimum: 1, maximum: 1 },
      { timestamp: T0 + 60_000, count: 0, total: 0, average: null, minimum: null, maximum: null },
      { timestamp: T0 + 120_000, count: 2, total: 2, average: 1, minimum: 1, maximum: 1 },
    ]);
  });

  it('reads a batch (metrics:getBatch) body, one MetricData per resource and metric', () => {
    const entry = (res: string, count: number) => ({
      starttime: '2026-01-07T13:00:00Z',
      endtime: '2026-01-07T15:00:00Z',
      interval: 'PT1H',
      value: [
        {
          id: `${res}/providers/Microsoft.Insights/metrics/ApiRequestRooms`,
          type: 'Microsoft.Insights/metrics',
          name: { value: 'ApiRequestRooms', localizedValue: 'Rooms API Requests' },
          unit: 'Count',
          timeseries: [{ metadatavalues: [], data: [{ timeStamp: '2026-01-07T13:00:00Z', count: count }] }],
          errorCode: 'Success',
        },
      ],
      namespace: 'microsoft.communication/communicationservices',
      resourceregion: 'global',
      resourceid: res,
    });
    const metrics = parseMetricsBody({ values: [entry(`${SUB}1`, 5), entry(`${SUB}2`, 7)] }, 'batch.json');
    expect(metrics).toHaveLength(2);
    expect(metrics.map((m) => [m.name, m.start, m.end, m.interval, m.intervalMs])).toEqual([
      ['ApiRequestRooms', T0, T0 + 2 * H, 'PT1H', H],
      ['ApiRequestRooms', T0, T0 + 2 * H, 'PT1H', H],
    ]);
    expect(metrics.map((m) => m.series[0]!.points[0]!.count)).toEqual([5, 7]);
    expect(metrics[0]!.series[0]!.dimensions).toEqual({});
    // Each entry keeps its resourceid: the two resources are not one series.
    expect(metrics.map((m) => m.resourceId)).toEqual([`${SUB}1`, `${SUB}2`]);
  });

  it('takes the resource from the batch entry before the metric id, and has none when neither names it', () => {
    const body = restBody();
    const entry = { starttime: '2026-01-07T13:00:00Z', endtime: '2026-01-07T16:00:00Z', interval: 'PT1H', resourceid: `${SUB}-b/`, value: body.value };
    expect(parseMetricsBody({ values: [entry] }, 'b.json')[0]!.resourceId).toBe(`${SUB}-b`);
    const noId = { ...body, value: body.value.map(({ id: _id, ...m }) => m) };
    expect(parseMetricsBody(noId, 'x.json')[0]).not.toHaveProperty('resourceId');
    const otherId = { ...body, value: body.value.map((m) => ({ ...m, id: 'something-else' })) };
    expect(parseMetricsBody(otherId, 'x.json')[0]).not.toHaveProperty('resourceId');
    expect(messageOf(() => parseMetricsBody({ values: [{ ...entry, resourceid: 42 }] }, 'b.json'))).toBe('b.json: values[0].resourceid is not a string (42)');
  });

  it('reads an array of saved responses, REST and batch mixed', () => {
    const doc = JSON.stringify([restBody(), { values: [{ interval: 'FULL', value: restBody().value }] }]);
    const parsed = readMetricsDocument(doc, 'many.json');
    expect(parsed.bodies).toHaveLength(2);
    expect(parsed.metrics.map((m) => [m.name, m.interval, m.intervalMs, m.start])).toEqual([
      ['APIRequestChat', 'PT1H', H, T0],
      ['APIRequestChat', 'FULL', null, undefined],
    ]);
    expect(parseMetricsDocument(doc, 'many.json')).toEqual(parsed.metrics);
  });

  it('reads the SDK object: Date timestamps', () => {
    const body = restBody() as unknown as { value: { timeseries: { data: { timeStamp: unknown }[] }[] }[] };
    for (const s of body.value[0]!.timeseries) for (const d of s.data) d.timeStamp = new Date(d.timeStamp as string);
    const [m] = parseMetricsBody(body, 'Azure Monitor');
    expect(m!.series[0]!.points.map((p) => p.timestamp)).toEqual([T0, T0 + H, T0 + 2 * H]);
    expect(m!.origin).toBe('Azure Monitor');
  });

  it('lower-cases dimension names whatever their case', () => {
    const body = restBody();
    body.value[0]!.timeseries[0]!.metadatavalues = [dim('Operation', 'CreateChatThread'), dim('StatusCode', '201'), dim('StatusCodeClass', '2xx')];
    body.value[0]!.timeseries[1]!.metadatavalues = [dim('OPERATIONNAME', 'UpsertJob'), dim('statusCodeSubClass', '4xx')];
    const [m] = parseMetricsBody(body, 'x');
    expect(m!.series.map((s) => s.dimensions)).toEqual([
      { operation: 'CreateChatThread', statuscode: '201', statuscodeclass: '2xx' },
      { operationname: 'UpsertJob', statuscodesubclass: '4xx' },
    ]);
  });

  it('keeps a metric that failed on its own beside the ones that did not', () => {
    const body = restBody();
    const failed = {
      id: `${SUB}/providers/Microsoft.Insights/metrics/APIRequestSMS`,
      type: 'Microsoft.Insights/metrics',
      name: { value: 'APIRequestSMS', localizedValue: 'SMS API Requests' },
      unit: 'Count',
      timeseries: [],
      errorMessage: 'Sampling type is not found.',
      errorCode: 'InvalidSamplingType',
    };
    (body.value as unknown[]).unshift(failed);
    const metrics = parseMetricsBody(body, 'x');
    expect(metrics.map((m) => [m.name, m.errorCode, m.errorMessage, m.series.length])).toEqual([
      ['APIRequestSMS', 'InvalidSamplingType', 'Sampling type is not found.', 0],
      ['APIRequestChat', undefined, undefined, 2],
    ]);
  });

  it('FULL gives intervalMs null; an absent interval and timespan give none', () => {
    const full = { ...restBody(), interval: 'FULL' };
    expect(parseMetricsBody(full, 'x')[0]!.intervalMs).toBeNull();
    expect(parseMetricsBody(full, 'x')[0]!.interval).toBe('FULL');
    const { interval: _i, timespan: _t, ...bare } = restBody();
    const [m] = parseMetricsBody(bare, 'x');
    expect(m!.intervalMs).toBeNull();
    expect('interval' in m!).toBe(false);
    expect('start' in m!).toBe(false);
    expect('end' in m!).toBe(false);
    expect(parseMetricsBody({ ...restBody(), interval: 'P1D' }, 'x')[0]!.intervalMs).toBe(86_400_000);
  });

  it('tolerates missing metadatavalues, data and timeseries, empty timeseries, and "timestamp"', () => {
    const body = {
      value: [
        { name: { value: 'A' }, timeseries: [{ data: [{ timestamp: '2026-01-07T13:00:00Z', count: 1 }] }, { metadatavalues: [dim('operation', 'X')] }] },
        { name: { value: 'B' }, timeseries: [] },
        { name: { value: 'C' } },
        { name: { value: 'D' }, timeseries: null, unit: 'Count' },
      ],
    };
    const metrics = parseMetricsBody(body, 'x');
    expect(metrics).toEqual([
      {
        name: 'A',
        intervalMs: null,
        origin: 'x',
        series: [
          { dimensions: {}, points: [{ timestamp: T0, count: 1 }] },
          { dimensions: { operation: 'X' }, points: [] },
        ],
      },
      { name: 'B', intervalMs: null, origin: 'x', series: [] },
      { name: 'C', intervalMs: null, origin: 'x', series: [] },
      { name: 'D', unit: 'Count', intervalMs: null, origin: 'x', series: [] },
    ]);
  });

  it('sorts points by time and reads times without a zone as UTC', () => {
    const body = {
      value: [
        {
          name: { value: 'A' },
          timeseries: [
            {
              data: [
                { timeStamp: '2026-01-07T15:00:00Z', count: 3 },
                { timeStamp: '2026-01-07 13:00:00', count: 1 },
                { timeStamp: '2026-01-07T14:00', count: 2 },
                { timeStamp: '2026-01-07T15:30:00.500Z', count: 4 },
                { timeStamp: '2026-01-31T23:59:59Z', count: 5 },
                { timeStamp: '2026-01-29T00:00:00+00:00', count: 6 },
                { timeStamp: '2026-01-07T10:00:00-05:00', count: 7 },
              ],
            },
          ],
        },
      ],
    };
    expect(parseMetricsBody(body, 'x')[0]!.series[0]!.points).toEqual([
      { timestamp: T0, count: 1 },
      { timestamp: T0 + H, count: 2 },
      { timestamp: T0 + 2 * H, count: 3 },
      { timestamp: T0 + 2 * H, count: 7 },
      { timestamp: T0 + 2.5 * H + 500, count: 4 },
      { timestamp: Date.UTC(2026, 0, 29), count: 6 },
      { timestamp: Date.UTC(2026, 0, 31, 23, 59, 59), count: 5 },
    ]);
  });
});

describe('parseMetricsBody and parseMetricsDocument: errors', () => {
  const point = (p: Record<string, unknown>) => ({
    value: [{ name: { value: 'A' }, timeseries: [{ data: [{ timeStamp: '2026-01-07T13:00:00Z', count: 1 }, p] }] }],
  });

  it('names the file and the place of a bad timestamp', () => {
    const body = { value: [{ name: { value: 'A' } }, { name: { value: 'B' } }, point({ timeStamp: 'banana' }).value[0]] };
    expect(messageOf(() => parseMetricsBody(body, 'fixtures/x.json'))).toBe(
      'fixtures/x.json: value[2].timeseries[0].data[1].timeStamp is not a date ("banana")',
    );
    expect(messageOf(() => parseMetricsBody(point({ count: 1 }), 'f.json'))).toBe('f.json: value[0].timeseries[0].data[1].timeStamp is missing');
    expect(messageOf(() => parseMetricsBody(point({ timeStamp: 1767790800000 }), 'f.json'))).toBe(
      'f.json: value[0].timeseries[0].data[1].timeStamp is not a date (1767790800000)',
    );
    expect(messageOf(() => parseMetricsBody(point({ timestamp: '2026-13-01T00:00:00Z' }), 'f.json'))).toBe(
      'f.json: value[0].timeseries[0].data[1].timestamp is not a date ("2026-13-01T00:00:00Z")',
    );
  });

  it('rejects aggregation values that are strings, negative, or not numbers', () => {
    const at = 'f.json: value[0].timeseries[0].data[1]';
    const ts = '2026-01-07T14:00:00Z';
    expect(messageOf(() => parseMetricsBody(point({ timeStamp: ts, count: '12' }), 'f.json'))).toBe(`${at}.count is not a number ("12")`);
    expect(messageOf(() => parseMetricsBody(point({ timeStamp: ts, total: -3 }), 'f.json'))).toBe(`${at}.total is negative (-3)`);
    expect(messageOf(() => parseMetricsBody(point({ timeStamp: ts, maximum: true }), 'f.json'))).toBe(`${at}.maximum is not a number (true)`);
    expect(messageOf(() => parseMetricsBody(point({ timeStamp: ts, average: { v: 1 } }), 'f.json'))).toBe(`${at}.average is not a number (found an object)`);
    expect(messageOf(() => parseMetricsBody(point({ timeStamp: ts, minimum: NaN }), 'f.json'))).toBe(`${at}.minimum is not a finite number (NaN)`);
  });

  it('rejects bodies of the wrong shape', () => {
    const expected = 'expected a Metrics API response ({"value": [...]}) or a batch response ({"values": [...]})';
    expect(messageOf(() => parseMetricsBody([1, 2, 3], 'fixtures/x.json'))).toBe(`fixtures/x.json: ${expected}, found an array of numbers`);
    expect(messageOf(() => parseMetricsBody([{ value: [] }, 'x', null], 'x.json'))).toBe(
      `x.json: ${expected}, found an array of objects and strings and nulls`,
    );
    expect(messageOf(() => parseMetricsBody([], 'x.json'))).toBe(`x.json: ${expected}, found an empty array`);
    expect(messageOf(() => parseMetricsBody('hello', 'x.json'))).toBe(`x.json: ${expected}, found a string`);
    expect(messageOf(() => parseMetricsBody(null, 'x.json'))).toBe(`x.json: ${expected}, found null`);
    expect(messageOf(() => parseMetricsBody({}, 'x.json'))).toBe(`x.json: ${expected}, found an empty object`);
    expect(messageOf(() => parseMetricsBody({ data: [], timespan: 'x' }, 'x.json'))).toBe(
      `x.json: ${expected}, found an object without "value" or "values" (keys: "data", "timespan")`,
    );
    expect(messageOf(() => parseMetricsBody([{ value: [] }, { foo: 1 }], 'x.json'))).toBe(
      `x.json: [1]: ${expected}, found an object without "value" or "values" (keys: "foo")`,
    );
    expect(messageOf(() => parseMetricsBody({ value: { a: 1 } }, 'x.json'))).toBe('x.json: value is not an array (found an object)');
    expect(messageOf(() => parseMetricsBody({ values: 'no' }, 'x.json'))).toBe('x.json: values is not an array ("no")');
    expect(messageOf(() => parseMetricsBody({ values: [{ value: [] }, 5] }, 'x.json'))).toBe('x.json: values[1] is not a batch entry (5)');
    expect(messageOf(() => parseMetricsBody([{ value: [] }, { values: [{ value: [7] }] }], 'x.json'))).toBe(
      'x.json: [1].values[0].value[0] is not a metric (7)',
    );
  });

  it('rejects metrics, series and dimensions of the wrong shape', () => {
    const one = (m: unknown) => ({ value: [m] });
    expect(messageOf(() => parseMetricsBody(one({ unit: 'Count' }), 'x'))).toBe('x: value[0].name is missing');
    expect(messageOf(() => parseMetricsBody(one({ name: 'APIRequestChat' }), 'x'))).toBe(
      'x: value[0].name is not {"value": ..., "localizedValue": ...} ("APIRequestChat")',
    );
    expect(messageOf(() => parseMetricsBody(one({ name: { localizedValue: 'Chat' } }), 'x'))).toBe('x: value[0].name.value is missing');
    expect(messageOf(() => parseMetricsBody(one({ name: { value: 3 } }), 'x'))).toBe('x: value[0].name.value is not a string (3)');
    expect(messageOf(() => parseMetricsBody(one({ name: { value: 'A' }, timeseries: {} }), 'x'))).toBe(
      'x: value[0].timeseries is not an array (found an object)',
    );
    expect(messageOf(() => parseMetricsBody(one({ name: { value: 'A' }, timeseries: [[]] }), 'x'))).toBe(
      'x: value[0].timeseries[0] is not a time series (found an empty array)',
    );
    expect(messageOf(() => parseMetricsBody(one({ name: { value: 'A' }, timeseries: [{ data: 'x' }] }), 'x'))).toBe(
      'x: value[0].timeseries[0].data is not an array ("x")',
    );
    expect(messageOf(() => parseMetricsBody(one({ name: { value: 'A' }, timeseries: [{ data: [null] }] }), 'x'))).toBe(
      'x: value[0].timeseries[0].data[0] is not a data point (null)',
    );
    expect(messageOf(() => parseMetricsBody(one({ name: { value: 'A' }, timeseries: [{ metadatavalues: [{ value: 'X' }] }] }), 'x'))).toBe(
      'x: value[0].timeseries[0].metadatavalues[0].name is missing',
    );
    expect(
      messageOf(() => parseMetricsBody(one({ name: { value: 'A' }, timeseries: [{ metadatavalues: [{ name: { value: 'operation' }, value: 5 }] }] }), 'x')),
    ).toBe('x: value[0].timeseries[0].metadatavalues[0].value is not a string (5)');
  });

  it('rejects a bad timespan, interval or batch time', () => {
    expect(messageOf(() => parseMetricsBody({ timespan: 'last week', value: [] }, 'x'))).toBe('x: timespan is not "start/end" in ISO 8601 ("last week")');
    expect(messageOf(() => parseMetricsBody({ interval: 60, value: [] }, 'x'))).toBe('x: interval is not a string (60)');
    expect(messageOf(() => parseMetricsBody({ values: [{ starttime: 'soon', value: [] }] }, 'x'))).toBe('x: values[0].starttime is not a date ("soon")');
    // An interval that is a string but not a duration is kept, with intervalMs null.
    expect(parseMetricsBody({ interval: 'weekly', value: [{ name: { value: 'A' } }] }, 'x')[0]!.intervalMs).toBeNull();
  });

  it('recognises a saved error response', () => {
    expect(messageOf(() => parseMetricsBody({ error: { code: 'BadRequest', message: 'Failed to find metric configuration\nfor provider' } }, 'e.json'))).toBe(
      'e.json: this is an Azure Monitor error response, not metric data: BadRequest: Failed to find metric configuration for provider',
    );
    expect(messageOf(() => parseMetricsBody({ code: 'AuthorizationFailed', message: 'No access.' }, 'e.json'))).toBe(
      'e.json: this is an Azure Monitor error response, not metric data: AuthorizationFailed: No access.',
    );
  });

  it('reports JSON syntax errors on one line with the file, position, line and column', () => {
    expect(messageOf(() => parseMetricsDocument('{"value": [1,]}', 'fixtures/x.json'))).toBe(
      "fixtures/x.json: not valid JSON: Unexpected token ']' in JSON at position 13 (line 1, column 14)",
    );
    expect(messageOf(() => parseMetricsDocument('{\n  "value": [\n    {"a": tru}\n  ]\n}', 'fixtures/x.json'))).toBe(
      "fixtures/x.json: not valid JSON: Unexpected token '}' in JSON at position 28 (line 3, column 14)",
    );
    expect(messageOf(() => parseMetricsDocument('{"value": [\n  {"a": 1}\n  {"b": 2}]}', 'x.json'))).toBe(
      "x.json: not valid JSON: Expected ',' or ']' after array element in JSON at position 25 (line 3, column 3)",
    );
    expect(messageOf(() => parseMetricsDocument('{"value": [\n', 'x.json'))).toBe('x.json: not valid JSON: Unexpected end of JSON input (line 2, column 1)');
    expect(messageOf(() => parseMetricsDocument('{"value": []}\n}', 'x.json'))).toBe(
      'x.json: not valid JSON: Unexpected non-whitespace character after JSON at position 14 (line 2, column 1)',
    );
  });

  it('computes 1-based lines and columns', () => {
    expect(lineColumn('ab\ncd\n', 0)).toEqual({ line: 1, column: 1 });
    expect(lineColumn('ab\ncd\n', 2)).toEqual({ line: 1, column: 3 });
    expect(lineColumn('ab\ncd\n', 3)).toEqual({ line: 2, column: 1 });
    expect(lineColumn('ab\ncd\n', 6)).toEqual({ line: 3, column: 1 });
  });
});

describe('parseMetricsBody: size', () => {
  // Its speed is measured by `npm run bench` (BENCHMARKS.md), not here: a timed test fails on a busy machine.
  it('reads 30 days of PT1M for 40 series (1.7 million points)', () => {
    const start = Date.UTC(2026, 0, 1);
    const n = 30 * 1440;
    const stamps = Array.from({ length: n }, (_, i) => new Date(start + i * 60_000).toISOString().replace('.000Z', 'Z'));
    const series = Array.from({ length: 40 }, (_, s) => ({
      metadatavalues: [dim('operation', `Op${s}`)],
      data: stamps.map((timeStamp, i) => ({ timeStamp, count: i % 7, total: i % 7 })),
    }));
    const text = JSON.stringify({
      timespan: '2026-01-01T00:00:00Z/2026-01-31T00:00:00Z',
      interval: 'PT1M',
      value: [{ name: { value: 'A' }, timeseries: series }],
    });
    const [m] = parseMetricsDocument(text, 'big.json');
    expect(m!.series).toHaveLength(40);
    expect(m!.series[39]!.points).toHaveLength(n);
    expect(m!.series[39]!.points[n - 1]).toEqual({ timestamp: start + (n - 1) * 60_000, count: (n - 1) % 7, total: (n - 1) % 7 });
  });
});

import { describe, expect, it } from 'vitest';
import { QUERY_SCHEMA_VERSION, renderJson } from '../src/render/json.js';
import { result } from './render-result.js';

describe('renderJson', () => {
  it('prints the documented schema, version 1', () => {
    const r = result({
      splitBy: ['Operation'],
      filters: { Operation: ['SendChatMessage', 'Bad Route'] },
      series: [
        { dims: { Operation: 'SendChatMessage' }, values: [5, null], errors: 3, requests: 120, total: 120 },
        { dims: { Operation: 'Bad Route' }, values: [null, 0], errors: 0, requests: 0, total: 0 },
      ],
      total: 120,
      requests: 120,
      errors: 3,
      omittedSeries: 2,
      top: 2,
    });
    const text = renderJson(r);
    expect(text.endsWith('}\n')).toBe(true);
    expect(text).toContain('\n  "schemaVersion": 1,\n');
    expect(QUERY_SCHEMA_VERSION).toBe(1);
    expect(JSON.parse(text)).toEqual({
      schemaVersion: 1,
      query: {
        metric: 'APIRequestChat',
        metricAlias: 'chat',
        displayName: 'Chat API Requests',
        aggregation: 'count',
        interval: 'PT1H',
        start: '2026-01-07T00:00:00Z',
        end: '2026-01-07T02:00:00Z',
        filters: { Operation: ['SendChatMessage', 'Bad Route'] },
        splitBy: ['Operation'],
        top: 2,
        errors: { basis: 'status', classDimension: 'StatusSubClass', codeDimension: 'StatusCode', classes: ['4xx', '5xx'], codes: [] },
        lifecycle: { status: 'retiring', date: '2028-09-30' },
      },
      series: [
        {
          dimensions: { Operation: 'SendChatMessage' },
          total: 120,
          requests: 120,
          errors: 3,
          errorRate: 0.025,
          points: [
            { timestamp: '2026-01-07T00:00:00Z', value: 5 },
            { timestamp: '2026-01-07T01:00:00Z', value: null },
          ],
        },
        {
          dimensions: { Operation: 'Bad Route' },
          total: 0,
          requests: 0,
          errors: 0,
          errorRate: null,
          points: [
            { timestamp: '2026-01-07T00:00:00Z', value: null },
            { timestamp: '2026-01-07T01:00:00Z', value: 0 },
          ],
        },
      ],
      total: 120,
      requests: 120,
      errors: 3,
      errorRate: 0.025,
      omittedSeries: 2,
    });
  });

  it('uses labels and nulls: sum aggregation, FULL interval, no split, unknown errors, top null', () => {
    const doc = JSON.parse(renderJson(result({ aggregation: 'total', intervalMs: null, series: [{ values: [7] }] })));
    expect(doc.query).toMatchObject({ aggregation: 'sum', interval: 'FULL', filters: {}, splitBy: [], top: null });
    expect(doc.query.end).toBe('2026-01-08T00:00:00Z');
    expect(doc.series).toEqual([
      { dimensions: {}, total: 7, requests: 7, errors: null, errorRate: null, points: [{ timestamp: '2026-01-07T00:00:00Z', value: 7 }] },
    ]);
    expect(doc.errors).toBeNull();
    expect(doc.errorRate).toBeNull();
  });

  it('passes control characters through as JSON escapes', () => {
    const text = renderJson(result({ splitBy: ['Operation'], series: [{ dims: { Operation: 'a\u001b[2Jb"' }, values: [1] }] }));
    expect(text).toContain('"Operation": "a\\u001b[2Jb\\""');
    expect(text).not.toContain('\u001b');
  });
});

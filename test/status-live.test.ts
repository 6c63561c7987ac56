/**
 * status over a live estate (src/cli/status-live.ts): the rows come from the stream when it is exact;
 * when it is not (resources answered on different windows), that metric is asked for again and its
 * rows told from all its answers at once (a --debug line says so), the second read hushed. Sources that
 * cannot hand resources on (files, one resource) and --save take the usual path at once.
 */
import { describe, expect, it } from 'vitest';
import { hushable, makeContext } from '../src/cli/context.js';
import { liveStatus } from '../src/cli/status-live.js';
import { statusParts } from '../src/core/status-parts.js';
import { metricByRestName } from '../src/catalog/resolve.js';
import type { MetricData, Query } from '../src/core/model.js';
import { perResourceQuery } from '../src/core/usage.js';
import { parseMetricsBody } from '../src/sources/parse-response.js';
import type { EachResource, MetricsSource } from '../src/sources/source.js';
import { testIo } from './helpers/io.js';

const HOUR = 3_600_000;
const NOW = Date.UTC(2026, 0, 8);
const iso = (t: number): string => new Date(t).toISOString().replace('.000Z', 'Z');
const chat = metricByRestName('APIRequestChat')!;
const queries = [perResourceQuery(chat, { sinceMs: 24 * HOUR }, { kind: 'auto' }, false)];
const id = (i: number): string =>
  `/subscriptions/00000000-0000-4000-8000-000000000001/resourceGroups/rg/providers/Microsoft.Communication/CommunicationServices/acs-${i}`;

/** A resource's answer: hourly counts of one operation from `start`. */
function answer(i: number, start: number): MetricData[] {
  const timeseries = [
    {
      metadatavalues: chat.dimensions.map((d) => ({
        name: { value: d.rest.toLowerCase() },
        value: /operation/i.test(d.rest) ? 'SendMessage' : /class/i.test(d.rest) ? '2xx' : '200',
      })),
      data: [0, 1, 2].map((h) => ({ timeStamp: iso(start + h * HOUR), count: h + i })),
    },
  ];
  const value = [{ name: { value: chat.rest }, unit: 'Count', timeseries }];
  return parseMetricsBody({ values: [{ resourceid: id(i), starttime: iso(start), endtime: iso(NOW), interval: 'PT1H', value }] }, 'Azure Monitor');
}

/** A source that hands on resources answering from these window starts. */
function source(starts: readonly number[], withEach = true): MetricsSource & { fetches: number; asked: string[][] } {
  const s = {
    label: 'Azure Monitor',
    fetches: 0,
    fetch: async (asked?: readonly Query[]) => {
      s.fetches++;
      s.asked.push((asked ?? []).map((q) => q.metric.alias));
      return { metrics: starts.flatMap((t, i) => answer(i, t)), raw: [], anchor: NOW };
    },
    asked: [] as string[][],
    ...(withEach
      ? {
          fetchEach: async (_q: unknown, _signal: unknown, each: EachResource) => {
            each.start(
              starts.map((_, i) => id(i)),
              NOW,
            );
            [...starts.keys()].reverse().forEach((i) => each.resource(i, answer(i, starts[i]!), 0));
            return { metrics: [], raw: [], anchor: NOW };
          },
        }
      : {}),
  };
  return s;
}

describe('status over a live estate', () => {
  const start = NOW - 24 * HOUR;
  const hush = hushable(makeContext(testIo().io, {})).hushed;

  it('answers on one window: the rows from the stream, nothing read again', async () => {
    const { io } = testIo();
    const src = source([start, start]);
    const live = await liveStatus(src, {}, makeContext(io, {}), queries, false, hush);
    expect(live?.parts.resources).toEqual([id(0), id(1)]);
    expect(live?.parts.rowOf(id(1), chat, 1)?.requests).toBe(1 + 2 + 3);
    expect(src.fetches).toBe(0);
  });

  it('answers on different windows: that metric asked for again, its rows from all its answers, said under --debug, the second read hushed', async () => {
    const { io, err } = testIo();
    const src = source([start, start + HOUR]);
    let hushedReads = 0;
    const counted: typeof hush = async (read) => (hushedReads++, read());
    const live = await liveStatus(src, {}, makeContext(io, { debug: true }), queries, false, counted);
    expect(src.asked).toEqual([['chat']]);
    expect(hushedReads).toBe(1);
    expect(err()).toMatch(
      /debug: status: chat: resources' data on different grids or windows: asking again for chat, to tell their rows from all their answers at once/,
    );
    // What status builds from all the data at once (the answers in the selection's order, whatever order they came in).
    const all = await src.fetch(queries);
    const want = statusParts(queries, all, [id(0), id(1)]);
    expect(live?.parts).toMatchObject({ ...want, rowOf: expect.any(Function) });
    for (const i of [0, 1]) expect(live?.parts.rowOf(id(i), chat, i)).toEqual(want.rowOf(id(i), chat, i));
    // Resource 0: 0 + 1 + 2 requests from the window's start; resource 1, an hour later: 1 + 2 + 3, all in the window.
    expect([0, 1].map((i) => live?.parts.rowOf(id(i), chat, i)?.requests)).toEqual([3, 6]);
  });

  it('hushable: notes and warnings held back during a hushed read only, traces kept', async () => {
    const { io, err } = testIo();
    const { ctx, hushed } = hushable(makeContext(io, { debug: true }));
    ctx.note('before');
    const got = await hushed(async () => {
      ctx.note('during');
      ctx.warn('during');
      ctx.trace('traced');
      return 7;
    });
    await expect(hushed(() => Promise.reject(new Error('failed read')))).rejects.toThrow('failed read');
    ctx.warn('after');
    expect(got).toBe(7);
    expect(err()).toBe('note: before\ndebug: traced\nwarning: after\n');
  });

  it('a source that cannot hand resources on, or --save: the usual path', async () => {
    const { io } = testIo();
    expect(await liveStatus(source([start], false), {}, makeContext(io, {}), queries, false, hush)).toBeUndefined();
    const src = source([start]);
    expect(await liveStatus(src, { save: 'x.json' }, makeContext(io, {}), queries, false, hush)).toBeUndefined();
  });
});

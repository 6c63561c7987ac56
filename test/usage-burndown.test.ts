/**
 * `usage` migration burndown: requests per ISO week or month, worked out by hand on a 35-day estate,
 * in every output (table, JSON, CSV, Markdown, chart); and a property with an independent oracle: the
 * periods add up to the usage total and each equals the sum of the points that start in it.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, liveEnv, openHarness, RESOURCE, testDataset } from './emulator/harness.js';
import { metricsBody, writeFixture } from './helpers/fixture.js';
import { run } from './helpers/io.js';

const RG = '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Communication/CommunicationServices';
const DAY = 86_400_000;
const s = (op: string, code: string, counts: (number | null)[]) => ({ dims: { operation: op, statuscode: code, statuscodeclass: `${code[0]}xx` }, counts });

function entry(resourceid: string, start: string, intervalMs: number, metrics: { name: string; series: ReturnType<typeof s>[] }[]) {
  const body = metricsBody(metrics, start, intervalMs) as { value: unknown[]; timespan: string; interval: string };
  const [starttime, endtime] = body.timespan.split('/');
  return { starttime, endtime, interval: body.interval === 'PT24H' ? 'P1D' : body.interval, resourceid, value: body.value };
}

// acs-a, daily from Thursday 2026-01-01 for 35 days: Chat declines 35, 34, ..., 1 (630 requests);
// Auth (active) 2 a day (70). Weeks: 2026-W01 Jan 1-4 (partial) 35+34+33+32 = 134; W02 31..25 = 196;
// W03 24..18 = 147; W04 17..11 = 98; W05 10..4 = 49; W06 Feb 2-4 (partial) 3+2+1 = 6. 630 in all.
// Months: 2026-01 (whole) 35..5 = 620; 2026-02 (partial) 4+3+2+1 = 10.
const chat = Array.from({ length: 35 }, (_, i) => 35 - i);
const estate = writeFixture({
  values: [
    entry(`${RG}/acs-a`, '2026-01-01T00:00:00Z', DAY, [
      { name: 'APIRequestChat', series: [s('SendChatMessage', '201', chat)] },
      {
        name: 'APIRequestAuthentication',
        series: [
          s(
            'CreateToken',
            '200',
            chat.map(() => 2),
          ),
        ],
      },
    ]),
  ],
});
const WEEKS = [
  { period: '2026-W01', start: '2026-01-01T00:00:00Z', end: '2026-01-05T00:00:00Z', partial: true, requests: 134 },
  { period: '2026-W02', start: '2026-01-05T00:00:00Z', end: '2026-01-12T00:00:00Z', partial: false, requests: 196 },
  { period: '2026-W03', start: '2026-01-12T00:00:00Z', end: '2026-01-19T00:00:00Z', partial: false, requests: 147 },
  { period: '2026-W04', start: '2026-01-19T00:00:00Z', end: '2026-01-26T00:00:00Z', partial: false, requests: 98 },
  { period: '2026-W05', start: '2026-01-26T00:00:00Z', end: '2026-02-02T00:00:00Z', partial: false, requests: 49 },
  { period: '2026-W06', start: '2026-02-02T00:00:00Z', end: '2026-02-05T00:00:00Z', partial: true, requests: 6 },
];

interface Channel {
  alias: string;
  requests: number;
  trend: { period: string; start: string; end: string; partial: boolean; requests: number | null }[];
}

describe('usage burndown on a 35-day estate', () => {
  it('JSON: weeks by default over 28 days or more, each period exact; months with --trend month', async () => {
    const r = await run(['usage', '--fixture', estate, '-o', 'json']);
    expect([r.code, r.stderr]).toEqual([0, '']);
    const doc = JSON.parse(r.stdout);
    expect(doc.trend).toBe('week');
    const [chatCh, auth] = doc.resources[0].channels as Channel[];
    expect([chatCh!.alias, chatCh!.requests]).toEqual(['chat', 630]);
    expect(chatCh!.trend).toEqual(WEEKS);
    expect(auth!.trend.map((p) => p.requests)).toEqual([8, 14, 14, 14, 14, 6]);
    const months = JSON.parse((await run(['usage', '--fixture', estate, '-o', 'json', '--trend', 'month'])).stdout);
    expect(months.trend).toBe('month');
    expect(months.resources[0].channels[0].trend).toEqual([
      { period: '2026-01', start: '2026-01-01T00:00:00Z', end: '2026-02-01T00:00:00Z', partial: false, requests: 620 },
      { period: '2026-02', start: '2026-02-01T00:00:00Z', end: '2026-02-05T00:00:00Z', partial: true, requests: 10 },
    ]);
    const none = JSON.parse((await run(['usage', '--fixture', estate, '-o', 'json', '--trend', 'none'])).stdout);
    expect([none.trend, none.resources[0].channels[0].trend]).toEqual([null, []]);
    // Under 28 days auto shows no trend; --trend week asks for it.
    const short = JSON.parse((await run(['usage', '--fixture', estate, '-o', 'json', '--since', '27d'])).stdout);
    expect(short.trend).toBe(null);
    const asked = JSON.parse((await run(['usage', '--fixture', estate, '-o', 'json', '--since', '10d', '--trend', 'week'])).stdout);
    // Jan 26 to Feb 5: W05 whole (49), W06 partial (6).
    expect(asked.resources[0].channels[0].trend.map((p: Channel['trend'][number]) => [p.period, p.partial, p.requests])).toEqual([
      ['2026-W05', false, 49],
      ['2026-W06', true, 6],
    ]);
  });

  it('the table has a trend column (first and last period, * partial) and says what the periods are', async () => {
    const r = await run(['usage', '--fixture', estate, '--width', '200']);
    expect(r.code).toBe(0);
    const chatRow = r.stdout.split('\n').find((l) => l.includes(' chat '))!;
    expect(chatRow).toMatch(/│ 134\* ▆█▆▅▃▂ 6\* +│$/);
    expect(r.stdout).toContain('│ Requests per week ');
    expect(r.stdout).toContain(
      'Trend: requests per ISO week (Monday 00:00 UTC), 2026-W01 to 2026-W06, first and last week shown as numbers; * a partial week: the window holds only part of it.\n',
    );
    // At 60 columns the trend column goes, and its explanation with it.
    const narrow = await run(['usage', '--fixture', estate, '--width', '60']);
    expect(narrow.stdout).not.toContain('Requests per');
    expect(narrow.stdout).not.toContain('Trend:');
  });

  it('CSV has a column per period; Markdown a trend column and a table per week for the retiring channels', async () => {
    const csv = (await run(['usage', '--fixture', estate, '-o', 'csv'])).stdout.split('\r\n');
    expect(csv[0]).toBe(
      'resource,resource_id,channel,metric,lifecycle,lifecycle_date,requests,errors,first_day,last_day,busiest_operations,clear,2026-W01 (partial),2026-W02,2026-W03,2026-W04,2026-W05,2026-W06 (partial)',
    );
    expect(csv[1]).toBe(`acs-a,${RG}/acs-a,chat,APIRequestChat,retiring,2028-09-30,630,0,2026-01-01,2026-02-04,SendChatMessage 630,false,134,196,147,98,49,6`);
    const md = (await run(['usage', '--fixture', estate, '-o', 'markdown'])).stdout;
    expect(md).toContain('| Chat API Requests | retiring 2028-09-30 | 630 | 0 (0%) | 2026-01-01 | 2026-02-04 | SendChatMessage 630 | 134\\* ▆█▆▅▃▂ 6\\* |\n');
    expect(md).toContain(
      [
        '| Week | chat |',
        '|---|--:|',
        '| 2026-W01 (partial: 2026-01-01 to 2026-01-04) | 134 |',
        '| 2026-W02 | 196 |',
        '| 2026-W03 | 147 |',
        '| 2026-W04 | 98 |',
        '| 2026-W05 | 49 |',
        '| 2026-W06 (partial: 2026-02-02 to 2026-02-04) | 6 |',
      ].join('\n'),
    );
  });

  it('-o chart draws the retiring channels per week and says how far the retirement is', async () => {
    const r = await run(['usage', '--fixture', estate, '-o', 'chart', '--width', '80', '--height', '4']);
    expect([r.code, r.stderr]).toEqual([0, '']);
    const lines = r.stdout.split('\n');
    expect(lines.slice(0, 3)).toEqual([
      'ACS migration burndown: requests per ISO week (Monday 00:00 UTC) of retiring an…',
      '2026-01-01T00:00Z – 2026-02-05T00:00Z · partial weeks: 2026-W01, 2026-W06',
      'retirement 2028-09-30: 138 weeks after 2026-W06',
    ]);
    // Auth is active: not charted.
    expect(lines.filter((l) => l.startsWith('──') || l.startsWith('━━'))).toEqual(['── chat (retiring 2028-09-30): 134 in 2026-W01, 6 in 2026-W06']);
    expect(lines.find((l) => l.trimStart().startsWith('UTC '))).toMatch(/^ *UTC 2026-W01 +2026-W02 +2026-W03 +2026-W04 +2026-W05 +2026-W06$/);
  });

  it('marks the retirement date with ┊ when the chart holds it', async () => {
    const late = writeFixture({
      values: [
        entry(`${RG}/acs-z`, '2028-09-04T00:00:00Z', DAY, [
          {
            name: 'APIRequestChat',
            series: [
              s(
                'SendChatMessage',
                '201',
                Array.from({ length: 35 }, (_, i) => (i < 20 ? 10 : 0)),
              ),
            ],
          },
        ]),
      ],
    });
    const r = await run(['usage', '--fixture', late, '-o', 'chart', '--width', '60', '--height', '3']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('┊ retirement 2028-09-30 (in 2028-W39)');
    // 2028-W36 to W40: the mark stands in the column where W39 starts, on the rows the line leaves empty.
    const lines = r.stdout.split('\n');
    const column = lines.find((l) => l.startsWith('UTC '))!.indexOf('2028-W39');
    expect(column).toBe(4 + 3 * 11);
    expect(lines.find((l) => l.startsWith('100 '))!.indexOf('┊')).toBe(column);
  });

  it('notes buckets that cross the edge of a week, and refuses bad --trend values', async () => {
    // Hourly from 00:30: the Sunday 23:30 bucket reaches into Monday.
    const offHour = writeFixture({
      values: [
        entry(`${RG}/acs-h`, '2026-01-01T00:30:00Z', 3_600_000, [
          {
            name: 'APIRequestChat',
            series: [
              s(
                'SendChatMessage',
                '201',
                Array.from({ length: 24 * 30 }, () => 1),
              ),
            ],
          },
        ]),
      ],
    });
    const r = await run(['usage', '--fixture', offHour, '-o', 'json']);
    expect(r.stderr).toBe(
      'note: some buckets cross the edge of a week (the window does not start on a whole hour): each counts in the week that holds its start\n',
    );
    const bad = await run(['usage', '--fixture', estate, '--trend', 'day']);
    expect([bad.code, bad.stderr]).toEqual([2, 'error: invalid --trend "day": expected auto, week, month, none\n']);
    const noTrendChart = await run(['usage', '--fixture', estate, '--trend', 'none', '-o', 'chart']);
    expect([noTrendChart.code, noTrendChart.stderr]).toEqual([2, 'error: -o chart draws the trend: choose --trend week or month (or auto)\n']);
  });
});

/** The oracle's ISO week: whole weeks since Monday 1970-01-05, independent of core/trend.ts. */
const weekIndex = (ms: number): number => Math.floor((ms - Date.UTC(1970, 0, 5)) / (7 * DAY));
const monthIndex = (ms: number): number => new Date(ms).getUTCFullYear() * 12 + new Date(ms).getUTCMonth();

describe('usage burndown property', () => {
  it('for any data, each period is the sum of the points that start in it, and the periods add up to the usage total', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          // Any start from 2025 to 2027: on a day (buckets meet the periods' edges), an hour, or any minute.
          startMin: fc.oneof(
            fc.integer({ min: 0, max: 3 * 365 }).map((d) => d * 1440),
            fc.integer({ min: 0, max: 3 * 8760 }).map((h) => h * 60),
            fc.integer({ min: 0, max: 3 * 525_600 }),
          ),
          hourly: fc.boolean(),
          unit: fc.constantFrom('week', 'month'),
          resources: fc.array(
            fc.array(fc.array(fc.option(fc.integer({ min: 0, max: 1000 }), { nil: null }), { minLength: 1, maxLength: 120 }), { minLength: 1, maxLength: 3 }),
            { minLength: 1, maxLength: 2 },
          ),
        }),
        async ({ startMin, hourly, unit, resources }) => {
          const step = hourly ? 3_600_000 : DAY;
          const t0 = Date.UTC(2025, 0, 1) + startMin * 60_000;
          const start = new Date(t0).toISOString().replace('.000Z', 'Z');
          const body = {
            values: resources.map((series, k) =>
              entry(`${RG}/acs-${k}`, start, step, [{ name: 'APIRequestChat', series: series.map((counts, j) => s(`Op${j}`, '200', counts)) }]),
            ),
          };
          const r = await run(['usage', '--fixture', '-', '-o', 'json', '--trend', unit], { stdin: JSON.stringify(body) });
          expect(r.code).toBe(0);
          const doc = JSON.parse(r.stdout) as { resources: { name: string; channels: Channel[] }[] };
          const key = unit === 'week' ? weekIndex : monthIndex;
          resources.forEach((series, k) => {
            const expected = new Map<number, number>();
            let total = 0;
            for (const counts of series) {
              counts.forEach((c, i) => {
                if (c === null) return;
                const p = key(t0 + i * step);
                expected.set(p, (expected.get(p) ?? 0) + c);
                total += c;
              });
            }
            const ch = doc.resources.find((x) => x.name === `acs-${k}`)!.channels[0];
            if (total === 0) return expect(ch).toBeUndefined();
            expect(ch!.requests).toBe(total);
            expect(ch!.trend.reduce((a, p) => a + (p.requests ?? 0), 0)).toBe(total);
            const got = new Map(ch!.trend.filter((p) => p.requests !== null).map((p) => [key(Date.parse(p.start)), p.requests!]));
            expect(Object.fromEntries(got)).toEqual(Object.fromEntries([...expected].filter(([, v]) => v !== undefined)));
            // Periods are consecutive and cover the window.
            ch!.trend.slice(1).forEach((p, i) => expect(p.start).toBe(ch!.trend[i]!.end));
          });
        },
      ),
      { numRuns: 100 },
    );
  }, 120_000);
});

describe('usage burndown live (emulator), the clock off the hour', () => {
  // 92 days of Rooms at PT1H on the clock's minute grid (:37): CreateRoom 1 and GetRoom 2 an hour.
  const clock = new Date('2026-01-08T13:37:37.250Z');
  let h: Harness;
  beforeAll(async () => {
    h = await openHarness(testDataset(clock.getTime()));
  });
  afterAll(async () => {
    await h.close();
  });

  it("sums the hourly buckets per week where each starts, notes that some cross a week's edge, and adds up to the total", async () => {
    const r = await run(['usage', '--resource', RESOURCE, '-m', 'rooms', '--since', '90d', '-o', 'json'], { env: liveEnv(h), now: clock });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(
      'note: the last bucket (2026-01-08T12:37:00Z) may be incomplete: Azure Monitor data arrives a few minutes late\n' +
        'note: some buckets cross the edge of a week (the window does not start on a whole hour): each counts in the week that holds its start\n',
    );
    const doc = JSON.parse(r.stdout);
    expect(doc.trend).toBe('week');
    const rooms = doc.resources[0].channels[0] as Channel;
    // 90 days of hours from 2025-10-10T13:37Z, 3 requests each.
    const start = Date.parse('2025-10-10T13:37:00Z');
    expect(rooms.requests).toBe(90 * 24 * 3);
    const expected = new Map<number, number>();
    for (let i = 0; i < 90 * 24; i++) expected.set(weekIndex(start + i * 3_600_000), (expected.get(weekIndex(start + i * 3_600_000)) ?? 0) + 3);
    expect(rooms.trend.map((p) => [weekIndex(Date.parse(p.start)), p.requests])).toEqual([...expected]);
    expect(rooms.trend[0]).toMatchObject({ period: '2025-W41', start: '2025-10-10T13:37:00Z', end: '2025-10-13T00:00:00Z', partial: true });
    expect(rooms.trend.at(-1)).toMatchObject({ period: '2026-W02', start: '2026-01-05T00:00:00Z', end: '2026-01-08T13:37:00Z', partial: true });
  });
});

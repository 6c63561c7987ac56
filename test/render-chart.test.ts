import { createRequire } from 'node:module';
import type * as Asciichart from 'asciichart';
import { Chalk } from 'chalk';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { renderChart } from '../src/render/chart.js';
import { HOUR, result } from './render-result.js';

const asciichart = createRequire(import.meta.url)('asciichart') as typeof Asciichart;
const plain = new Chalk({ level: 0 });
const colored = new Chalk({ level: 1 });
// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[/;

const chart = (r: Parameters<typeof renderChart>[0], width = 100, height = 8, color = plain) => renderChart(r, { color, width, height });
const lines = (text: string) => text.replace(/\n$/, '').split('\n');
const single = (values: (number | null)[], intervalMs?: number | null) => result({ series: [{ values }], intervalMs });

describe('renderChart', () => {
  it('draws exactly what asciichart draws for a series without gaps, under a title', () => {
    const values = [0, 5, 10, 5, 0, 2];
    const { text, notes } = chart(single(values), 100, 11);
    const expected = asciichart
      .plot(values, { min: 0, max: 10, height: 10, format: (x) => x.toFixed(0).padStart(3) })
      .split('\n')
      .map((l) => l.trimEnd());
    // asciichart puts its zero mark (┼) on the top row when the scale starts at zero; ours is at zero.
    expected[0] = expected[0]!.replace('┼', '┤');
    const out = lines(text);
    expect(out[0]).toBe('Chat API Requests (APIRequestChat) · count per PT1H · 2026-01-07T00:00Z – 2026-01-07T06:00Z');
    expect(out.slice(1, 12)).toEqual(expected);
    // The time axis is UTC: a tick at midnight is labelled with the date alone.
    expect(out.slice(12)).toEqual(['    ┬─────', 'UTC 01-07', '── (all)']);
    expect(notes).toEqual([]);
  });

  it('leaves gaps for missing points and marks the ends around them', () => {
    const out = lines(chart(single([2, 2, null, 2, 2]), 100, 3).text);
    expect(out.slice(1, 4)).toEqual(['  2 ┼─╴╶─', '  1 ┤', '  0 ┼']);
  });

  it('does not throw for empty, all-null, single-point, all-zero data and gaps', () => {
    expect(chart(result({ series: [] })).text).toContain('No data to chart.');
    expect(chart(single([null, null, null])).text).toContain('No data to chart.');
    for (const values of [
      [0, 0, 0],
      [null, 3, null, null, 4, null],
      [0, null, 0],
    ]) {
      const { text } = chart(single(values));
      expect(text).toContain('── (all)');
      expect(text).toContain('UTC 01-07');
    }
    expect(chart(single([5], null)).text).toContain('count over the window');
    expect(chart(single([0])).text).toContain('one bucket');
  });

  it('one bucket (-i FULL): a bar per series with its exact value, not a flat line rounded to a row', () => {
    const r = result({
      intervalMs: null,
      splitBy: ['Operation'],
      series: [
        { dims: { Operation: 'SendChatMessage' }, values: [16_161] },
        { dims: { Operation: 'GetChatMessage' }, values: [2_040] },
        { dims: { Operation: 'DeleteChatMessage' }, values: [0] },
        { dims: { Operation: 'ListChatThreads' }, values: [12.5] },
      ],
    });
    const { text, notes } = chart(r, 60);
    // 60 columns: labels 17, two spaces, 34 for the bars (the largest fills them), a space and the value (6).
    expect(lines(text)).toEqual([
      'Chat API Requests (APIRequestChat) · count over the window',
      '2026-01-07T00:00Z – 2026-01-08T00:00Z',
      'one bucket: the value of each series over the window',
      `SendChatMessage    ${'█'.repeat(34)} 16,161`,
      // 2,040 / 16,161 x 34 = 4.3 cells; 12.5 still gets one cell, 0 none.
      `GetChatMessage     ${'█'.repeat(4)}${' '.repeat(30)}  2,040`,
      `DeleteChatMessage  ${' '.repeat(34)}      0`,
      `ListChatThreads    █${' '.repeat(33)}   12.5`,
    ]);
    for (const line of lines(text)) expect(line.length).toBeLessThanOrEqual(60);
    expect(notes).toEqual([]);
    // A window of one hourly bucket is one bucket too.
    expect(lines(chart(single([553])).text).slice(1)).toEqual(['one bucket: the value of each series over the window', `(all)  ${'█'.repeat(89)} 553`]);
  });

  it('chooses y label decimals so that small values do not repeat', () => {
    const out = lines(chart(single([0.01, 0.03, 0.02, 0.05]), 100, 6).text);
    const labels = out.slice(1, 7).map((l) => l.slice(0, 4));
    expect(labels).toEqual(['0.05', '0.04', '0.03', '0.02', '0.01', '0.00']);
    // Whole numbers are never labelled in fractions: 3 rows of 1 rather than 11 rows of 0.3.
    const counts = lines(chart(single([0, 1, 3, 2]), 100, 11).text)
      .slice(1, 5)
      .map((l) => l.slice(0, 4));
    expect(counts).toEqual(['  3 ', '  2 ', '  1 ', '  0 ']);
  });

  it('lines the time labels up with the plot columns', () => {
    const values = Array.from({ length: 30 }, (_, i) => i);
    const out = lines(chart(single(values), 100, 4).text);
    const rule = out[5]!;
    const labels = out[6]!;
    const ticks = [...rule].flatMap((ch, i) => (ch === '┬' ? [i] : []));
    expect(ticks.length).toBeGreaterThanOrEqual(2);
    const plotStart = out[4]!.indexOf('┼'); // the first point sits on the axis
    expect(ticks[0]).toBe(plotStart);
    // 30 hourly columns: a label needs 7 columns, so ticks every 12 hours (the round step above 7 h).
    expect(ticks.map((i) => i - plotStart)).toEqual([0, 12, 24]);
    expect(labels).toBe('UTC 01-07       12:00       01-08');
    for (const i of ticks) {
      const hour = (i - plotStart) % 24;
      const day = 7 + Math.floor((i - plotStart) / 24);
      expect(labels.slice(i, i + 5)).toBe(hour === 0 ? `01-${String(day).padStart(2, '0')}` : `${String(hour).padStart(2, '0')}:00`);
    }
  });

  it('labels day intervals with dates only', () => {
    const r = result({ intervalMs: 24 * HOUR, series: [{ values: Array.from({ length: 30 }, (_, i) => i % 5) }] });
    const text = chart(r).text;
    expect(text).toMatch(/ 01-\d\d {2}/);
    expect(text).not.toMatch(/01-\d\d \d\d:\d\d/);
  });

  it('fits the width: downsamples by maximum per column and says so', () => {
    const values = Array.from({ length: 200 }, (_, i) => (i === 137 ? 5000 : 100));
    const { text, notes } = chart(single(values), 40, 6);
    for (const line of lines(text)) expect(line.length).toBeLessThanOrEqual(40);
    expect(lines(text).slice(0, 3)).toEqual(['Chat API Requests (APIRequestChat)', 'count per PT1H', '2026-01-07T00:00Z – 2026-01-15T08:00Z']);
    const top = lines(text)[3]!;
    expect(top).toMatch(/^5,000 ┤ +╭╮$/); // the spike survives on the top row, in its column
    expect(top.indexOf('╭')).toBe('5,000 '.length + Math.floor(137 / 6));
    expect(lines(text)[8]).toMatch(/^ {4}0 ┼─+╯╰─+$/);
    expect(notes).toEqual(['200 points shown in 34 columns: each column is the maximum of 6 buckets']);
  });

  it('charts the largest series up to maxSeries and notes the rest', () => {
    const series = Array.from({ length: 10 }, (_, i) => ({ dims: { Operation: `Op${i}` }, values: [i + 1, i + 2] }));
    const { text, notes } = chart(result({ splitBy: ['Operation'], series }));
    expect(notes).toContain('2 more series not charted; use --top or narrow the query');
    expect(text).not.toMatch(/Op0$|Op1$/m);
    expect(text).toMatch(/ Op9$/m);
    const few = renderChart(result({ splitBy: ['Operation'], series }), { color: colored, width: 80, height: 8, maxSeries: 3 });
    expect(few.notes).toContain('7 more series not charted; use --top or narrow the query');
  });

  it('tells series apart without colour by line style, with a legend', () => {
    const r = result({
      splitBy: ['Operation', 'StatusSubClass'],
      series: [
        { dims: { Operation: 'SendChatMessage', StatusSubClass: '5xx' }, values: [1, 5, 1] },
        { dims: { Operation: 'GetChatMessage', StatusSubClass: '2xx' }, values: [9, 9, 9] },
      ],
    });
    const { text } = chart(r);
    expect(text).not.toMatch(ANSI);
    expect(text).toContain('── SendChatMessage · 5xx\n━━ GetChatMessage · 2xx\n');
    expect(text).toContain('━');
  });

  it('colours series and legend alike only when colour is on', () => {
    const r = result({
      splitBy: ['Operation'],
      series: [
        { dims: { Operation: 'A' }, values: [1, 2, 1] },
        { dims: { Operation: 'B' }, values: [5, 5, 5] },
      ],
    });
    const { text } = chart(r, 100, 8, colored);
    expect(text).toContain('\u001b[36m──\u001b[39m A');
    expect(text).toContain('\u001b[35m──\u001b[39m B');
    expect(text).toContain('\u001b[36m╮\u001b[39m');
    expect(text).toContain('\u001b[35m─\u001b[39m');
    expect(chart(r, 100, 8, plain).text).not.toMatch(ANSI);
  });

  it('escapes control characters in legend labels', () => {
    const r = result({ splitBy: ['Operation'], series: [{ dims: { Operation: 'x\u001b]0;pwned\u0007' }, values: [1, 2] }] });
    const { text } = chart(r);
    expect(text).toContain('── x\\x1b]0;pwned\\x07');
    expect(text).not.toMatch(ANSI);
  });
});

describe('renderChart on arbitrary data', () => {
  it('never throws, never writes escapes without colour and keeps every line within the width', () => {
    const value = fc.oneof(fc.constant(null), fc.integer({ min: 0, max: 1_000_000 }), fc.double({ min: -5, max: 5, noNaN: true }));
    fc.assert(
      fc.property(
        fc.array(fc.array(value, { minLength: 0, maxLength: 300 }), { minLength: 0, maxLength: 12 }),
        fc.integer({ min: 30, max: 160 }),
        fc.integer({ min: 2, max: 30 }),
        (rows, width, height) => {
          const buckets = Math.max(0, ...rows.map((r) => r.length));
          const series = rows.map((r, i) => ({ dims: { Operation: `Op${i}` }, values: [...r, ...Array(buckets - r.length).fill(null)] }));
          const { text } = renderChart(result({ splitBy: ['Operation'], series, buckets }), { color: plain, width, height });
          expect(text).not.toMatch(ANSI);
          for (const line of lines(text)) expect(line.length).toBeLessThanOrEqual(width);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('charts values so small that a power of ten underflows (found by the property above)', () => {
    for (const v of [5e-324, 1e-310]) {
      const { text } = renderChart(result({ splitBy: ['Operation'], series: [{ dims: { Operation: 'Op0' }, values: [v] }], buckets: 1 }), {
        color: plain,
        width: 30,
        height: 2,
      });
      for (const line of lines(text)) expect(line.length).toBeLessThanOrEqual(30);
      expect(text).toContain('Op0');
    }
  });
});

describe('renderChart with fill', () => {
  it('draws each bucket several columns wide to fill the width, with times under the right columns', () => {
    const { text, notes } = renderChart(single([1, 2, 3, 4]), { color: plain, width: 44, height: 5, fill: true });
    const out = lines(text);
    const ruleAt = out.findIndex((l) => l.includes('┬'));
    // 44 columns less the 4-column gutter: 40 columns, 10 per hourly bucket (6 minutes a column).
    expect(out.slice(ruleAt - 5, ruleAt)).toEqual([
      '  4 ┤                             ╭─────────',
      '  3 ┤                   ╭─────────╯',
      '  2 ┤         ╭─────────╯',
      '  1 ┼─────────╯',
      '  0 ┼',
    ]);
    expect(out.slice(ruleAt, ruleAt + 2)).toEqual(['    ┬─────────┬─────────┬─────────┬─────────', 'UTC 01-07     01:00     02:00     03:00']);
    expect(notes).toEqual([]);
  });

  it('leaves a single point and wide data as they are', () => {
    const wide = Array.from({ length: 200 }, (_, i) => i);
    expect(renderChart(single(wide), { color: plain, width: 60, height: 4, fill: true })).toEqual(
      renderChart(single(wide), { color: plain, width: 60, height: 4 }),
    );
  });
});

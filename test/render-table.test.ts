import { Chalk } from 'chalk';
import { describe, expect, it } from 'vitest';
import { renderTable } from '../src/render/table.js';
import { result } from './render-result.js';

const plain = { color: new Chalk({ level: 0 }) };
const colored = { color: new Chalk({ level: 1 }) };
// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[/;

const byOperation = () =>
  result({
    splitBy: ['Operation'],
    series: [
      { dims: { Operation: 'SendChatMessage' }, values: [10, 20, 30, 30], errors: 0 },
      { dims: { Operation: 'GetChatMessage' }, values: [0, 30, null, 0], errors: 3 },
    ],
    errors: 3,
  });

describe('renderTable', () => {
  it('prints caption, one row per series, shares, error rates and a totals row', () => {
    expect(renderTable(byOperation(), plain)).toBe(
      [
        'Chat API Requests (APIRequestChat) · count per PT1H · 2026-01-07T00:00Z – 2026-01-07T04:00Z',
        '┌─────────────────┬───────┬────────┬────────┬────────────┬───────┐',
        '│ Operation       │ Count │  Share │ Errors │ Error rate │ Trend │',
        '├─────────────────┼───────┼────────┼────────┼────────────┼───────┤',
        '│ SendChatMessage │    90 │  75.0% │      0 │         0% │ ▃▆██  │',
        '│ GetChatMessage  │    30 │  25.0% │      3 │      10.0% │ ▁█ ▁  │',
        '│ Total           │   120 │ 100.0% │      3 │       2.5% │ ▂█▅▅  │',
        '└─────────────────┴───────┴────────┴────────┴────────────┴───────┘',
        '',
      ].join('\n'),
    );
  });

  it('labels the only row "(all)" without a split and formats large counts', () => {
    const text = renderTable(result({ series: [{ values: [1_234_000, 567] }] }), plain);
    expect(text).toContain('│ (all)  │ 1,234,567 │ 100.0% │');
    expect(text).toContain('│ Total  │ 1,234,567 │ 100.0% │');
  });

  it('prints "-" for null totals and omits share and error columns when they mean nothing', () => {
    const text = renderTable(
      result({
        aggregation: 'average',
        series: [
          { values: [null, null], total: null },
          { values: [1.5, 2.25], total: 1.875 },
        ],
        total: 1.875,
      }),
      plain,
    );
    expect(text.split('\n').slice(1)).toEqual([
      '┌────────┬─────────┬───────┐',
      '│ Series │ Average │ Trend │',
      '├────────┼─────────┼───────┤',
      '│ (all)  │       - │       │',
      '│ (all)  │    1.88 │ ▆█    │',
      '│ Total  │    1.88 │       │',
      '└────────┴─────────┴───────┘',
      '',
    ]);
  });

  it('says how many series --top left out in the totals row', () => {
    const r = { ...byOperation(), omittedSeries: 2, total: 150, requests: 150 };
    expect(renderTable(r, plain)).toContain('│ Total (incl. 2 not shown) │   150 │ 100.0% │');
  });

  it('escapes control characters in dimension values', () => {
    const r = result({ splitBy: ['Operation'], series: [{ dims: { Operation: 'Evil\u001b[2J\u0007' }, values: [1] }] });
    const text = renderTable(r, plain);
    expect(text).toContain('Evil\\x1b[2J\\x07');
    expect(text).not.toMatch(ANSI);
    expect(text).not.toContain('\u0007');
  });

  it('colours only when the chalk level is above 0: bold header, yellow above 1%, red above 5%', () => {
    const r = result({
      splitBy: ['Operation'],
      series: [
        { dims: { Operation: 'A' }, values: [1000], errors: 5 },
        { dims: { Operation: 'B' }, values: [1000], errors: 20 },
        { dims: { Operation: 'C' }, values: [1000], errors: 60 },
      ],
      errors: 85,
    });
    expect(renderTable(r, plain)).not.toMatch(ANSI);
    const text = renderTable(r, colored);
    expect(text).toContain('\u001b[1mOperation\u001b[22m');
    expect(text).toContain('0.5%');
    expect(text).not.toContain('\u001b[33m0.5%');
    expect(text).toContain('\u001b[33m2.0%\u001b[39m');
    expect(text).toContain('\u001b[31m6.0%\u001b[39m');
  });
});

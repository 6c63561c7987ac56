/**
 * renderGrid draws simple tables itself: the output must be byte for byte what cli-table3 draws
 * (the oracle), for any cells, alignments, fixed widths and colour codes.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { safeText } from '../src/render/safe.js';
import { drawByLines, drawSimple, drawWithCliTable3, type GridOptions, renderGrid } from '../src/render/grid.js';

const colour = fc.constantFrom('', '\u001b[31m', '\u001b[1m', '\u001b[38;5;208m', '\u001b[39m', '\u001b[22m');
const text = fc.oneof(
  { weight: 6, arbitrary: fc.string({ unit: fc.constantFrom(...'abcXYZ 019.,%-_|▁▂▃▄▅▆▇█─│┼░'.split('')), maxLength: 14 }) },
  { weight: 2, arbitrary: fc.tuple(colour, fc.string({ maxLength: 8 }), colour).map(([a, t, b]) => `${a}${t}${b}`) },
  // As chalk writes them: styles opened before the text and closed after it, innermost first.
  {
    weight: 3,
    arbitrary: fc
      .tuple(fc.subarray(['1', '2', '31', '38;5;208', '42', '4', '97']), fc.string({ unit: fc.constantFrom(...'ab 1%'.split('')), maxLength: 8 }))
      .map(([styles, t]) => {
        const close: Record<string, string> = { '1': '22', '2': '22', '31': '39', '38;5;208': '39', '42': '49', '4': '24', '97': '39' };
        return `${styles.map((s) => `\u001b[${s}m`).join('')}${t}${[...styles]
          .reverse()
          .map((s) => `\u001b[${close[s]}m`)
          .join('')}`;
      }),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      'ü',
      '日本',
      '😀',
      'e\u0301',
      'a\nb',
      '',
      '😀\ne\u0301x\n',
      '\u001b[1mé😀\u001b[22m\nz',
      'acs-cont…ope-00',
      '+4.27pp ▲',
      'ñandú',
      'カナ한국',
    ),
  },
  // Wrapped cells: lines, as layoutGrid joins them, some coloured line by line as chalk does.
  {
    weight: 2,
    arbitrary: fc
      .array(fc.oneof(fc.string({ unit: fc.constantFrom(...'ab …日é▲'.split('')), maxLength: 9 }), fc.constant('\u001b[31mred\u001b[39m')), {
        minLength: 2,
        maxLength: 4,
      })
      .map((lines) => lines.join('\n')),
  },
);

describe('renderGrid', () => {
  it('draws what cli-table3 draws (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5 }).chain((n) =>
          fc.record({
            head: fc.oneof(fc.array(text, { minLength: n, maxLength: n }), fc.constant([])),
            rows: fc.array(fc.array(text, { minLength: 1, maxLength: n }), { maxLength: 5 }),
            align: fc.option(fc.array(fc.constantFrom('left' as const, 'right' as const, 'center' as const), { minLength: n, maxLength: n }), {
              nil: undefined,
            }),
            colWidths: fc.option(fc.array(fc.option(fc.integer({ min: 3, max: 20 }), { nil: null }), { minLength: n, maxLength: n }), { nil: undefined }),
            compact: fc.boolean(),
          }),
        ),
        ({ head, rows, align, colWidths, compact }) => {
          if (head.length === 0 && rows.length === 0) return;
          const opts: GridOptions = { color: false, ...(align ? { align } : {}), ...(colWidths ? { colWidths } : {}) };
          const oracle = drawWithCliTable3(head, rows, opts, compact);
          const own = drawSimple(head, rows, opts, compact);
          if (own !== undefined) expect(own).toBe(oracle);
          // Cells of several lines are given to cli-table3 a line at a time (linear): the same drawing.
          const full = rows.every((r) => r.length === Math.max(head.length, ...rows.map((x) => x.length)));
          if (full && (head.length === 0 || rows.every((r) => r.length === head.length))) expect(drawByLines(head, rows, opts, compact)).toBe(oracle);
          // renderGrid makes every cell safe (control characters shown, not sent) before drawing it; it
          // pads a short row to the header's columns (fitting the width works on whole columns), where
          // cli-table3 stretches its last cell, so full rows are compared.
          if (head.length > 0 && rows.some((r) => r.length !== head.length)) return;
          expect(renderGrid(head, rows, opts)).toBe(
            drawWithCliTable3(
              head.map(safeText),
              rows.map((r) => r.map(safeText)),
              opts,
            ),
          );
        },
      ),
      { numRuns: 500 },
    );
  });

  it('draws simple tables itself, and leaves emoji, combining marks and fixed-width wrapping to cli-table3', () => {
    const opts: GridOptions = { color: false, align: ['left', 'right'] };
    expect(
      drawSimple(
        ['Operation', 'Requests'],
        [
          ['SendChatMessage', '1,234'],
          ['Get', '7'],
        ],
        opts,
      ),
    ).toBe(
      [
        '┌─────────────────┬──────────┐',
        '│ Operation       │ Requests │',
        '├─────────────────┼──────────┤',
        '│ SendChatMessage │    1,234 │',
        '│ Get             │        7 │',
        '└─────────────────┴──────────┘',
        '',
      ].join('\n'),
    );
    expect(drawSimple(['😀'], [], opts)).toBeUndefined();
    expect(drawSimple(['e\u0301'], [], opts)).toBeUndefined();
    expect(drawSimple(['a'], [['a long cell']], { color: false, colWidths: [6] })).toBeUndefined();
  });
});

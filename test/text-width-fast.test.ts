/**
 * displayWidth's one-test path for text of one-column characters (issue 22 part 3) against the
 * character-by-character reference, on text mixing those characters with wide, zero-width, control
 * and astral ones, newlines and ANSI colour codes.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { displayWidth, slowWidth } from '../src/render/text-width.js';

const piece = fc.oneof(
  fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)) }),
  fc.string({ unit: fc.integer({ min: 0x00, max: 0x3ff }).map((c) => String.fromCharCode(c)) }),
  fc.string({ unit: fc.integer({ min: 0x2490, max: 0x25ff }).map((c) => String.fromCharCode(c)) }),
  fc.constantFrom('\n', '\u001b[31m', '\u001b[0m', '中', '\u200b', '\u0301', '😀', '–', '·', '\u007f', '\uff01'),
);

describe('displayWidth', () => {
  it('gives the character-by-character width for any text', () => {
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 6 }), (pieces) => {
        const text = pieces.join('');
        expect(displayWidth(text)).toBe(slowWidth(text));
      }),
      { numRuns: 2000 },
    );
  });
});

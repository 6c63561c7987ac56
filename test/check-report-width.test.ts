/**
 * The `check` report fits the width as the tables do (--width, else the terminal, else COLUMNS when
 * piped; unlimited otherwise): a line that does not fit breaks between its fields, the rest indented
 * under the rule name. Before, its lines ran to 133 columns whatever the terminal.
 */
import { resolve } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { run } from './helpers/io.js';

const SAMPLE = resolve(import.meta.dirname, '..', 'fixtures', 'sample-week.json');
const ALL = ['check', '--fixture', SAMPLE, '--metric', 'all', '--max-error-rate', '1%', '--min-requests', '1', '--since', '24h'];
// eslint-disable-next-line no-control-regex
const plain = (text: string): string => text.replace(/\u001b\[[\d;]*m/g, '');
const lines = (text: string): string[] => plain(text).replace(/\n$/, '').split('\n');
const widest = (text: string): number => Math.max(...lines(text).map((l) => [...l].length));

describe('check report width', () => {
  it('unlimited when piped without COLUMNS: one aligned line per rule, as before', async () => {
    const r = await run(ALL);
    expect(r.code).toBe(1);
    expect(lines(r.stdout)).toContain(
      'FAIL  callbacks         error rate 1.47% > 1.00%   requests 6,114   errors 90   worst Microsoft.Communication.RecognizeFailed 100.00%',
    );
    expect(widest(r.stdout)).toBe(133);
  });

  it('--width 60: every line fits, fields break onto indented lines', async () => {
    const r = await run([...ALL, '--width', '60']);
    expect(r.code).toBe(1);
    const out = lines(r.stdout);
    expect(out.slice(0, 2)).toEqual(['PASS  chat  error rate 0.47% <= 1.00%  requests 59,053', '      errors 279  worst AddChatThreadParticipants 1.40%']);
    expect(out.slice(20, 23)).toEqual([
      'FAIL  callbacks  error rate 1.47% > 1.00%  requests 6,114',
      '      errors 90',
      '      worst Microsoft.Communication.RecognizeFailed 100.00%',
    ]);
    expect(out.slice(-2)).toEqual(['check FAILED: 12 rules: 3 failed, 9 passed;', 'window 2026-01-07T00:00:00Z - 2026-01-08T00:00:00Z']);
    expect(widest(r.stdout)).toBeLessThanOrEqual(60);
  });

  it('the terminal width, then COLUMNS when piped', async () => {
    const tty = await run(ALL, { isTTY: true, columns: 80 });
    expect(widest(tty.stdout)).toBeLessThanOrEqual(80);
    expect(lines(tty.stdout)).toContain('FAIL  callbacks  error rate 1.47% > 1.00%  requests 6,114  errors 90');
    const piped = await run(ALL, { env: { COLUMNS: '72' } });
    expect(widest(piped.stdout)).toBeLessThanOrEqual(72);
    // Without colour codes: the same text as --width.
    expect(piped.stdout).toBe((await run([...ALL, '--width', '72'])).stdout);
  });

  it('baseline and per-operation lines wrap under the rule too', async () => {
    const r = await run([
      'check',
      '--fixture',
      SAMPLE,
      '-m',
      'chat',
      '--per-operation',
      '--max-error-rate',
      '1%',
      '--since',
      '24h',
      '--baseline',
      '1d',
      '--max-traffic-drop',
      '10%',
      '--width',
      '50',
    ]);
    expect(r.code).toBe(1);
    const out = lines(r.stdout);
    expect(out).toContain('      baseline 2026-01-06T00:00:00Z -');
    expect(out).toContain('      - AddChatThreadParticipants 1.40% > 1.00%');
    expect(widest(r.stdout)).toBeLessThanOrEqual(50);
  });

  it('a bad --width is exit 2 before anything is read', async () => {
    const r = await run([...ALL, '--width', '10']);
    expect([r.code, r.stdout, r.stderr]).toEqual([2, '', 'error: invalid --width "10": expected a whole number of columns from 20 to 1000\n']);
  });

  it('every width from 56 to 200 fits (property; the longest word, a callbacks event name, is 56 with its indent)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 56, max: 200 }), async (width) => {
        const r = await run([...ALL, '--width', String(width)]);
        expect(widest(r.stdout)).toBeLessThanOrEqual(width);
        // Nothing is lost: the same words in the same order.
        expect(r.stdout.split(/\s+/).filter(Boolean)).toEqual((await run(ALL)).stdout.split(/\s+/).filter(Boolean));
      }),
      { numRuns: 15 },
    );
  }, 60_000);
});

/**
 * Issue 19 item 5: fitting a table is linear in its cells' length. An operation name of 1,500
 * characters took 3.9 s in `usage` at 80 columns and 4,000 over 100 s (cli-table3 measured a wrapped
 * cell's whole text again for each of its lines; wrapText measured each piece again per character).
 * Every table (query, query --compare, usage, status, resources, the check report) with a cell of
 * 20,000 characters (spaces, wide and combining characters, emoji) is drawn at several widths within
 * a generous bound, and fits the width.
 */
import fc from 'fast-check';
import { Chalk } from 'chalk';
import { describe, expect, it } from 'vitest';
import { renderResourcesTable } from '../src/render/resources.js';
import { displayWidth } from '../src/render/text-width.js';
import { parseResourceId } from '../src/sources/azure/resource-id.js';
import { metricsBody, writeFixture } from './helpers/fixture.js';
import { run } from './helpers/io.js';

const LENGTH = 20_000;
/** Generous: a loaded CI machine; the quadratic drawing took minutes at this length. */
const BOUND_MS = 3_000;
const WIDTHS = [40, 80, 100, 200];
const long = fc
  .string({ unit: fc.constantFrom(...'abcXYZ019 -_.'.split(''), 'é', '日', '…', '😀', 'e\u0301'), minLength: 200, maxLength: 400 })
  .map((s) => s.repeat(Math.ceil(LENGTH / s.length)).slice(0, LENGTH));

const fixtureWith = (op: string): string =>
  writeFixture(
    metricsBody([
      {
        name: 'APIRequestChat',
        series: [
          { dims: { operation: op, statuscode: '500', statuscodeclass: '5xx' }, counts: [5, 7, 1, 2] },
          { dims: { operation: 'SendChatMessage', statuscode: '201', statuscodeclass: '2xx' }, counts: [50, 70, 10, 20] },
        ],
      },
    ]),
  );

/**
 * Each command and the narrowest width it fits (docs/output-formats.md, "Fitting the terminal"; --compare tables at 60
 * are issue 19 item 10); the check report is not fitted to a width (item 17).
 */
const commands: [string, string[], number | undefined][] = [
  ['query', ['query', '-m', 'chat'], 60],
  ['query --compare', ['query', '-m', 'chat', '--since', '2h', '--compare', '2h'], 80],
  ['usage', ['usage'], 36],
  ['status', ['status', '--since', '4h'], 32],
  ['check report', ['check', '-m', 'chat', '--max-error-rate', '1%', '--min-requests', '1'], undefined],
];

describe('tables fit a 20,000-character cell in linear time', () => {
  for (const [name, argv, fits] of commands) {
    it(
      name,
      async () => {
        await fc.assert(
          fc.asyncProperty(long, async (op) => {
            const file = fixtureWith(op);
            for (const width of WIDTHS) {
              const t0 = performance.now();
              const r = await run([...argv, '--fixture', file, ...(fits !== undefined ? ['--width', String(width)] : [])], { columns: width });
              const ms = performance.now() - t0;
              expect([name, width, r.code === 0 || r.code === 1, ms < BOUND_MS]).toEqual([name, width, true, true]);
              if (fits !== undefined) expect(Math.max(...r.stdout.split('\n').map(displayWidth))).toBeLessThanOrEqual(Math.max(width, fits));
            }
          }),
          { numRuns: 2 },
        );
      },
      120_000,
    );
  }

  it('resources', () => {
    fc.assert(
      fc.property(long, (tag) => {
        const resource = parseResourceId(
          '/subscriptions/00000000-0000-4000-8000-000000000001/resourceGroups/rg/providers/Microsoft.Communication/CommunicationServices/acs-a',
        );
        const list = [{ resource, location: 'global', dataLocation: tag, tags: { note: tag } }];
        for (const width of WIDTHS) {
          const t0 = performance.now();
          const text = renderResourcesTable(list, new Chalk({ level: 0 }), width);
          expect(performance.now() - t0).toBeLessThan(BOUND_MS);
          expect(Math.max(...text.split('\n').map(displayWidth))).toBeLessThanOrEqual(Math.max(width, 31));
        }
      }),
      { numRuns: 2 },
    );
  }, 120_000);
});

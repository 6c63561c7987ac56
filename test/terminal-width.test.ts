/**
 * Tables and charts fit the terminal: --width, the terminal's columns, COLUMNS when piped, no limit
 * otherwise. Real data (the bundled sample week) at 60, 80, 120 and 200 columns, and golden screens
 * of the manual's examples (README.md, docs/query.md, docs/catalog.md) at 80 columns (regenerate with UPDATE_GOLDENS=1 and read the diff).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fitColumns, frameWidth } from '../src/render/fit.js';
import { displayWidth, truncateMiddle, truncateText, wrapText } from '../src/render/text-width.js';
import { run } from './helpers/io.js';

const ROOT = resolve(import.meta.dirname, '..');
const SAMPLE = join(ROOT, 'fixtures', 'sample-week.json');
const GOLDEN = join(ROOT, 'test', 'golden');
/** The widest line; a line that is only a URL does not count (a URL is never cut, so that it stays clickable). */
const widest = (text: string): number =>
  Math.max(
    ...text
      .replace(/\n$/, '')
      .split('\n')
      .filter((l) => !/^https:\/\/\S+$/.test(l))
      .map(displayWidth),
  );

/** The manual's examples that print to a terminal. */
const EXAMPLES: Record<string, string[]> = {
  'query-chat-24h': ['query', '--fixture', SAMPLE, '--metric', 'chat', '--since', '24h'],
  'query-incident-chart': [
    'query',
    '--fixture',
    SAMPLE,
    '-m',
    'chat',
    '--since',
    '48h',
    '--status-class',
    '5xx',
    '--split-by',
    'operation,statuscode',
    '-o',
    'chart',
  ],
  catalog: ['catalog'],
  'catalog-chat': ['catalog', 'chat'],
  'catalog-operation-create': ['catalog', '--operation', 'create'],
  'query-sms-daily': ['query', '--fixture', SAMPLE, '-m', 'sms', '--split-by', 'none', '--interval', '1d'],
};

describe('every manual example fits the width', () => {
  for (const width of [60, 80, 120, 200]) {
    for (const [name, argv] of Object.entries(EXAMPLES)) {
      it(`${name} at ${width} columns`, async () => {
        const r = await run([...argv, '--width', String(width)]);
        expect(r.code).toBe(0);
        expect(widest(r.stdout)).toBeLessThanOrEqual(width);
      });
    }
  }
});

describe('golden screens at 80 columns', () => {
  for (const [name, argv] of Object.entries(EXAMPLES)) {
    it(name, async () => {
      const r = await run(argv, { isTTY: true, columns: 80, env: { NO_COLOR: '1' } });
      expect(r.code).toBe(0);
      const file = join(GOLDEN, `${name}.txt`);
      if (process.env.UPDATE_GOLDENS === '1' || !existsSync(file)) writeFileSync(file, r.stdout);
      expect(r.stdout).toBe(readFileSync(file, 'utf8'));
    });
  }
});

describe('the query table at 80 columns', () => {
  it('narrows the sparkline to 12, cuts long operation names with … and keeps every number', async () => {
    const r = await run([...EXAMPLES['query-chat-24h']!, '--width', '80']);
    const lines = r.stdout.split('\n');
    // The caption wraps between its parts.
    expect(lines.slice(0, 2)).toEqual(['Chat API Requests (APIRequestChat) · count per PT1H', '2026-01-07T00:00Z – 2026-01-08T00:00Z']);
    expect(lines[3]).toBe('│ Operation             │  Count │  Share │ Errors │ Error rate │ Trend        │');
    expect(r.stdout).toContain('│ ListChatThreadPartic… │  2,491 │   4.2% │      0 │         0% │');
    expect(r.stdout).toContain('│ Total                 │ 59,053 │ 100.0% │    279 │       0.5% │');
    expect(widest(r.stdout)).toBe(80);
  });

  it('leaves the sparkline out at 60 columns, then Share', async () => {
    const at60 = await run([...EXAMPLES['query-chat-24h']!, '--width', '60']);
    expect(at60.stdout).toContain('│ Operation        │  Count │  Share │ Errors │ Error rate │\n');
    expect(at60.stdout).toContain('│ SendTypingIndic… │  8,370 │  14.2% │      9 │       0.1% │');
    const at50 = await run([...EXAMPLES['query-chat-24h']!, '--width', '50']);
    expect(at50.stdout).toMatch(/^│ Operation +│ {2}Count │ Errors │ Error rate │$/m);
    expect(widest(at50.stdout)).toBeLessThanOrEqual(50);
  });

  it('never cuts JSON or CSV, whatever the width', async () => {
    for (const output of ['json', 'csv']) {
      const r = await run([...EXAMPLES['query-chat-24h']!, '-o', output], { isTTY: true, columns: 40, env: { COLUMNS: '40' } });
      expect(r.stdout).toContain('ListChatThreadParticipants');
      expect(r.stdout).not.toContain('…');
    }
  });
});

describe('where the width comes from', () => {
  const argv = EXAMPLES['query-chat-24h']!;
  it('no limit when stdout is not a terminal and neither --width nor COLUMNS is given', async () => {
    const r = await run(argv, { columns: 60 });
    expect(widest(r.stdout)).toBe(98);
    expect(r.stdout).toContain('ListChatThreadParticipants ');
  });
  it("the terminal's columns on a terminal", async () => {
    expect(widest((await run(argv, { isTTY: true, columns: 70 })).stdout)).toBeLessThanOrEqual(70);
  });
  it('COLUMNS when piped; --width over both', async () => {
    expect(widest((await run(argv, { env: { COLUMNS: '66' } })).stdout)).toBeLessThanOrEqual(66);
    expect(widest((await run([...argv, '--width', '90'], { isTTY: true, columns: 60, env: { COLUMNS: '66' } })).stdout)).toBeLessThanOrEqual(90);
    expect(widest((await run([...argv, '--width', '90'], { isTTY: true, columns: 60 })).stdout)).toBeGreaterThan(80);
  });
  it('refuses a --width outside 20..1000 with one line, exit 2', async () => {
    for (const [w, cmd] of [
      ['19', argv],
      ['1001', ['catalog']],
      ['wide', argv],
    ] as const) {
      const r = await run([...cmd, '--width', w]);
      expect(r.code).toBe(2);
      expect(r.stderr).toBe(`error: invalid --width "${w}": expected a whole number of columns from 20 to 1000\n`);
    }
  });
  it('catalog at 80 columns keeps one line per metric and says which columns it left out', async () => {
    const r = await run(['catalog'], { isTTY: true, columns: 80, env: { NO_COLOR: '1' } });
    expect(r.stdout.split('\n')[1]).toBe('│ Alias            │ Operations │ Errors            │ Lifecycle           │');
    expect(r.stdout).toContain('│ callbacks        │          - │ CodeClass not 2xx │ breaking 2028-09-30 │');
    expect(r.stderr).toBe('note: REST name, Display name and Dimensions left out to fit 80 columns: see "acs-metrics catalog METRIC" or --width\n');
  });
});

describe('fitColumns', () => {
  const col = fc.record({
    natural: fc.integer({ min: 1, max: 60 }),
    floor: fc.integer({ min: 1, max: 60 }),
    min: fc.integer({ min: 1, max: 60 }),
    drop: fc.option(fc.integer({ min: 1, max: 4 }), { nil: undefined }),
  });
  it('fits whenever the minimums of the columns that cannot be left out fit, and never goes below a minimum', () => {
    fc.assert(
      fc.property(fc.array(col, { minLength: 1, maxLength: 8 }), fc.integer({ min: 10, max: 300 }), (cols, max) => {
        const widths = fitColumns(cols, max);
        const lower = (c: (typeof cols)[number]) => Math.min(c.natural, c.floor, c.min);
        const kept = widths.flatMap((w, i) => (w === null ? [] : [i]));
        for (const i of kept) {
          expect(widths[i]).toBeGreaterThanOrEqual(lower(cols[i]!));
          expect(widths[i]).toBeLessThanOrEqual(cols[i]!.natural);
        }
        // Only droppable columns are left out.
        for (let i = 0; i < cols.length; i++) if (widths[i] === null) expect(cols[i]!.drop).toBeDefined();
        const fixed = cols.filter((c) => c.drop === undefined);
        if (fixed.reduce((s, c) => s + lower(c), 0) + frameWidth(fixed.length) <= max) {
          expect(kept.reduce((s, i) => s + widths[i]!, 0) + frameWidth(kept.length)).toBeLessThanOrEqual(max);
        }
      }),
    );
  });
  it('keeps natural widths when unlimited or when they fit', () => {
    expect(fitColumns([{ natural: 10, floor: 4 }, { natural: 5 }], undefined)).toEqual([10, 5]);
    expect(fitColumns([{ natural: 10, floor: 4 }, { natural: 5 }], 22)).toEqual([10, 5]);
    // One column short: the shrinkable one gives.
    expect(fitColumns([{ natural: 10, floor: 4 }, { natural: 5 }], 21)).toEqual([9, 5]);
    // Below the floors: the droppable column goes and the other grows back.
    expect(
      fitColumns(
        [
          { natural: 10, floor: 8 },
          { natural: 5, drop: 1 },
        ],
        16,
      ),
    ).toEqual([10, null]);
  });
});

describe('text width', () => {
  it('counts wide characters twice and colour codes not at all', () => {
    expect(displayWidth('日本')).toBe(4);
    expect(displayWidth('\u001b[31mred\u001b[39m')).toBe(3);
    expect(truncateText('日本語テキスト', 7)).toBe('日本語…');
    expect(truncateText('abcdef', 4)).toBe('abc…');
  });
  it('cuts resource names in the middle, keeping their ends apart', () => {
    expect(truncateMiddle('acs-contoso-prod-westeurope-00', 17)).toBe('acs-cont…urope-00');
    expect(truncateMiddle('acs-contoso-prod-westeurope-01', 12)).toBe('acs-co…pe-01');
    expect(truncateMiddle('short', 5)).toBe('short');
    expect(truncateMiddle('日本語テキスト', 8)).toBe('日本…ト');
    expect(truncateMiddle('abc', 1)).toBe('…');
  });
  it('cuts in the middle to at most the width, from the start and the end of the text (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('a', 'b', '-', '0', '日', 'é'), maxLength: 40 }), fc.integer({ min: 1, max: 45 }), (text, width) => {
        const cut = truncateMiddle(text, width);
        if (displayWidth(text) <= width) {
          expect(cut).toBe(text);
          return;
        }
        expect(displayWidth(cut)).toBeLessThanOrEqual(width);
        // A wide character at the edge may leave one column unused, never more.
        expect(displayWidth(cut)).toBeGreaterThanOrEqual(width - 1);
        const [head, tail, ...more] = cut.split('…');
        expect(more).toEqual([]);
        expect(text.startsWith(head!)).toBe(true);
        expect(text.endsWith(tail!)).toBe(true);
        // The end keeps about half: never more than the start.
        expect(displayWidth(tail!)).toBeLessThanOrEqual(displayWidth(head!) + 1);
      }),
    );
  });
  it('wraps at spaces and cuts words longer than a line', () => {
    expect(wrapText('Operation, StatusCode, StatusSubClass', 16)).toEqual(['Operation,', 'StatusCode,', 'StatusSubClass']);
    expect(wrapText('abcdefghij', 4)).toEqual(['abcd', 'efgh', 'ij']);
    expect(wrapText('see https://example.com/a/long/path', 10, false)).toEqual(['see', 'https://example.com/a/long/path']);
  });
});

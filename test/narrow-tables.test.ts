/**
 * The tables of `usage`, `status` and `resources` fit 40, 60, 80, 120 and 200 columns, keep the text
 * that tells rows apart (resource, channel or metric) longest, and degrade predictably below their
 * narrowest fit (usage 36, status 32, resources 31 columns): drawn at their last-resort widths, never
 * a crash. Widths are measured in terminal columns (… and box characters are one column each).
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fitColumns, frameWidth } from '../src/render/fit.js';
import { type GridColumn, layoutGrid } from '../src/render/grid.js';
import { displayWidth } from '../src/render/text-width.js';
import { type Harness, liveEnv, openEstateHarness } from './emulator/harness.js';
import { makeEstate } from './emulator/estate.js';
import { run } from './helpers/io.js';
import { join, resolve } from 'node:path';

const SAMPLE = join(resolve(import.meta.dirname, '..'), 'fixtures', 'sample-week.json');
const lines = (text: string): string[] => text.replace(/\n$/, '').split('\n');
const widest = (text: string): number => Math.max(...lines(text).map(displayWidth));
/** An oracle independent of displayWidth: every character of these tables is one column wide. */
const codePoints = (text: string): number => Math.max(...lines(text).map((l) => [...l].length));

async function table(argv: string[], width: number, env?: Record<string, string | undefined>): Promise<string> {
  const r = await run([...argv, '--width', String(width)], env ? { env } : {});
  expect(r.code).toBe(0);
  expect(widest(r.stdout)).toBeLessThanOrEqual(width);
  expect(codePoints(r.stdout)).toBe(widest(r.stdout));
  return r.stdout;
}

const USAGE = ['usage', '--fixture', SAMPLE];
const STATUS = ['status', '--fixture', SAMPLE];

describe('usage of the sample week', () => {
  const expected: Record<number, string[]> = {
    // Resource, Channel and Lifecycle (3 columns: 30 to share; Lifecycle wraps at 10, the channel gets 11).
    40: [
      '│ Resource │ Channel     │ Lifecycle  │',
      '│ acs-demo │ email-deli… │ retiring   │',
      '│ acs-demo │ callbacks   │ breaking   │',
      '│          │             │ 2028-09-30 │',
    ],
    // Requests comes back and channels are whole (networktraversal and email-engagement: 16 characters).
    60: [
      '│ Resource │ Channel          │ Lifecycle  │ Requests │',
      '│ acs-demo │ networktraversal │ legacy     │   10,301 │',
      '│ acs-demo │ email-engagement │ retiring   │    6,569 │',
    ],
    80: [
      '│ Resource │ Channel          │ Lifecycle  │ Requests │ Busiest operations   │',
      '│ acs-demo │ chat             │ retiring   │  304,581 │ SendChatMessage      │',
    ],
    120: ['│ acs-demo │ chat             │ retiring   │  304,581 │  2,973 │       1.0% │ 2026-01-01 │ SendChatMessage      │'],
    200: [
      '│ acs-demo │ chat             │ retiring 2028-09-30 │  304,581 │  2,973 │       1.0% │ 2026-01-01 │ 2026-01-07 │ SendChatMessage 80,574, ListChatMessages 65,996, SendTypingIndicator 48,403 ',
    ],
  };
  for (const [width, cells] of Object.entries(expected)) {
    it(`fits ${width} columns and keeps resource and channel readable`, async () => {
      const out = await table(USAGE, Number(width));
      for (const cell of cells) expect(out).toContain(cell);
      // Every one of the 13 channels with traffic still has its row.
      expect(out.match(/^│ acs-demo │/gm)).toHaveLength(13);
    });
  }
});

describe('status of the sample week', () => {
  const expected: Record<number, string[]> = {
    // Resource, Metric and Error rate: Errors, Requests, then the (empty) Problem column went.
    40: ['│ Resource │ Metric       │ Error rate │', '│ acs-demo │ email-deliv… │       5.6% │', '│          │ (total)      │       0.8% │'],
    60: [
      '│ Resource │ Metric           │ Error rate │ Problem │',
      '│ acs-demo │ email-delivery   │       5.6% │         │',
      '│          │ networktraversal │       0.4% │         │',
    ],
    80: [
      '│ acs-demo │ email-delivery   │    3,094 │    173 │       5.6% │         │',
      '│          │ (total)          │  124,173 │    949 │       0.8% │         │',
    ],
    120: ['│ acs-demo │ email-delivery   │    3,094 │    173 │       5.6% │ Failed (144, 100.0%)    │ 2026-01-07T23:00Z │         │'],
    200: [
      '│          │ callbacks        │    6,114 │     90 │       1.5% │ Microsoft.Communication.RecognizeFailed (49, 100.0%) │ 2026-01-07T23:00Z │         │',
    ],
  };
  for (const [width, cells] of Object.entries(expected)) {
    it(`fits ${width} columns and keeps resource and metric readable`, async () => {
      const out = await table(STATUS, Number(width));
      for (const cell of cells) expect(out).toContain(cell);
      // 13 metrics and the total.
      expect(out.match(/^│ (acs-demo| {8}) │ \S/gm)).toHaveLength(14);
    });
  }
});

describe('query at 60 and 40 columns (issue 19: 70 and 62 before)', () => {
  const QUERY = ['query', '--fixture', SAMPLE, '-m', 'chat', '--since', '1d'];

  it('--split-by operation,statuscode,statussubclass: the StatusCode and StatusSubClass headers wrap at their humps', async () => {
    const out = lines(await table([...QUERY, '--split-by', 'operation,statuscode,statussubclass'], 60));
    expect(out.slice(2, 9)).toEqual([
      '┌────────────┬────────┬────────┬────────┬────────┬────────┐',
      '│ Operation  │ Status │ Status │  Count │ Errors │  Error │',
      '│            │ Code   │ Sub    │        │        │   rate │',
      '│            │        │ Class  │        │        │        │',
      '├────────────┼────────┼────────┼────────┼────────┼────────┤',
      '│ SendChatM… │ 201    │ 2xx    │ 16,003 │      0 │     0% │',
      '│ ListChatM… │ 200    │ 2xx    │ 12,876 │      0 │     0% │',
    ]);
    expect(out.at(-2)).toBe('│ Total      │        │        │ 59,053 │    279 │   0.5% │');
  });

  it('--compare at 60: Baseline rate, Change % and Change go; both counts and both rates stay', async () => {
    const out = lines(await table([...QUERY, '--compare', '1d'], 60));
    expect(out.slice(3, 7)).toEqual([
      '┌───────────┬────────┬──────────┬────────────┬─────────────┐',
      '│ Operation │  Count │ Baseline │ Error rate │ Rate change │',
      '├───────────┼────────┼──────────┼────────────┼─────────────┤',
      '│ SendChat… │ 16,161 │   15,452 │       1.0% │     -9.01pp │',
    ]);
    expect(out.at(-2)).toBe('│ Total     │ 59,053 │   61,117 │       0.5% │     -2.44pp │');
  });

  it('--compare at 40: the series, the count and the baseline', async () => {
    const out = lines(await table([...QUERY, '--compare', '1d'], 40));
    expect(out.slice(5, 9)).toEqual([
      '┌──────────────────┬────────┬──────────┐',
      '│ Operation        │  Count │ Baseline │',
      '├──────────────────┼────────┼──────────┤',
      '│ SendChatMessage  │ 16,161 │   15,452 │',
    ]);
  });

  it('--compare with three split dimensions at 60', async () => {
    const out = lines(await table([...QUERY, '--compare', '1d', '--split-by', 'operation,statuscode,statussubclass'], 60));
    expect(out.slice(3, 8)).toEqual([
      '┌───────────┬────────┬────────┬────────┬──────────┬────────┐',
      '│ Operation │ Status │ Status │  Count │ Baseline │  Error │',
      '│           │ Code   │ Sub    │        │          │   rate │',
      '│           │        │ Class  │        │          │        │',
      '├───────────┼────────┼────────┼────────┼──────────┼────────┤',
    ]);
  });

  it('every width from 60 to 200 fits, split three ways, compared or not (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 60, max: 200 }), fc.boolean(), async (width, compare) => {
        await table([...QUERY, '--split-by', 'operation,statuscode,statussubclass', ...(compare ? ['--compare', '1d'] : [])], width);
      }),
      { numRuns: 20 },
    );
  }, 60_000);
});

describe('status in colour', () => {
  it('prints the total row in bold, not its escape codes as text', async () => {
    const r = await run([...STATUS, '--width', '60'], { isTTY: true, env: { FORCE_COLOR: '1' } });
    expect(r.stdout).toContain('│          │ \u001b[1m(total)\u001b[22m          │       0.8% │');
    expect(r.stdout).not.toContain('\\x1b');
  });
});

describe('below the narrowest fit', () => {
  it('usage and status are drawn at their last-resort widths (36 and 31 columns), exit 0', async () => {
    const usage = await run([...USAGE, '--width', '20']);
    expect(usage.code).toBe(0);
    expect(widest(usage.stdout)).toBe(36);
    expect(usage.stdout).toContain('│ acs-demo │ callbac… │ breaking   │');
    const status = await run([...STATUS, '--width', '20']);
    expect(status.code).toBe(0);
    expect(widest(status.stdout)).toBe(31);
    // "Error rate" wraps onto two lines.
    expect(status.stdout).toContain('│ Resource │ Metric   │ Error │\n│          │          │  rate │\n');
    expect(status.stdout).toContain('│ acs-demo │ email-d… │  5.6% │');
  });
  it('every width from the narrowest fit up fits (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(USAGE, STATUS), fc.integer({ min: 36, max: 250 }), async (argv, width) => {
        await table(argv, width);
      }),
      { numRuns: 40 },
    );
  }, 60_000); // each run draws a whole table through main(); under a loaded CI they take seconds

  it('never cuts JSON or CSV at 40 columns', async () => {
    for (const argv of [USAGE, STATUS]) {
      for (const output of ['json', 'csv']) {
        const r = await run([...argv, '-o', output, '--width', '40']);
        expect(r.stdout).toContain('networktraversal');
        expect(r.stdout).not.toContain('…');
      }
    }
  });
  it('refuses a --width outside 20..1000 on each command, exit 2', async () => {
    for (const argv of [USAGE, STATUS, ['resources', '--subscription', '00000000-0000-4000-8000-0000000000a1']]) {
      const r = await run([...argv, '--width', '19']);
      expect(r.code).toBe(2);
      expect(r.stderr).toBe('error: invalid --width "19": expected a whole number of columns from 20 to 1000\n');
    }
  });
});

describe('long names and tags (the emulator)', () => {
  let h: Harness;
  const rg = 'rg-communication-prod-westeurope';
  const tags = { env: 'prod', costcenter: 'cc-4711-marketing-emea', owner: 'platform-team@contoso.example' };
  const estate = makeEstate(4).map((r, i) => {
    const name = `acs-contoso-prod-westeurope-${String(i).padStart(2, '0')}`;
    return {
      ...r,
      name,
      resourceGroup: rg,
      tags,
      id: `/subscriptions/${r.subscription}/resourceGroups/${rg}/providers/Microsoft.Communication/CommunicationServices/${name}`,
    };
  });
  beforeAll(async () => {
    h = await openEstateHarness(estate);
  });
  afterAll(async () => {
    await h.close();
  });
  const RESOURCES = ['resources', '--all-subscriptions'];

  it('resources: Tags go last, name and resource group are cut last', async () => {
    const at40 = await table(RESOURCES, 40, liveEnv(h));
    expect(lines(at40).slice(0, 4)).toEqual([
      '┌───────────────────┬──────────────────┐',
      '│ Name              │ Resource group   │',
      '├───────────────────┼──────────────────┤',
      '│ acs-cont…urope-00 │ rg-commu…teurope │',
    ]);
    expect(at40.endsWith('4 resources in 3 subscriptions\n')).toBe(true);
    const at60 = await table(RESOURCES, 60, liveEnv(h));
    expect(at60).toContain('│ acs-cont…urope-00 │ rg-commu…steurope │ costcenter=cc-47 │\n│                   │                   │ 11-marketing-eme │');
    // Cut in the middle, the names still tell the four resources apart.
    expect(at60.match(/^│ acs-cont…urope-0\d │/gm)?.sort()).toEqual(['00', '01', '02', '03'].map((n) => `│ acs-cont…urope-${n} │`));
    const at120 = await table(RESOURCES, 120, liveEnv(h));
    expect(at120).toContain('│ acs-conto…europe-00 │ 00000000-0000-4000-8000-0000000000a1 │ rg-commun…steurope │ United States │ costcenter=cc-4711 │');
    const at200 = await table(RESOURCES, 200, liveEnv(h));
    // 200 - 16 of frame - 111 for the whole names, subscription and data location: 73 for the tags.
    expect(at200).toContain(
      '│ acs-contoso-prod-westeurope-00 │ 00000000-0000-4000-8000-0000000000a1 │ rg-communication-prod-westeurope │ United States │ costcenter=cc-4711-marketing-emea;env=prod;owner=platform-team@contoso.ex │\n',
    );
  });

  it('status and usage cut long resource names in the middle with … and keep every row', async () => {
    const status = await table(['status', '--all-subscriptions'], 60, liveEnv(h));
    expect(status).toContain('│ acs-contoso…steurope-03 │ chat    │      33.3% │         │');
    expect(status.match(/^│ acs-contoso…steurope-0\d │ chat /gm)?.sort()).toEqual(['00', '01', '02', '03'].map((n) => `│ acs-contoso…steurope-${n} │ chat `));
    const usage = await table(['usage', '--all-subscriptions', '--since', '2d'], 40, liveEnv(h));
    expect(usage).toContain('│ acs-co…pe-00 │ sms     │ retiring   │');
    expect(usage.match(/^│ acs-co…pe-0\d │/gm)?.sort()).toEqual(['00', '00', '01', '02', '03'].map((n) => `│ acs-co…pe-${n} │`));
  });

  it('every command fits 31..250 columns with these names (property)', async () => {
    const commands = [RESOURCES, ['status', '--all-subscriptions'], ['usage', '--all-subscriptions', '--since', '2d']];
    const narrowest = [31, 32, 36];
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: 250 }), async (k, w) => {
        await table(commands[k]!, Math.max(narrowest[k]!, w), liveEnv(h));
      }),
      { numRuns: 10 },
    );
  }, 60_000); // each run draws a whole table through main(); under a loaded CI they take seconds

  it('the default estate fits 40 columns whole', async () => {
    const h2 = await openEstateHarness(makeEstate(3));
    try {
      const out = await table(RESOURCES, 40, liveEnv(h2));
      expect(out).toContain('│ acs-000 │ rg-0           │ env=prod │');
    } finally {
      await h2.close();
    }
  });
});

describe('layoutGrid and fitColumns with wrapped headers and late columns', () => {
  const word = fc.stringMatching(/^[a-z]{1,12}$/);
  const text = fc.array(word, { minLength: 1, maxLength: 4 }).map((w) => w.join(' '));
  const column: fc.Arbitrary<GridColumn> = fc.record(
    {
      mode: fc.constantFrom('fixed' as const, 'truncate' as const, 'wrap' as const),
      floor: fc.integer({ min: 1, max: 30 }),
      min: fc.integer({ min: 1, max: 12 }),
      drop: fc.integer({ min: 1, max: 3 }),
      late: fc.integer({ min: 1, max: 3 }),
    },
    { requiredKeys: ['mode'] },
  );

  it('every line fits whenever the last-resort widths of the columns that are never left out fit (property)', () => {
    fc.assert(
      fc.property(
        fc
          .integer({ min: 1, max: 6 })
          .chain((n) =>
            fc.tuple(
              fc.array(text, { minLength: n, maxLength: n }),
              fc.array(fc.array(text, { minLength: n, maxLength: n }), { minLength: 1, maxLength: 5 }),
              fc.array(column, { minLength: n, maxLength: n }),
            ),
          ),
        fc.integer({ min: 20, max: 200 }),
        ([head, rows, columns], width) => {
          const out = layoutGrid(head, rows, { color: false, columns, width }).text;
          // The oracle: a column's last-resort width is its longest header word and, for cells that
          // are never cut (fixed), its widest cell, or its min (never above its widest text).
          const last = (i: number): number => {
            const words = Math.max(...head[i]!.split(' ').map((w) => w.length));
            const cells = Math.max(head[i]!.length, ...rows.map((r) => r[i]!.length));
            if ((columns[i]!.mode ?? 'fixed') === 'fixed') return Math.max(words, ...rows.map((r) => r[i]!.length));
            return Math.min(cells, Math.max(words, columns[i]!.min ?? columns[i]!.floor ?? cells));
          };
          const stay = head.map((_, i) => i).filter((i) => columns[i]!.drop === undefined && columns[i]!.late === undefined);
          if (stay.reduce((s, i) => s + last(i), 0) + frameWidth(stay.length) <= width) expect(widest(out)).toBeLessThanOrEqual(width);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('wraps a header only when the minimums do not fit, and leaves a late column out only after that', () => {
    const cols = [
      { natural: 10, floor: 10, min: 10, tight: 5 },
      { natural: 8, floor: 8, min: 8, tight: 8, late: 1 },
    ];
    // 10 + 8 + 7 of frame = 25: natural widths.
    expect(fitColumns(cols, 25)).toEqual([10, 8]);
    // 20..24: the first header wraps (tight 5), the late column stays.
    expect(fitColumns(cols, 24)).toEqual([9, 8]);
    expect(fitColumns(cols, 20)).toEqual([5, 8]);
    // 19: the late column goes and the first grows back to its natural width (10 + 4 of frame).
    expect(fitColumns(cols, 19)).toEqual([10, null]);
    // 8: not even the first alone fits at 5 + 4: drawn at its tight width.
    expect(fitColumns(cols, 8)).toEqual([5, null]);
  });

  it('leaves a late column out only when the others at their tight widths and it would not fit (property)', () => {
    const col = fc.record({
      natural: fc.integer({ min: 1, max: 40 }),
      floor: fc.integer({ min: 1, max: 40 }),
      min: fc.integer({ min: 1, max: 40 }),
      tight: fc.integer({ min: 1, max: 40 }),
      drop: fc.option(fc.integer({ min: 1, max: 3 }), { nil: undefined }),
      late: fc.option(fc.integer({ min: 1, max: 3 }), { nil: undefined }),
    });
    fc.assert(
      fc.property(fc.array(col, { minLength: 1, maxLength: 7 }), fc.integer({ min: 5, max: 200 }), (cols, max) => {
        const widths = fitColumns(cols, max);
        const tight = (c: (typeof cols)[number]): number => Math.min(c.natural, c.floor, c.min, c.tight);
        const kept = widths.flatMap((w, i) => (w === null ? [] : [i]));
        for (const i of kept) {
          expect(widths[i]).toBeGreaterThanOrEqual(tight(cols[i]!));
          expect(widths[i]).toBeLessThanOrEqual(cols[i]!.natural);
        }
        for (let i = 0; i < cols.length; i++) {
          if (widths[i] !== null) continue;
          expect(cols[i]!.drop !== undefined || cols[i]!.late !== undefined).toBe(true);
          // A column left out late: keeping it at its tight width, with the rest at theirs, would not fit.
          if (cols[i]!.drop === undefined) {
            const back = [...kept, i];
            expect(back.reduce((s, j) => s + tight(cols[j]!), 0) + frameWidth(back.length)).toBeGreaterThan(max);
          }
        }
        const stay = cols.filter((c) => c.drop === undefined && c.late === undefined);
        if (stay.reduce((s, c) => s + tight(c), 0) + frameWidth(stay.length) <= max) {
          expect(kept.reduce((s, i) => s + widths[i]!, 0) + frameWidth(kept.length)).toBeLessThanOrEqual(max);
        }
      }),
    );
  });
});

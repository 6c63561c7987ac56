/**
 * -o json, csv, tsv and yaml are streamed in pieces (issue 22): the pieces must join to exactly the
 * bytes the string renderers wrote before (test/helpers/string-renderers.ts, the old code kept as the
 * oracle; YAML was jsonToYaml of that JSON), and the CLI writes them with back-pressure.
 */
import { EventEmitter } from 'node:events';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { renderCsvChunks } from '../src/render/csv.js';
import { renderJsonChunks } from '../src/render/json.js';
import { renderTsvChunks } from '../src/render/tsv.js';
import { jsonToYaml, loadYaml, renderYamlChunks } from '../src/render/yaml.js';
import { writeChunks } from '../src/cli/write-chunks.js';
import type { QueryResult } from '../src/core/model.js';
import { oldRenderCsv, oldRenderJson, oldRenderTsv } from './helpers/string-renderers.js';
import { run } from './helpers/io.js';
import { tempDir } from './helpers/temp.js';
import { result } from './render-result.js';
// @ts-expect-error: a JavaScript module of the bench, without types
import { generateLarge } from '../bench/generate-large.mjs';

const text = fc.oneof(
  fc.constantFrom(
    'SendChatMessage',
    '200',
    '',
    '=1+2',
    '-x',
    'a,b',
    'say "hi"',
    'two\nlines',
    'tab\there',
    'esc\u001b[2J',
    '\u009b31m',
    'bidi\u202e',
    'ls\u2028ps',
    'null',
    'true',
    '- item',
    'key: value',
    '#c',
    ' lead',
    'trail ',
    'é漢字😀',
  ),
  fc.string({ maxLength: 12 }),
  fc.string({ unit: 'binary', maxLength: 6 }),
);
const value = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: -5, max: 100_000 }) },
  { weight: 2, arbitrary: fc.constant(null) },
  { weight: 2, arbitrary: fc.double() },
  { weight: 1, arbitrary: fc.constantFrom(-0, 1e21, 1e-7, 0.1 + 0.2, Number.MAX_SAFE_INTEGER) },
);
const dims = ['Operation', 'StatusCode', 'StatusSubClass'];
const results = fc
  .record({
    splitBy: fc.subarray(dims),
    alias: fc.constantFrom('chat', 'email'),
    length: fc.oneof(fc.nat(5), fc.integer({ min: 900, max: 2500 })),
    series: fc.array(
      fc.record({
        values: fc.array(value, { maxLength: 5 }),
        names: fc.array(text, { minLength: 3, maxLength: 3 }),
        errors: fc.option(fc.nat(), { nil: undefined }),
      }),
      { maxLength: 4 },
    ),
    top: fc.option(fc.nat(9), { nil: undefined }),
    omitted: fc.nat(3),
  })
  .map(({ splitBy, alias, length, series, top, omitted }): QueryResult => {
    const r = result({
      alias: alias === 'email' ? 'chat' : 'chat',
      splitBy,
      filters: splitBy.length > 0 ? { [splitBy[0]!]: series.map((s) => s.names[0]!) } : {},
      series: series.map((s, i) => ({
        dims: Object.fromEntries(splitBy.map((d, j) => [d, s.names[j]!])),
        // Long series now and then, so that pieces are cut (64 KB) inside the points.
        values: Array.from({ length }, (_, k) => s.values[(k + i) % Math.max(1, s.values.length)] ?? null),
        errors: s.errors ?? null,
      })),
      omittedSeries: omitted,
      ...(top !== undefined ? { top } : {}),
    });
    return alias === 'email'
      ? {
          ...r,
          resources: [
            { id: '/subscriptions/s/resourceGroups/g/providers/Microsoft.Communication/communicationServices/acs\u001b1' },
            { id: '/x', error: 'denied "403"' },
          ],
          partial: true,
        }
      : r;
  });

describe("streamed output is byte for byte the string renderers' output", () => {
  it('json, csv, tsv (property)', () => {
    fc.assert(
      fc.property(results, (r) => {
        expect([...renderJsonChunks(r)].join('')).toBe(oldRenderJson(r));
        expect([...renderCsvChunks(r)].join('')).toBe(oldRenderCsv(r));
        expect([...renderTsvChunks(r)].join('')).toBe(oldRenderTsv(r));
      }),
      { numRuns: 150 },
    );
  });

  it('yaml (property): the same document as jsonToYaml of the old JSON', async () => {
    const stringify = await loadYaml();
    const samples = fc.sample(results, { numRuns: 30, seed: 22 });
    for (const r of samples) expect([...renderYamlChunks(r, stringify)].join('')).toBe(await jsonToYaml(oldRenderJson(r)));
  });

  it('yaml: numbers JSON writes oddly, seconds and milliseconds, and a stamp past year 9999 (which the package is asked for)', async () => {
    const stringify = await loadYaml();
    const values = [-0, 1e21, 5e-324, Number.NaN, Number.POSITIVE_INFINITY, 0.1 + 0.2, -5, null];
    for (const start of [Date.UTC(2026, 0, 7), Date.UTC(2026, 0, 7, 0, 0, 30, 250), 253_402_300_800_000 - 3 * 3_600_000]) {
      const r = result({ start, splitBy: ['Operation'], series: [{ dims: { Operation: 'a: b' }, values }] });
      expect([...renderYamlChunks(r, stringify)].join('')).toBe(await jsonToYaml(oldRenderJson(r)));
      expect([...renderJsonChunks(r)].join('')).toBe(oldRenderJson(r));
    }
  });

  it('pieces stay small: a 3,000-point series comes in several pieces of at most about 64 KB', () => {
    const r = result({ series: [{ values: Array.from({ length: 3000 }, (_, i) => i) }] });
    const pieces = [...renderJsonChunks(r)];
    expect(pieces.length).toBeGreaterThan(3);
    expect(Math.max(...pieces.map((p) => p.length))).toBeLessThan(64 * 1024 + 200);
  });

  it('the CLI on a generated day of minutes (40 series x 1,440 points): every format as before', { timeout: 60_000 }, async () => {
    const file = join(tempDir(), 'day.json');
    generateLarge(file, { days: 1 });
    const args = ['query', '--fixture', file, '-m', 'chat', '--split-by', 'operation,statuscode', '-i', 'PT1M'];
    const out = async (o: string): Promise<string> => {
      const r = await run([...args, '-o', o]);
      expect(r.code).toBe(0);
      return r.stdout;
    };
    const json = await out('json');
    const doc = JSON.parse(json) as { series: { dimensions: Record<string, string>; points: { timestamp: string; value: number | null }[] }[] };
    expect(doc.series.map((s) => s.points.length)).toEqual(Array(40).fill(1440));
    // The old renderer was JSON.stringify(doc, null, 2) (nothing here needs a terminal-safe escape).
    expect(json).toBe(`${JSON.stringify(doc, null, 2)}\n`);
    expect(await out('yaml')).toBe(await jsonToYaml(json));
    const rows = (sep: string, end: string): string =>
      doc.series
        .map((s) => s.points.map((p) => `${s.dimensions.Operation}${sep}${s.dimensions.StatusCode}${sep}${p.timestamp}${sep}${p.value ?? ''}${end}`).join(''))
        .join('');
    expect(await out('csv')).toBe(`Operation,StatusCode,timestamp,value\r\n${rows(',', '\r\n')}`);
    expect(await out('tsv')).toBe(rows('\t', '\n'));
  });
});

/** A stream that takes `room` pieces, then says it is full until drained. */
class SlowStream extends EventEmitter {
  written: string[] = [];
  full = false;
  destroyed = false;
  constructor(private readonly room: number) {
    super();
  }
  write(chunk: string): boolean {
    expect(this.full).toBe(false); // nothing is written while the stream waits for 'drain'
    this.written.push(chunk);
    if (this.written.length % this.room === 0) {
      this.full = true;
      setTimeout(() => {
        this.full = false;
        this.emit('drain');
      }, 1);
      return false;
    }
    return true;
  }
}

describe('writeChunks', () => {
  it('waits for drain when the stream is full, and writes every piece in order', async () => {
    const s = new SlowStream(3);
    const pieces = Array.from({ length: 10 }, (_, i) => `p${i}`);
    await writeChunks(s, pieces);
    expect(s.written).toEqual(pieces);
    expect(s.listenerCount('drain')).toBe(0);
  });

  it('stops when the stream is gone (a closed pipe): the rest is not made', async () => {
    const s = new SlowStream(100);
    let made = 0;
    function* pieces(): Generator<string> {
      for (let i = 0; i < 10; i++) {
        made++;
        if (i === 4) s.destroyed = true;
        yield `p${i}`;
      }
    }
    await writeChunks(s, pieces());
    expect(s.written).toEqual(['p0', 'p1', 'p2', 'p3']);
    expect(made).toBe(5);
  });

  it('goes on when the stream closes while full (no hang)', async () => {
    const s = new SlowStream(2);
    s.write = function (this: SlowStream, chunk: string): boolean {
      this.written.push(chunk);
      setTimeout(() => this.emit('close'), 1);
      return false;
    };
    await writeChunks(s, ['a', 'b']);
    expect(s.written).toEqual(['a', 'b']);
  });
});

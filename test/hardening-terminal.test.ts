/**
 * Data-derived text (dimension values, metric names, the service's error codes and messages) cannot
 * put control sequences on a terminal through any output: table, chart, CSV, JSON, `check`, errors
 * and notes on stderr. CSV cells never start with a formula character. JSON keeps values exact.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { metricsBody, writeFixture } from './helpers/fixture.js';
import { run } from './helpers/io.js';

/** What a terminal acts on: C0 controls, DEL, C1 controls (U+009B is CSI), line separators, bidi controls. */
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
/** The same without the TAB, CR and LF that CSV carries (quoted, RFC 4180): they move the cursor, they start no sequence. */
// eslint-disable-next-line no-control-regex
const UNSAFE_IN_CSV = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

const EVIL = {
  sgr: '\u001b[31mRED\u001b[0m',
  bell: 'ding\u0007',
  clear: '\u001b[2J\u001b[H',
  title: '\u001b]0;pwned\u0007',
  hyperlink: '\u001b]8;;https://evil.example/\u0007click me\u001b]8;;\u0007',
  c1csi: 'c1\u009b31mCSI',
  c1osc: 'c1\u009d0;t\u009c',
  nel: 'next\u0085line',
  rlo: 'abc\u202edcba',
  isolate: 'x\u2066y\u2069z',
  lineSep: 'a\u2028b',
  backspace: 'Send\u0008\u0008\u0008Evil',
  del: 'del\u007f',
};

function evilFixture(opts: { errorMessage?: string; withOk?: boolean } = {}): string {
  const values = Object.values(EVIL);
  const body = metricsBody([
    ...(opts.withOk === false
      ? []
      : [
          {
            name: 'APIRequestChat',
            series: values.map((v, i) => ({
              dims: { operation: v, statuscode: i % 2 ? '503' : '200', statuscodeclass: i % 2 ? '5xx' : '2xx' },
              counts: [i + 1, 2],
            })),
          },
        ]),
    ...(opts.errorMessage !== undefined ? [{ name: 'APIRequestChat', series: [], errorCode: 'Throttled\u001b[31m', errorMessage: opts.errorMessage }] : []),
  ]) as { value: { name: { localizedValue: string } }[] };
  for (const m of body.value) m.name.localizedValue = 'Chat \u001b[5mAPI\u009b2J';
  return writeFixture(body);
}

describe('control characters from the data', () => {
  const file = evilFixture();

  for (const output of ['table', 'chart']) {
    it(`are shown escaped in -o ${output}`, async () => {
      const r = await run(['query', '--fixture', file, '-m', 'chat', '-o', output, '--width', '200', '--top', '4']);
      expect(r.code).toBe(0);
      // Only line feeds are left of the controls (and no colour: the test stream is not a terminal).
      expect(r.stdout.replace(/\n/g, '')).not.toMatch(UNSAFE);
      expect(r.stderr.replace(/\n/g, '')).not.toMatch(UNSAFE);
      expect(r.stdout).toMatch(/del\\x7f|Send\\x08|x\\u2066y|a\\u2028b/);
    });
  }

  it('are escaped in every table row', async () => {
    const r = await run(['query', '--fixture', file, '-m', 'chat']);
    for (const shown of [
      '\\x1b[31mRED\\x1b[0m',
      'ding\\x07',
      '\\x1b]0;pwned\\x07',
      'c1\\x9b31mCSI',
      'next\\x85line',
      'abc\\u202edcba',
      'x\\u2066y\\u2069z',
      'a\\u2028b',
      'Send\\x08\\x08\\x08Evil',
      'del\\x7f',
    ]) {
      expect(r.stdout).toContain(shown);
    }
  });

  it('are visible \\x escapes in CSV (which keeps TAB, CR and LF, quoted)', async () => {
    const r = await run(['query', '--fixture', file, '-m', 'chat', '-o', 'csv']);
    expect(r.code).toBe(0);
    expect(r.stdout).not.toMatch(UNSAFE_IN_CSV);
    expect(r.stdout).toContain('\\x1b]8;;https://evil.example/\\x07click me\\x1b]8;;\\x07,2026-01-01T00:00:00Z,');
    expect(r.stdout).toContain('c1\\x9b31mCSI,');
  });

  it('are \\u escapes in JSON, which parses back to the exact values', async () => {
    const r = await run(['query', '--fixture', file, '-m', 'chat', '-o', 'json']);
    expect(r.code).toBe(0);
    expect(r.stdout.replace(/\n/g, '')).not.toMatch(UNSAFE);
    const doc = JSON.parse(r.stdout) as { series: { dimensions: { Operation: string } }[] };
    expect(doc.series.map((s) => s.dimensions.Operation).sort()).toEqual(Object.values(EVIL).sort());
  });

  it('are escaped in check reports', async () => {
    const r = await run(['check', '--fixture', file, '-m', 'chat', '--max-error-rate', '1%', '--per-operation']);
    expect(r.code).toBe(1);
    expect(r.stdout.replace(/\n/g, '')).not.toMatch(UNSAFE);
    expect(r.stdout).toContain('c1\\x9b31mCSI');
  });

  it("are escaped in the service's error code and message: a note beside data, an error without", async () => {
    const message = 'too \u001b]8;;http://x\u0007many\u009b2J\nrequests';
    const note = await run(['query', '--fixture', evilFixture({ errorMessage: message }), '-m', 'chat', '-o', 'csv']);
    expect(note.code).toBe(0);
    expect(note.stderr).toContain('APIRequestChat failed: Throttled\\x1b[31m: too \\x1b]8;;http://x\\x07many\\x9b2J\\x0arequests\n');
    expect(note.stderr.replace(/\n/g, '')).not.toMatch(UNSAFE);
    const error = await run(['query', '--fixture', evilFixture({ errorMessage: message, withOk: false }), '-m', 'chat']);
    expect(error.code).toBe(3);
    expect(error.stdout).toBe('');
    expect(error.stderr.split('\n')).toHaveLength(2);
    expect(error.stderr.replace(/\n$/, '')).not.toMatch(UNSAFE);
  });

  it('are escaped in a metric name of the data in an error message', async () => {
    const body = metricsBody([{ name: 'Evil\u001b[2J\u009b\u202eMetric', series: [{ dims: {}, counts: [1] }] }]);
    const r = await run(['query', '--fixture', writeFixture(body)]);
    expect(r.code).toBe(3); // no ACS metric the catalog knows: a data error
    expect(r.stderr).toContain('Evil\\x1b[2J\\x9b\\u202eMetric');
    expect(r.stderr.replace(/\n$/, '')).not.toMatch(UNSAFE);
  });
});

describe('any dimension value (property)', () => {
  // Full Unicode, weighted towards controls, escapes and formula starts.
  const nasty = fc.constantFrom(
    '\u001b',
    '\u0007',
    '\u009b',
    '\u009d',
    '\u0085',
    '\u202e',
    '\u2066',
    '\u2028',
    '\r',
    '\n',
    '\t',
    '=',
    '+',
    '-',
    '@',
    '"',
    ',',
    "'",
    '\\',
  );
  const value = fc
    .array(fc.oneof(fc.string({ unit: 'binary', maxLength: 3 }), nasty), { minLength: 1, maxLength: 6 })
    .map((parts) => parts.join(''))
    .filter((v) => v !== '');

  it('never reaches the terminal raw, keeps CSV cells formula-free and JSON exact', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uniqueArray(value, { minLength: 1, maxLength: 4 }), async (values) => {
        const file = writeFixture(metricsBody([{ name: 'APIRequestChat', series: values.map((v, i) => ({ dims: { operation: v }, counts: [i + 1, 1] })) }]));
        for (const output of ['table', 'chart']) {
          const r = await run(['query', '--fixture', file, '-m', 'chat', '-o', output, '--width', '120']);
          expect(r.code).toBe(0);
          expect(r.stdout.replace(/\n/g, '')).not.toMatch(UNSAFE);
          expect(r.stderr.replace(/\n/g, '')).not.toMatch(UNSAFE);
        }
        const csv = await run(['query', '--fixture', file, '-m', 'chat', '-o', 'csv']);
        expect(csv.stdout).not.toMatch(UNSAFE_IN_CSV);
        for (const cell of csvFirstCells(csv.stdout).slice(1)) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
        const json = await run(['query', '--fixture', file, '-m', 'chat', '-o', 'json']);
        expect(json.stdout.replace(/\n/g, '')).not.toMatch(UNSAFE);
        const doc = JSON.parse(json.stdout) as { series: { dimensions: { Operation: string } }[] };
        expect(doc.series.map((s) => s.dimensions.Operation).sort()).toEqual([...values].sort());
      }),
      { numRuns: 60 },
    );
  });
});

/** The first cell of every CSV record, unquoted (RFC 4180). */
function csvFirstCells(text: string): string[] {
  const cells: string[] = [];
  let i = 0;
  while (i < text.length) {
    let cell = '';
    if (text[i] === '"') {
      i++;
      for (;;) {
        if (text[i] === '"' && text[i + 1] === '"') {
          cell += '"';
          i += 2;
        } else if (text[i] === '"') {
          i++;
          break;
        } else cell += text[i++];
      }
    } else {
      while (i < text.length && text[i] !== ',' && text[i] !== '\r') cell += text[i++];
    }
    cells.push(cell);
    const end = text.indexOf('\r\n', i);
    i = end === -1 ? text.length : end + 2;
  }
  return cells;
}

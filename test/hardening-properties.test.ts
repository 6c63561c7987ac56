/**
 * Property tests through main(argv, io): random argument lists drawn from the real options (read
 * from each command's --help), random and mutated fixture files, random rules files. Every run must
 * end with a documented exit code (0, 1 for a failed check, 2 usage, 3 data), never an internal error
 * or a stack trace (unless --debug asked for one), and print nothing on stdout when it fails (exit 2
 * or 3), so that a failure can never be mistaken for data; `check` alone prints its report on exit 3,
 * which then says that a rule could not be evaluated.
 *
 * No run can reach the network: no value in the pools is a subscription GUID or a resource id, so a
 * live source always stops at a usage error before any request.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chatBody } from './helpers/fixture.js';
import { type Captured, run } from './helpers/io.js';

const ROOT = join(dirname(new URL(import.meta.url).pathname), '..');
const DOCUMENTED = [0, 1, 2, 3, 4];
/** HARDENING_RUNS=20 npx vitest run test/hardening-properties.test.ts runs every property 20 times as long. */
const SCALE = Math.max(1, Number(process.env.HARDENING_RUNS) || 1);
const runs = (n: number) => ({ numRuns: n * SCALE });

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'acs-hardening-'));
  mkdirSync(join(dir, 'dir'));
  writeFileSync(join(dir, 'chat.json'), JSON.stringify(chatBody()));
  writeFileSync(join(dir, 'sample.json'), JSON.stringify(trimmedSample()));
  writeFileSync(join(dir, 'bad.json'), '{"value": [\n  {"name": }\n]}');
  writeFileSync(join(dir, 'empty.json'), '');
  writeFileSync(
    join(dir, 'rules.json'),
    JSON.stringify({
      defaults: { minRequests: 1 },
      rules: [
        { name: 'chat errors', metric: 'chat', maxErrorRate: '5%' },
        { name: 'send', metric: 'chat', operations: ['SendChatMessage'], maxErrorRate: '1%', level: 'warn' },
        { name: 'traffic', metric: 'chat', minTotal: 10 },
      ],
    }),
  );
  writeFileSync(join(dir, 'rules.yaml'), 'rules:\n  - metric: chat\n    maxErrorRate: 2%\n  - metric: [unclosed\n');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The first two metrics of the sample week, one day of each series: real shapes, small. */
function trimmedSample(): unknown {
  const body = JSON.parse(readFileSync(join(ROOT, 'fixtures', 'sample-week.json'), 'utf8')) as {
    timespan: string;
    value: { timeseries: { data: unknown[] }[] }[];
  };
  body.value = body.value.slice(0, 2);
  for (const m of body.value) for (const s of m.timeseries) s.data = s.data.slice(0, 24);
  body.timespan = '2026-01-01T00:00:00Z/2026-01-02T00:00:00Z';
  return body;
}

/** Runs main with a clean environment in the temp directory; fails the property on a hang. */
async function runIn(argv: string[], env: Record<string, string> = {}): Promise<Captured> {
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`main did not finish in 10 s: ${JSON.stringify(argv)}`)), 10_000);
  });
  try {
    return await Promise.race([run(argv, { cwd: dir, env: { NO_COLOR: '1', ...env } }), hang]);
  } finally {
    clearTimeout(timer);
  }
}

/** Without colour (FORCE_COLOR runs). */
// eslint-disable-next-line no-control-regex
const plain = (text: string): string => text.replace(/\u001b\[\d+m/g, '');

/** The invariants every run keeps. */
function expectDocumented(argv: readonly string[], r: Captured): void {
  const context = `argv ${JSON.stringify(argv)}\nexit ${r.code}\nstdout ${JSON.stringify(r.stdout.slice(0, 300))}\nstderr ${JSON.stringify(r.stderr.slice(0, 600))}`;
  expect(DOCUMENTED, context).toContain(r.code);
  expect(r.stderr, context).not.toMatch(/internal error/i);
  if (!argv.includes('--debug')) expect(r.stderr, context).not.toMatch(/\n\s+at .*(\(|:\d+)/);
  if (r.code === 2 || r.code === 3) {
    // `check` reports every rule, also when one could not be evaluated (exit 3): the report says so.
    const command = argv.find((a) => !a.startsWith('-'));
    if (command === 'check' && r.code === 3 && r.stdout !== '') expect(plain(r.stdout), context).toMatch(/check ERROR: |"exitCode": 3,/);
    else expect(r.stdout, context).toBe('');
    // One line per problem, after any notes (a note can come first: "saved the response to x.json").
    expect(plain(r.stderr), context).toMatch(/^(error: |Usage: )|\nerror: /);
  }
  if (r.code === 1) expect(argv, context).toContain('check');
  if (r.code === 0 && argv.includes('json') && r.stdout !== '' && !argv.includes('--help') && !argv.includes('-h')) {
    const jsonOut = argv.includes('--json') || argv[argv.indexOf('-o') + 1] === 'json' || argv[argv.indexOf('--output') + 1] === 'json';
    if (jsonOut) expect(() => JSON.parse(r.stdout), context).not.toThrow();
  }
}

// ---------------------------------------------------------------------------------------------------
// Random argument lists

interface OptionSpec {
  readonly flags: string[];
  readonly takesValue: boolean;
}

/** Each command's options as its --help lists them. */
async function optionsOf(command: string): Promise<OptionSpec[]> {
  const help = (await run([command, '--help'])).stdout;
  const specs: OptionSpec[] = [];
  for (const m of help.matchAll(/^ {2}((?:-[a-zA-Z], )?--[a-z-]+)( <[^>]+>)?/gm)) {
    specs.push({ flags: m[1]!.split(', '), takesValue: m[2] !== undefined });
  }
  return specs;
}

const VALUES = [
  'chat',
  'sms',
  'APIRequestChat',
  'Chat API Requests',
  'chatt',
  'router',
  'SendChatMessage',
  'send chat message',
  'GetChatMessage,SendChatMessage',
  'Bad Route',
  'NoSuchOperation',
  '5xx',
  '4xx,5xx',
  '429',
  '5xx,429',
  '200',
  '2xx',
  '9xx',
  '24h',
  '7d',
  '1h',
  '30m',
  'PT6H',
  'P1D',
  'PT0M',
  '0m',
  '-1h',
  '100000d',
  '2026-01-01',
  '2026-01-01T02:00:00Z',
  '2026-01-01T00:00:00+02:00',
  '2025-12-31',
  'not a date',
  'operation',
  'statuscode',
  'operation,statuscode',
  'statussubclass',
  'none',
  'apiversion',
  'nosuchdim',
  'count',
  'sum',
  'average',
  'min',
  'max',
  'median',
  'auto',
  'FULL',
  'PT1M',
  'PT1H',
  'PT2H',
  'PT5M',
  '1d',
  'PT7M',
  '10',
  '1',
  '2',
  '0',
  '-1',
  '3.5',
  '1e9',
  '99999999999999999999',
  'table',
  'chart',
  'json',
  'csv',
  'text',
  'junit',
  'github',
  '1%',
  '0.5%',
  '0.01',
  '150%',
  '-1%',
  'error',
  'warn',
  'warning',
  'info',
  'chat.json',
  'sample.json',
  'rules.json',
  'rules.yaml',
  'bad.json',
  'empty.json',
  'missing.json',
  'dir',
  'dir/',
  '-',
  'out.json',
  'dir/out.xml',
  'nodir/out.json',
  'https://management.azure.com',
  'https://x.example/path',
  'http://x',
  'ftp://x',
  'my-group',
  'my-resource',
  'x',
  '',
  ' ',
  '--',
  ',',
  ',,,',
  '\u001b[31m',
  '\u202e',
  '%0A::error::x',
  'a'.repeat(300),
];

/** Values that fit an option, by its long flag. */
const PLAUSIBLE: Record<string, string[]> = {
  '--metric': ['chat', 'sms', 'APIRequestChat', 'Chat API Requests'],
  '--operation': ['SendChatMessage', 'GetChatMessage', 'send chat message', 'SendChatMessage,GetChatMessage', 'create'],
  '--status-code': ['503', '429', '200', '201,503'],
  '--status-class': ['5xx', '4xx', '2xx', '4xx,5xx'],
  '--since': ['24h', '6h', '1h', '7d', 'PT6H', '30m'],
  '--start': ['2026-01-01', '2026-01-01T01:00:00Z', '2026-01-01T00:00:00+01:00'],
  '--end': ['2026-01-01T03:00:00Z', '2026-01-02', '2026-01-08'],
  '--split-by': ['operation', 'statuscode', 'operation,statuscode', 'statussubclass', 'none'],
  '--aggregation': ['count', 'sum', 'average', 'min', 'max'],
  '--interval': ['PT1H', 'PT2H', 'FULL', 'auto', '1d', '3h'],
  '--errors': ['5xx', '4xx,5xx', '5xx,429', '429'],
  '--top': ['1', '2', '10'],
  '--output': ['table', 'chart', 'json', 'csv', 'text', 'junit', 'github'],
  '--width': ['40', '80', '200'],
  '--height': ['2', '5', '20'],
  '--fixture': ['chat.json', 'sample.json'],
  '--save': ['out.json', 'dir/saved.json'],
  '--max-error-rate': ['1%', '5%', '0.5%', '0.01', '0%'],
  '--min-requests': ['1', '10', '1000'],
  '--min-total': ['1', '100', '1000000'],
  '--max-total': ['10', '100000'],
  '--level': ['error', 'warn'],
  '--rule-name': ['chat gate', 'x'],
  '--config': ['rules.json', 'rules.yaml'],
  '--junit': ['junit.xml', 'dir/junit.xml'],
};

const value = fc.oneof({ weight: 8, arbitrary: fc.constantFrom(...VALUES) }, { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 8 }) });

describe('random argument lists (property)', () => {
  let specs: Record<string, OptionSpec[]>;
  beforeAll(async () => {
    specs = {};
    for (const c of ['catalog', 'query', 'check', 'definitions']) specs[c] = await optionsOf(c);
    expect(specs.query!.map((s) => s.flags.at(-1))).toContain('--split-by');
    expect(specs.check!.map((s) => s.flags.at(-1))).toContain('--max-error-rate');
  });

  /** [command, options...] with values, a source for query and check most of the time. */
  const argvArb = () =>
    fc
      .record({
        globals: fc.subarray(['--no-color', '--debug'], { minLength: 0 }),
        command: fc.oneof(
          { weight: 10, arbitrary: fc.constantFrom('catalog', 'query', 'check', 'definitions') },
          { weight: 1, arbitrary: fc.constantFrom('quer', 'help', '', 'list') },
        ),
        picks: fc.array(
          fc.tuple(fc.nat(), fc.oneof({ weight: 3, arbitrary: fc.constant(undefined) }, { weight: 2, arbitrary: value }), fc.boolean(), fc.nat()),
          { maxLength: 7 },
        ),
        fixture: fc.option(fc.constantFrom('chat.json', 'sample.json', 'bad.json', 'missing.json', '-'), { nil: undefined, freq: 4 }),
        positional: fc.oneof({ weight: 10, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: value }),
        metric: fc.option(fc.constantFrom('chat', 'sms', 'chatt'), { nil: undefined, freq: 3 }),
      })
      .map(({ globals, command, picks, fixture, positional, metric }) => {
        const argv = [...globals, command];
        const options = specs[command] ?? [];
        if ((command === 'query' || command === 'check') && fixture !== undefined) argv.push('--fixture', fixture);
        if ((command === 'query' || command === 'check') && metric !== undefined) argv.push('-m', metric);
        for (const [n, random, short, k] of picks) {
          if (options.length === 0) {
            argv.push(random ?? VALUES[k % VALUES.length]!);
            continue;
          }
          const spec = options[n % options.length]!;
          const long = spec.flags.at(-1)!;
          if (long === '--help') continue;
          argv.push(short ? spec.flags[0]! : long);
          // A value that fits the option most of the time (so that runs get past validation), else any.
          const fits = PLAUSIBLE[long];
          if (spec.takesValue) argv.push(random ?? (fits ? fits[k % fits.length]! : VALUES[k % VALUES.length]!));
        }
        if (positional !== undefined) argv.push(positional);
        return argv;
      });

  it('end with a documented exit code, no stack trace, nothing on stdout after an error', async () => {
    await fc.assert(
      fc.asyncProperty(argvArb(), async (argv) => {
        expectDocumented(argv, await runIn(argv));
      }),
      runs(200),
    );
  });

  it('keep the invariants on a GitHub Actions runner and with colour forced', async () => {
    const summary = join(dir, 'summary.md');
    await fc.assert(
      fc.asyncProperty(argvArb(), fc.boolean(), async (argv, github) => {
        const env: Record<string, string> = github ? { GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: summary } : { FORCE_COLOR: '1', NO_COLOR: '' };
        expectDocumented(argv, await runIn(argv, env));
      }),
      runs(60),
    );
  });
});

// ---------------------------------------------------------------------------------------------------
// Mutated fixtures

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

const SPECIAL: Json[] = [
  null,
  true,
  false,
  0,
  -1,
  -0.5,
  1.5,
  1e308,
  -1e308,
  2 ** 53 + 1,
  '',
  'NaN',
  'Infinity',
  '-1',
  '12',
  '2026-13-45T25:61:61Z',
  '2026-01-01T00:00:00',
  '2026-01-01 00:30:00Z',
  '2026-02-30T00:00:00Z',
  '0000-01-01T00:00:00Z',
  '9999-12-31T23:59:59Z',
  'FULL',
  'PT1M',
  'PT0S',
  'P1000Y',
  'PT1H/PT2H',
  '2026-01-02T00:00:00Z/2026-01-01T00:00:00Z',
  '\u001b[31mred',
  '\u0000',
  '__proto__',
  'constructor',
  [],
  {},
  [[]],
  [null],
  { value: [] },
  { values: [] },
  { value: 'x' },
  { error: { code: 'BadRequest', message: 'no\u0007' } },
];

interface Mutation {
  readonly kind: 'delete' | 'replace' | 'duplicate' | 'reverse' | 'rename' | 'wrap' | 'number' | 'string';
  readonly at: number;
  readonly with: Json;
  readonly number: number;
  readonly string: string;
}

const mutationArb: fc.Arbitrary<Mutation> = fc.record({
  kind: fc.constantFrom('delete', 'replace', 'duplicate', 'reverse', 'rename', 'wrap', 'number', 'number', 'string', 'string'),
  at: fc.nat(),
  with: fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...SPECIAL) }, { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<Json> }),
  // Numbers the service could send (and some it could not): big, tiny, fractional, negative.
  number: fc.oneof(fc.constantFrom(0, 1, 1e308, 5e-324, 2 ** 53 + 2, 0.1, -1, -0), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.nat()),
  // Dimension values and names, metric names, times: any Unicode.
  string: fc.oneof(
    fc.string({ unit: 'binary', maxLength: 12 }),
    fc.constantFrom('SendChatMessage', '503', '5xx', '2026-01-01T05:00:00Z', 'PT1M', 'APIRequestSMS'),
  ),
});

/** Every [container, key] of a document, parents before children. */
function places(doc: Json): [Json[] | Record<string, Json>, string | number][] {
  const out: [Json[] | Record<string, Json>, string | number][] = [];
  const walk = (v: Json): void => {
    if (Array.isArray(v)) {
      v.forEach((c, i) => {
        out.push([v, i]);
        walk(c);
      });
    } else if (v !== null && typeof v === 'object') {
      for (const k of Object.keys(v)) {
        out.push([v, k]);
        walk(v[k]!);
      }
    }
  };
  walk(doc);
  return out;
}

function mutate(doc: Json, m: Mutation): Json {
  const leaf = m.kind === 'number' ? 'number' : m.kind === 'string' ? 'string' : undefined;
  const all = places(doc).filter(([p, k]) => leaf === undefined || typeof (p as Record<string | number, Json>)[k] === leaf);
  if (all.length === 0) return leaf === undefined ? m.with : doc;
  const [parent, key] = all[m.at % all.length]!;
  const get = (): Json => (parent as Record<string | number, Json>)[key]!;
  const set = (v: Json): void => void ((parent as Record<string | number, Json>)[key] = v);
  switch (m.kind) {
    case 'delete':
      if (Array.isArray(parent)) parent.splice(key as number, 1);
      else delete parent[key as string];
      break;
    case 'replace':
      set(structuredClone(m.with));
      break;
    case 'duplicate':
      if (Array.isArray(parent)) parent.splice(key as number, 0, structuredClone(get()));
      else set([get(), structuredClone(get())]);
      break;
    case 'reverse': {
      const v = get();
      if (Array.isArray(v)) v.reverse();
      else if (typeof v === 'string') set([...v].reverse().join(''));
      break;
    }
    case 'rename':
      if (!Array.isArray(parent)) {
        const v = get();
        delete parent[key as string];
        parent[typeof m.with === 'string' ? m.with : String(key).toUpperCase()] = v;
      }
      break;
    case 'wrap':
      set([get()]);
      break;
    case 'number':
      set(m.number);
      break;
    case 'string':
      set(m.string);
      break;
  }
  return doc;
}

const QUERY_OPTIONS: string[][] = [
  ['-i', 'PT2H'],
  ['-i', 'FULL'],
  ['--since', '6h'],
  ['--start', '2026-01-01T03:00:00Z'],
  ['--end', '2026-01-01T10:00:00Z'],
  ['--split-by', 'operation,statuscode'],
  ['--split-by', 'none'],
  ['-a', 'average'],
  ['-a', 'max'],
  ['--top', '2'],
  ['--status-class', '5xx'],
  ['--operation', 'SendChatMessage'],
  ['--errors', '5xx,429'],
];

describe('mutated fixtures (property)', () => {
  const bases: Json[] = [];
  beforeAll(() => {
    bases.push(chatBody() as Json, trimmedSample() as Json, [chatBody() as Json, trimmedSample() as Json], {
      values: [{ ...(chatBody() as Record<string, Json>), starttime: '2026-01-01T00:00:00Z', endtime: '2026-01-01T04:00:00Z' }],
    });
  });

  const caseArb = fc.record({
    base: fc.nat(),
    mutations: fc.array(mutationArb, { minLength: 1, maxLength: 3 }),
    text: fc.option(fc.record({ cut: fc.nat(), insert: fc.string({ unit: 'binary', maxLength: 2 }) }), { nil: undefined, freq: 5 }),
    command: fc.constantFrom('query', 'query', 'query', 'check'),
    metric: fc.option(fc.constantFrom('chat', 'sms'), { nil: undefined, freq: 3 }),
    output: fc.constantFrom('table', 'chart', 'json', 'csv'),
    options: fc.subarray(QUERY_OPTIONS, { maxLength: 3 }),
    n: fc.nat(),
  });

  it(
    'end with a documented exit code and one clean message, never with partial output',
    async () => {
      await fc.assert(
        fc.asyncProperty(caseArb, async (c) => {
          let doc: Json = structuredClone(bases[c.base % bases.length] as Json);
          for (const m of c.mutations) doc = mutate(doc, m);
          let text = JSON.stringify(doc) ?? 'null';
          if (c.text) {
            // Cut the text short, or insert a character or two.
            const at = c.text.cut % (text.length + 1);
            text = c.text.insert === '' ? text.slice(0, at) : `${text.slice(0, at)}${c.text.insert}${text.slice(at)}`;
          }
          const file = join(dir, `mutated-${c.n % 8}.json`);
          writeFileSync(file, text);
          const argv = ['query', '--fixture', file];
          if (c.metric !== undefined) argv.push('-m', c.metric);
          if (c.command === 'check') {
            argv[0] = 'check';
            argv.push('--max-error-rate', '1%', '-o', c.output === 'json' ? 'json' : 'text');
          } else {
            argv.push('-o', c.output, ...c.options.flat());
          }
          const r = await runIn(argv);
          expectDocumented(argv, r);
        }),
        runs(200),
      );
      // 200 runs take a second or two; the room is for runIn to name a run that hangs (10 s each) and for
      // fast-check to shrink it, instead of vitest's bare timeout.
    },
    120_000 * SCALE,
  );
});

// ---------------------------------------------------------------------------------------------------
// Failing examples found by the properties, kept as plain tests

describe('examples', () => {
  it('a day that does not exist is not a date (Date.parse would read 2026-02-30 as March 2nd)', async () => {
    const body = (stamp: string) =>
      JSON.stringify({
        interval: 'PT1H',
        value: [
          {
            name: { value: 'APIRequestChat' },
            timeseries: [{ metadatavalues: [{ name: { value: 'operation' }, value: 'SendChatMessage' }], data: [{ timeStamp: stamp, count: 3 }] }],
          },
        ],
      });
    for (const stamp of ['2026-02-30T00:00:00Z', '2026-04-31T10:00:00Z', '2025-02-29T00:00:00+00:00', '2026-02-30T01:00:00+01:00']) {
      writeFileSync(join(dir, 'day.json'), body(stamp));
      const r = await runIn(['query', '--fixture', 'day.json', '-m', 'chat']);
      expect(r).toEqual({
        code: 3,
        stdout: '',
        stderr: `error: day.json: value[0].timeseries[0].data[0].timeStamp is not a date (${JSON.stringify(stamp)})\n`,
      });
    }
    for (const stamp of ['2024-02-29T00:00:00Z', '2026-01-31T23:59:00Z', '2026-12-31T00:00:00+00:00']) {
      writeFileSync(join(dir, 'day.json'), body(stamp));
      const r = await runIn(['query', '--fixture', 'day.json', '-m', 'chat', '-o', 'csv', '--split-by', 'none']);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain(`${stamp.slice(0, 19)}Z,3`);
    }
    const start = await runIn(['query', '--fixture', 'chat.json', '-m', 'chat', '--start', '2026-02-30']);
    expect(start.code).toBe(2);
    expect(start.stderr).toMatch(/^error: invalid --start "2026-02-30"/);
  });

  it('a stray timestamp in year 0 is refused at once, not drawn as 8.9 million PT2H buckets (53 s)', async () => {
    const body = chatBody() as { value: { timeseries: { data: object[] }[] }[] };
    body.value[0]!.timeseries[2]!.data[3] = { timeStamp: '0000-01-01T00:00:00Z', count: 7, total: 7 };
    writeFileSync(join(dir, 'year0.json'), JSON.stringify(body));
    const r = await runIn(['query', '--fixture', 'year0.json', '-o', 'chart', '-i', 'PT2H']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error: --interval PT2H is too fine: the window 0000-01-01T00:00:00Z to 2026-01-01T04:00:00Z holds 8,879,786 PT2H buckets/);
  });

  it('a fixture holding only a number, a string or null is a data error', async () => {
    for (const text of ['12', '"x"', 'null', 'true']) {
      writeFileSync(join(dir, 'scalar.json'), text);
      const r = await runIn(['query', '--fixture', 'scalar.json', '-m', 'chat']);
      expect(r.code).toBe(3);
      expect(r.stdout).toBe('');
    }
  });
});

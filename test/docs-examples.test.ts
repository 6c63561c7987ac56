/**
 * Every ```sh example of README.md and docs/*.md runs here, page by page, in each page's order, against
 * the bundled sample: fixture commands read fixtures/sample-week.json, live ones ($ACS_ID,
 * $ACS_RESOURCE_ID, --subscription, --all-subscriptions) ask the Azure Monitor emulator serving the same
 * sample, with the clock just after its end (off the minute). Each must give what its page documents,
 * by the convention of docs/README.md ("Contributors"): exit 0 with data on stdout and no error, or the
 * code of a `# exits N` comment or an `<!-- exit: N -->` annotation; `<!-- output-contains: TEXT -->`
 * excerpts appear in the block's output. A block that cannot run here says so (`offline: no` or
 * `run: no`, with a reason); an unmarked line that is not an acs-metrics command fails.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { datasetFromBody } from './emulator/dataset.js';
import { type Harness, liveEnv, openHarness, RESOURCE, SUBSCRIPTION } from './emulator/harness.js';
import { run } from './helpers/io.js';

const ROOT = join(import.meta.dirname, '..');
const SAMPLE = join(ROOT, 'fixtures', 'sample-week.json');
const CLOCK = new Date('2026-01-08T00:00:37.250Z');
/** The pages, the README first. */
const PAGES = [
  'README.md',
  ...readdirSync(join(ROOT, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .sort()
    .map((f) => `docs/${f}`),
];

export interface Block {
  page: string;
  /** 1-based line of the opening fence. */
  line: number;
  lines: string[];
  exit?: number;
  contains: string[];
  /** Why the block is not run (`offline: no — ...`, `run: no — ...`). */
  skip?: string;
}

/** The annotation comments just above a fence: `<!-- key: value -->`, one per line. */
function annotations(above: string[]): [string, string][] {
  const out: [string, string][] = [];
  for (let i = above.length - 1; i >= 0; i--) {
    const m = /^<!--\s*([a-z-]+):\s?(.*?)\s*-->$/.exec(above[i]!.trim());
    if (!m) break;
    out.unshift([m[1]!, m[2]!]);
  }
  return out;
}

/** The ```sh blocks of a page, with their annotations; continuation lines joined, comment lines dropped. */
export function shBlocks(page: string, markdown: string): Block[] {
  const blocks: Block[] = [];
  const all = markdown.split('\n');
  let block: Block | undefined;
  let fenced = false;
  let pending = '';
  all.forEach((raw, i) => {
    const line = raw.trim();
    if (line.startsWith('```')) {
      if (!fenced && line === '```sh') {
        block = { page, line: i + 1, lines: [], contains: [] };
        for (const [key, value] of annotations(all.slice(0, i))) {
          if (key === 'exit') block.exit = Number(value);
          else if (key === 'output-contains') block.contains.push(value);
          else if (key === 'offline' || key === 'run') {
            const reason = /^no\s+—\s+(\S.*)$/.exec(value)?.[1];
            if (!reason) throw new Error(`${page}:${i}: "${key}: ${value}" needs the form "${key}: no — REASON"`);
            block.skip = `${key}: no — ${reason}`;
          } else throw new Error(`${page}:${i}: unknown annotation "${key}"`);
        }
      } else if (fenced && block) {
        blocks.push(block);
        block = undefined;
      }
      fenced = !fenced;
      return;
    }
    if (!block) return;
    const joined = pending + line;
    if (joined.endsWith('\\')) {
      pending = `${joined.slice(0, -1)} `;
      return;
    }
    pending = '';
    if (joined !== '' && !joined.startsWith('#')) block.lines.push(joined);
  });
  return blocks;
}

/** Shell words of a command line up to a pipe, a redirection or a comment (quotes removed, $VARS kept). */
function words(line: string): string[] {
  const out: string[] = [];
  const re = /"([^"]*)"|'([^']*)'|(\|\s|>\s|#\s)|(\S+)/g;
  for (let m = re.exec(line); m !== null; m = re.exec(line)) {
    if (m[3] !== undefined) break;
    out.push(m[1] ?? m[2] ?? m[4]!);
  }
  return out;
}

/** The acs-metrics command of a line (without the program name), or undefined for any other line. */
export function command(line: string): string | undefined {
  const inEval = /^eval "\$\(acs-metrics ([^)]*)\)"/.exec(line);
  if (inEval) return inEval[1];
  return /^(?:npm ci && )?(?:npx )?acs-metrics (.*)$/.exec(line)?.[1];
}

const SUBSTITUTE: Record<string, string> = {
  $ACS_ID: RESOURCE,
  $ACS_RESOURCE_ID: RESOURCE,
  $WORKSPACE_ID: '/subscriptions/00000000-0000-4000-8000-000000000001/resourceGroups/rg-logs/providers/Microsoft.OperationalInsights/workspaces/acs-logs',
  $SUB: SUBSCRIPTION,
  '<guid>': SUBSCRIPTION,
  'my-rg': 'rg-test',
  'my-acs': 'acs-test',
  'fixtures/sample-week.json': SAMPLE,
};

/** The rules file of docs/rules-files.md (its first JSON block), the gates.json of the examples. */
function rulesExample(): string {
  const page = readFileSync(join(ROOT, 'docs', 'rules-files.md'), 'utf8');
  const start = page.indexOf('```json') + '```json'.length;
  return page.slice(start, page.indexOf('```', start));
}

const blocks = PAGES.flatMap((page) => shBlocks(page, readFileSync(join(ROOT, page), 'utf8')));

describe('the documentation examples are well formed', () => {
  it('finds the examples of every command page (none was lost)', () => {
    const run = blocks.filter((b) => !b.skip).flatMap((b) => b.lines);
    expect(run.length).toBeGreaterThanOrEqual(60);
    for (const c of ['catalog', 'query', 'check', 'alerts', 'usage', 'export', 'status', 'resources', 'definitions', 'completion']) {
      expect(
        blocks.some((b) => b.page === `docs/${c}.md` && !b.skip),
        c,
      ).toBe(true);
    }
  });

  it('every line of a block that runs is an acs-metrics command (or sets ACS_METRICS_RESOURCE)', () => {
    const strays = blocks
      .filter((b) => !b.skip)
      .flatMap((b) => b.lines.filter((l) => command(l) === undefined && !l.startsWith('export ACS_METRICS_RESOURCE=')).map((l) => `${b.page}:${b.line}: ${l}`));
    expect(strays).toEqual([]);
  });

  it('reads the annotations (a test of the reader)', () => {
    const md = [
      '<!-- exit: 3 -->',
      '<!-- output-contains: a b -->',
      '```sh',
      'acs-metrics x \\',
      '  --y  # c',
      '# comment',
      '```',
      '<!-- offline: no — Azure -->',
      '```sh',
      'az login',
      '```',
    ].join('\n');
    expect(shBlocks('p.md', md)).toEqual([
      { page: 'p.md', line: 3, lines: ['acs-metrics x  --y  # c'], exit: 3, contains: ['a b'] },
      { page: 'p.md', line: 9, lines: ['az login'], contains: [], skip: 'offline: no — Azure' },
    ]);
    expect(() => shBlocks('p.md', '<!-- offline: no -->\n```sh\naz\n```')).toThrow('needs the form');
    expect(command('eval "$(acs-metrics completion bash)"     # in ~/.bashrc')).toBe('completion bash');
    expect(command('npm ci && npx acs-metrics query -m chat')).toBe('query -m chat');
    expect(command('az login')).toBeUndefined();
  });
});

describe('the documentation examples, on the bundled sample', () => {
  let h: Harness;
  const base: Record<string, string | undefined> = {};
  const dirs: Record<string, string> = {};
  const envs: Record<string, Record<string, string | undefined>> = {};
  beforeAll(async () => {
    // Azure keeps minute data: the sample's hours are served as minutes, so any window can be asked for.
    // The same resource is also a one-resource estate (Resource Graph and the batch API) for the estate examples.
    const dataset = datasetFromBody(JSON.parse(readFileSync(SAMPLE, 'utf8')), { minutes: true });
    const estate = [
      {
        id: RESOURCE,
        subscription: SUBSCRIPTION,
        resourceGroup: 'rg-test',
        name: 'acs-test',
        location: 'global',
        dataLocation: 'Europe',
        tags: { env: 'prod' },
        dataset,
      },
    ];
    h = await openHarness(dataset, undefined, estate);
    Object.assign(base, liveEnv(h), { COLUMNS: '100', NO_COLOR: '1' });
  });
  afterAll(async () => {
    await h.close();
    for (const dir of Object.values(dirs)) rmSync(dir, { recursive: true, force: true });
  });

  /** Each page's working folder (with gates.json) and environment, made when its first example runs. */
  const pageState = (page: string): { dir: string; env: Record<string, string | undefined> } => {
    if (!dirs[page]) {
      dirs[page] = mkdtempSync(join(tmpdir(), 'acs-metrics-test-docs-'));
      writeFileSync(join(dirs[page], 'gates.json'), rulesExample());
      envs[page] = { ...base };
    }
    return { dir: dirs[page], env: envs[page]! };
  };

  for (const block of blocks) {
    const title = `${block.page}:${block.line}: ${block.lines[0] ?? '(empty)'}${block.lines.length > 1 ? ` (+${block.lines.length - 1})` : ''}`;
    if (block.skip) {
      it.skip(`${title} [${block.skip}]`, () => {});
      continue;
    }
    it(
      title,
      async () => {
        const { dir, env } = pageState(block.page);
        let output = '';
        for (const line of block.lines) {
          if (line.startsWith('export ACS_METRICS_RESOURCE=')) {
            env.ACS_METRICS_RESOURCE = RESOURCE;
            continue;
          }
          const cmd = command(line);
          expect(cmd, `not an acs-metrics command: ${line} (mark the block "offline: no" or "run: no" with a reason)`).toBeDefined();
          const argv = words(cmd!).map((w) => SUBSTITUTE[w] ?? w);
          const r = await run(argv, { env, cwd: dir, now: CLOCK });
          const expected = Number(/# exits (\d+)/.exec(line)?.[1] ?? block.exit ?? 0);
          expect(r.code, `${line}\n${r.stderr}`).toBe(expected);
          if (expected !== 2 && expected !== 3) expect(r.stderr, line).not.toMatch(/^error/m);
          // An export writes its folder, not stdout; everything else prints data.
          if (expected === 0 && !/^export (?!--verify)/.test(cmd!)) expect(r.stdout, line).not.toBe('');
          // `> file`: later examples read it (--resources-from prod.json).
          const redirect = /\s>\s+(\S+)\s*(#.*)?$/.exec(line)?.[1];
          if (redirect && !redirect.includes('/')) writeFileSync(join(dir, redirect), r.stdout);
          output += r.stdout + r.stderr;
        }
        for (const text of block.contains) expect(output, `output-contains: ${text}`).toContain(text);
      },
      60_000,
    );
  }
});

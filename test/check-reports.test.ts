import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { escapeData, escapeProperty, mdCell } from '../src/render/github.js';
import { xmlAttr, xmlText } from '../src/render/junit.js';
import { metricsBody, type SeriesSpec, writeFixture } from './helpers/fixture.js';
import { run } from './helpers/io.js';

const s = (op: string, code: string, counts: (number | null)[]): SeriesSpec => ({
  dims: { operation: op, statuscode: code, statuscodeclass: `${code[0]}xx` },
  counts,
});

/**
 * Chat over one hour: SendChatMessage 11 errors in 500, GetChatMessage 0 in 500 (1.1% together);
 * and a rules file beside it with one rule of each verdict.
 */
function setup(extraRules: unknown[] = []): { dir: string; fixture: string } {
  const fixture = writeFixture(
    metricsBody([
      { name: 'APIRequestChat', series: [s('SendChatMessage', '201', [489]), s('SendChatMessage', '503', [11]), s('GetChatMessage', '200', [500])] },
    ]),
  );
  const dir = dirname(fixture);
  const rules = [
    { name: 'passes', metric: 'chat', maxErrorRate: '2%' },
    { name: 'fails', metric: 'chat', maxErrorRate: '1%' },
    { name: 'warns', metric: 'chat', maxErrorRate: '1%', level: 'warn' },
    { name: 'too thin', metric: 'chat', maxErrorRate: '1%', minRequests: 5000 },
    ...extraRules,
  ];
  writeFileSync(join(dir, 'rules.json'), JSON.stringify({ rules }));
  return { dir, fixture };
}

interface Element {
  name: string;
  attrs: Record<string, string>;
  children: Element[];
  text: string;
}

/** A small strict XML reader for the JUnit file: balanced tags, quoted attributes, only the five entities. */
function parseXml(xml: string): Element {
  const body = xml.replace(/^<\?xml version="1\.0" encoding="UTF-8"\?>\n/, '');
  const root: Element = { name: '#root', attrs: {}, children: [], text: '' };
  const stack = [root];
  const tag = /<(\/?)([\w:.-]+)((?:\s+[\w:.-]+="[^"<>]*")*)\s*(\/?)>/g;
  let last = 0;
  const checkText = (t: string) => {
    if (/[<>]/.test(t)) throw new Error(`raw < or > in text: ${t}`);
    if (/&(?!(amp|lt|gt|quot|apos|#\d+);)/.test(t)) throw new Error(`raw & in text: ${t}`);
    // eslint-disable-next-line no-control-regex
    if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/.test(t)) throw new Error('control character in XML');
  };
  for (let m = tag.exec(body); m; m = tag.exec(body)) {
    const text = body.slice(last, m.index);
    checkText(text);
    stack[stack.length - 1]!.text += text;
    last = m.index + m[0].length;
    const [, close, name, attrText, selfClose] = m;
    if (close) {
      const open = stack.pop()!;
      if (open.name !== name) throw new Error(`</${name}> closes <${open.name}>`);
      continue;
    }
    const attrs: Record<string, string> = {};
    for (const a of attrText!.matchAll(/([\w:.-]+)="([^"]*)"/g)) {
      checkText(a[2]!);
      attrs[a[1]!] = a[2]!
        .replace(/&lt;/g, '<')
        .replace(/&gt;/g, '>')
        .replace(/&quot;/g, '"')
        .replace(/&apos;/g, "'")
        .replace(/&#10;/g, '\n')
        .replace(/&amp;/g, '&');
    }
    const el: Element = { name: name!, attrs, children: [], text: '' };
    stack[stack.length - 1]!.children.push(el);
    if (!selfClose) stack.push(el);
  }
  checkText(body.slice(last));
  if (stack.length !== 1) throw new Error(`unclosed <${stack[stack.length - 1]!.name}>`);
  return root;
}

const all = (el: Element, name: string): Element[] => [...(el.name === name ? [el] : []), ...el.children.flatMap((c) => all(c, name))];

describe('check --junit', () => {
  it('writes one testcase per rule: failure, skipped, warn as a pass, error', async () => {
    const { dir, fixture } = setup([{ name: 'sms missing', metric: 'sms', maxErrorRate: '1%' }]);
    const r = await run(['check', '--fixture', fixture, '--config', 'rules.json', '--junit', 'out/../report.xml'], { cwd: dir });
    expect(r.code).toBe(3); // the sms rule cannot be evaluated: 3 wins over 1
    const doc = parseXml(readFileSync(join(dir, 'report.xml'), 'utf8'));
    const [suites] = all(doc, 'testsuites');
    const [suite] = all(doc, 'testsuite');
    expect(suite!.attrs).toMatchObject({ name: 'acs-metrics check', tests: '5', failures: '1', errors: '1', skipped: '1', timestamp: '2026-01-08T00:00:37Z' });
    expect(suites!.attrs).toMatchObject({ tests: '5', failures: '1', errors: '1', skipped: '1' });
    const cases = all(doc, 'testcase');
    expect(cases.map((c) => [c.attrs.name, c.children.map((x) => x.name).join(',')])).toEqual([
      ['passes', 'system-out'],
      ['fails', 'failure'],
      ['warns', 'system-out'],
      ['too thin', 'skipped,system-out'],
      ['sms missing', 'error'],
    ]);
    expect(all(doc, 'failure')[0]!.attrs).toEqual({ message: 'error rate 1.10% > 1.00%', type: 'threshold' });
    expect(all(doc, 'failure')[0]!.text).toContain('worst operation: SendChatMessage 2.20%');
    expect(cases[2]!.children[0]!.text).toMatch(/^WARNING: /);
    expect(all(doc, 'skipped')[0]!.attrs.message).toBe('not enough data: 1,000 requests, min-requests 5,000');
    expect(all(doc, 'error')[0]!.attrs.message).toMatch(/no data for sms \(APIRequestSMS\)/);
  });

  it('no-data with --fail-on-no-data is a failure', async () => {
    const { dir, fixture } = setup();
    const r = await run(['check', '--fixture', fixture, '--config', 'rules.json', '--fail-on-no-data', '--junit', 'r.xml'], { cwd: dir });
    expect(r.code).toBe(1);
    const doc = parseXml(readFileSync(join(dir, 'r.xml'), 'utf8'));
    expect(all(doc, 'testsuite')[0]!.attrs).toMatchObject({ tests: '4', failures: '2', errors: '0', skipped: '0' });
    expect(all(doc, 'failure').map((f) => f.attrs.type)).toEqual(['threshold', 'no-data']);
  });

  it('escapes markup and drops characters XML 1.0 does not allow', async () => {
    const name = 'a <b> & "c" \'d\' \u0001\u001b[31m\uFFFE \uD800 ok 😀';
    const { dir, fixture } = setup([{ name, metric: 'chat', maxErrorRate: '0%' }]);
    const r = await run(['check', '--fixture', fixture, '--config', 'rules.json', '--junit', 'x.xml'], { cwd: dir });
    expect(r.code).toBe(1);
    const xml = readFileSync(join(dir, 'x.xml'), 'utf8');
    const doc = parseXml(xml);
    expect(all(doc, 'testcase').map((c) => c.attrs.name)).toContain('a <b> & "c" \'d\' [31m  ok 😀');
    expect(xmlText('1 < 2 && 3 > 2')).toBe('1 &lt; 2 &amp;&amp; 3 &gt; 2');
    expect(xmlAttr('say "hi"\nnow\t\'x\'')).toBe('say &quot;hi&quot;&#10;now&#9;&apos;x&apos;');
    // The human report shows the control characters visibly instead.
    expect(r.stdout).toContain('a <b> & "c" \'d\' \\x01\\x1b[31m');
  });

  it('a --junit file that cannot be written is reported (exit 3)', async () => {
    const { dir, fixture } = setup();
    const r = await run(['check', '--fixture', fixture, '--config', 'rules.json', '--junit', 'no/such/dir/r.xml'], { cwd: dir });
    expect(r.code).toBe(3);
    expect(r.stderr).toBe('error: cannot write no/such/dir/r.xml: no such directory\n');
    // Checked before anything is fetched: no report that a failure to write it would follow.
    expect(r.stdout).toBe('');
  });
});

describe('check on GitHub Actions', () => {
  it('prints an annotation per rule that did not pass after the report, and appends a step summary', async () => {
    const { dir, fixture } = setup([{ name: 'pipe | name', metric: 'chat', maxErrorRate: '2%' }]);
    const summary = join(dir, 'summary.md');
    writeFileSync(summary, '# earlier step\n\n');
    const env = { GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: summary };
    const r = await run(['check', '--fixture', fixture, '--config', 'rules.json'], { cwd: dir, env });
    expect(r.code).toBe(1);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines.slice(-3)).toEqual([
      '::error title=acs-metrics check%3A fails::FAIL fails (chat): error rate 1.10%25 > 1.00%25 (requests 1,000, errors 11, worst SendChatMessage 2.20%25)',
      '::warning title=acs-metrics check%3A warns::WARN warns (chat): error rate 1.10%25 > 1.00%25 (requests 1,000, errors 11, worst SendChatMessage 2.20%25)',
      '::warning title=acs-metrics check%3A too thin::NO DATA too thin (chat): not enough data: 1,000 requests, min-requests 5,000 (requests 1,000, errors 11)',
    ]);
    expect(lines[lines.length - 4]).toMatch(
      /^check FAILED: 5 rules: 1 failed, 2 passed, 1 warning, 1 not enough data; window 2026-01-01T00:00:00Z - 2026-01-01T01:00:00Z$/,
    );
    const md = readFileSync(summary, 'utf8');
    expect(md.startsWith('# earlier step\n\n### acs-metrics check: FAILED\n')).toBe(true);
    expect(md).toContain('| Result | Rule | Metric | Error rate | Max | Requests | Errors | Worst operation | Details |');
    expect(md).toContain('| ❌ FAIL | fails | chat | 1.10% | 1.00% | 1,000 | 11 | SendChatMessage 2.20% | error rate 1.10% \\> 1.00% |');
    expect(md).toContain('| ✅ PASS | pipe \\| name | chat |');
    expect(md).toContain('5 rules: 2 passed, 1 failed, 1 warned, 1 not enough data, 0 not evaluated. Window: 2026-01-01T00:00:00Z – 2026-01-01T01:00:00Z.');
    // Appended, not overwritten: a second run adds a second table.
    await run(['check', '--fixture', fixture, '--config', 'rules.json'], { cwd: dir, env });
    expect(readFileSync(summary, 'utf8').match(/### acs-metrics check/g)).toHaveLength(2);
  });

  it('with --output json the annotations go to stderr so that stdout stays JSON', async () => {
    const { dir, fixture } = setup();
    const r = await run(['check', '--fixture', fixture, '--config', 'rules.json', '-o', 'json'], { cwd: dir, env: { GITHUB_ACTIONS: 'true' } });
    expect(JSON.parse(r.stdout).passed).toBe(false);
    expect(r.stderr.split('\n').filter((l) => l.startsWith('::'))).toHaveLength(3);
  });

  it('prints nothing for GitHub without GITHUB_ACTIONS=true', async () => {
    const { dir, fixture } = setup();
    const r = await run(['check', '--fixture', fixture, '--config', 'rules.json'], { cwd: dir, env: { GITHUB_ACTIONS: 'false' } });
    expect(r.stdout).not.toContain('::');
  });

  it('escapes workflow-command data and properties, and markdown cells', () => {
    expect(escapeData('100% done\r\nnext')).toBe('100%25 done%0D%0Anext');
    expect(escapeProperty('a: b, c 5%\n')).toBe('a%3A b%2C c 5%25%0A');
    expect(mdCell('a|b <i>*x*</i> $y$ [l](u)\nz')).toBe('a\\|b \\<i\\>\\*x\\*\\</i\\> \\$y\\$ \\[l\\](u)\\\\x0az');
  });
});

describe('check report colour', () => {
  it('colours verdicts only when colour is on', async () => {
    const { dir, fixture } = setup();
    const plain = await run(['check', '--fixture', fixture, '--config', 'rules.json'], { cwd: dir });
    expect(plain.stdout).not.toContain('\u001b[');
    const forced = await run(['check', '--fixture', fixture, '--config', 'rules.json'], { cwd: dir, env: { FORCE_COLOR: '1' } });
    expect(forced.stdout).toContain('\u001b[31m\u001b[1mFAIL');
    const off = await run(['check', '--fixture', fixture, '--config', 'rules.json', '--no-color'], { cwd: dir, env: { FORCE_COLOR: '1' } });
    expect(off.stdout).not.toContain('\u001b[');
  });
});

/**
 * Issue 19 items 4 and 7 for rules files: a YAML alias bomb is an invalid rules file (exit 2, one
 * line, no stack trace), and a JSON rules file with a key given twice is refused as YAML refuses it.
 */
import { describe, expect, it } from 'vitest';
import { writeFixture } from './helpers/fixture.js';
import { run } from './helpers/io.js';

const SAMPLE = 'fixtures/sample-week.json';

describe('rules files', () => {
  it('a YAML alias bomb ("billion laughs") is refused: exit 2, one line', async () => {
    const levels = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]'];
    for (const [prev, name] of [
      ['a', 'b'],
      ['b', 'c'],
      ['c', 'd'],
      ['d', 'e'],
      ['e', 'f'],
      ['f', 'g'],
    ])
      levels.push(`${name}: &${name} [${Array(10).fill(`*${prev}`).join(',')}]`);
    const path = writeFixture(`${levels.join('\n')}\nrules: [*g]\n`, 'bomb.yaml');
    const r = await run(['check', '--fixture', SAMPLE, '--config', path]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`error: ${path}: not valid YAML: aliases expand too far (more than 100 times a node): a rules file needs few aliases\n`);
  });

  it('a few aliases are fine', async () => {
    const path = writeFixture(
      'rules:\n  - { metric: chat, since: 1d, errors: &e [5xx], maxErrorRate: 5% }\n  - { metric: sms, since: 1d, errors: *e, maxErrorRate: 5% }\n',
      'ok.yaml',
    );
    const r = await run(['check', '--fixture', SAMPLE, '--config', path]);
    expect(r.code).toBe(0);
  });
});

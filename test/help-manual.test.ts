/**
 * Every command's --help ends with the page of the manual that covers it, and that page exists:
 * docs/<command>.md, and docs/README.md (the index) for acs-metrics --help.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { COMMAND_LOADERS } from '../src/cli/commands.js';
import { run } from './helpers/io.js';

const ROOT = join(import.meta.dirname, '..');
const commands = [...COMMAND_LOADERS.map(([name]) => name), 'completion'];

describe('--help ends with its page of the manual', () => {
  it('knows every command (the list is not empty)', () => {
    expect(commands).toEqual(
      expect.arrayContaining(['catalog', 'query', 'check', 'alerts', 'definitions', 'usage', 'export', 'status', 'resources', 'completion']),
    );
  });

  for (const command of [undefined, ...commands]) {
    it(command ?? '(no command)', async () => {
      const r = await run(command === undefined ? ['--help'] : [command, '--help']);
      expect(r.code).toBe(0);
      const last = r.stdout.trimEnd().split('\n').at(-1)!;
      const page = command === undefined ? 'docs/README.md' : `docs/${command}.md`;
      expect(last).toBe(`Manual: ${page} (in the acs-metrics package and repository)`);
      expect(existsSync(join(ROOT, page)), page).toBe(true);
    });
  }

  it('the package ships docs/ (package.json "files"), so the page is there for an npm install too', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { files: string[] };
    expect(pkg.files).toContain('docs/');
  });

  it('a usage error does not print the manual line (help text only)', async () => {
    const r = await run(['query', '--no-such-option']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("error: unknown option '--no-such-option'\n");
  });
});

/**
 * The built binary (each command's bundle, or dist/ for the rest) answers --help with exit 0 and an
 * unknown option with one line and exit 2, for every command: a second copy of commander in the build
 * once made both an internal error (exit 70) for the commands that run from dist/.
 */
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { COMMAND_LOADERS } from '../src/cli/commands.js';

const BIN = join(dirname(new URL(import.meta.url).pathname), '..', 'bin', 'acs-metrics.js');
const run = (args: string[]) => spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });

describe('the built binary, every command', () => {
  const commands = [...COMMAND_LOADERS.map(([name]) => name), 'completion'];
  it('lists the commands it knows (the scan works)', () => {
    expect(commands).toEqual(expect.arrayContaining(['query', 'status', 'usage', 'export', 'resources']));
  });
  for (const command of [undefined, ...commands]) {
    const args = command === undefined ? [] : [command];
    it(`${command ?? '(no command)'}: --help exits 0, an unknown option exits 2 with one line`, () => {
      const help = run([...args, '--help']);
      expect(help.stderr).toBe('');
      expect(help.status).toBe(0);
      expect(help.stdout).toMatch(/^Usage: acs-metrics/);
      // The page of the manual, as main() prints it (test/help-manual.test.ts), also from the bundles.
      expect(help.stdout).toMatch(new RegExp(`\\nManual: docs/${command ?? 'README'}\\.md \\(in the acs-metrics package and repository\\)\\n$`));
      const bad = run([...args, '--no-such-option']);
      expect(bad.status).toBe(2);
      expect(bad.stderr).toBe("error: unknown option '--no-such-option'\n");
    }, 20000);
  }
});

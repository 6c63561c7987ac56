/**
 * Chart sizes beyond what a terminal can show are usage errors (exit 2), at once: --width 10000000
 * used to run out of memory after a minute, --height 100000 took half a minute.
 */
import { describe, expect, it } from 'vitest';
import { chatBody, writeFixture } from './helpers/fixture.js';
import { run } from './helpers/io.js';

const chat = writeFixture(chatBody());
const chart = (...flags: string[]) => run(['query', '--fixture', chat, '-m', 'chat', '-o', 'chart', ...flags]);

const WIDTH = (v: string) => `error: invalid --width "${v}": expected a whole number of columns from 20 to 1000\n`;
const HEIGHT = (v: string) => `error: invalid --height "${v}": expected a whole number from 2 to 200 (plot rows)\n`;

describe('--width and --height limits', () => {
  it('refuses sizes outside 20..1000 columns and 2..200 rows, quickly', async () => {
    const started = Date.now();
    for (const v of ['10000000', '1001', '19', '0', '1e9', '20.5', 'wide']) {
      expect(await chart('--width', v)).toEqual({ code: 2, stdout: '', stderr: WIDTH(v) });
    }
    for (const v of ['100000', '201', '1', '-3', 'tall']) {
      expect(await chart('--height', v)).toEqual({ code: 2, stdout: '', stderr: HEIGHT(v) });
    }
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('draws at the limits: every line within 1000 columns, 200 plot rows', async () => {
    const wide = await chart('--width', '1000', '--height', '2');
    expect(wide.code).toBe(0);
    const widths = wide.stdout.split('\n').map((l) => l.length);
    expect(Math.max(...widths)).toBeLessThanOrEqual(1000);
    const narrow = await chart('--width', '20', '--height', '200');
    expect(narrow.code).toBe(0);
    // The plot rows: at most the height asked for (y labels step by round values, so fewer may do).
    const rows = narrow.stdout.split('\n').filter((l) => /^\s*[\d,.]+ [┤┼]/.test(l)).length;
    expect(rows).toBeGreaterThan(12);
    expect(rows).toBeLessThanOrEqual(200);
  });

  it('says the limits in --help', async () => {
    const help = (await run(['query', '--help'])).stdout.replace(/\s+/g, ' ');
    expect(help).toContain('--width <columns> fit tables and charts to this many columns, 20 to 1000');
    expect(help).toContain('--height <rows> chart height in plot rows, 2 to 200 (default 12)');
  });

  it('a terminal wider than 1000 columns draws 1000 wide', async () => {
    const r = await run(['query', '--fixture', chat, '-m', 'chat', '-o', 'chart'], { columns: 5000 });
    expect(r.code).toBe(0);
    expect(Math.max(...r.stdout.split('\n').map((l) => l.length))).toBeLessThanOrEqual(1000);
    expect(Math.max(...r.stdout.split('\n').map((l) => l.length))).toBeGreaterThan(900);
  });
});

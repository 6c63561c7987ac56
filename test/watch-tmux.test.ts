/**
 * query --watch in a real terminal (tmux): redraws in place, fits a resized terminal, leaves the
 * alternate screen on Ctrl-C. Skipped when tmux is not installed (.ci/run installs it).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { screen } from '../src/cli/watch.js';
import { run } from './helpers/io.js';

const ROOT = resolve(import.meta.dirname, '..');
const SAMPLE = join(ROOT, 'fixtures', 'sample-week.json');
const hasTmux = spawnSync('tmux', ['-V']).status === 0;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.skipIf(!hasTmux)('query --watch in tmux', () => {
  const dir = mkdtempSync(join(tmpdir(), 'acs-watch-'));
  const socket = join(dir, 'tmux.sock');
  const tmux = (...args: string[]) => execFileSync('tmux', ['-S', socket, ...args], { encoding: 'utf8' });
  afterAll(() => {
    spawnSync('tmux', ['-S', socket, 'kill-server']);
    rmSync(dir, { recursive: true, force: true });
  });
  const capture = () => tmux('capture-pane', '-p', '-t', 'w');
  async function waitFor(test: (text: string) => boolean, what: string): Promise<string> {
    for (let i = 0; i < 100; i++) {
      const text = capture();
      if (test(text)) return text;
      await sleep(100);
    }
    throw new Error(`timed out waiting for ${what}:\n${capture()}`);
  }

  it('redraws in place, fits a resize and restores the screen on Ctrl-C', async () => {
    const rc = join(dir, 'rc');
    const cmd = `trap 'true' INT; printf 'before\\n'; NO_COLOR=1 '${process.execPath}' '${join(ROOT, 'bin', 'acs-metrics.js')}' query --fixture '${SAMPLE}' -m chat --since 24h --watch 5s; echo $? > '${rc}'; sleep 30`;
    tmux('new-session', '-d', '-s', 'w', '-x', '120', '-y', '40', 'sh', '-c', cmd);
    const first = await waitFor((t) => t.includes('Ctrl-C to stop') && t.includes('Total'), 'the first frame');
    expect(first).toMatch(/^every 5s · refreshed \d{4}-\d\d-\d\dT[\d:]+Z · latest complete bucket 2026-01-07T23:00Z · Ctrl-C to stop/);
    // The alternate screen: what was printed before is not on it.
    expect(first).not.toContain('before');
    expect(first).toContain('│ ListChatThreadParticipants  │');

    tmux('resize-window', '-t', 'w', '-x', '70', '-y', '40');
    const narrow = await waitFor((t) => t.includes('│ ListChatThreadPar'), 'the redraw at 70 columns');
    for (const line of narrow.split('\n')) expect([...line].length).toBeLessThanOrEqual(70);

    tmux('send-keys', '-t', 'w', 'C-c');
    const exited = () => {
      try {
        return readFileSync(rc, 'utf8').trim() !== '';
      } catch {
        return false;
      }
    };
    await waitFor(exited, 'the exit');
    const restored = capture();
    expect(restored).toContain('before');
    expect(restored).not.toContain('Ctrl-C to stop');
    expect(readFileSync(rc, 'utf8').trim()).toBe('130');
  }, 30_000);
});

describe('--watch without a terminal, and the frame', () => {
  it('refuses off a terminal with one line, exit 2', async () => {
    const r = await run(['query', '--fixture', SAMPLE, '-m', 'chat', '--watch']);
    expect([r.code, r.stdout, r.stderr]).toEqual([
      2,
      '',
      'error: --watch redraws a terminal, and stdout is not one: run it in a terminal, or drop --watch to print once\n',
    ]);
  });
  it('refuses a too short interval and machine outputs', async () => {
    const r = await run(['query', '--fixture', SAMPLE, '-m', 'chat', '--watch', '2s', '-o', 'json'], { isTTY: true, env: { NO_COLOR: '1' } });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('error: invalid --watch "2s": expected a refresh interval of 5s or more, such as 30s, 1m or 5m\n');
    const j = await run(['query', '--fixture', SAMPLE, '-m', 'chat', '--watch', '-o', 'csv'], { isTTY: true, env: { NO_COLOR: '1' } });
    expect(j.stderr).toBe('error: --watch redraws a table or a chart, not -o csv\n');
  });
  it('a frame homes the cursor, clears each line to its end and below, and fits the rows', () => {
    const s = screen({ text: 'a\nb\nc\n', latestComplete: Date.parse('2026-01-07T23:00:00Z') }, 60_000, Date.parse('2026-01-08T00:00:37Z'), 4);
    expect(s).toBe(
      '\u001b[Hevery 60s · refreshed 2026-01-08T00:00:37Z · latest complete bucket 2026-01-07T23:00Z · Ctrl-C to stop\u001b[K\n\u001b[K\na\u001b[K\nb\u001b[K\u001b[J',
    );
  });
});

/** Shell completion: the scripts, and the candidates `__complete` gives them. */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { run } from './helpers/io.js';

const ROOT = resolve(import.meta.dirname, '..');
const SMS_OPS = ['SMSMessageSent', 'SMSDeliveryReportsReceived', 'SMSMessagesReceived'];
const words = async (...w: string[]) => {
  const r = await run(['__complete', '--', ...w]);
  expect(r.code).toBe(0);
  return r.stdout.split('\n').filter((l) => l !== '');
};

describe('__complete', () => {
  it('commands, then the options of the command', async () => {
    expect(await words('')).toEqual(['catalog', 'query', 'check', 'definitions', 'completion', '--help', '--version', '--no-color']);
    expect(await words('q')).toEqual(['query']);
    expect(await words('query', '--sp')).toEqual(['--split-by']);
    expect(await words('query', '--o')).toEqual(['--operation', '--output']);
    // az spellings are accepted but not offered.
    expect(await words('query', '--start')).toEqual(['--start']);
  });
  it('metric aliases, outputs, aggregations', async () => {
    expect(await words('query', '-m', 'email')).toEqual(['email', 'email-delivery', 'email-engagement']);
    expect(await words('catalog', 'call')).toEqual(['callautomation', 'callbacks']);
    expect(await words('query', '-o', '')).toEqual(['table', 'chart', 'json', 'csv', 'tsv', 'yaml', 'openmetrics']);
    expect(await words('usage', '-o', '')).toEqual(['table', 'json', 'csv', 'markdown', 'chart']);
    expect(await words('check', '--output', '')).toEqual(['text', 'json', 'yaml']);
    expect(await words('query', '-a', 'm')).toEqual(['min', 'max']);
  });
  it('--operation: the operations of the chosen metric, or of all', async () => {
    expect(await words('query', '-m', 'chat', '--operation', 'Send')).toEqual(['SendChatMessage', 'SendReadReceipt', 'SendTypingIndicator']);
    expect(await words('query', '--metric', 'APIRequestSMS', '--operation', '')).toEqual(SMS_OPS);
    expect(await words('query', '--operation', 'CreateC')).toEqual(['CreateChatThread']);
  });
});

describe('completion SHELL', () => {
  it('prints a script for each shell; an unknown shell is one line, exit 2', async () => {
    for (const shell of ['bash', 'zsh', 'fish', 'pwsh']) {
      const r = await run(['completion', shell]);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('acs-metrics __complete --');
    }
    const r = await run(['completion', 'tcsh']);
    expect([r.code, r.stderr]).toEqual([2, 'error: unknown shell "tcsh": expected one of bash, zsh, fish, pwsh\n']);
  });

  const dir = mkdtempSync(join(tmpdir(), 'acs-completion-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  it('bash: the script completes through the real binary', () => {
    const shim = join(dir, 'acs-metrics');
    writeFileSync(shim, `#!/bin/sh\nexec "${process.execPath}" "${join(ROOT, 'bin', 'acs-metrics.js')}" "$@"\n`);
    chmodSync(shim, 0o755);
    const script = `eval "$(acs-metrics completion bash)"; COMP_WORDS=(acs-metrics query -m chat --operation ListChatT); COMP_CWORD=5; _acs_metrics; printf '%s\\n' "\${COMPREPLY[@]}"`;
    const r = spawnSync('bash', ['-c', script], { env: { ...process.env, PATH: `${dir}:${process.env.PATH}` }, encoding: 'utf8', timeout: 20_000 });
    expect(r.stdout).toBe('ListChatThreads\nListChatThreadParticipants\n');
  });
});

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

/** The names --help lists: commands, or a command's long options, in its order. */
async function helpNames(argv: string[], section: 'Commands' | 'Options'): Promise<string[]> {
  const r = await run([...argv, '--help']);
  expect(r.code).toBe(0);
  const lines = r.stdout.split('\n');
  const from = lines.indexOf(`${section}:`);
  expect(from).toBeGreaterThan(-1);
  const names: string[] = [];
  for (const line of lines.slice(from + 1)) {
    if (line === '') break;
    const m = section === 'Commands' ? /^ {2}([a-z][\w-]*)/.exec(line) : /^ {2}(?:-\w, )?(--[\w-]+)/.exec(line);
    if (m) names.push(m[1]!);
  }
  return names;
}

/** The values a command's validation accepts for an option, from its own error message. */
async function acceptedValues(argv: string[], flag: string): Promise<string[]> {
  const r = await run([...argv, flag, 'no-such-value']);
  expect(r.code).toBe(2);
  const m = /expected (?:one of )?(.*)\n/.exec(r.stderr);
  expect(m, r.stderr).not.toBeNull();
  return m![1]!.replace(/\s*\([^)]*\)/g, '').split(/, | or /);
}

describe('__complete: generated from the commands --help shows', () => {
  it('the commands and global options of acs-metrics --help', async () => {
    const commands = await helpNames([], 'Commands');
    // Every command, the estate and retirement ones included (issue 19: they were missing).
    expect(commands).toEqual(expect.arrayContaining(['catalog', 'query', 'check', 'definitions', 'usage', 'export', 'status', 'resources', 'completion']));
    expect(await words('')).toEqual([...commands, ...(await helpNames([], 'Options'))]);
    expect(await words('q')).toEqual(['query']);
    expect(await words('st')).toEqual(['status']);
  });

  it("every command's options are exactly those its --help lists", async () => {
    for (const command of await helpNames([], 'Commands')) {
      const options = await helpNames([command], 'Options');
      expect(options.length, command).toBeGreaterThan(0);
      expect(await words(command, '-'), command).toEqual(options);
      expect(await words(command, '--'), command).toEqual(options);
    }
  });

  it('option values are those the command accepts (its own "expected ..." message)', async () => {
    const cases: [string[], string][] = [
      [['query'], '--output'],
      [['check', '-m', 'chat', '--max-error-rate', '1%'], '--output'],
      [['check', '-m', 'chat', '--max-error-rate', '1%'], '--level'],
      [['status'], '--output'],
      [['usage'], '--output'],
      [['usage'], '--fail-on'],
      [['usage'], '--trend'],
      [['resources'], '--output'],
    ];
    for (const [argv, flag] of cases) {
      const accepted = await acceptedValues(
        [...argv, '--fixture', 'fixtures/sample-week.json'].filter((a) => !(argv[0] === 'resources' && a.includes('fixture'))),
        flag,
      );
      expect(await words(argv[0]!, flag, ''), `${argv[0]} ${flag}`).toEqual(accepted);
      const short = flag === '--output' ? '-o' : undefined;
      if (short) expect(await words(argv[0]!, short, ''), `${argv[0]} ${short}`).toEqual(accepted);
    }
    expect(await words('usage', '--fail-on', '')).toEqual(['retiring', 'breaking']);
    expect(await words('usage', '-o', 'm')).toEqual(['markdown']);
    expect(await words('export', 'dir', '-i', '')).toEqual(['PT1M', 'PT1H']);
    expect(await words('query', '-i', '')).toEqual(['auto', 'FULL']);
  });

  it('metric aliases, aggregations, dimensions, arguments', async () => {
    expect(await words('query', '-m', 'email')).toEqual(['email', 'email-delivery', 'email-engagement']);
    expect(await words('status', '--metric', 'a')).toEqual(['auth', 'all']);
    expect(await words('check', '-m', 'a')).toEqual(['auth', 'all']);
    expect(await words('query', '-m', 'a')).toEqual(['auth']);
    expect(await words('catalog', 'call')).toEqual(['callautomation', 'callbacks']);
    expect(await words('catalog', '--width', '80', 'call')).toEqual(['callautomation', 'callbacks']);
    expect(await words('catalog', 'chat', '')).toEqual([]);
    expect(await words('completion', '')).toEqual(['bash', 'zsh', 'fish', 'pwsh']);
    expect(await words('query', '-a', 'm')).toEqual(['min', 'max']);
    expect(await words('query', '-m', 'chat', '--split-by', 'st')).toEqual(['StatusCode', 'StatusSubClass']);
    // An option that takes a value without a list: nothing (not the options).
    expect(await words('query', '--since', '')).toEqual([]);
    // az spellings are accepted but not offered.
    expect(await words('query', '--start')).toEqual(['--start']);
  });

  it('comma lists: the value after the last comma', async () => {
    expect(await words('status', '-m', 'chat,s')).toEqual(['chat,sms']);
    expect(await words('query', '-m', 'chat', '--split-by', 'operation,status')).toEqual(['operation,StatusCode', 'operation,StatusSubClass']);
    expect(await words('usage', '--fail-on', 'retiring,')).toEqual(['retiring,retiring', 'retiring,breaking']);
  });

  it('--operation: the operations of the chosen metric, or of all', async () => {
    expect(await words('query', '-m', 'chat', '--operation', 'Send')).toEqual(['SendChatMessage', 'SendReadReceipt', 'SendTypingIndicator']);
    expect(await words('query', '--metric', 'APIRequestSMS', '--operation', '')).toEqual(SMS_OPS);
    expect(await words('check', '--metrics', 'sms', '--operation', '')).toEqual(SMS_OPS);
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

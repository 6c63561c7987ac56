/**
 * An empty filter value is a usage error (exit 2), never a filter that silently matches everything:
 * `check --operation "" --max-error-rate 1%` must not gate the whole metric.
 */
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { chatBody, writeFixture } from './helpers/fixture.js';
import { run } from './helpers/io.js';

const chat = writeFixture(chatBody());

const OPERATION = 'error: --operation has an empty value: give operation names separated by commas, e.g. --operation SendChatMessage,GetChatMessage\n';
const STATUS_CODE = 'error: --status-code has an empty value: give status codes separated by commas, e.g. --status-code 429,503\n';
const STATUS_CLASS = 'error: --status-class has an empty value: give status classes separated by commas, e.g. --status-class 4xx,5xx\n';

describe('empty --operation, --status-code, --status-class values', () => {
  const cases: [string[], string][] = [
    [['--operation', ''], OPERATION],
    [['--operation', ' '], OPERATION],
    [['--operation', ','], OPERATION],
    [['--operation', 'SendChatMessage,,GetChatMessage'], OPERATION],
    [['--operation', 'SendChatMessage,'], OPERATION],
    [['--operation', 'SendChatMessage', '--operation', ''], OPERATION],
    [['--status-code', ''], STATUS_CODE],
    [['--status-code', '429,,503'], STATUS_CODE],
    [['--status-class', ''], STATUS_CLASS],
    [['--status-class', '5xx, ,4xx'], STATUS_CLASS],
  ];

  for (const [flags, message] of cases) {
    it(`check ${JSON.stringify(flags)} is exit 2, with or without --metric`, async () => {
      for (const metric of [['-m', 'chat'], []]) {
        const r = await run(['check', '--fixture', chat, ...metric, ...flags, '--max-error-rate', '1%']);
        expect([r.code, r.stdout, r.stderr]).toEqual([2, '', message]);
      }
    });

    it(`query ${JSON.stringify(flags)} is exit 2, with or without --metric`, async () => {
      for (const metric of [['-m', 'chat'], []]) {
        const r = await run(['query', '--fixture', chat, ...metric, ...flags]);
        expect([r.code, r.stdout, r.stderr]).toEqual([2, '', message]);
      }
    });
  }

  it('several empty flags: one line each', async () => {
    const r = await run(['check', '--fixture', chat, '-m', 'chat', '--operation', '', '--status-code', ',', '--status-class', '', '--max-error-rate', '1%']);
    expect([r.code, r.stderr]).toEqual([2, OPERATION + STATUS_CODE + STATUS_CLASS]);
  });

  it('an empty --split-by is exit 2 too (it would silently drop the split)', async () => {
    const r = await run(['query', '--fixture', chat, '-m', 'chat', '--split-by', 'operation,']);
    expect([r.code, r.stdout, r.stderr]).toEqual([
      2,
      '',
      'error: --split-by has an empty value: give dimensions separated by commas, e.g. --split-by operation,statuscode (or none for one series)\n',
    ]);
  });

  it('non-empty values still work: spaces around commas are trimmed', async () => {
    const r = await run(['check', '--fixture', chat, '-m', 'chat', '--operation', ' SendChatMessage , GetChatMessage ', '--max-error-rate', '10%']);
    // 9 errors (5 x 503, 4 x 429) in 137 requests = 6.57%.
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')[0]).toMatch(/^PASS  chat SendChatMessage,GetChatMessage  error rate 6\.57% <= 10\.00%  requests 137  errors 9 /);
  });
});

describe('empty entries in a check --config rules file', () => {
  const rulesFile = (rule: object): string => {
    const dir = dirname(chat);
    const path = join(dir, `rules-${Math.random().toString(36).slice(2)}.json`);
    writeFileSync(path, JSON.stringify({ rules: [{ metric: 'chat', maxErrorRate: '1%', ...rule }] }));
    return path;
  };
  const cases: [object, string][] = [
    [{ operations: '' }, 'rules[0].operations: the value is empty: give an operation name such as SendChatMessage'],
    [{ operations: ['SendChatMessage', ''] }, 'rules[0].operations[1]: the value is empty: give an operation name such as SendChatMessage'],
    [{ operations: [' '] }, 'rules[0].operations[0]: the value is empty: give an operation name such as SendChatMessage'],
    [{ statusCodes: ['429', ''] }, 'rules[0].statusCodes[1]: the value is empty: give a status code such as 429'],
    [{ statusCodes: '' }, 'rules[0].statusCodes: the value is empty: give a status code such as 429'],
    [{ statusClasses: ['', '5xx'] }, 'rules[0].statusClasses[0]: the value is empty: give a status class such as 5xx'],
    [{ operations: [] }, 'rules[0].operations: the list is empty: give an operation name such as SendChatMessage'],
  ];
  for (const [rule, message] of cases) {
    it(JSON.stringify(rule), async () => {
      const path = rulesFile(rule);
      const r = await run(['check', '--fixture', chat, '--config', path]);
      expect([r.code, r.stdout, r.stderr]).toEqual([2, '', `error: ${path}: ${message}\n`]);
    });
  }

  it('in defaults too', async () => {
    const path = join(dirname(chat), 'defaults-rules.json');
    writeFileSync(path, JSON.stringify({ defaults: { statusClasses: ['5xx', ''] }, rules: [{ metric: 'chat', maxErrorRate: '1%' }] }));
    const r = await run(['check', '--fixture', chat, '--config', path]);
    expect([r.code, r.stderr]).toEqual([2, `error: ${path}: defaults.statusClasses[1]: the value is empty: give a status class such as 5xx\n`]);
  });
});

/**
 * Empty selection values are usage errors (exit 2) before anything is fetched, like every other empty
 * value: `--name "$NAME"` with NAME unset must not narrow the estate to nothing (a data error, exit 3)
 * nor, in a check, to a rule that cannot be judged.
 */
import { describe, expect, it } from 'vitest';
import { chatBody, writeFixture } from './helpers/fixture.js';
import { run } from './helpers/io.js';

const SUB = '00000000-0000-0000-0000-000000000000';
// A closed port: before the fix these runs went on to discovery and ended in a network error (exit 3).
const LIVE = ['--endpoint', 'https://127.0.0.1:9'];
const env = { ACS_METRICS_ACCESS_TOKEN: 'test-token' };
const NAME = "error: --name has an empty value: give a resource name, or a pattern with * and ?, e.g. --name acs-prod or --name 'acs-*'\n";
const GROUP = 'error: --resource-group has an empty value: give a resource group name, e.g. --resource-group my-rg\n';

describe('empty --name, --resource-group, --tag key (the estate selection)', () => {
  const cases: [string[], string][] = [
    [['--all-subscriptions', '--name', ''], NAME],
    [['--subscription', SUB, '--name', ' '], NAME],
    [['--all-subscriptions', '--name', 'acs-*', '--name', ''], NAME],
    [['--all-subscriptions', '-g', ''], GROUP],
    [['--subscription', SUB, '--resource-group', ' ', '--name', 'acs-*'], GROUP],
    [['--all-subscriptions', '--tag', ' =prod'], 'error: invalid --tag " =prod": expected KEY=VALUE, e.g. --tag env=prod\n'],
  ];
  for (const [flags, message] of cases) {
    for (const command of [['status'], ['resources'], ['usage'], ['query', '-m', 'chat'], ['check', '-m', 'chat', '--max-error-rate', '1%']]) {
      it(`${command[0]} ${JSON.stringify(flags)} is exit 2`, async () => {
        const r = await run([...command, ...flags, ...LIVE], { env });
        expect([r.code, r.stdout, r.stderr]).toEqual([2, '', message]);
      });
    }
  }
});

describe('other empty values', () => {
  const chat = writeFixture(chatBody());
  it('--resource-name "" is exit 2 (it matched no resource: exit 3)', async () => {
    const message = 'error: --resource-name has an empty value: give resource names or ids separated by commas, e.g. --resource-name acs-prod,acs-test\n';
    for (const command of [['query'], ['check', '--max-error-rate', '1%']]) {
      for (const value of ['', 'acs-a,']) {
        const r = await run([...command, '--fixture', chat, '-m', 'chat', '--resource-name', value]);
        expect([r.code, r.stdout, r.stderr]).toEqual([2, '', message]);
      }
    }
  });
  it('check --rule-name "" is exit 2 (it fell back to the default name)', async () => {
    const r = await run(['check', '--fixture', chat, '-m', 'chat', '--max-error-rate', '1%', '--rule-name', ' ']);
    expect([r.code, r.stdout, r.stderr]).toEqual([
      2,
      '',
      'error: --rule-name is empty: give a name, e.g. --rule-name "chat errors", or leave it out for the default (the metric and its operations)\n',
    ]);
  });
  it('export "" is exit 2 naming the folder, not "error:  is not empty"', async () => {
    for (const extra of [[], ['--verify']]) {
      const r = await run(
        ['export', '', ...extra, '--resource', `/subscriptions/${SUB}/resourceGroups/g/providers/Microsoft.Communication/CommunicationServices/a`, ...LIVE],
        { env },
      );
      expect([r.code, r.stdout, r.stderr]).toEqual([2, '', 'error: the folder name is empty: give one, e.g. acs-metrics export ./acs-telemetry\n']);
    }
  });
});

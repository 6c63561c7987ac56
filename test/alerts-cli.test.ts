/**
 * `acs-metrics alerts`: golden templates (arm, bicep, terraform; regenerate with UPDATE_GOLDENS=1 and
 * read the diff), the per-rule mapping it reports, exit codes, and that a typo fails exactly as in
 * `check` (the same rule reader).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from './helpers/io.js';
import { tempDir } from './helpers/temp.js';

const ROOT = resolve(import.meta.dirname, '..');
const GOLDEN = join(ROOT, 'test', 'golden');
const RULES = join(ROOT, 'test', 'data', 'alerts-rules.yaml');
const WORKSPACE = '/subscriptions/00000000-0000-0000-0000-0000000000aa/resourceGroups/logs/providers/Microsoft.OperationalInsights/workspaces/acs-logs';
const RESOURCE = '/subscriptions/00000000-0000-0000-0000-0000000000bb/resourceGroups/comms/providers/Microsoft.Communication/CommunicationServices/acs-prod';

function golden(name: string, text: string): void {
  const file = join(GOLDEN, name);
  if (process.env.UPDATE_GOLDENS === '1' || !existsSync(file)) writeFileSync(file, text);
  expect(text).toBe(readFileSync(file, 'utf8'));
}

describe('golden templates', () => {
  const cases: [string, string[]][] = [
    ['alerts-workspace.json', ['-o', 'arm', '--workspace', WORKSPACE]],
    ['alerts-workspace.bicep', ['-o', 'bicep', '--workspace', WORKSPACE]],
    ['alerts-workspace.tf.json', ['-o', 'terraform', '--workspace', WORKSPACE]],
    ['alerts-metrics-only.json', []],
    ['alerts-metrics-only.bicep', ['-o', 'bicep']],
    ['alerts-metrics-only.tf.json', ['-o', 'terraform']],
  ];
  for (const [file, extra] of cases) {
    it(file, async () => {
      const r = await run(['alerts', '--config', RULES, '--resource', RESOURCE, ...extra]);
      expect(r.code).toBe(0);
      golden(file, r.stdout);
    });
  }

  it('writes the same bytes on a re-run, and the same alert names whatever the order of the rules', async () => {
    const a = await run(['alerts', '--config', RULES, '--workspace', WORKSPACE]);
    const b = await run(['alerts', '--config', RULES, '--workspace', WORKSPACE]);
    expect(b.stdout).toBe(a.stdout);
    const dir = tempDir();
    const reversed = join(dir, 'reversed.yaml');
    const text = readFileSync(RULES, 'utf8');
    const [head, body] = text.split('rules:\n');
    const items = body!.split(/\n(?=  - )/).map((s) => s.replace(/\n$/, ''));
    writeFileSync(reversed, `${head}rules:\n${items.reverse().join('\n')}\n`);
    const c = await run(['alerts', '--config', reversed, '--workspace', WORKSPACE]);
    const names = (out: string) => (JSON.parse(out).resources as { name: string }[]).map((r) => r.name).sort();
    expect(names(c.stdout)).toEqual(names(a.stdout));
    expect(names(a.stdout)).toEqual([
      'acs-auth-two-hours-max-total',
      'acs-chat-errors-error-rate',
      'acs-chat-per-operation-error-rate',
      'acs-rooms-send-volume-min-total',
      'acs-router-ceiling-max-total',
      'acs-sms-traffic-min-total',
    ]);
  });
});

describe('what alerts says per rule', () => {
  it('without a workspace: rates approximate, bounds exact, several values and odd windows approximate, changes not mapped', async () => {
    const r = await run(['alerts', '--config', RULES]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(
      [
        'rule "chat errors": approximate: error rate above 2.00% became an error-count criterion with a dynamic threshold (a metric alert has no ratio); give --workspace for an exact log search alert -> acs-chat-errors-error-rate',
        'rule "chat per operation": not mapped: error rate: errors mixing classes and codes (5xx,429) are not one dimension condition; give --workspace for a log search alert',
        'rule "sms traffic": exact -> acs-sms-traffic-min-total',
        'rule "router ceiling": exact -> acs-router-ceiling-max-total',
        'rule "rooms send volume": approximate: a metric alert judges each of the 2 Operation values (CreateRoom, DeleteRoom) on its own, not their sum -> acs-rooms-send-volume-min-total',
        'rule "email failures": approximate: error rate above 1.00% became an error-count criterion with a dynamic threshold (a metric alert has no ratio); give --workspace for an exact log search alert -> acs-email-failures-error-rate',
        'rule "auth two hours": approximate: window 2h is not an alert window size: PT6H is used -> acs-auth-two-hours-max-total',
        'rule "chat change": not mapped: a change against a baseline window has no alert form',
        'alerts: 8 rules: 2 exact, 4 approximate, 2 not mapped; 6 alert rules written (arm)',
        '',
      ].join('\n'),
    );
  });

  it('with a workspace: rates of channels with a log table exact, email not mapped', async () => {
    const r = await run(['alerts', '--config', RULES, '--workspace', WORKSPACE, '-o', 'bicep']);
    expect(r.stderr).toContain('rule "chat errors": exact -> acs-chat-errors-error-rate\n');
    expect(r.stderr).toContain('rule "chat per operation": exact -> acs-chat-per-operation-error-rate\n');
    expect(r.stderr).toContain(
      'rule "email failures": not mapped: error rate of email-delivery: no log search form, its log table (ACSEmailStatusUpdateOperational) has no column matching the metric\'s Result dimension\n',
    );
    expect(r.stderr).toContain('alerts: 8 rules: 4 exact, 2 approximate, 2 not mapped; 6 alert rules written (bicep)\n');
  });

  it('the log query compares in whole numbers, per resource (and operation), over the channel table', async () => {
    const r = await run(['alerts', '--config', RULES, '--workspace', WORKSPACE]);
    const resources = JSON.parse(r.stdout).resources as {
      name: string;
      properties: { criteria: { allOf: { query: string; dimensions: { name: string }[] }[] } };
    }[];
    const perOp = resources.find((x) => x.name === 'acs-chat-per-operation-error-rate')!.properties.criteria.allOf[0]!;
    expect(perOp.query).toBe(
      [
        'ACSChatIncomingOperations',
        '| summarize requests = count(), errors = countif(toint(ResultSignature) / 100 in (5) or toint(ResultSignature) in (429)) by _ResourceId, OperationName',
        '| where requests >= 50',
        '| where errors * 1000 > requests * 5',
        '| extend ErrorRate = todouble(errors) / requests',
      ].join('\n'),
    );
    expect(perOp.dimensions.map((d) => d.name)).toEqual(['_ResourceId', 'OperationName']);
  });
});

describe('exit codes', () => {
  it('--strict: 1 when a rule is not exact (the template is still written), 0 when all are', async () => {
    const strict = await run(['alerts', '--config', RULES, '--strict']);
    expect(strict.code).toBe(1);
    expect(JSON.parse(strict.stdout).resources).toHaveLength(6);
    const exact = await run(['alerts', '-m', 'sms', '--since', '30m', '--min-total', '1', '--strict']);
    expect(exact.code).toBe(0);
    expect(exact.stderr).toBe('rule "sms": exact -> acs-sms-min-total\nalerts: 1 rule: 1 exact, 0 approximate, 0 not mapped; 1 alert rule written (arm)\n');
    const rate = await run(['alerts', '-m', 'chat', '--since', '1h', '--max-error-rate', '1%', '--strict']);
    expect(rate.code).toBe(1);
  });

  it('a typo fails exactly as in check (exit 2, the same lines)', async () => {
    const dir = tempDir();
    const bad = join(dir, 'rules.json');
    writeFileSync(
      bad,
      JSON.stringify({
        rules: [
          { metric: 'chta', minTotal: 1 },
          { metric: 'chat', maxErorRate: '1%' },
        ],
      }),
    );
    const a = await run(['alerts', '--config', bad], { cwd: dir });
    const c = await run(['check', '--config', bad, '--fixture', join(ROOT, 'fixtures', 'sample-week.json')], { cwd: dir });
    expect(a.code).toBe(2);
    expect(c.code).toBe(2);
    expect(a.stdout).toBe('');
    expect(a.stderr).toBe(c.stderr);
    expect(a.stderr).toContain('rules[0].metric: unknown metric "chta": did you mean chat?');
    const flagA = await run(['alerts', '-m', 'chta', '--min-total', '1']);
    const flagC = await run(['check', '-m', 'chta', '--min-total', '1', '--fixture', join(ROOT, 'fixtures', 'sample-week.json')]);
    expect(flagA.code).toBe(2);
    expect(flagA.stderr).toBe(flagC.stderr);
    const opA = await run(['alerts', '-m', 'chat', '--operation', 'SendChatMesage', '--min-total', '1']);
    const opC = await run([
      'check',
      '-m',
      'chat',
      '--operation',
      'SendChatMesage',
      '--min-total',
      '1',
      '--fixture',
      join(ROOT, 'fixtures', 'sample-week.json'),
    ]);
    expect(opA.code).toBe(2);
    expect(opA.stderr).toBe(opC.stderr);
  });

  it('usage errors: one line each, exit 2, nothing on stdout', async () => {
    const cases: [string[], string][] = [
      [['-m', 'chat', '--min-total', '1', '-o', 'yaml'], 'error: invalid --output "yaml": expected one of arm, bicep, terraform\n'],
      [
        ['-m', 'chat', '--min-total', '1', '--workspace', '7f1c2a3b-0000-4000-8000-000000000001'],
        "error: --workspace 7f1c2a3b-0000-4000-8000-000000000001 looks like a workspace's customer id (a GUID): give its resource id, /subscriptions/<guid>/resourceGroups/<group>/providers/Microsoft.OperationalInsights/workspaces/<name> (az monitor log-analytics workspace show -g GROUP -n NAME --query id)\n",
      ],
      [
        ['-m', 'chat', '--min-total', '1', '--subscription', '00000000-0000-0000-0000-000000000001'],
        'error: alerts calls no Azure API, so it cannot discover resources: give --resource ID, or --resources-from with the output of "acs-metrics resources -o json"\n',
      ],
      [
        ['-m', 'chat', '--min-total', '1', '--subscription', 'Prod', '-g', 'rg', '--name', 'acs'],
        'error: --subscription "Prod": alerts calls no Azure API, give the subscription id (az account show --query id)\n',
      ],
      [['--min-total', '1'], 'error: --metric is required, e.g. --metric chat (or --config FILE with rules; see "acs-metrics catalog")\n'],
      [
        ['-m', 'chat', '--min-total', '1', '--resource-name', 'acs-prod'],
        'error: --resource-name picks resources in data: alerts writes rules, name the resources with --resource\n',
      ],
      [['-m', 'chat', '--since', '1h'], 'error: nothing to check: give --max-error-rate, --min-total or --max-total (or --config FILE with rules)\n'],
    ];
    for (const [argv, stderr] of cases) {
      const r = await run(['alerts', ...argv]);
      expect([r.code, r.stdout, r.stderr]).toEqual([2, '', stderr]);
    }
  });

  it('two rules that would write the same alert name are refused', async () => {
    const dir = tempDir();
    const file = join(dir, 'rules.json');
    writeFileSync(
      file,
      JSON.stringify({
        rules: [
          { name: 'Chat traffic', metric: 'chat', minTotal: 1 },
          { name: 'chat-traffic', metric: 'chat', minTotal: 5 },
        ],
      }),
    );
    const r = await run(['alerts', '--config', file]);
    expect([r.code, r.stdout, r.stderr]).toEqual([
      2,
      '',
      'error: rules "Chat traffic" and "chat-traffic" would both write the alert rule acs-chat-traffic-min-total: rename one\n',
    ]);
  });

  it('--subscription, --resource-group and --name of one resource give the scopes default, with its leading slash', async () => {
    const r = await run([
      'alerts',
      '-m',
      'chat',
      '--min-total',
      '1',
      '--subscription',
      '00000000-0000-0000-0000-0000000000bb',
      '-g',
      'comms',
      '--name',
      'acs-prod',
    ]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).parameters.scopes.defaultValue).toEqual([RESOURCE]);
  });
});

describe('the manual (docs/alerts.md)', () => {
  it("shows what alerts says for the manual's rules file (docs/rules-files.md), as it says it", async () => {
    const rulesPage = readFileSync(join(ROOT, 'docs', 'rules-files.md'), 'utf8');
    const rules = /```json\n([\s\S]*?)```/.exec(rulesPage.slice(rulesPage.indexOf('# Rules file (`--config`)')))![1]!;
    const alertsPage = readFileSync(join(ROOT, 'docs', 'alerts.md'), 'utf8');
    const shown = /`not mapped: <why>`, then a summary[\s\S]*?```\n([\s\S]*?)```/.exec(alertsPage)![1]!;
    const dir = tempDir();
    writeFileSync(join(dir, 'gates.json'), rules);
    const r = await run(['alerts', '--config', 'gates.json'], { cwd: dir });
    expect(r.stderr).toBe(shown);
  });
});

describe('values that each format would read as code are written as text', () => {
  it('a leading [ in ARM, ${ in Terraform and Bicep, quotes in Bicep', async () => {
    const dir = tempDir();
    const file = join(dir, 'rules.json');
    // Call Recording lists no operations, so any value is accepted.
    writeFileSync(
      file,
      JSON.stringify({ rules: [{ name: 'odd', metric: 'recording', operations: ["[concat('x')]", "${var.x} it's"], since: '1h', minTotal: 1 }] }),
    );
    const arm = await run(['alerts', '--config', file]);
    const values = JSON.parse(arm.stdout).resources[0].properties.criteria.allOf[0].dimensions[0].values;
    expect(values).toEqual(["[[concat('x')]", "${var.x} it's"]);
    const tf = await run(['alerts', '--config', file, '-o', 'terraform']);
    expect(JSON.parse(tf.stdout).resource.azurerm_monitor_metric_alert['acs-odd-min-total'].criteria[0].dimension[0].values).toEqual([
      "[concat('x')]",
      "$${var.x} it's",
    ]);
    const bicep = await run(['alerts', '--config', file, '-o', 'bicep']);
    expect(bicep.stdout).toContain("                '[concat(\\'x\\')]'\n                '\\${var.x} it\\'s'\n");
  });
});

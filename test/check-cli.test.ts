import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { metricsBody, type SeriesSpec, writeFixture } from './helpers/fixture.js';
import { run } from './helpers/io.js';

const s = (op: string, code: string, counts: (number | null)[]): SeriesSpec => ({
  dims: { operation: op, statuscode: code, statuscodeclass: `${code[0]}xx` },
  counts,
});

/** One hour of Chat: SendChatMessage with `errors` 503s out of 500, GetChatMessage 500 successes. */
function chatHour(errors: number): string {
  return writeFixture(
    metricsBody([
      {
        name: 'APIRequestChat',
        series: [s('SendChatMessage', '201', [500 - errors]), s('SendChatMessage', '503', [errors]), s('GetChatMessage', '200', [500])],
      },
    ]),
  );
}

/**
 * Four hours of Chat with gaps (null: a point without a count key):
 * hour 0: 1,000 requests, no errors; hour 1: no data; hour 2: 10 requests, 5 errors; hour 3: 990, 5.
 * Over the window: 10 / 2,000 = 0.5%; hours 2-3: 10 / 1,000 = 1%; hour 2 alone: 50%.
 */
function chatWithGaps(): string {
  return writeFixture(
    metricsBody([
      {
        name: 'APIRequestChat',
        series: [s('SendChatMessage', '201', [1000, null, 5, 985]), s('SendChatMessage', '503', [null, null, 5, 5])],
      },
    ]),
  );
}

describe('check: verdicts and exit codes against known error rates', () => {
  it('just under, at and just over 1%: 9, 10 and 11 errors in 1,000 requests', async () => {
    const under = await run(['check', '--fixture', chatHour(9), '--metric', 'chat', '--max-error-rate', '1%']);
    const at = await run(['check', '--fixture', chatHour(10), '--metric', 'chat', '--max-error-rate', '1%']);
    const over = await run(['check', '--fixture', chatHour(11), '--metric', 'chat', '--max-error-rate', '1%']);
    expect([under.code, at.code, over.code]).toEqual([0, 0, 1]);
    expect(under.stdout).toBe(
      'PASS  chat  error rate 0.90% <= 1.00%  requests 1,000  errors 9  worst SendChatMessage 1.80%\n\ncheck PASSED: 1 rule: 1 passed; window 2026-01-01T00:00:00Z - 2026-01-01T01:00:00Z\n',
    );
    expect(at.stdout.split('\n')[0]).toBe('PASS  chat  error rate 1.00% <= 1.00%  requests 1,000  errors 10  worst SendChatMessage 2.00%');
    expect(over.stdout).toBe(
      'FAIL  chat  error rate 1.10% > 1.00%  requests 1,000  errors 11  worst SendChatMessage 2.20%\n\ncheck FAILED: 1 rule: 1 failed; window 2026-01-01T00:00:00Z - 2026-01-01T01:00:00Z\n',
    );
    expect(over.stderr).toBe('');
  });

  it('accepts the threshold as a fraction: 0.01 is 1%', async () => {
    const r = await run(['check', '--fixture', chatHour(11), '-m', 'chat', '--max-error-rate', '0.01']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('error rate 1.10% > 1.00%');
    expect((await run(['check', '--fixture', chatHour(11), '-m', 'chat', '--max-error-rate', '1.1%'])).code).toBe(0);
  });

  it('sums request counts over the window, including buckets without data', async () => {
    const file = chatWithGaps();
    const whole = await run(['check', '--fixture', file, '-m', 'chat', '--max-error-rate', '1%']);
    expect(whole.code).toBe(0);
    expect(whole.stdout.split('\n')[0]).toBe('PASS  chat  error rate 0.50% <= 1.00%  requests 2,000  errors 10');
    const last2h = await run(['check', '--fixture', file, '-m', 'chat', '--since', '2h', '--max-error-rate', '1%']);
    expect([last2h.code, last2h.stdout.split('\n')[0]]).toEqual([0, 'PASS  chat  error rate 1.00% <= 1.00%  requests 1,000  errors 10']);
    const hour2 = await run(['check', '--fixture', file, '-m', 'chat', '--start', '2026-01-01T02:00Z', '--end', '2026-01-01T03:00Z', '--max-error-rate', '1%']);
    expect([hour2.code, hour2.stdout.split('\n')[0]]).toEqual([1, 'FAIL  chat  error rate 50.00% > 1.00%  requests 10  errors 5']);
    const stricter = await run(['check', '--fixture', file, '-m', 'chat', '--max-error-rate', '0.4%']);
    expect(stricter.code).toBe(1);
  });

  it('too few requests is "not enough data": passes unless --fail-on-no-data', async () => {
    const file = chatHour(11); // 1,000 requests
    const r = await run(['check', '--fixture', file, '-m', 'chat', '--max-error-rate', '1%', '--min-requests', '1001']);
    expect(r.code).toBe(0);
    // No worst operation: none has min-requests.
    expect(r.stdout).toBe(
      'NO DATA  chat  not enough data: 1,000 requests, min-requests 1,001  requests 1,000  errors 11\n\ncheck PASSED: 1 rule: 1 not enough data; window 2026-01-01T00:00:00Z - 2026-01-01T01:00:00Z\n',
    );
    const strict = await run(['check', '--fixture', file, '-m', 'chat', '--max-error-rate', '1%', '--min-requests', '1001', '--fail-on-no-data']);
    expect(strict.code).toBe(1);
    expect(strict.stdout).toContain('check FAILED: 1 rule: 1 not enough data (1 failing the run)');
    expect((await run(['check', '--fixture', file, '-m', 'chat', '--max-error-rate', '1%', '--min-requests', '1000'])).code).toBe(1);
  });

  it('a window without any data is "not enough data", never a pass of the rate', async () => {
    const file = chatWithGaps();
    const r = await run(['check', '--fixture', file, '-m', 'chat', '--start', '2026-01-01T01:00Z', '--end', '2026-01-01T02:00Z', '--max-error-rate', '1%']);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')[0]).toBe('NO DATA  chat  not enough data: 0 requests, min-requests 1  requests 0  errors 0');
    const strict = await run([
      'check',
      '--fixture',
      file,
      '-m',
      'chat',
      '--start',
      '2026-01-01T01:00Z',
      '--end',
      '2026-01-01T02:00Z',
      '--max-error-rate',
      '1%',
      '--fail-on-no-data',
    ]);
    expect(strict.code).toBe(1);
  });

  it('volume bounds: --min-total fails when traffic vanished, --max-total when there is too much', async () => {
    const file = chatWithGaps();
    const vanished = await run(['check', '--fixture', file, '-m', 'chat', '--start', '2026-01-01T01:00Z', '--end', '2026-01-01T02:00Z', '--min-total', '1']);
    expect(vanished.code).toBe(1);
    expect(vanished.stdout.split('\n')[0]).toBe('FAIL  chat  requests 0 < min-total 1  requests 0  errors 0');
    expect((await run(['check', '--fixture', file, '-m', 'chat', '--min-total', '2000'])).code).toBe(0);
    expect((await run(['check', '--fixture', file, '-m', 'chat', '--max-total', '2000'])).code).toBe(0);
    const tooMany = await run(['check', '--fixture', file, '-m', 'chat', '--max-total', '1999']);
    expect([tooMany.code, tooMany.stdout.split('\n')[0]]).toEqual([1, 'FAIL  chat  requests 2,000 > max-total 1,999  requests 2,000  errors 10']);
  });

  it('--errors defines what counts: 5xx only, or 5xx and 429', async () => {
    const file = writeFixture(
      metricsBody([{ name: 'APIRequestChat', series: [s('GetChatMessage', '200', [980]), s('GetChatMessage', '429', [12]), s('GetChatMessage', '503', [8])] }]),
    );
    const base = ['check', '--fixture', file, '-m', 'chat', '--max-error-rate', '1%'];
    expect((await run(base)).stdout).toContain('error rate 2.00% > 1.00%');
    const only5xx = await run([...base, '--errors', '5xx']);
    expect([only5xx.code, only5xx.stdout.split('\n')[0]]).toEqual([0, 'PASS  chat  error rate 0.80% <= 1.00%  requests 1,000  errors 8']);
    const with429 = await run([...base, '--errors', '5xx,429']);
    expect([with429.code, with429.stdout.split('\n')[0]]).toEqual([1, 'FAIL  chat  error rate 2.00% > 1.00%  requests 1,000  errors 20']);
  });

  it('--operation narrows and --per-operation judges each operation on its own', async () => {
    // SendChatMessage 11 / 500 = 2.2%, GetChatMessage 0 / 500: together 1.1%.
    const file = chatHour(11);
    const get = await run(['check', '--fixture', file, '-m', 'chat', '--operation', 'getchatmessage', '--max-error-rate', '1%']);
    expect([get.code, get.stdout.split('\n')[0]]).toEqual([0, 'PASS  chat GetChatMessage  error rate 0.00% <= 1.00%  requests 500  errors 0']);
    const perOp = await run(['check', '--fixture', file, '-m', 'chat', '--per-operation', '--max-error-rate', '2%']);
    expect(perOp.code).toBe(1);
    expect(perOp.stdout).toBe(
      [
        'FAIL  chat  SendChatMessage error rate 2.20% > 2.00%  requests 1,000  errors 11  worst SendChatMessage 2.20%',
        '      - SendChatMessage 2.20% > 2.00%  requests 500  errors 11',
        '',
        'check FAILED: 1 rule: 1 failed; window 2026-01-01T00:00:00Z - 2026-01-01T01:00:00Z',
        '',
      ].join('\n'),
    );
    // The whole metric is at 1.1%, under 2%.
    expect((await run(['check', '--fixture', file, '-m', 'chat', '--max-error-rate', '2%'])).code).toBe(0);
    // With a floor above SendChatMessage's 500 requests, no operation can be judged.
    const floor = await run(['check', '--fixture', file, '-m', 'chat', '--per-operation', '--max-error-rate', '2%', '--min-requests', '501']);
    expect([floor.code, floor.stdout.split('\n')[0]]).toEqual([
      0,
      'NO DATA  chat  not enough data: no operation has min-requests 501  requests 1,000  errors 11',
    ]);
  });

  it('infers the metric from a fixture that holds one', async () => {
    const r = await run(['check', '--fixture', chatHour(11), '--max-error-rate', '1%']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('FAIL  chat  error rate 1.10%');
  });
});

describe('check: data that cannot answer is exit 3, never a pass', () => {
  it('a metric missing from the file', async () => {
    const r = await run(['check', '--fixture', chatHour(0), '--metric', 'sms', '--max-error-rate', '1%']);
    expect(r.code).toBe(3);
    expect(r.stdout).toMatch(
      /^ERROR {2}sms {2}.*: no data for sms \(APIRequestSMS\); the data holds APIRequestChat\n\ncheck ERROR: 1 rule: 1 could not be evaluated\n$/,
    );
    expect(r.stderr).toMatch(/^error: rule "sms": .*no data for sms \(APIRequestSMS\); the data holds APIRequestChat\n$/);
  });

  it('data without a status dimension', async () => {
    const file = writeFixture(metricsBody([{ name: 'APIRequestChat', series: [{ dims: { operation: 'SendChatMessage' }, counts: [1000] }] }]));
    const r = await run(['check', '--fixture', file, '-m', 'chat', '--max-error-rate', '1%']);
    expect(r.code).toBe(3);
    expect(r.stderr).toBe(
      'error: rule "chat": APIRequestChat data has no StatusSubClass or StatusCode dimension, so errors cannot be counted; use data split by StatusSubClass\n',
    );
    // A volume gate does not need the status.
    const volume = await run(['check', '--fixture', file, '-m', 'chat', '--min-total', '1000']);
    expect([volume.code, volume.stdout.split('\n')[0]]).toEqual([0, 'PASS  chat  requests 1,000 >= min-total 1,000  requests 1,000  errors -']);
  });

  it('a metric that failed inside the response', async () => {
    const file = writeFixture(metricsBody([{ name: 'APIRequestChat', errorCode: 'Throttled', errorMessage: 'too many requests', series: [] }]));
    const r = await run(['check', '--fixture', file, '-m', 'chat', '--max-error-rate', '1%']);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('APIRequestChat failed: Throttled: too many requests');
  });

  it('a fixture that cannot be read: every rule is an error, the JUnit file still says so', async () => {
    const dir = dirname(chatHour(0));
    const rules = join(dir, 'rules.json');
    writeFileSync(
      rules,
      JSON.stringify({
        rules: [
          { metric: 'chat', maxErrorRate: '1%' },
          { metric: 'sms', minTotal: 1 },
        ],
      }),
    );
    const junit = join(dir, 'out.xml');
    const r = await run(['check', '--fixture', join(dir, 'missing.json'), '--config', rules, '--junit', junit]);
    expect(r.code).toBe(3);
    expect(r.stderr).toBe(`error: cannot read ${join(dir, 'missing.json')}: no such file\n`);
    expect(r.stdout.split('\n').slice(0, 2)).toEqual([
      `ERROR  chat  cannot read ${join(dir, 'missing.json')}: no such file`,
      `ERROR  sms   cannot read ${join(dir, 'missing.json')}: no such file`,
    ]);
    const xml = readFileSync(junit, 'utf8');
    expect(xml.match(/<testcase /g)).toHaveLength(2);
    expect(xml.match(/<error /g)).toHaveLength(2);
    expect(xml).toContain('tests="2" failures="0" errors="2" skipped="0"');
  });

  it('no data source at all is a usage error', async () => {
    const r = await run(['check', '--metric', 'chat', '--max-error-rate', '1%']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
  });
});

describe('check: usage errors (exit 2), all reported at once', () => {
  it('rejects bad thresholds with one line each', async () => {
    const file = chatHour(0);
    const bad = async (value: string) => (await run(['check', '--fixture', file, '-m', 'chat', '--max-error-rate', value])).stderr;
    expect(await bad('150%')).toBe('error: invalid --max-error-rate "150%": an error rate cannot be over 100%\n');
    expect(await bad('-1')).toBe('error: invalid --max-error-rate "-1": an error rate cannot be negative\n');
    expect(await bad('abc')).toBe('error: invalid --max-error-rate "abc": expected a rate such as 1%, 0.5% or 0.01\n');
    expect(await bad('5')).toBe('error: invalid --max-error-rate "5": a bare number is a fraction (0.01 = 1%); did you mean 5%?\n');
  });

  it('lists every problem of the command line', async () => {
    const r = await run([
      'check',
      '--fixture',
      chatHour(0),
      '-m',
      'chta',
      '--max-error-rate',
      '2 percent',
      '--min-requests',
      '0',
      '--level',
      'fatal',
      '-o',
      'xml',
    ]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.split('\n')).toEqual([
      'error: invalid --output "xml": expected one of text, json, yaml',
      'error: invalid --max-error-rate "2 percent": expected a rate such as 1%, 0.5% or 0.01',
      'error: invalid --min-requests "0": expected a whole number of at least 1',
      'error: invalid --level "fatal": expected error (a failure fails the run) or warn (reported only)',
      expect.stringMatching(/^error: unknown metric "chta": did you mean chat\?/),
      '',
    ]);
  });

  it('needs something to check, and rule flags do not mix with --config', async () => {
    const none = await run(['check', '--fixture', chatHour(0), '-m', 'chat']);
    expect([none.code, none.stderr]).toEqual([2, 'error: nothing to check: give --max-error-rate, --min-total or --max-total (or --config FILE with rules)\n']);
    const perOp = await run(['check', '--fixture', chatHour(0), '-m', 'chat', '--per-operation', '--min-total', '1']);
    expect(perOp.stderr).toBe('error: --per-operation applies --max-error-rate to each operation: give --max-error-rate too\n');
    const rules = writeFixture({ rules: [{ metric: 'chat', maxErrorRate: '1%' }] }, 'rules.json');
    const mixed = await run(['check', '--fixture', chatHour(0), '--config', rules, '-m', 'chat', '--max-error-rate', '2%']);
    expect([mixed.code, mixed.stderr]).toEqual([
      2,
      'error: --metric cannot be used with --config: set "metric" in the rules file\n' +
        'error: --max-error-rate cannot be used with --config: set "maxErrorRate" in the rules file\n',
    ]);
  });
});

describe('check --output json', () => {
  it('prints the documented schema', async () => {
    const r = await run(['check', '--fixture', chatHour(11), '-m', 'chat', '--max-error-rate', '1%', '--per-operation', '--min-requests', '10', '-o', 'json']);
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.stdout);
    expect(doc).toEqual({
      schemaVersion: 1,
      passed: false,
      exitCode: 1,
      summary: { rules: 1, pass: 0, fail: 1, warn: 0, noData: 0, error: 0 },
      rules: [
        {
          name: 'chat',
          metric: 'chat',
          metricName: 'APIRequestChat',
          level: 'error',
          verdict: 'fail',
          failsRun: true,
          errorRate: 0.011,
          maxErrorRate: 0.01,
          requests: 1000,
          errors: 11,
          minRequests: 10,
          minTotal: null,
          maxTotal: null,
          perOperation: true,
          failOnNoData: false,
          errorDefinition: { basis: 'status', classDimension: 'StatusSubClass', codeDimension: 'StatusCode', classes: ['4xx', '5xx'], codes: [] },
          filters: {},
          window: { start: '2026-01-01T00:00:00Z', end: '2026-01-01T01:00:00Z' },
          worstOperation: { name: 'SendChatMessage', errorRate: 0.022, requests: 500, errors: 11 },
          operations: [
            { name: 'SendChatMessage', verdict: 'fail', errorRate: 0.022, requests: 500, errors: 11 },
            { name: 'GetChatMessage', verdict: 'pass', errorRate: 0, requests: 500, errors: 0 },
          ],
          reason: 'SendChatMessage error rate 2.20% > 1.00%',
        },
      ],
    });
  });
});

describe('check --config', () => {
  function rulesDir(rules: unknown, name = 'rules.json'): { dir: string; fixture: string } {
    const fixture = chatHour(11); // Chat: 11 / 1,000 = 1.1%; SendChatMessage 2.2%
    const dir = dirname(fixture);
    writeFileSync(join(dir, name), typeof rules === 'string' ? rules : JSON.stringify(rules, null, 2));
    return { dir, fixture };
  }

  it('evaluates several rules with defaults; warn-level failures do not fail the run', async () => {
    const { dir, fixture } = rulesDir({
      defaults: { since: '1h', minRequests: 50 },
      rules: [
        { name: 'chat overall', metric: 'chat', maxErrorRate: '2%' },
        { name: 'send (warn)', metric: 'chat', operations: ['SendChatMessage'], maxErrorRate: '1%', level: 'warn' },
        { name: 'chat 5xx', metric: 'chat', errors: ['5xx'], maxErrorRate: 0.015 },
        { name: 'chat volume', metric: 'chat', minTotal: 100, maxTotal: 10000 },
      ],
    });
    const r = await run(['check', '--fixture', fixture, '--config', 'rules.json'], { cwd: dir });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      [
        'PASS  chat overall  error rate 1.10% <= 2.00%  requests 1,000  errors 11  worst SendChatMessage 2.20%',
        'WARN  send (warn)   error rate 2.20% > 1.00%   requests 500    errors 11',
        'PASS  chat 5xx      error rate 1.10% <= 1.50%  requests 1,000  errors 11  worst SendChatMessage 2.20%',
        'PASS  chat volume   requests 1,000 >= min-total 100; requests 1,000 <= max-total 10,000  requests 1,000  errors 11  worst SendChatMessage 2.20%',
        '',
        'check PASSED: 4 rules: 3 passed, 1 warning; window 2026-01-01T00:00:00Z - 2026-01-01T01:00:00Z',
        '',
      ].join('\n'),
    );
  });

  it('fails the run when an error-level rule fails; --fail-on-no-data turns no-data into failure', async () => {
    const { dir, fixture } = rulesDir({
      rules: [
        { name: 'strict', metric: 'chat', maxErrorRate: '1%' },
        { name: 'thin', metric: 'chat', operations: ['GetChatMessage'], maxErrorRate: '1%', minRequests: 501 },
      ],
    });
    const r = await run(['check', '--fixture', fixture, '--config', 'rules.json', '-o', 'json'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).rules.map((x: { verdict: string; failsRun: boolean }) => [x.verdict, x.failsRun])).toEqual([
      ['fail', true],
      ['no-data', false],
    ]);
    const { dir: dir2, fixture: fixture2 } = rulesDir({
      failOnNoData: true,
      rules: [{ name: 'thin', metric: 'chat', operations: ['GetChatMessage'], maxErrorRate: '1%', minRequests: 501 }],
    });
    expect((await run(['check', '--fixture', fixture2, '--config', 'rules.json'], { cwd: dir2 })).code).toBe(1);
    const { dir: dir3, fixture: fixture3 } = rulesDir({
      rules: [{ name: 'thin', metric: 'chat', operations: ['GetChatMessage'], maxErrorRate: '1%', minRequests: 501 }],
    });
    expect((await run(['check', '--fixture', fixture3, '--config', 'rules.json'], { cwd: dir3 })).code).toBe(0);
    expect((await run(['check', '--fixture', fixture3, '--config', 'rules.json', '--fail-on-no-data'], { cwd: dir3 })).code).toBe(1);
  });

  it("--since on the command line replaces the defaults window; a rule's own window wins", async () => {
    const fixture = chatWithGaps();
    const dir = dirname(fixture);
    writeFileSync(
      join(dir, 'rules.json'),
      JSON.stringify({
        defaults: { since: '1h' },
        rules: [
          { name: 'default window', metric: 'chat', maxErrorRate: '1%' },
          { name: 'own window', metric: 'chat', since: '4h', maxErrorRate: '1%' },
        ],
      }),
    );
    const json = async (extra: string[]) =>
      JSON.parse((await run(['check', '--fixture', fixture, '--config', 'rules.json', '-o', 'json', ...extra], { cwd: dir })).stdout).rules.map(
        (x: { requests: number; errors: number }) => [x.requests, x.errors],
      );
    // defaults 1h: hour 3 only (990, 5); own 4h: everything (2,000, 10).
    expect(await json([])).toEqual([
      [990, 5],
      [2000, 10],
    ]);
    // --since 2h: hours 2-3 (1,000, 10) for the rule without its own window.
    expect(await json(['--since', '2h'])).toEqual([
      [1000, 10],
      [2000, 10],
    ]);
  });

  it('reads YAML rules', async () => {
    const { dir, fixture } = rulesDir(
      ['defaults:', '  minRequests: 10', 'rules:', '  - name: chat', '    metric: chat', '    maxErrorRate: 1%', '    errors: [5xx, 429]', ''].join('\n'),
      'rules.yaml',
    );
    const r = await run(['check', '--fixture', fixture, '--config', 'rules.yaml'], { cwd: dir });
    expect([r.code, r.stdout.split('\n')[0]]).toEqual([1, 'FAIL  chat  error rate 1.10% > 1.00%  requests 1,000  errors 11  worst SendChatMessage 2.20%']);
  });

  it('reports YAML and JSON syntax errors with their place, exit 2', async () => {
    const { dir, fixture } = rulesDir('rules:\n  - metric: chat\n   maxErrorRate: 1%\n', 'rules.yml');
    const y = await run(['check', '--fixture', fixture, '--config', 'rules.yml'], { cwd: dir });
    expect(y.code).toBe(2);
    expect(y.stderr).toBe('error: rules.yml: not valid YAML: Sequence item without - indicator at line 3, column 1\n');
    writeFileSync(join(dir, 'rules.json'), '{\n  "rules": [\n    { "metric": "chat", }\n  ]\n}\n');
    const j = await run(['check', '--fixture', fixture, '--config', 'rules.json'], { cwd: dir });
    expect(j.code).toBe(2);
    expect(j.stderr).toMatch(/^error: rules\.json: not valid JSON: .*line 3, column 25/);
    const missing = await run(['check', '--fixture', fixture, '--config', 'nope.json'], { cwd: dir });
    expect([missing.code, missing.stderr]).toEqual([2, 'error: cannot read rules file nope.json: no such file\n']);
  });

  it('validates the whole file up front and reports every problem with its place', async () => {
    const { dir, fixture } = rulesDir({
      defaults: { since: '1hr', minRequests: 0 },
      failOnNoDta: true,
      rules: [
        { name: 'chat errors', metric: 'chat', operations: ['SendChatMesage', 'GetChatMessage'], maxErrorRate: '150%' },
        { name: 'chat errors', metric: 'chta', maxErrorRate: '1%', level: 'warning' },
        { metric: 'sms', maxErorRate: '1%' },
        { name: 'rooms', metric: 'rooms', maxErrorRate: 'abc', errors: ['5xx', '6xx'], perOperation: 'yes', minTotal: 10, maxTotal: 5 },
        { name: 'router', metric: 'router', operations: 'UpsertJob', statusCodes: [429, 'x'], start: 'yesterday', maxErrorRate: 1 },
        'oops',
      ],
    });
    const r = await run(['check', '--fixture', fixture, '--config', 'rules.json'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.split('\n')).toEqual([
      'error: rules.json: unknown key "failOnNoDta": did you mean failOnNoData?',
      'error: rules.json: defaults.since: invalid duration "1hr": expected a duration such as 30m, 24h, 7d or PT6H',
      'error: rules.json: defaults.minRequests: expected a whole number of at least 1, found 0',
      'error: rules.json: rules[0].maxErrorRate: invalid error rate "150%": an error rate cannot be over 100%',
      'error: rules.json: rules[0].operations[0]: unknown operation "SendChatMesage" for chat (APIRequestChat): did you mean SendChatMessage? (run "acs-metrics catalog chat" to list them)',
      'error: rules.json: rules[1].metric: unknown metric "chta": did you mean chat? Valid metrics: chat, sms, auth, callautomation, router, networktraversal, rooms, email, messaging, recording, callbacks, email-delivery, email-engagement',
      'error: rules.json: rules[1].level: unknown level "warning": did you mean warn? (error fails the run, warn is reported only)',
      'error: rules.json: rules[1].name: duplicate rule name "chat errors" (rules[0] has it too)',
      'error: rules.json: rules[2]: unknown key "maxErorRate": did you mean maxErrorRate?',
      'error: rules.json: rules[2]: nothing to check: give maxErrorRate, minTotal, maxTotal, or a change rule (maxErrorRateIncrease, maxErrorRateRatio, maxTrafficDrop, maxTrafficRise) with a baseline',
      'error: rules.json: rules[3].errors[1]: invalid error status "6xx": expected a status class such as 5xx or a status code such as 429',
      'error: rules.json: rules[3].maxErrorRate: invalid error rate "abc": expected a rate such as 1%, 0.5% or 0.01',
      'error: rules.json: rules[3].perOperation: expected true or false, found "yes"',
      'error: rules.json: rules[3]: minTotal 10 is above maxTotal 5: no request count can pass',
      'error: rules.json: rules[4].statusCodes[1]: invalid status code "x": expected a three-digit HTTP status such as 429 or 503',
      'error: rules.json: rules[4].start: invalid time "yesterday": expected an ISO 8601 date or time such as 2026-01-07 or 2026-01-07T13:00:00Z',
      'error: rules.json: rules[4].maxErrorRate: invalid error rate 1: a bare number is a fraction (0.01 = 1%); did you mean 1%?',
      'error: rules.json: rules[5]: expected a rule object, found "oops"',
      '',
    ]);
  });
});

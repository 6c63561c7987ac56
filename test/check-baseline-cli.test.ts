import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { metricsBody, type SeriesSpec, writeFixture } from './helpers/fixture.js';
import { run } from './helpers/io.js';

const s = (op: string, code: string, counts: (number | null)[]): SeriesSpec => ({
  dims: { operation: op, statuscode: code, statuscodeclass: `${code[0]}xx` },
  counts,
});

/** Two hours of Chat from 2026-01-01T00:00Z: hour 0 is the baseline, hour 1 the current window. */
function twoHours(base: [number, number], now: [number, number]): string {
  return writeFixture(
    metricsBody([
      {
        name: 'APIRequestChat',
        series: [s('SendChatMessage', '201', [base[0] - base[1], now[0] - now[1]]), s('SendChatMessage', '503', [base[1], now[1]])],
      },
    ]),
  );
}
const current = ['--start', '2026-01-01T01:00:00Z', '--end', '2026-01-01T02:00:00Z', '--baseline', '1h'];
const check = (file: string, ...args: string[]) => run(['check', '--fixture', file, '-m', 'chat', ...current, ...args]);

describe('check --baseline: error-rate increase, either side of significance', () => {
  it('21/1000 against 10/1000: +1.10pp > 0.5pp and p 0.046 < 0.05: FAIL, exit 1', async () => {
    const r = await check(twoHours([1000, 10], [1000, 21]), '--max-error-rate-increase', '0.5pp');
    expect(r.code).toBe(1);
    expect(r.stdout.split('\n')[0]).toBe(
      'FAIL  chat  error rate 2.10% vs 1.00% baseline: +1.10pp > +0.5pp (p=0.046); 95% CI -0.00pp to +2.28pp  requests 1,000  errors 21',
    );
    expect(r.stdout.split('\n')[1]).toBe(
      '      baseline 2026-01-01T00:00:00Z - 2026-01-01T01:00:00Z: requests 1,000 -> 1,000 (0%), error rate 1.00% -> 2.10% (+1.10pp)',
    );
    expect(r.stderr).toBe('');
  });

  it('20/1000 against 10/1000: +1.00pp > 0.5pp but p 0.066: PASS, exit 0', async () => {
    const r = await check(twoHours([1000, 10], [1000, 20]), '--max-error-rate-increase', '0.5pp');
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')[0]).toBe(
      'PASS  chat  error rate 2.00% vs 1.00% baseline: +1.00pp > +0.5pp but not significant (p=0.066 at 95% confidence); 95% CI -0.09pp to +2.16pp  requests 1,000  errors 20',
    );
  });

  it('--confidence 90% makes 20/1000 significant; the ratio rule: 2.1x > 2x', async () => {
    const f = twoHours([1000, 10], [1000, 20]);
    expect((await check(f, '--max-error-rate-increase', '0.5pp', '--confidence', '90%')).code).toBe(1);
    const r = await check(twoHours([1000, 10], [1000, 21]), '--max-error-rate-ratio', '2x');
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('error rate 2.10% vs 1.00% baseline: 2.1x > 2x (p=0.046)');
  });

  it('tiny samples: 3/10 against 0/10 is +30pp but p 0.060: PASS', async () => {
    const r = await check(twoHours([10, 0], [10, 3]), '--max-error-rate-increase', '0.5pp');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('+30.00pp > +0.5pp but not significant (p=0.060 at 95% confidence)');
  });

  it('a baseline with no data is NO DATA (exit 0; exit 1 with --fail-on-no-data)', async () => {
    const f = writeFixture(metricsBody([{ name: 'APIRequestChat', series: [s('SendChatMessage', '201', [null, 100])] }]));
    const r = await check(f, '--max-error-rate-increase', '0.5pp');
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')[0]).toBe('NO DATA  chat  not enough data to compare: 0 requests in the baseline (min-requests 1)  requests 100  errors 0');
    expect((await check(f, '--max-error-rate-increase', '0.5pp', '--fail-on-no-data')).code).toBe(1);
  });
});

describe('check --baseline: traffic', () => {
  it('no change at all is 0%', async () => {
    expect((await check(twoHours([60, 0], [60, 0]), '--max-traffic-drop', '30%')).stdout).toContain('requests 60 vs 60 baseline: 0% within a drop of 30%');
  });

  it('40 against 60 is a 33.3% drop beyond 30% but p 0.057: PASS; 39 against 61 (36.1%, p 0.035): FAIL', async () => {
    const a = await check(twoHours([60, 0], [40, 0]), '--max-traffic-drop', '30%');
    expect(a.code).toBe(0);
    expect(a.stdout).toContain('requests 40 vs 60 baseline: -33.3% beyond a drop of 30% but not significant (p=0.057 at 95% confidence)');
    const b = await check(twoHours([61, 0], [39, 0]), '--max-traffic-drop', '30%');
    expect(b.code).toBe(1);
    expect(b.stdout).toContain('requests 39 vs 61 baseline: -36.1% beyond a drop of 30% (p=0.035)');
  });

  it('a rise: 100 against 25 is +300%, not beyond 300%; 101 against 25 is', async () => {
    expect((await check(twoHours([25, 0], [100, 0]), '--max-traffic-rise', '300%')).stdout).toContain(
      'requests 100 vs 25 baseline: +300.0% within a rise of 300%',
    );
    expect((await check(twoHours([25, 0], [101, 0]), '--max-traffic-rise', '300%')).code).toBe(1);
  });
});

describe('check --baseline: reports', () => {
  it('JSON carries both windows, the change and each check with its p-value and interval', async () => {
    const r = await check(twoHours([1000, 10], [1000, 21]), '--max-error-rate-increase', '0.5pp', '--max-traffic-drop', '50%', '-o', 'json');
    const rule = JSON.parse(r.stdout).rules[0];
    expect(rule.baseline).toMatchObject({
      window: { start: '2026-01-01T00:00:00Z', end: '2026-01-01T01:00:00Z' },
      shift: 3600,
      confidence: 0.95,
      requests: 1000,
      errors: 10,
      errorRate: 0.01,
      change: { requests: 0, requestsPercent: 0 },
    });
    expect(rule.baseline.change.errorRatePoints).toBeCloseTo(0.011, 12);
    const [inc, drop] = rule.baseline.checks;
    expect(inc).toMatchObject({ rule: 'maxErrorRateIncrease', verdict: 'fail', threshold: 0.005 });
    expect(inc.pValue).toBeCloseTo(0.04646439895506516, 6);
    expect(inc.interval.lower).toBeCloseTo(-1.0777070542524955e-5, 7);
    expect(drop).toMatchObject({ rule: 'maxTrafficDrop', verdict: 'pass', observed: 0, threshold: 0.5, pValue: 1, interval: null });
  });

  it('JUnit and GitHub show both windows and the change', async () => {
    const f = twoHours([1000, 10], [1000, 21]);
    const junit = join(dirname(f), 'out.xml');
    const summary = join(dirname(f), 'summary.md');
    const r = await run(['check', '--fixture', f, '-m', 'chat', ...current, '--max-error-rate-increase', '0.5pp', '--junit', junit], {
      env: { GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: summary },
      cwd: dirname(f),
    });
    const xml = readFileSync(junit, 'utf8');
    expect(xml).toContain('baseline 2026-01-01T00:00:00Z - 2026-01-01T01:00:00Z: requests 1,000 -&gt; 1,000 (0%), error rate 1.00% -&gt; 2.10% (+1.10pp)');
    expect(xml).toContain('maxErrorRateIncrease (fail): error rate 2.10% vs 1.00% baseline: +1.10pp &gt; +0.5pp (p=0.046)');
    expect(r.stdout).toContain('::error title=acs-metrics check%3A chat::FAIL chat (chat): error rate 2.10%25 vs 1.00%25 baseline: +1.10pp > +0.5pp (p=0.046)');
    expect(r.stdout).toContain(
      '; baseline 2026-01-01T00:00:00Z - 2026-01-01T01:00:00Z: requests 1,000 -> 1,000 (0%25), error rate 1.00%25 -> 2.10%25 (+1.10pp)',
    );
    expect(readFileSync(summary, 'utf8')).toContain('error rate 1.00% -\\> 2.10% (+1.10pp)');
  });
});

describe('check --baseline: usage', () => {
  const f = twoHours([1000, 10], [1000, 21]);
  it.each([
    [['--max-error-rate-increase', '0.5%'], 'invalid --max-error-rate-increase "0.5%": expected percentage points such as 0.5pp (0.5pp: from 1.0% to 1.5%)'],
    [['--max-error-rate-ratio', '1x'], 'invalid --max-error-rate-ratio "1x": expected a ratio above 1x, such as 1.5x or 2x'],
    [['--max-traffic-drop', '100%'], 'invalid --max-traffic-drop "100%": a drop of 100% or more cannot be exceeded: use at most 99.9%'],
    [['--max-traffic-rise', '3'], 'invalid --max-traffic-rise "3": expected a percent of the baseline\'s requests such as 300%'],
    [['--max-traffic-rise', '300%', '--confidence', '100%'], 'invalid --confidence "100%": expected a confidence from 50% to below 100%, such as 95% or 99%'],
  ])('%j', async (args, line) => {
    const r = await check(f, ...args);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`error: ${line}\n`);
  });

  it('thresholds without a baseline, and a baseline without thresholds', async () => {
    const a = await run(['check', '--fixture', f, '-m', 'chat', '--max-error-rate-increase', '0.5pp']);
    expect(a.code).toBe(2);
    expect(a.stderr).toBe('error: --max-error-rate-increase compares with a baseline: give --baseline 7d (or --baseline-start and --baseline-end)\n');
    const b = await run(['check', '--fixture', f, '-m', 'chat', '--baseline', '1h', '--max-error-rate', '1%']);
    expect(b.code).toBe(2);
    expect(b.stderr).toBe(
      'error: --baseline needs a rule on change: give --max-error-rate-increase, --max-error-rate-ratio, --max-traffic-drop or --max-traffic-rise\n',
    );
  });

  it('a baseline window of another length', async () => {
    const r = await run([
      'check',
      '--fixture',
      f,
      '-m',
      'chat',
      '--start',
      '2026-01-01T01:00:00Z',
      '--end',
      '2026-01-01T02:00:00Z',
      '--baseline-start',
      '2025-12-31T23:00:00Z',
      '--baseline-end',
      '2026-01-01T01:00:00Z',
      '--max-traffic-drop',
      '50%',
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      'error: the baseline window 2025-12-31T23:00:00Z to 2026-01-01T01:00:00Z (2h) is not as long as the current window 2026-01-01T01:00:00Z to 2026-01-01T02:00:00Z (1h): give a baseline of 1h, or use --baseline DURATION\n',
    );
  });

  it('a --baseline shift that is not a whole number of the data buckets names the shift', async () => {
    const r = await run([
      'check',
      '--fixture',
      f,
      '-m',
      'chat',
      '--start',
      '2026-01-01T01:00:00Z',
      '--end',
      '2026-01-01T02:00:00Z',
      '--baseline',
      '30m',
      '--max-traffic-drop',
      '50%',
    ]);
    expect([r.code, r.stdout]).toEqual([2, '']);
    expect(r.stderr).toBe(
      "error: --baseline 30m is not a whole number of the data's buckets: the baseline 2026-01-01T00:30:00Z to 2026-01-01T01:30:00Z was widened to the data's buckets, 2026-01-01T00:00:00Z to 2026-01-01T02:00:00Z (2h), not as long as the current window (1h); give a shift of whole buckets of the data, e.g. --baseline 1h\n",
    );
  });

  it('the rules file: change keys validated up front, with the file and place', async () => {
    const rules = writeFixture(
      JSON.stringify({
        defaults: { baseline: '1h' },
        rules: [
          { name: 'a', metric: 'chat', maxErrorRateIncrease: '0.5' },
          { name: 'b', metric: 'chat', maxTrafficDrop: '50%', confidence: 2 },
          { name: 'c', metric: 'chat', baseline: '1h', maxErrorRate: '1%' },
        ],
      }),
      'rules.json',
    );
    const r = await run(['check', '--fixture', f, '--config', rules]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toEqual([
      `error: ${rules}: rules[0].maxErrorRateIncrease: invalid maxErrorRateIncrease "0.5": expected percentage points such as 0.5pp (0.5pp: from 1.0% to 1.5%)`,
      `error: ${rules}: rules[1].confidence: invalid confidence 2: expected a confidence from 50% to below 100%, such as 95% or 99%`,
      `error: ${rules}: rules[2]: "baseline" needs a rule on change: give maxErrorRateIncrease, maxErrorRateRatio, maxTrafficDrop or maxTrafficRise`,
    ]);
  });

  it('the rules file: a rule on change gives the same verdict as the flags', async () => {
    const rules = writeFixture(
      JSON.stringify({
        defaults: { start: '2026-01-01T01:00:00Z', end: '2026-01-01T02:00:00Z' },
        rules: [{ name: 'chat change', metric: 'chat', baseline: 'PT1H', maxErrorRateIncrease: '0.5pp' }],
      }),
      'rules.json',
    );
    const r = await run(['check', '--fixture', f, '--config', rules]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('FAIL  chat change  error rate 2.10% vs 1.00% baseline: +1.10pp > +0.5pp (p=0.046)');
  });
});

describe('check --watch on files and its usage', () => {
  it('on files: one evaluation, said once, the usual exit code', async () => {
    const r = await check(twoHours([1000, 10], [1000, 21]), '--max-error-rate-increase', '0.5pp', '--watch', '--for', '15m');
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('note: --watch with --fixture: files do not grow, so the rules are evaluated once\n');
  });

  it('--for and --every go with --watch', async () => {
    const r = await check(twoHours([1000, 10], [1000, 21]), '--max-error-rate-increase', '0.5pp', '--for', '15m');
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('error: --for goes with --watch: add --watch, or leave --for out\n');
    const e = await check(twoHours([1000, 10], [1000, 21]), '--max-error-rate-increase', '0.5pp', '--watch', '--every', 'often');
    expect(e.stderr).toBe('error: invalid --every "often": expected a duration such as 15m, 1h or 30s\n');
  });
});

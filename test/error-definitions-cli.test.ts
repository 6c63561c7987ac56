/**
 * Each metric's own error definition through query and check, on small fixtures whose numbers are
 * worked out by hand: callback events (CodeClass outside 2xx; event types ending in "Failed" when the
 * data has no CodeClass or Code), email delivery (Result = Failure, and the bounce rate), user
 * engagement (no error rate).
 */
import { describe, expect, it } from 'vitest';
import { run } from './helpers/io.js';
import { metricsBody, writeFixture } from './helpers/fixture.js';

const E = (name: string) => `Microsoft.Communication.${name}`;

// 150 events, 15 with a CodeClass outside 2xx (5 of them 5xx), 10 whose type ends in "Failed".
const callbacks = writeFixture(
  metricsBody([
    {
      name: 'AcsCallAutomationCallbackEvent',
      series: [
        { dims: { eventtypename: E('CallConnected'), code: '200', codeclass: '2xx' }, counts: [50, 40] },
        { dims: { eventtypename: E('PlayCompleted'), code: '200', codeclass: '2xx' }, counts: [20, 25] },
        { dims: { eventtypename: E('PlayFailed'), code: '400', codeclass: '4xx' }, counts: [4, 6] },
        { dims: { eventtypename: E('CallDisconnected'), code: '500', codeclass: '5xx' }, counts: [3, 2] },
      ],
    },
  ]),
  'callbacks.json',
);

// The same events split by event type only: 105 events, 10 of a type ending in "Failed".
const callbacksByType = writeFixture(
  metricsBody([
    {
      name: 'AcsCallAutomationCallbackEvent',
      series: [
        { dims: { eventtypename: E('CallConnected') }, counts: [50, 40] },
        { dims: { eventtypename: E('PlayFailed') }, counts: [4, 6] },
        { dims: { eventtypename: E('CallDisconnected') }, counts: [3, 2] },
      ],
    },
  ]),
  'callbacks-by-type.json',
);

// 200 updates: 20 with Result Failure (15 Failed, 5 Suppressed), 10 hard bounces.
const delivery = writeFixture(
  metricsBody([
    {
      name: 'DeliveryStatusUpdate',
      series: [
        { dims: { messagestatus: 'Delivered', result: 'Success', ishardbounce: 'false' }, counts: [100, 80] },
        { dims: { messagestatus: 'Failed', result: 'Failure', ishardbounce: 'true' }, counts: [6, 4] },
        { dims: { messagestatus: 'Failed', result: 'Failure', ishardbounce: 'false' }, counts: [2, 3] },
        { dims: { messagestatus: 'Suppressed', result: 'Failure', ishardbounce: 'false' }, counts: [1, 4] },
      ],
    },
  ]),
  'delivery.json',
);

const engagement = writeFixture(
  metricsBody([
    {
      name: 'UserEngagement',
      series: [
        { dims: { engagementtype: 'view' }, counts: [30, 20] },
        { dims: { engagementtype: 'click' }, counts: [5, 5] },
      ],
    },
  ]),
  'engagement.json',
);

const json = async (args: string[]) => {
  const r = await run(['query', ...args, '-o', 'json']);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout);
};

describe('callback events: failed when CodeClass is not 2xx', () => {
  it('counts 15 of 150 events as failed (10%), and says how in the JSON', async () => {
    const doc = await json(['--fixture', callbacks, '--split-by', 'none']);
    expect(doc.query.errors).toEqual({ basis: 'status', classDimension: 'CodeClass', codeDimension: 'Code', classes: ['1xx', '3xx', '4xx', '5xx'], codes: [] });
    expect(doc.query.lifecycle).toEqual({ status: 'breaking', date: '2028-09-30' });
    expect([doc.requests, doc.errors, doc.errorRate]).toEqual([150, 15, 0.1]);
  });

  it('splits by event type as its operation, a CallDisconnected with a 5xx code included', async () => {
    const doc = await json(['--fixture', callbacks]);
    const by = Object.fromEntries(
      doc.series.map((s: { dimensions: { EventTypeName: string }; requests: number; errors: number }) => [s.dimensions.EventTypeName, [s.requests, s.errors]]),
    );
    expect(by).toEqual({ [E('CallConnected')]: [90, 0], [E('PlayCompleted')]: [45, 0], [E('PlayFailed')]: [10, 10], [E('CallDisconnected')]: [5, 5] });
  });

  it('takes --errors as code classes: 5xx only is 5 of 150', async () => {
    const doc = await json(['--fixture', callbacks, '--split-by', 'none', '--errors', '5xx']);
    expect([doc.errors, doc.errorRate]).toEqual([5, 5 / 150]);
    const coded = await json(['--fixture', callbacks, '--split-by', 'none', '--errors', '400']);
    expect(coded.errors).toBe(10);
  });

  it('falls back to event types ending in "Failed" when the data has no CodeClass or Code: 10 of 105', async () => {
    const doc = await json(['--fixture', callbacksByType, '--split-by', 'none']);
    expect([doc.requests, doc.errors]).toEqual([105, 10]);
  });

  it('cannot count --errors 5xx on data without CodeClass: check says so, exit 3', async () => {
    const r = await run(['check', '--fixture', callbacksByType, '--max-error-rate', '5%', '--errors', '5xx']);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain(
      'error: rule "callbacks": AcsCallAutomationCallbackEvent data has no CodeClass or Code dimension, so errors cannot be counted; use data split by CodeClass\n',
    );
  });

  it('gates on the same rate: 10% fails at 9.99%, passes at 10%', async () => {
    const fail = await run(['check', '--fixture', callbacks, '--max-error-rate', '9.99%']);
    expect(fail.code).toBe(1);
    expect(fail.stdout).toContain('error rate 10.00% > 9.99%');
    const pass = await run(['check', '--fixture', callbacks, '--max-error-rate', '10%', '-o', 'json']);
    expect(pass.code).toBe(0);
    const rule = JSON.parse(pass.stdout).rules[0];
    expect([rule.requests, rule.errors, rule.errorRate]).toEqual([150, 15, 0.1]);
    expect(rule.errorDefinition.classDimension).toBe('CodeClass');
  });
});

describe('email delivery: Result Failure is an error, with the bounce rate beside it', () => {
  it('counts 20 of 200 updates as errors (10%) and 10 hard bounces (5%)', async () => {
    const doc = await json(['--fixture', delivery]);
    expect(doc.query.errors).toEqual({ basis: 'value', dimension: 'Result', values: ['Failure'] });
    expect([doc.requests, doc.errors, doc.errorRate, doc.bounces, doc.bounceRate]).toEqual([200, 20, 0.1, 10, 0.05]);
    const by = Object.fromEntries(
      doc.series.map((s: { dimensions: { MessageStatus: string }; requests: number; errors: number; bounces: number; bounceRate: number }) => [
        s.dimensions.MessageStatus,
        [s.requests, s.errors, s.bounces, s.bounceRate],
      ]),
    );
    expect(by).toEqual({ Delivered: [180, 0, 0, 0], Failed: [15, 15, 10, 10 / 15], Suppressed: [5, 5, 0, 0] });
  });

  it('shows Errors, Error rate, Bounces and Bounce rate columns in the table, and the retirement note', async () => {
    const r = await run(['query', '--fixture', delivery, '--interval', 'FULL']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/│ MessageStatus +│ +Count │ +Share │ +Errors │ +Error rate │ +Bounces │ +Bounce rate │ Trend +│/);
    expect(r.stdout).toMatch(/│ Failed +│ +15 │ +7\.5% │ +15 │ +100\.0% │ +10 │ +66\.7% │/);
    expect(r.stdout).toMatch(/│ Total +│ +200 │ +100\.0% │ +20 │ +10\.0% │ +10 │ +5\.0% │/);
    expect(r.stderr).toBe(
      'note: email-delivery (DeliveryStatusUpdate) retires on 2028-09-30 (no new customers since 2026-10-23); see https://learn.microsoft.com/azure/communication-services/acs-retirement-and-breaking-changes-guide\n',
    );
  });

  it('refuses --errors, which cannot apply: exit 2, one line', async () => {
    for (const cmd of [['query'], ['check', '--max-error-rate', '1%']]) {
      const r = await run([...cmd, '--fixture', delivery, '-m', 'email-delivery', '--errors', '5xx']);
      expect(r.code).toBe(2);
      expect(r.stderr).toBe(
        'error: --errors does not apply to email-delivery (DeliveryStatusUpdate): an update is an error when its Result is Failure, not by status class or code\n',
      );
    }
  });

  it('gates on Result Failure: 10% passes at 10%, fails at 9%', async () => {
    expect((await run(['check', '--fixture', delivery, '--max-error-rate', '10%'])).code).toBe(0);
    const fail = await run(['check', '--fixture', delivery, '--max-error-rate', '9%', '--per-operation', '--min-requests', '5']);
    expect(fail.code).toBe(1);
    expect(fail.stdout).toContain('Failed error rate 100.00% > 9.00% (and 1 more operation)');
  });
});

describe('user engagement: no error rate', () => {
  it('shows "-" in the error columns and null in JSON', async () => {
    const r = await run(['query', '--fixture', engagement, '--interval', 'FULL']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/│ EngagementType +│ +Count │ +Share │ +Errors │ +Error rate │ Trend +│/);
    expect(r.stdout).toMatch(/│ view +│ +50 │ +83\.3% │ +- │ +- │/);
    expect(r.stdout).toMatch(/│ Total +│ +60 │ +100\.0% │ +- │ +- │/);
    const doc = await json(['--fixture', engagement]);
    expect(doc.query.errors).toEqual({ basis: 'none', classes: [], codes: [] });
    expect([doc.requests, doc.errors, doc.errorRate]).toEqual([60, null, null]);
  });

  it('refuses --max-error-rate and --errors with a one-line reason, exit 2; volume gates work', async () => {
    const rate = await run(['check', '--fixture', engagement, '-m', 'email-engagement', '--max-error-rate', '1%']);
    expect(rate.code).toBe(2);
    expect(rate.stderr).toBe(
      'error: --max-error-rate does not apply to email-engagement (UserEngagement): it has no error rate (user engagement counts opens and clicks, which cannot fail); gate its volume with --min-total or --max-total\n',
    );
    const errs = await run(['query', '--fixture', engagement, '-m', 'email-engagement', '--errors', '5xx']);
    expect(errs.code).toBe(2);
    expect(errs.stderr).toBe(
      'error: --errors does not apply to email-engagement (UserEngagement): it has no error rate (user engagement counts opens and clicks, which cannot fail)\n',
    );
    expect((await run(['check', '--fixture', engagement, '--min-total', '60'])).code).toBe(0);
    expect((await run(['check', '--fixture', engagement, '--min-total', '61'])).code).toBe(1);
  });

  it('refuses maxErrorRate for it in a rules file, with the place', async () => {
    const rules = writeFixture({ rules: [{ name: 'opens', metric: 'email-engagement', maxErrorRate: '1%' }] }, 'rules.json');
    const r = await run(['check', '--fixture', engagement, '--config', rules]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      `error: ${rules}: rules[0].maxErrorRate: "maxErrorRate" does not apply to email-engagement (UserEngagement): it has no error rate (user engagement counts opens and clicks, which cannot fail); gate its volume with "minTotal" or "maxTotal"\n`,
    );
  });
});

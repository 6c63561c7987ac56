/** core/alert-plan and core/alert-window on hand-made rules: windows, merged conditions, names. */
import { describe, expect, it } from 'vitest';
import { validateRules } from '../src/cli/check-config.js';
import { planRule, slug } from '../src/core/alert-plan.js';
import { alertWindow } from '../src/core/alert-window.js';

const rule = (r: Record<string, unknown>) => validateRules({ rules: [{ metric: 'chat', ...r }] }, 'rules.json')[0]!;
const MIN = 60_000;

describe('alert windows', () => {
  it('maps the allowed sizes exactly, with their frequencies', () => {
    expect(alertWindow(MIN, false)).toEqual({ kind: 'exact', windowSize: 'PT1M', evaluationFrequency: 'PT1M' });
    expect(alertWindow(5 * MIN, false)).toEqual({ kind: 'exact', windowSize: 'PT5M', evaluationFrequency: 'PT1M' });
    expect(alertWindow(30 * MIN, false)).toEqual({ kind: 'exact', windowSize: 'PT30M', evaluationFrequency: 'PT5M' });
    expect(alertWindow(60 * MIN, false)).toEqual({ kind: 'exact', windowSize: 'PT1H', evaluationFrequency: 'PT15M' });
    expect(alertWindow(24 * 60 * MIN, false)).toEqual({ kind: 'exact', windowSize: 'P1D', evaluationFrequency: 'PT1H' });
    expect(alertWindow(undefined, false)).toEqual({ kind: 'exact', windowSize: 'P1D', evaluationFrequency: 'PT1H' });
  });

  it('takes the next larger size for others, and refuses more than a day and fixed windows', () => {
    expect(alertWindow(90 * MIN, false)).toEqual({
      kind: 'approximate',
      windowSize: 'PT6H',
      evaluationFrequency: 'PT1H',
      how: 'window 1h 30m is not an alert window size: PT6H is used',
    });
    expect(alertWindow(2 * 24 * 60 * MIN, false)).toEqual({ kind: 'not-mapped', why: "window 2d is longer than an alert rule's longest (P1D)" });
    expect(alertWindow(MIN, true).kind).toBe('not-mapped');
  });

  it('a rule with start/end, or since counted back from an end, is not mapped', () => {
    expect(planRule(rule({ start: '2026-01-07', end: '2026-01-08', minTotal: 1 }), { workspace: false }).mapping.kind).toBe('not-mapped');
    expect(planRule(rule({ since: '1h', minTotal: 1 }), { workspace: false }).mapping).toEqual({ kind: 'exact' });
  });
});

describe('the error-count approximation', () => {
  it('narrows a status-class filter to the error classes: one condition per dimension', () => {
    const p = planRule(rule({ since: '1h', statusClasses: ['4xx', '2xx'], maxErrorRate: '1%' }), { workspace: false });
    const a = p.alerts[0]!;
    expect(a.type === 'metric' && a.criterion.dimensions).toEqual([{ name: 'StatusCodeClass', operator: 'Include', values: ['4xx'] }]);
  });

  it('a filter that leaves no errors is not mapped', () => {
    const p = planRule(rule({ since: '1h', statusClasses: ['2xx'], maxErrorRate: '1%' }), { workspace: false });
    expect(p.mapping).toEqual({ kind: 'not-mapped', why: 'error rate: the StatusCodeClass filter leaves no errors to count' });
    expect(p.alerts).toEqual([]);
  });
});

describe('names', () => {
  it('are lower-case words joined by dashes', () => {
    expect(slug('Chat errors (SMS)')).toBe('chat-errors-sms');
    expect(slug('  ***  ')).toBe('rule');
    expect(slug('Café 5xx')).toBe('cafe-5xx');
  });
});

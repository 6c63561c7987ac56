import { describe, expect, it } from 'vitest';
import { parseRulesText, validateRules } from '../src/cli/check-config.js';
import { CliError } from '../src/errors.js';

const H = 3_600_000;

function problems(doc: unknown, options = {}): string[] {
  try {
    validateRules(doc, 'gates.json', options);
  } catch (err) {
    if (err instanceof CliError) return [...err.problems];
    throw err;
  }
  return [];
}

describe('validateRules', () => {
  it('fills rules from defaults and built-in defaults', () => {
    const [a, b] = validateRules(
      {
        failOnNoData: true,
        defaults: { metric: 'chat', since: '2h', minRequests: 50, errors: '5xx,429', level: 'warn' },
        rules: [
          { operations: 'send chat message', maxErrorRate: 0.005 },
          {
            name: 'router',
            metric: 'Job Router API Requests',
            statusCodes: [429, '503'],
            statusClasses: '5XX',
            minTotal: 0,
            maxTotal: 10,
            level: 'error',
            failOnNoData: false,
            start: '2026-01-07',
            end: '2026-01-08',
          },
        ],
      },
      'gates.json',
    );
    expect(a).toMatchObject({
      name: 'chat SendChatMessage',
      level: 'warn',
      range: { sinceMs: 2 * H },
      errors: { classes: ['5xx'], codes: ['429'] },
      maxErrorRate: { ratio: 0.005, num: 5n, scale: 3 },
      minRequests: 50,
      perOperation: false,
      failOnNoData: true,
    });
    expect(a!.metric.alias).toBe('chat');
    expect(a!.filters.map((f) => [f.dimension.name, f.values])).toEqual([['Operation', ['SendChatMessage']]]);
    expect(b).toMatchObject({
      name: 'router',
      level: 'error',
      minTotal: 0,
      maxTotal: 10,
      failOnNoData: false,
      range: { start: Date.parse('2026-01-07T00:00:00Z'), end: Date.parse('2026-01-08T00:00:00Z') },
    });
    expect(b!.metric.alias).toBe('router');
    expect(b!.maxErrorRate).toBeUndefined();
    expect(b!.filters.map((f) => [f.dimension.rest, f.values])).toEqual([
      ['StatusCode', ['429', '503']],
      ['StatusCodeSubClass', ['5xx']],
    ]);
  });

  it("the command line window replaces the defaults but not a rule's own; --fail-on-no-data wins", () => {
    const rules = validateRules(
      {
        defaults: { since: '1h' },
        rules: [
          { name: 'a', metric: 'chat', maxErrorRate: '1%', failOnNoData: false },
          { name: 'b', metric: 'chat', since: '3h', minTotal: 1 },
        ],
      },
      'gates.json',
      { range: { sinceMs: 24 * H }, failOnNoData: true },
    );
    expect(rules.map((r) => [r.range, r.failOnNoData])).toEqual([
      [{ sinceMs: 24 * H }, true],
      [{ sinceMs: 3 * H }, true],
    ]);
  });

  it('reports the file-level problems', () => {
    expect(problems([])).toEqual(['gates.json: expected an object with "rules": [...], found an array']);
    expect(problems({})).toEqual(['gates.json: no "rules": give "rules": [{ "metric": "chat", "maxErrorRate": "1%" }, ...]']);
    expect(problems({ rules: [] })).toEqual(['gates.json: rules: no rules: the array is empty']);
    expect(problems({ rules: {}, defaults: [] })).toEqual([
      'gates.json: defaults: expected an object, found an array',
      'gates.json: rules: expected an array of rules, found an object',
    ]);
  });

  it('keeps names and operations out of defaults, and asks for distinct names', () => {
    expect(
      problems({ defaults: { name: 'x', operations: ['SendChatMessage'], metric: 'chat' }, rules: [{ maxErrorRate: '1%' }, { maxErrorRate: '2%' }] }),
    ).toEqual([
      'gates.json: defaults.name: not allowed in defaults: each rule has its own name',
      'gates.json: defaults.operations: not allowed in defaults: each rule has its own operations (they belong to its metric)',
      'gates.json: rules[1]: duplicate rule name "chat" (rules[0] has it too); give each rule a "name"',
    ]);
  });

  it('reports a bad default once, and rules without a metric', () => {
    expect(problems({ defaults: { maxErrorRate: '2 %%' }, rules: [{ metric: 'chat' }, { metric: 'sms' }, { name: 'x' }] })).toEqual([
      'gates.json: defaults.maxErrorRate: invalid error rate "2 %%": expected a rate such as 1%, 0.5% or 0.01',
      'gates.json: rules[2]: no metric: give "metric" (an alias such as chat, or set it in defaults)',
    ]);
  });

  it('checks types, windows and combinations', () => {
    expect(
      problems({
        rules: [
          { name: '', metric: 3, maxErrorRate: true, minRequests: 1.5, maxTotal: '10', level: 7, operations: [] },
          { name: 'w', metric: 'chat', since: '1h', start: '2026-01-01', minTotal: 1, perOperation: true },
          { name: 'v', metric: 'chat', start: '2026-01-02', end: '2026-01-01', errors: [], minTotal: 1 },
        ],
      }),
    ).toEqual([
      'gates.json: rules[0].metric: expected a metric name such as chat, found 3',
      'gates.json: rules[0].maxErrorRate: expected a rate such as "1%" or 0.01, found true',
      'gates.json: rules[0].minRequests: expected a whole number of at least 1, found 1.5',
      'gates.json: rules[0].maxTotal: expected a whole number of at least 0, found "10"',
      'gates.json: rules[0].level: unknown level 7: expected error (fails the run) or warn (reported only)',
      'gates.json: rules[0].name: expected a non-empty string, found ""',
      'gates.json: rules[1]: give either "since" or "start", not both',
      'gates.json: rules[1].perOperation: applies maxErrorRate to each operation: give maxErrorRate too',
      'gates.json: rules[2]: start 2026-01-02 is not before end 2026-01-01',
      'gates.json: rules[2].errors: needs at least one status class or code, e.g. ["5xx", "429"]',
    ]);
  });
});

describe('parseRulesText', () => {
  it('reads JSON with a byte order mark, and YAML', async () => {
    expect(await parseRulesText('\uFEFF{"rules": []}', 'a.json', 'json')).toEqual({ rules: [] });
    expect(await parseRulesText('rules:\n  - metric: chat\n    maxErrorRate: 1%\n', 'a.yaml', 'yaml')).toEqual({
      rules: [{ metric: 'chat', maxErrorRate: '1%' }],
    });
  });

  it('reports syntax errors as usage errors with their place', async () => {
    await expect(parseRulesText('  \n', 'a.json', 'json')).rejects.toMatchObject({ exitCode: 2, problems: ['a.json: empty rules file'] });
    await expect(parseRulesText('a: 1\na: 2\n', 'a.yml', 'yaml')).rejects.toMatchObject({
      exitCode: 2,
      problems: ['a.yml: not valid YAML: Map keys must be unique at line 2, column 1'],
    });
    await expect(parseRulesText('{"rules": [}', 'a.json', 'json')).rejects.toMatchObject({ exitCode: 2 });
  });
});

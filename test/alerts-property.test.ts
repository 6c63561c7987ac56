/**
 * Property: for any rules file, every criterion `alerts` writes (ARM and Terraform) has the rule's
 * metric (REST name), dimension filter (REST dimension names, the rule's values), operator and
 * threshold, and the metric's aggregation; and the log query's whole-number comparison agrees with
 * check's verdict on any counts. Rules are read by check's own rules-file reader.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { METRICS } from '../src/catalog/metrics.js';
import { validateRules } from '../src/cli/check-config.js';
import { planAlerts } from '../src/core/alert-plan.js';
import { errorRateQuery } from '../src/core/alert-kql.js';
import { exceeds, type GateRule } from '../src/core/gate.js';
import { renderArmTemplate } from '../src/render/alerts-arm.js';
import { renderTerraform } from '../src/render/alerts-terraform.js';

/** Request metrics with documented operations and an HTTP status: what count and rate rules take. */
const REQUEST_METRICS = METRICS.filter((m) => m.errors.kind === 'status' && m.operations.length > 0 && !m.legacy);
const WINDOWS = ['1m', '5m', '15m', '30m', '1h', '6h', '12h', '1d', '2h', '45m'];

const ruleArb = fc
  .record({
    metric: fc.constantFrom(...REQUEST_METRICS),
    ops: fc.array(fc.nat(), { minLength: 0, maxLength: 3 }),
    classes: fc.subarray(['2xx', '4xx', '5xx']),
    codes: fc.subarray(['200', '429', '503']),
    since: fc.constantFrom(...WINDOWS),
    minTotal: fc.option(fc.integer({ min: 0, max: 1_000_000 }), { nil: undefined }),
    maxTotal: fc.option(fc.integer({ min: 0, max: 1_000_000 }), { nil: undefined }),
    rate: fc.option(fc.integer({ min: 0, max: 100_000 }), { nil: undefined }),
    level: fc.constantFrom('error', 'warn'),
  })
  .filter((r) => r.minTotal !== undefined || r.maxTotal !== undefined || r.rate !== undefined)
  .filter((r) => r.minTotal === undefined || r.maxTotal === undefined || r.minTotal <= r.maxTotal);

type Arb = typeof ruleArb extends fc.Arbitrary<infer T> ? T : never;

function rulesFile(rules: Arb[]): unknown {
  return {
    rules: rules.map((r, i) => ({
      name: `rule ${i}`,
      metric: r.metric.alias,
      ...(r.ops.length > 0 ? { operations: [...new Set(r.ops.map((o) => r.metric.operations[o % r.metric.operations.length]!.name))] } : {}),
      ...(r.classes.length > 0 ? { statusClasses: r.classes } : {}),
      ...(r.codes.length > 0 ? { statusCodes: r.codes } : {}),
      since: r.since,
      ...(r.minTotal !== undefined ? { minTotal: r.minTotal } : {}),
      ...(r.maxTotal !== undefined ? { maxTotal: r.maxTotal } : {}),
      ...(r.rate !== undefined ? { maxErrorRate: `${r.rate / 1000}%` } : {}),
      level: r.level,
    })),
  };
}

/** The rule's filters as Azure dimension conditions: REST names, the rule's values. */
const filtersOf = (rule: GateRule) => rule.filters.map((f) => ({ name: f.dimension.rest, operator: 'Include', values: [...f.values] }));
const aggregationOf = (rule: GateRule) => (rule.metric.primaryAggregation === 'total' ? 'Total' : 'Count');

describe('every generated criterion is the rule', () => {
  it("ARM and Terraform: metric, dimension filter, operator, threshold and aggregation equal the rule's", () => {
    fc.assert(
      fc.property(fc.array(ruleArb, { minLength: 1, maxLength: 5 }), fc.boolean(), (arbs, workspace) => {
        const rules = validateRules(rulesFile(arbs), 'rules.json');
        const plans = planAlerts(rules, { workspace });
        const arm = JSON.parse(renderArmTemplate({ plans, scopes: [] })) as { resources: any[] };
        const tf = JSON.parse(renderTerraform({ plans, scopes: [] })) as { resource?: Record<string, Record<string, any>> };
        const byName = new Map(arm.resources.map((r) => [r.name as string, r]));
        for (const rule of rules) {
          for (const [check, operator, threshold] of [
            ['min-total', 'LessThan', rule.minTotal],
            ['max-total', 'GreaterThan', rule.maxTotal],
          ] as const) {
            const name = `acs-${rule.name.replace(' ', '-')}-${check}`;
            const resource = byName.get(name);
            if (threshold === undefined) {
              expect(resource).toBeUndefined();
              continue;
            }
            const c = resource.properties.criteria.allOf[0];
            expect(c).toEqual({
              criterionType: 'StaticThresholdCriterion',
              name: check,
              metricName: rule.metric.rest,
              metricNamespace: 'Microsoft.Communication/CommunicationServices',
              timeAggregation: aggregationOf(rule),
              operator,
              threshold,
              dimensions: filtersOf(rule),
            });
            expect(resource.properties.severity).toBe(rule.level === 'error' ? 1 : 2);
            const t = tf.resource!.azurerm_monitor_metric_alert![name].criteria[0];
            expect(t).toEqual({
              metric_namespace: 'Microsoft.Communication/CommunicationServices',
              metric_name: rule.metric.rest,
              aggregation: aggregationOf(rule),
              operator,
              threshold,
              dimension: filtersOf(rule),
            });
          }
          const rate = byName.get(`acs-${rule.name.replace(' ', '-')}-error-rate`);
          if (rule.maxErrorRate === undefined) expect(rate).toBeUndefined();
          else if (rate?.type === 'Microsoft.Insights/metricAlerts') {
            // The approximation keeps the rule's filters (narrowed to the error values on the error
            // dimension) and counts errors only.
            const c = rate.properties.criteria.allOf[0];
            expect(c.metricName).toBe(rule.metric.rest);
            expect(c.criterionType).toBe('DynamicThresholdCriterion');
            expect(c.operator).toBe('GreaterThan');
            for (const f of filtersOf(rule)) {
              const d = c.dimensions.find((x: { name: string }) => x.name === f.name);
              expect(d.values.length).toBeGreaterThan(0);
              for (const v of d.values) expect(f.values).toContain(v);
            }
            expect(new Set(c.dimensions.map((d: { name: string }) => d.name)).size).toBe(c.dimensions.length);
          }
        }
      }),
      { numRuns: 200 },
    );
  });

  it("the log query's comparison agrees with check's verdict for any counts and threshold", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 100_000_000 }),
        fc.integer({ min: 1, max: 10_000 }),
        fc.integer({ min: 0, max: 10_000 }),
        (threshold, requests, errorsRaw) => {
          const errors = Math.min(errorsRaw, requests);
          const [rule] = validateRules({ rules: [{ metric: 'chat', since: '1h', maxErrorRate: `${threshold / 1e6}%` }] }, 'rules.json');
          const line = errorRateQuery(rule!, 'ACSChatIncomingOperations')
            .split('\n')
            .find((l) => l.startsWith('| where errors * '))!;
          const [, scale, num] = /^\| where errors \* (\d+) > requests \* (\d+)$/.exec(line)!;
          const kql = BigInt(errors) * BigInt(scale!) > BigInt(requests) * BigInt(num!);
          expect(kql).toBe(exceeds(errors, requests, rule!.maxErrorRate!));
        },
      ),
      { numRuns: 500 },
    );
  });
});

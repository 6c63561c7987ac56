/**
 * The ARM templates of `alerts -o arm` against Microsoft's published ARM JSON schemas of their resource
 * types (test/schemas/arm, vendored with their source and date; see the README there), checked with
 * ajv (draft 04). Each resource is validated against its resource-type definition; the template's own
 * frame and parameter references are checked here.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Ajv from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { run } from './helpers/io.js';
import { tempDir } from './helpers/temp.js';

const ROOT = resolve(import.meta.dirname, '..');
const SCHEMAS = join(ROOT, 'test', 'schemas', 'arm');
const load = (name: string): Record<string, any> => JSON.parse(readFileSync(join(SCHEMAS, name), 'utf8'));
const METRIC_ALERTS = 'https://schema.management.azure.com/schemas/2018-03-01/Microsoft.Insights.json#/resourceDefinitions/metricAlerts';
const QUERY_RULES = 'https://schema.management.azure.com/schemas/2021-08-01/Microsoft.Insights.json#/resourceDefinitions/scheduledQueryRules';
const WORKSPACE = '/subscriptions/00000000-0000-0000-0000-0000000000aa/resourceGroups/logs/providers/Microsoft.OperationalInsights/workspaces/acs-logs';
const RESOURCE = '/subscriptions/00000000-0000-0000-0000-0000000000bb/resourceGroups/comms/providers/Microsoft.Communication/CommunicationServices/acs-prod';

/**
 * The REST API specification's timeAggregation (metricAlert_API.json, 2018-03-01,
 * MultiMetricCriteria.timeAggregation): the published schema types it as an empty object.
 */
const REST_TIME_AGGREGATION = { enum: ['Average', 'Count', 'Minimum', 'Maximum', 'Total'], description: 'the criteria time aggregation types.' };

function validators(patched: boolean) {
  const metric = load('2018-03-01-Microsoft.Insights.metricAlerts.json');
  if (patched) {
    metric.definitions.MetricCriteria.properties.timeAggregation = REST_TIME_AGGREGATION;
    metric.definitions.MultiMetricCriteria.properties.timeAggregation = REST_TIME_AGGREGATION;
  }
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema(load('common-definitions.json'));
  ajv.addSchema(metric);
  ajv.addSchema(load('2021-08-01-Microsoft.Insights.json'));
  return {
    'Microsoft.Insights/metricAlerts': ajv.compile({ $ref: METRIC_ALERTS }),
    'Microsoft.Insights/scheduledQueryRules': ajv.compile({ $ref: QUERY_RULES }),
  } as Record<string, ReturnType<typeof ajv.compile>>;
}

const patched = validators(true);

/** Validation errors of every resource ("name: path message"); empty when all are valid. */
function schemaErrors(template: { resources: { type: string; name: string }[] }, v = patched): string[] {
  return template.resources.flatMap((r) => {
    const validate = v[r.type];
    if (!validate) return [`${r.name}: no schema for ${r.type}`];
    return validate(r) ? [] : (validate.errors ?? []).map((e) => `${r.name}: ${e.instancePath} ${e.message}`);
  });
}

/** The frame: schema, content version, and every [parameters('x')] names a declared parameter. */
function frameErrors(template: Record<string, any>): string[] {
  const errors: string[] = [];
  if (template.$schema !== 'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#') errors.push('$schema');
  if (template.contentVersion !== '1.0.0.0') errors.push('contentVersion');
  const declared = new Set(Object.keys(template.parameters));
  for (const m of JSON.stringify(template.resources).matchAll(/\[parameters\('([^']+)'\)\]/g)) {
    if (!declared.has(m[1]!)) errors.push(`undeclared parameter ${m[1]}`);
  }
  return errors;
}

/** The rules file of the manual's "Rules file (--config)" page (docs/rules-files.md), as written there. */
function manualRulesFile(): string {
  const page = readFileSync(join(ROOT, 'docs', 'rules-files.md'), 'utf8');
  const section = page.slice(page.indexOf('# Rules file (`--config`)'));
  const m = /```json\n([\s\S]*?)```/.exec(section);
  if (!m) throw new Error('no rules file in docs/rules-files.md');
  return m[1]!;
}

async function template(rulesFile: string, extra: string[] = []): Promise<Record<string, any>> {
  const r = await run(['alerts', '--config', rulesFile, '--resource', RESOURCE, ...extra]);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout);
}

describe("alerts -o arm validates against Microsoft's schemas", () => {
  const dir = tempDir();
  const manualRules = join(dir, 'gates.json');
  writeFileSync(manualRules, manualRulesFile());
  const allKinds = join(ROOT, 'test', 'data', 'alerts-rules.yaml');

  it("the manual's rules file, without a workspace: metric alerts with dynamic and static criteria", async () => {
    const t = await template(manualRules);
    expect(t.resources.map((r: { type: string }) => r.type)).toEqual(Array(4).fill('Microsoft.Insights/metricAlerts'));
    expect(schemaErrors(t as never)).toEqual([]);
    expect(frameErrors(t)).toEqual([]);
  });

  it("the manual's rules file, with a workspace: log search alerts for the rates", async () => {
    const t = await template(manualRules, ['--workspace', WORKSPACE]);
    expect(t.resources.map((r: { type: string }) => r.type)).toEqual([
      'Microsoft.Insights/scheduledQueryRules',
      'Microsoft.Insights/scheduledQueryRules',
      'Microsoft.Insights/scheduledQueryRules',
      'Microsoft.Insights/metricAlerts',
    ]);
    expect(schemaErrors(t as never)).toEqual([]);
    expect(frameErrors(t)).toEqual([]);
  });

  it('every kind of rule, with and without a workspace', async () => {
    for (const extra of [[], ['--workspace', WORKSPACE]]) {
      const t = await template(allKinds, extra);
      expect(t.resources.length).toBeGreaterThanOrEqual(6);
      expect(schemaErrors(t as never)).toEqual([]);
      expect(frameErrors(t)).toEqual([]);
    }
  });

  it('the validation can fail: a wrong operator, a missing severity, a bad window, a bad kind', async () => {
    const t = await template(manualRules, ['--workspace', WORKSPACE]);
    const metric = structuredClone(t.resources[3]);
    metric.properties.criteria.allOf[0].operator = 'Above';
    delete metric.properties.severity;
    metric.properties.windowSize = 'one hour';
    const log = structuredClone(t.resources[0]);
    log.kind = 'LogSearch';
    const errors = schemaErrors({ resources: [metric, log] });
    expect(errors.some((e) => e.includes('/properties/criteria/allOf/0/operator'))).toBe(true);
    expect(errors.some((e) => e.includes("must have required property 'severity'"))).toBe(true);
    expect(errors.some((e) => e.includes('/properties/windowSize must match format "duration"'))).toBe(true);
    expect(errors.some((e) => e.startsWith('acs-chat-errors-error-rate: /kind'))).toBe(true);
  });

  it('the published 2018-03-01 schema rejects only timeAggregation (the defect the test patches)', async () => {
    const t = await template(manualRules);
    const errors = schemaErrors(t as never, validators(false));
    expect(errors.length).toBeGreaterThan(0);
    expect(errors.some((e) => e.includes('/properties/criteria/allOf/0/timeAggregation must be object'))).toBe(true);
    // With timeAggregation as the object the published schema asks for, everything else passes it.
    const objectAggregation = structuredClone(t);
    for (const r of objectAggregation.resources) r.properties.criteria.allOf[0].timeAggregation = {};
    expect(schemaErrors(objectAggregation as never, validators(false))).toEqual([]);
  });
});

/**
 * Rules over data of several resources: each rule is judged for each resource on its own (a rule
 * "chat error rate" becomes "chat error rate on acs-a", ...), so that one busy resource cannot hide a
 * failing one. A resource whose data failed for the rule's metric gets an error verdict naming it (exit
 * 3 for that rule only); the others are judged normally. Resources without any series of the metric
 * are left out (and counted) unless the rule needs them (--min-total, --fail-on-no-data). Pure.
 */
import { isResourceDimension, RESOURCE_DIMENSION, resourceName } from '../catalog/resource.js';
import { dataResources, failureOf, resourceFailures } from './estate.js';
import { checkRule, errorResult, type GateRule, type RuleResult } from './gate.js';
import type { QueryData } from './run-query.js';

export interface ResourceRules {
  readonly results: RuleResult[];
  /** Resource and metric pairs left out for having no traffic. */
  readonly quiet: number;
}

const key = (id: string): string => id.replace(/^\//, '').toLowerCase();

export function checkRulesPerResource(rules: readonly GateRule[], data: QueryData, baselineData: QueryData = data): ResourceRules {
  const failures = resourceFailures(data.metrics);
  const results: RuleResult[] = [];
  let quiet = 0;
  for (const rule of rules) {
    const ids = dataResources(data.metrics, rule.metric.rest);
    if (ids.length < 2 || rule.filters.some((f) => isResourceDimension(f.dimension))) {
      results.push(checkRule(rule, data, baselineData));
      continue;
    }
    for (const id of ids) {
      const name = resourceName(id);
      const named: GateRule = { ...rule, name: `${rule.name} on ${name}` };
      const failed = failureOf(failures, id, rule.metric.rest);
      if (failed) {
        results.push(errorResult(named, `${name} (${id}): no data for ${rule.metric.rest}: ${failed.message}`));
        continue;
      }
      const traffic = data.metrics.some(
        (m) => m.resourceId !== undefined && key(m.resourceId) === key(id) && m.name.toLowerCase() === rule.metric.rest.toLowerCase() && m.series.length > 0,
      );
      if (!traffic && rule.minTotal === undefined && !rule.failOnNoData) {
        quiet++;
        continue;
      }
      results.push(checkRule({ ...named, filters: [...rule.filters, { dimension: RESOURCE_DIMENSION, values: [id] }] }, data, baselineData));
    }
  }
  return { results, quiet };
}

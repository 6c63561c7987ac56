/**
 * `alerts -o terraform`: the alert rules as Terraform JSON (.tf.json) for the azurerm provider:
 * azurerm_monitor_metric_alert and azurerm_monitor_scheduled_query_rules_alert_v2. Pure.
 */
import type { DimensionCondition, LogAlertPlan, MetricAlertPlan } from '../core/alert-plan.js';
import { RESOURCE_TYPE } from '../catalog/metrics.js';
import { alertsOf, GENERATED_NOTE, hasLogAlerts, type TemplateInputs } from './alert-resources.js';

/** A literal in a Terraform string template: "${" and "%{" would start an interpolation or directive. */
export const tfLiteral = (s: string): string => s.replace(/\$\{/g, () => '$${').replace(/%\{/g, () => '%%{');

const dimension = (d: DimensionCondition) => ({ name: tfLiteral(d.name), operator: d.operator, values: d.values.map(tfLiteral) });

function metricAlert(a: MetricAlertPlan): Record<string, unknown> {
  const c = a.criterion;
  const common = {
    metric_namespace: c.metricNamespace,
    metric_name: c.metricName,
    aggregation: c.timeAggregation,
    operator: c.operator,
    dimension: c.dimensions.map(dimension),
  };
  return {
    name: a.name,
    resource_group_name: '${var.resource_group_name}',
    scopes: '${var.scopes}',
    description: tfLiteral(a.description),
    severity: a.severity,
    enabled: true,
    auto_mitigate: true,
    frequency: a.evaluationFrequency,
    window_size: a.windowSize,
    target_resource_type: RESOURCE_TYPE,
    target_resource_location: 'global',
    ...(c.kind === 'static'
      ? { criteria: [{ ...common, threshold: c.threshold }] }
      : {
          dynamic_criteria: [
            {
              ...common,
              alert_sensitivity: c.alertSensitivity,
              evaluation_total_count: c.failingPeriods.numberOfEvaluationPeriods,
              evaluation_failure_count: c.failingPeriods.minFailingPeriodsToAlert,
            },
          ],
        }),
    action: [{ action_group_id: '${var.action_group_id}' }],
  };
}

function logAlert(a: LogAlertPlan): Record<string, unknown> {
  return {
    name: a.name,
    resource_group_name: '${var.resource_group_name}',
    location: '${var.location}',
    display_name: a.name,
    description: tfLiteral(a.description),
    severity: a.severity,
    enabled: true,
    auto_mitigation_enabled: true,
    evaluation_frequency: a.evaluationFrequency,
    window_duration: a.windowSize,
    scopes: ['${var.workspace_id}'],
    criteria: [
      {
        query: tfLiteral(a.query),
        time_aggregation_method: 'Count',
        operator: 'GreaterThan',
        threshold: 0,
        dimension: a.splitBy.map((name) => ({ name, operator: 'Include', values: ['*'] })),
        failing_periods: [{ minimum_failing_periods_to_trigger_alert: 1, number_of_evaluation_periods: 1 }],
      },
    ],
    action: [{ action_groups: ['${var.action_group_id}'] }],
  };
}

export function renderTerraform(inputs: TemplateInputs): string {
  const variable: Record<string, unknown> = {
    resource_group_name: { type: 'string', description: 'The resource group the alert rules go in.' },
    action_group_id: { type: 'string', description: 'The resource id of the action group the alerts notify.' },
    scopes: {
      type: 'list(string)',
      description: 'The ACS resources (Microsoft.Communication/CommunicationServices ids) the metric alerts watch.',
      ...(inputs.scopes.length > 0 ? { default: inputs.scopes.map(tfLiteral) } : {}),
    },
  };
  if (hasLogAlerts(inputs.plans)) {
    variable.workspace_id = {
      type: 'string',
      description: 'The Log Analytics workspace a diagnostic setting sends the ACS logs to.',
      ...(inputs.workspace !== undefined ? { default: tfLiteral(inputs.workspace) } : {}),
    };
    variable.location = { type: 'string', description: "The log search alerts' region: the workspace's." };
  }
  const metric: Record<string, unknown> = {};
  const log: Record<string, unknown> = {};
  for (const a of alertsOf(inputs.plans)) {
    if (a.type === 'metric') metric[a.name] = metricAlert(a);
    else log[a.name] = logAlert(a);
  }
  const resource: Record<string, unknown> = {};
  if (Object.keys(metric).length > 0) resource.azurerm_monitor_metric_alert = metric;
  if (Object.keys(log).length > 0) resource.azurerm_monitor_scheduled_query_rules_alert_v2 = log;
  const doc = { '//': GENERATED_NOTE, variable, ...(Object.keys(resource).length > 0 ? { resource } : {}) };
  return `${JSON.stringify(doc, null, 2)}\n`;
}

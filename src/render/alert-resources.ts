/**
 * The alert rules of a plan as ARM resources (the shape both the ARM template and the Bicep file
 * write), with references to the template's parameters kept as Ref values for each format to spell.
 */
import type { AlertPlan, LogAlertPlan, MetricAlertPlan, RulePlan } from '../core/alert-plan.js';
import { RESOURCE_TYPE } from '../catalog/metrics.js';

/** A reference to a template parameter. */
export class Ref {
  constructor(readonly param: string) {}
}

export type Value = string | number | boolean | Ref | readonly Value[] | { readonly [key: string]: Value };

/** Array.isArray for a readonly list of values (it narrows to any[] otherwise). */
export const isList = (v: Value): v is readonly Value[] => Array.isArray(v);

export interface Param {
  readonly name: string;
  readonly type: 'string' | 'array';
  readonly description: string;
  /** A literal default; `defaultExpr` for the resource group's location. */
  readonly defaultValue?: string | readonly string[];
  readonly defaultLocation?: boolean;
}

export const METRIC_ALERTS_API = '2018-03-01';
export const SCHEDULED_QUERY_API = '2021-08-01';
/** ACS resources live in the region "global". */
const ACS_REGION = 'global';

export interface TemplateInputs {
  readonly plans: readonly RulePlan[];
  /** The ACS resource ids to alert on (default of the scopes parameter); empty: no default. */
  readonly scopes: readonly string[];
  /** The Log Analytics workspace resource id (default of workspaceId); undefined without --workspace. */
  readonly workspace?: string;
}

export const alertsOf = (plans: readonly RulePlan[]): AlertPlan[] => plans.flatMap((p) => p.alerts);
export const hasLogAlerts = (plans: readonly RulePlan[]): boolean => alertsOf(plans).some((a) => a.type === 'log');

export function templateParams(inputs: TemplateInputs): Param[] {
  const params: Param[] = [
    { name: 'actionGroupId', type: 'string', description: 'The resource id of the action group the alerts notify.' },
    {
      name: 'scopes',
      type: 'array',
      description: 'The ACS resources (Microsoft.Communication/CommunicationServices ids) the metric alerts watch.',
      ...(inputs.scopes.length > 0 ? { defaultValue: inputs.scopes } : {}),
    },
  ];
  if (hasLogAlerts(inputs.plans)) {
    params.push(
      {
        name: 'workspaceId',
        type: 'string',
        description: 'The Log Analytics workspace a diagnostic setting sends the ACS logs to.',
        ...(inputs.workspace !== undefined ? { defaultValue: inputs.workspace } : {}),
      },
      { name: 'location', type: 'string', description: "The log search alerts' region: the workspace's.", defaultLocation: true },
    );
  }
  return params;
}

function metricAlert(a: MetricAlertPlan): Record<string, Value> {
  const c = a.criterion;
  const criterion: Record<string, Value> =
    c.kind === 'static'
      ? {
          criterionType: 'StaticThresholdCriterion',
          name: c.name,
          metricName: c.metricName,
          metricNamespace: c.metricNamespace,
          timeAggregation: c.timeAggregation,
          operator: c.operator,
          threshold: c.threshold,
        }
      : {
          criterionType: 'DynamicThresholdCriterion',
          name: c.name,
          metricName: c.metricName,
          metricNamespace: c.metricNamespace,
          timeAggregation: c.timeAggregation,
          operator: c.operator,
          alertSensitivity: c.alertSensitivity,
          failingPeriods: { ...c.failingPeriods },
        };
  criterion.dimensions = c.dimensions.map((d) => ({ name: d.name, operator: d.operator, values: [...d.values] }));
  return {
    type: 'Microsoft.Insights/metricAlerts',
    apiVersion: METRIC_ALERTS_API,
    name: a.name,
    location: 'global',
    properties: {
      description: a.description,
      severity: a.severity,
      enabled: true,
      scopes: new Ref('scopes'),
      evaluationFrequency: a.evaluationFrequency,
      windowSize: a.windowSize,
      targetResourceType: RESOURCE_TYPE,
      targetResourceRegion: ACS_REGION,
      criteria: { 'odata.type': 'Microsoft.Azure.Monitor.MultipleResourceMultipleMetricCriteria', allOf: [criterion] },
      autoMitigate: true,
      actions: [{ actionGroupId: new Ref('actionGroupId') }],
    },
  };
}

function logAlert(a: LogAlertPlan): Record<string, Value> {
  return {
    type: 'Microsoft.Insights/scheduledQueryRules',
    apiVersion: SCHEDULED_QUERY_API,
    name: a.name,
    location: new Ref('location'),
    kind: 'LogAlert',
    properties: {
      displayName: a.name,
      description: a.description,
      severity: a.severity,
      enabled: true,
      evaluationFrequency: a.evaluationFrequency,
      windowSize: a.windowSize,
      scopes: [new Ref('workspaceId')],
      criteria: {
        allOf: [
          {
            query: a.query,
            timeAggregation: 'Count',
            operator: 'GreaterThan',
            threshold: 0,
            dimensions: a.splitBy.map((name) => ({ name, operator: 'Include', values: ['*'] })),
            failingPeriods: { numberOfEvaluationPeriods: 1, minFailingPeriodsToAlert: 1 },
          },
        ],
      },
      autoMitigate: true,
      actions: { actionGroups: [new Ref('actionGroupId')] },
    },
  };
}

/** Every alert of the plans as an ARM resource, in the rules' order. */
export function alertResources(plans: readonly RulePlan[]): Record<string, Value>[] {
  return alertsOf(plans).map((a) => (a.type === 'metric' ? metricAlert(a) : logAlert(a)));
}

/** One line for the top of a generated file. */
export const GENERATED_NOTE =
  'Generated by "acs-metrics alerts" from acs-metrics rules: regenerate rather than edit (alert names are stable, so a deployment updates the same alert rules).';

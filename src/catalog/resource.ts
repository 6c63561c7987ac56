/**
 * The Resource dimension: not an Azure Monitor dimension but the resource a series comes from, which
 * every metric has. Its value in a series is the full resource id (or '' when the data does not say);
 * tables, charts and CSV show the resource's name (the last segment of the id), JSON the full id. It
 * is never sent to Azure in a $filter: a request names its one resource in its URL.
 */
import type { DimensionDef } from './types.js';

export const RESOURCE_DIMENSION: DimensionDef = {
  name: 'Resource',
  rest: 'Resource',
  aliases: ['ResourceId', 'ResourceName'],
  description: 'The resource the data comes from (its full id); shown by its name.',
};

/** The key of the Resource dimension in a series' dimensions (REST names are lower-cased there). */
export const RESOURCE_KEY = 'resource';

export function isResourceDimension(d: DimensionDef): boolean {
  return d === RESOURCE_DIMENSION || d.rest === RESOURCE_DIMENSION.rest;
}

/** The name of a resource: the last segment of its id ("/subscriptions/.../communicationServices/acs-a" -> "acs-a"). */
export function resourceName(id: string): string {
  const trimmed = id.replace(/\/+$/, '');
  const slash = trimmed.lastIndexOf('/');
  return slash === -1 ? trimmed : trimmed.slice(slash + 1);
}

const METRICS_PATH = '/providers/microsoft.insights/metrics/';

/** The resource id of a Metrics - List metric's `id` ({resourceId}/providers/Microsoft.Insights/metrics/{name}). */
export function resourceIdOfMetricId(id: string): string | undefined {
  const at = id.toLowerCase().lastIndexOf(METRICS_PATH);
  return at > 0 ? id.slice(0, at) : undefined;
}

/** The subscription and resource group named in a resource id ("" for a part the id does not hold). */
export function resourceScope(id: string): { readonly subscription: string; readonly resourceGroup: string } {
  const parts = id.split('/').filter((p) => p !== '');
  const after = (key: string): string => {
    const at = parts.findIndex((p) => p.toLowerCase() === key);
    return at === -1 ? '' : (parts[at + 1] ?? '');
  };
  return { subscription: after('subscriptions'), resourceGroup: after('resourcegroups') };
}

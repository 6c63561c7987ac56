/**
 * ACS resource ids: checked for shape before any network call, and written the way the SDK wants them
 * (no leading slash: the SDK adds one, and "/subscriptions" would become "//subscriptions").
 */
import { RESOURCE_TYPE } from '../../catalog/metrics.js';
import { UsageError } from '../../errors.js';
import type { ResourceId } from '../../core/resource-info.js';

export const RESOURCE_ID_SHAPE = `/subscriptions/<subscription-guid>/resourceGroups/<group>/providers/${RESOURCE_TYPE}/<name>`;

export type { ResourceId };

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// Resource group: letters, digits, underscores, hyphens, periods and parentheses (not ending in a period).
const GROUP = /^[\p{L}\p{N}_().-]{1,90}$/u;
// ACS resource name: letters, digits and hyphens.
const NAME = /^[A-Za-z0-9][A-Za-z0-9-]{0,62}$/;
// eslint-disable-next-line no-control-regex
const FORBIDDEN = /[\s\u0000-\u001f\u007f-\u009f?#%]/u;

function bad(text: string, what: string): UsageError {
  const shown = JSON.stringify(text.length > 200 ? `${text.slice(0, 200)}...` : text);
  return new UsageError(`invalid resource id ${shown}: ${what}; expected ${RESOURCE_ID_SHAPE}`);
}

function describeChar(c: string): string {
  if (/\s/u.test(c)) return 'whitespace';
  if (c === '?' || c === '#' || c === '%') return `"${c}"`;
  return 'a control character';
}

/** Checks a full resource id and returns it normalized; a UsageError says what is wrong. */
export function parseResourceId(text: string): ResourceId {
  const forbidden = FORBIDDEN.exec(text);
  if (forbidden) return fail(bad(text, `it contains ${describeChar(forbidden[0])}`));
  if (text === '') return fail(bad(text, 'it is empty'));
  if (text.includes('..')) return fail(bad(text, 'it contains ".."'));
  const parts = text.replace(/^\//, '').replace(/\/$/, '').split('/');
  if (parts.some((p) => p === '')) return fail(bad(text, 'it has an empty segment ("//")'));
  const [s, subscription, g, group, p, namespace, type, name, ...rest] = parts;
  if (s?.toLowerCase() !== 'subscriptions' || subscription === undefined) return fail(bad(text, 'it does not start with /subscriptions/<subscription-guid>'));
  if (!GUID.test(subscription)) return fail(bad(text, `the subscription "${subscription}" is not a GUID`));
  if (g?.toLowerCase() !== 'resourcegroups' || group === undefined) return fail(bad(text, 'the subscription is not followed by /resourceGroups/<group>'));
  if (!GROUP.test(group) || group.endsWith('.')) return fail(bad(text, `"${group}" is not a valid resource group name`));
  if (p?.toLowerCase() !== 'providers' || namespace === undefined || type === undefined) {
    return fail(bad(text, `the resource group is not followed by /providers/${RESOURCE_TYPE}/<name>`));
  }
  if (`${namespace}/${type}`.toLowerCase() !== RESOURCE_TYPE.toLowerCase()) {
    return fail(bad(text, `it names a ${namespace}/${type} resource, not ${RESOURCE_TYPE}`));
  }
  if (name === undefined) return fail(bad(text, 'the resource name is missing'));
  if (rest.length > 0) return fail(bad(text, `it goes on after the resource name ("/${rest.join('/')}")`));
  if (!NAME.test(name)) return fail(bad(text, `"${name}" is not a valid Communication Services resource name`));
  return {
    id: `subscriptions/${subscription}/resourceGroups/${group}/providers/${RESOURCE_TYPE}/${name}`,
    subscription,
    resourceGroup: group,
    name,
  };
}

/** Whether --subscription is a subscription id (a GUID) rather than a display name. */
export function isSubscriptionId(text: string): boolean {
  return GUID.test(text);
}

/** Checks one part of an id given on its own (--resource-group, --name): a UsageError says what is wrong. */
export function checkIdPart(option: string, value: string): void {
  if (value.includes('/') || FORBIDDEN.test(value) || value === '' || value.includes('..')) {
    throw new UsageError(`invalid ${option} ${JSON.stringify(value)}: expected a single name without "/", "..", "?", "#", "%" or spaces`);
  }
}

/** Builds the id from --subscription (an id: names are resolved before), --resource-group and --name, checking each part. */
export function buildResourceId(subscription: string, resourceGroup: string, name: string): ResourceId {
  if (!GUID.test(subscription)) throw new UsageError(`invalid --subscription "${subscription}": expected a subscription id (a GUID)`);
  const parts: [string, string][] = [
    ['--subscription', subscription],
    ['--resource-group', resourceGroup],
    ['--name', name],
  ];
  for (const [option, value] of parts) checkIdPart(option, value);
  return parseResourceId(`/subscriptions/${subscription}/resourceGroups/${resourceGroup}/providers/${RESOURCE_TYPE}/${name}`);
}

function fail(err: UsageError): never {
  throw err;
}

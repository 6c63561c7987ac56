/**
 * A selection of ACS resources as data (parsed by cli/selection.ts), and the narrowing of discovered
 * resources by --resource-group, --name globs and --tag. Pure.
 */
import type { ResourceId } from './resource-id.js';

export interface Discovery {
  /** undefined: every subscription the credential can see. */
  readonly subscriptions?: readonly string[];
  readonly resourceGroups: readonly string[];
  /** Name patterns (* and ?), any case. */
  readonly names: readonly string[];
  readonly tags: readonly (readonly [key: string, value: string])[];
}

export type Selection =
  { readonly kind: 'none' } | { readonly kind: 'ids'; readonly ids: readonly ResourceId[] } | { readonly kind: 'discover'; readonly discovery: Discovery };

/** A glob (* any run, ? one character) as a case-insensitive whole-name test. */
export function globTest(pattern: string): (name: string) => boolean {
  const re = new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
    'i',
  );
  return (name) => re.test(name);
}

/** Whether a discovered resource passes --resource-group, --name and --tag. */
export function matchesDiscovery(d: Discovery, r: { resource: ResourceId; tags: Readonly<Record<string, string>> }): boolean {
  if (d.resourceGroups.length > 0 && !d.resourceGroups.some((g) => g.toLowerCase() === r.resource.resourceGroup.toLowerCase())) return false;
  if (d.names.length > 0 && !d.names.some((n) => globTest(n)(r.resource.name))) return false;
  for (const [k, v] of d.tags) {
    const key = Object.keys(r.tags).find((t) => t.toLowerCase() === k.toLowerCase());
    if (key === undefined || r.tags[key] !== v) return false;
  }
  return true;
}

/** The selection in words, for "nothing found" messages. */
export function describeDiscovery(d: Discovery): string {
  const parts = [
    d.subscriptions ? `subscription${d.subscriptions.length > 1 ? 's' : ''} ${d.subscriptions.join(', ')}` : 'every subscription the credential can see',
  ];
  if (d.resourceGroups.length) parts.push(`resource group ${d.resourceGroups.join(' or ')}`);
  if (d.names.length) parts.push(`name ${d.names.join(' or ')}`);
  for (const [k, v] of d.tags) parts.push(`tag ${k}=${v}`);
  return parts.join(', ');
}

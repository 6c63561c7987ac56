/**
 * `acs-metrics resources`: what a selection resolves to, as a table, JSON (schema version 1:
 * { schemaVersion, resources: [{ id, name, subscriptionId, resourceGroup, location, dataLocation, tags }] },
 * which --resources-from reads back) or CSV (name, subscription, resourceGroup, location, dataLocation,
 * tags as key=value joined by ";", id).
 */
import type { ChalkInstance } from 'chalk';
import type { ResourceInfo } from '../core/resource-info.js';
import { csvText } from './csv.js';
import { renderGrid, wrapLines } from './grid.js';

export const RESOURCES_SCHEMA_VERSION = 1;

const tagText = (tags: Readonly<Record<string, string>>): string =>
  Object.keys(tags)
    .sort()
    .map((k) => `${k}=${tags[k]}`)
    .join(';');

export function renderResourcesTable(list: readonly ResourceInfo[], color: ChalkInstance, width?: number): string {
  const rows = list.map((r) => [r.resource.name, r.resource.subscription, r.resource.resourceGroup, r.dataLocation || '-', tagText(r.tags) || '-']);
  const table = renderGrid(['Name', 'Subscription', 'Resource group', 'Data location', 'Tags'], rows, {
    color: color.level > 0,
    headStyle: color.bold,
    // Narrow terminals, in this order: names are cut with … and tags wrap (down to 16), Data location
    // and Subscription go, then names are cut down to 12 and tags wrap down to 8, "Resource group"
    // wraps onto two lines, and Tags go last. Name and resource group are what tells the rows apart
    // (a name is unique within its resource group), so they are cut last and never below 12. Narrowest
    // fit: 31 columns (Name and Resource group at 12); below that it is drawn at those widths, wider.
    columns: [
      { mode: 'middle', floor: 16, min: 12 },
      { drop: 2 },
      { mode: 'middle', floor: 16, min: 12 },
      { drop: 1 },
      { mode: 'wrap', floor: 16, min: 8, late: 1 },
    ],
    ...(width !== undefined ? { width } : {}),
  });
  const subs = new Set(list.map((r) => r.resource.subscription.toLowerCase())).size;
  const footer = `${list.length} ${list.length === 1 ? 'resource' : 'resources'} in ${subs} ${subs === 1 ? 'subscription' : 'subscriptions'}\n`;
  return `${table}${wrapLines(footer, width)}`;
}

export function renderResourcesJson(list: readonly ResourceInfo[]): string {
  const doc = {
    schemaVersion: RESOURCES_SCHEMA_VERSION,
    resources: list.map((r) => ({
      id: `/${r.resource.id}`,
      name: r.resource.name,
      subscriptionId: r.resource.subscription,
      resourceGroup: r.resource.resourceGroup,
      location: r.location,
      dataLocation: r.dataLocation,
      tags: { ...r.tags },
    })),
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}

export function renderResourcesCsv(list: readonly ResourceInfo[]): string {
  const lines = [['name', 'subscription', 'resourceGroup', 'location', 'dataLocation', 'tags', 'id'].join(',')];
  for (const r of list) {
    lines.push(
      [r.resource.name, r.resource.subscription, r.resource.resourceGroup, r.location, r.dataLocation, tagText(r.tags), `/${r.resource.id}`]
        .map(csvText)
        .join(','),
    );
  }
  return lines.map((l) => `${l}\r\n`).join('');
}

/**
 * Finding ACS resources with Azure Resource Graph: one query over many subscriptions at once, paged
 * and quota-aware (resource-graph.ts, shared with the subscription name lookup).
 *
 * Called through the REST pipeline of http.ts rather than @azure/arm-resourcegraph: the operation is a
 * single POST, the package declares node >= 22 (this tool supports Node 20), and going through our own
 * pipeline keeps one retry, timeout, quota and --debug policy for every call acs-metrics makes.
 */
import { RESOURCE_TYPE } from '../../catalog/metrics.js';
import type { Log } from './client.js';
import type { Http } from './http.js';
import { queryGraph } from './resource-graph.js';
import { parseResourceId } from './resource-id.js';
import type { ResourceInfo } from './resource-info.js';

export { parseResetsAfter, RESOURCE_GRAPH_API_VERSION } from './resource-graph.js';
export const GRAPH_QUERY =
  `resources | where type =~ '${RESOURCE_TYPE.toLowerCase()}' ` +
  '| project id, name, subscriptionId, resourceGroup, location, dataLocation = tostring(properties.dataLocation), tags';

export interface DiscoverOptions {
  readonly http: Http;
  /** https origin of ARM. */
  readonly endpoint: string;
  /** undefined: every subscription the credential can see. */
  readonly subscriptions?: readonly string[];
  readonly log: Log;
  readonly signal?: AbortSignal;
  /** Waits (tests replace it). */
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Told of every Resource Graph page requested. */
  readonly onPage?: () => void;
}

function toInfo(row: unknown): ResourceInfo | undefined {
  const r = row as Record<string, unknown>;
  if (typeof r?.id !== 'string') return undefined;
  let id;
  try {
    id = parseResourceId(r.id);
  } catch {
    return undefined;
  }
  const tags: Record<string, string> = {};
  if (r.tags && typeof r.tags === 'object') for (const [k, v] of Object.entries(r.tags)) tags[k] = String(v);
  return {
    resource: id,
    location: typeof r.location === 'string' ? r.location : 'global',
    dataLocation: typeof r.dataLocation === 'string' ? r.dataLocation : '',
    tags,
  };
}

/** Every ACS resource in the subscriptions (or all the caller sees), sorted by id. */
export async function discover(o: DiscoverOptions): Promise<ResourceInfo[]> {
  const rows = await queryGraph(o, {
    query: GRAPH_QUERY,
    subscriptions: o.subscriptions,
    rows: 'resources',
    narrow: 'narrow the selection with --subscription',
  });
  const found = new Map<string, ResourceInfo>();
  for (const row of rows) {
    const info = toInfo(row);
    if (info) found.set(info.resource.id.toLowerCase(), info);
  }
  return [...found.values()].sort((a, b) => a.resource.id.toLowerCase().localeCompare(b.resource.id.toLowerCase(), 'en'));
}

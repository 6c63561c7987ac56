/**
 * Finding ACS resources with Azure Resource Graph: one query over many subscriptions at once (groups of
 * up to 1000, the service's limit per request), paged with $skipToken, honouring the per-user quota
 * headers. A truncated answer is never used: the run fails and says how to narrow it.
 *
 * Called through the REST pipeline of http.ts rather than @azure/arm-resourcegraph: the operation is a
 * single POST, the package declares node >= 22 (this tool supports Node 20), and going through our own
 * pipeline keeps one retry, timeout, quota and --debug policy for every call acs-metrics makes.
 */
import { RESOURCE_TYPE } from '../../catalog/metrics.js';
import { humanDuration } from '../../core/duration.js';
import { DataError, InterruptedError } from '../../errors.js';
import type { Log } from './client.js';
import { oneLine } from './credentials.js';
import type { Http, JsonResponse } from './http.js';
import { parseResourceId } from './resource-id.js';
import type { ResourceInfo } from './resource-info.js';

export const RESOURCE_GRAPH_API_VERSION = '2024-04-01';
export const GRAPH_QUERY =
  `resources | where type =~ '${RESOURCE_TYPE.toLowerCase()}' ` +
  '| project id, name, subscriptionId, resourceGroup, location, dataLocation = tostring(properties.dataLocation), tags';
/** Rows per page (the service's maximum). */
export const PAGE_SIZE = 1000;
/** Subscriptions per query (the service's maximum). */
export const SUBSCRIPTIONS_PER_QUERY = 1000;
/** The most pages acs-metrics reads for one query: a loop guard. */
const MAX_PAGES = 1000;

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
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new InterruptedError());
    const t = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => (clearTimeout(t), reject(new InterruptedError())), { once: true });
  });
}

/** x-ms-user-quota-resets-after: hh:mm:ss. */
export function parseResetsAfter(text: string | undefined): number | undefined {
  const m = /^(\d+):(\d{2}):(\d{2}(?:\.\d+)?)$/.exec(text?.trim() ?? '');
  if (!m) return undefined;
  return Math.ceil((Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3])) * 1000);
}

function failure(res: JsonResponse, host: string): DataError {
  const o = (res.body as { error?: { code?: unknown; message?: unknown } })?.error;
  const code = typeof o?.code === 'string' ? ` ${o.code}` : '';
  const message = typeof o?.message === 'string' ? `: ${oneLine(o.message, 200)}` : '';
  if (res.status === 401) return new DataError(`Azure rejected the access token for Resource Graph (HTTP 401${code}): sign in again (az login)`);
  if (res.status === 403) {
    return new DataError(`access denied to Resource Graph on ${host} (HTTP 403${code}): listing resources needs the Reader role on the subscriptions`);
  }
  return new DataError(`Resource Graph on ${host} failed (HTTP ${res.status}${code})${message}`);
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
  const url = `${o.endpoint}/providers/Microsoft.ResourceGraph/resources?api-version=${RESOURCE_GRAPH_API_VERSION}`;
  const host = new URL(o.endpoint).host;
  const wait = o.sleep ?? sleep;
  const groups: (readonly string[] | undefined)[] = [];
  if (o.subscriptions === undefined) groups.push(undefined);
  else for (let i = 0; i < o.subscriptions.length; i += SUBSCRIPTIONS_PER_QUERY) groups.push(o.subscriptions.slice(i, i + SUBSCRIPTIONS_PER_QUERY));
  const found = new Map<string, ResourceInfo>();
  let waitMs = 0;
  for (const subscriptions of groups) {
    let skipToken: string | undefined;
    let seen = 0;
    for (let page = 0; ; page++) {
      if (page >= MAX_PAGES) throw new DataError(`Resource Graph kept paging past ${MAX_PAGES} pages: narrow the selection with --subscription`);
      if (waitMs > 0) {
        (waitMs >= 5000 ? o.log.note : o.log.trace)(`Resource Graph quota used up: waiting ${humanDuration(waitMs)}`);
        await wait(waitMs, o.signal);
        waitMs = 0;
      }
      const res = await o.http.post(
        url,
        {
          query: GRAPH_QUERY,
          ...(subscriptions ? { subscriptions } : {}),
          options: { $top: PAGE_SIZE, resultFormat: 'objectArray', ...(skipToken ? { $skipToken: skipToken } : {}) },
        },
        o.signal,
      );
      if (res.status !== 200) throw failure(res, host);
      const body = res.body as { data?: unknown; totalRecords?: unknown; resultTruncated?: unknown; $skipToken?: unknown } | undefined;
      if (!body || !Array.isArray(body.data)) throw new DataError(`the answer from Resource Graph on ${host} is not a Resource Graph result (no "data" list)`);
      for (const row of body.data) {
        const info = toInfo(row);
        if (info) found.set(info.resource.id.toLowerCase(), info);
      }
      seen += body.data.length;
      const remaining = Number(res.headers.get('x-ms-user-quota-remaining'));
      if (res.headers.get('x-ms-user-quota-remaining') !== undefined && remaining <= 0) waitMs = parseResetsAfter(res.headers.get('x-ms-user-quota-resets-after')) ?? 5000;
      skipToken = typeof body.$skipToken === 'string' && body.$skipToken !== '' ? body.$skipToken : undefined;
      if (skipToken) continue;
      const truncated = body.resultTruncated === true || String(body.resultTruncated).toLowerCase() === 'true';
      const total = typeof body.totalRecords === 'number' ? body.totalRecords : undefined;
      if (truncated || (total !== undefined && seen < total)) {
        throw new DataError(
          `Resource Graph truncated its answer (${seen}${total !== undefined ? ` of ${total}` : ''} resources) and gave no $skipToken to read the rest: narrow the selection with --subscription`,
        );
      }
      break;
    }
  }
  return [...found.values()].sort((a, b) => a.resource.id.toLowerCase().localeCompare(b.resource.id.toLowerCase()));
}

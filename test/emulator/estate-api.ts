/**
 * The emulator's estate: many ACS resources in several subscriptions, with Azure Resource Graph
 * (POST /providers/Microsoft.ResourceGraph/resources: the ACS resource query, and the subscription
 * query on resourcecontainers at tenant scope; paging with $skipToken, quota headers, a truncation mode) and the metrics batch API (POST /subscriptions/{sub}/metrics:getBatch: at most 50
 * ids, one subscription, 403 for subscriptions where the caller lacks subscription-scope access, a
 * per-resource error entry inside a 200 for a resource that does not exist). Metrics are computed per
 * resource by metrics-api.ts, so batch, per-resource and replayed answers bucket the same way.
 */
import type { Dataset } from './dataset.js';
import { answerMetrics, API_VERSION, type Answer } from './metrics-api.js';
import { batchError, type BatchShapes, QUERY_THROTTLED, SERIES_CAP, shapeEntry } from './batch-shapes.js';
import { type GraphShapes, graphPage, INVALID_QUERY, projectRow, readSkipToken } from './graph-shapes.js';

/** The shapes of real answers, each on or off (the Azure SDK recordings and REST examples differ among themselves). */
export type Shapes = GraphShapes & BatchShapes;

export const GRAPH_API_VERSION = '2024-04-01';
export const MAX_BATCH_IDS = 50;

export interface EstateResource {
  /** /subscriptions/.../communicationServices/<name> */
  readonly id: string;
  readonly subscription: string;
  readonly resourceGroup: string;
  readonly name: string;
  readonly location: string;
  readonly dataLocation: string;
  readonly tags: Readonly<Record<string, string>>;
  readonly dataset: Dataset;
  /** Listed by Resource Graph, but gone for the metrics APIs (deleted meanwhile): 404 / an error entry. */
  readonly missing?: boolean;
}

/** A subscription as Resource Graph's resourcecontainers lists it. */
export interface EstateSubscription {
  readonly subscriptionId: string;
  /** The display name (two subscriptions may share one). */
  readonly name: string;
}

/** Display names for the subscriptions of these resources, in order of first appearance: "Subscription 1", ... */
export function defaultSubscriptions(resources: readonly { readonly subscription: string }[]): EstateSubscription[] {
  const ids = [...new Map(resources.map((r) => [r.subscription.toLowerCase(), r.subscription])).values()];
  return ids.map((subscriptionId, i) => ({ subscriptionId, name: `Subscription ${i + 1}` }));
}

export interface EstateSettings {
  readonly resources: readonly EstateResource[];
  /** The subscriptions the caller can see (resourcecontainers); tests may replace them. */
  subscriptions: readonly EstateSubscription[];
  /** Subscriptions (lower case) where getBatch answers 403. */
  readonly batchForbidden: ReadonlySet<string>;
  /** Rows per Resource Graph page (at most the caller's $top). */
  pageSize: number;
  /** Answer the first page with resultTruncated and no $skipToken. */
  truncate: boolean;
  /** Resource Graph requests allowed per quota window (x-ms-user-quota-remaining counts down). */
  quota: number;
  /**
   * Azure fills its newest minutes in late: with lateMs, points of the last lateMs before the clock
   * hold half their requests (rounded down), and points at or after the clock are not there yet.
   */
  lateMs?: number;
  /** Seconds until the quota resets, in x-ms-user-quota-resets-after. */
  quotaResetSeconds: number;
  /** Azure's recorded shapes to answer in (graph-shapes.ts, batch-shapes.ts); none: the plain shapes. */
  shapes?: Shapes;
  /** Time series one getBatch query may answer (QueryThrottledException above it; default 500,000). */
  seriesCap?: number;
}

const indexes = new WeakMap<readonly EstateResource[], Map<string, EstateResource>>();

/** The member with this id (any case, with or without the leading slash), through an index kept per list. */
export function findResource(resources: readonly EstateResource[], id: string): EstateResource | undefined {
  let index = indexes.get(resources);
  if (!index) {
    index = new Map();
    for (const r of resources) if (!index.has(r.id.toLowerCase())) index.set(r.id.toLowerCase(), r);
    indexes.set(resources, index);
  }
  return index.get(`/${id.replace(/^\//, '')}`.toLowerCase());
}

const bad = (code: string, message: string, status = 400): Answer => ({ status, body: { error: { code, message } } });

export interface GraphAnswer extends Answer {
  readonly headers: Record<string, string>;
}

/** The answer to a Resource Graph query; `used` is how many queries came before in this quota window. */
export function answerGraph(estate: EstateSettings, body: unknown, used: number): GraphAnswer {
  const remaining = Math.max(0, estate.quota - used - 1);
  const headers = {
    'x-ms-user-quota-remaining': String(remaining),
    'x-ms-user-quota-resets-after': `00:00:${String(estate.quotaResetSeconds).padStart(2, '0')}`,
  };
  if (used >= estate.quota)
    return {
      ...bad('RateLimiting', 'Please provide below info when asking for support', 429),
      headers: { ...headers, 'retry-after': String(estate.quotaResetSeconds) },
    };
  const b = body as { query?: unknown; subscriptions?: unknown; options?: { $top?: unknown; $skipToken?: unknown } } | undefined;
  const query = typeof b?.query === 'string' ? b.query : '';
  const acs = /type\s*=~\s*'microsoft\.communication\/communicationservices'/i.test(query);
  // The subscription list, exactly as acs-metrics asks for it (at tenant scope, as Azure scopes it anyway).
  const containers = /^resourcecontainers\s*\|\s*where type\s*=~\s*'microsoft\.resources\/subscriptions'\s*\|\s*project subscriptionId, name$/i.test(query);
  if (!acs && !containers) return { status: 400, body: INVALID_QUERY, headers };
  const subs = Array.isArray(b!.subscriptions) ? new Set((b!.subscriptions as string[]).map((s) => s.toLowerCase())) : undefined;
  let rows: Record<string, unknown>[];
  if (containers) {
    rows = estate.subscriptions
      .filter((s) => subs === undefined || subs.has(s.subscriptionId.toLowerCase()))
      .map((s) => ({ subscriptionId: s.subscriptionId, name: s.name }));
  } else {
    rows = estate.resources.filter((r) => subs === undefined || subs.has(r.subscription.toLowerCase())).map((r) => projectRow(query, r));
  }
  const top = typeof b!.options?.$top === 'number' ? b!.options.$top : 100;
  const size = Math.min(top, estate.pageSize);
  const token = b!.options?.$skipToken;
  const offset = token === undefined ? 0 : readSkipToken(token);
  if (offset === undefined)
    return { ...bad('BadRequest', `Invalid $skipToken '${String(token)}': send back the token of the previous page as it came`), headers };
  const data = rows.slice(offset, offset + size);
  const more = offset + size < rows.length;
  return { status: 200, headers, body: graphPage(estate.shapes ?? {}, { rows, data, offset, more, truncate: estate.truncate }) };
}

/** Answers computed once per dataset and query (resources share datasets), with the resource id put in after. */
const memo = new WeakMap<Dataset, Map<string, string>>();
const PLACEHOLDER = '/subscriptions/@@resource@@';

function memoMetrics(r: EstateResource, params: URLSearchParams, now: number, lateMs: number | undefined): Answer {
  let byQuery = memo.get(r.dataset);
  if (!byQuery) memo.set(r.dataset, (byQuery = new Map()));
  const key = `${params.toString()}|${now}|${lateMs ?? ''}`;
  let text = byQuery.get(key);
  if (text === undefined) {
    const answer = answerMetrics(r.dataset, { params, resourceId: PLACEHOLDER, now, lateMs });
    if (answer.status !== 200) return answerMetrics(r.dataset, { params, resourceId: r.id, now, lateMs });
    text = JSON.stringify(answer.body);
    byQuery.set(key, text);
  }
  return { status: 200, body: JSON.parse(text.split(PLACEHOLDER).join(r.id)) as unknown };
}

/** The answer to POST /subscriptions/{sub}/metrics:getBatch. */
export function answerBatch(estate: EstateSettings, subscription: string, params: URLSearchParams, body: unknown, now: number): Answer {
  const bad = batchError;
  if (estate.shapes?.pathNotFound) return { status: 404, body: { error: { code: 'PathNotFound', message: 'The requested path does not exist' } } };
  if (params.get('api-version') !== API_VERSION) return bad('InvalidApiVersion', `api-version ${params.get('api-version')} is not supported`);
  if (estate.batchForbidden.has(subscription.toLowerCase())) {
    return bad(
      'AuthorizationFailed',
      `The client does not have authorization to perform action 'Microsoft.Insights/Metrics/Read' over scope '/subscriptions/${subscription}'`,
      403,
    );
  }
  const ids = (body as { resourceids?: unknown })?.resourceids;
  if (!Array.isArray(ids) || ids.length === 0 || !ids.every((i) => typeof i === 'string')) return bad('BadRequest', 'the body must be {"resourceids": [...]}');
  if (ids.length > MAX_BATCH_IDS) return bad('BadRequest', `Too many resource ids: ${ids.length}; at most ${MAX_BATCH_IDS} per request`);
  for (const id of ids as string[]) {
    const sub = /^\/?subscriptions\/([^/]+)\//i.exec(id)?.[1];
    if (sub?.toLowerCase() !== subscription.toLowerCase())
      return bad('BadRequest', `Resource ${id} is not in subscription ${subscription}: all resource ids must be in the subscription of the request`);
  }
  const start = params.get('starttime');
  const end = params.get('endtime');
  if (!start || !end) return bad('BadRequest', 'starttime and endtime are required');
  const listParams = new URLSearchParams(params);
  listParams.delete('starttime');
  listParams.delete('endtime');
  listParams.set('timespan', `${start}/${end}`);
  const filter = params.get('filter');
  listParams.delete('filter');
  if (filter !== null) listParams.set('$filter', filter);
  const values: unknown[] = [];
  for (const id of ids as string[]) {
    const r = findResource(estate.resources, id);
    if (!r || r.missing) {
      values.push({ resourceid: id, error: { code: 'ResourceNotFound', message: `The Resource '${id}' was not found.` } });
      continue;
    }
    const answer = memoMetrics(r, listParams, now, estate.lateMs);
    if (answer.status !== 200) return answer;
    const b = answer.body as { timespan: string; interval: string; value: unknown[]; namespace: string; resourceregion: string };
    const [starttime, endtime] = b.timespan.split('/');
    values.push(
      shapeEntry(estate.shapes ?? {}, values.length, {
        resourceid: r.id,
        starttime: starttime!,
        endtime: endtime!,
        interval: b.interval,
        namespace: b.namespace,
        resourceregion: b.resourceregion,
        value: b.value,
      }),
    );
  }
  const series = values.reduce(
    (n: number, v) => n + ((v as { value?: { timeseries?: unknown[] }[] }).value ?? []).reduce((k, m) => k + (m.timeseries?.length ?? 0), 0),
    0,
  );
  if (series > (estate.seriesCap ?? SERIES_CAP)) return QUERY_THROTTLED(series, estate.seriesCap ?? SERIES_CAP);
  return { status: 200, body: { values } };
}

/**
 * One Azure Resource Graph query, read to the end: the subscriptions in groups of up to 1000 (the
 * service's limit per request; none: tenant scope), each paged with $skipToken, honouring the per-user
 * quota headers. A truncated answer is never used: the run fails and says how to narrow it.
 * discovery.ts (ACS resources) and subscription-names.ts (subscription display names) share it.
 */
import { humanDuration } from '../../core/duration.js';
import { DataError, InterruptedError } from '../../errors.js';
import type { Log } from './client.js';
import { oneLine } from './credentials.js';
import type { Http, JsonResponse } from './http.js';

export const RESOURCE_GRAPH_API_VERSION = '2024-04-01';
/** Rows per page (the service's maximum). */
export const PAGE_SIZE = 1000;
/** Subscriptions per query (the service's maximum). */
export const SUBSCRIPTIONS_PER_QUERY = 1000;
/** The most pages acs-metrics reads for one query: a loop guard. */
const MAX_PAGES = 1000;

export interface GraphOptions {
  readonly http: Http;
  /** https origin of ARM. */
  readonly endpoint: string;
  readonly log: Log;
  readonly signal?: AbortSignal;
  /** Waits (tests replace it). */
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Told of every page requested (the --dry-run plan counts them). */
  readonly onPage?: () => void;
}

export interface GraphQuery {
  /** The KQL text. */
  readonly query: string;
  /** undefined: tenant scope (every subscription the credential can see). */
  readonly subscriptions?: readonly string[];
  /** What a row is, in the truncation message ("resources", "subscriptions"). */
  readonly rows: string;
  /** How to ask for less, after a colon in the truncation and paging messages. */
  readonly narrow: string;
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

/** error.details[] of a Resource Graph error (InvalidQuery and the like): "code: message" each. */
function details(o: { details?: unknown } | undefined): string {
  if (!Array.isArray(o?.details)) return '';
  const parts = (o.details as { code?: unknown; message?: unknown }[])
    .filter((d) => d && typeof d === 'object')
    .map((d) => [d.code, d.message].filter((x) => typeof x === 'string').join(': '))
    .filter((t) => t !== '');
  return parts.length > 0 ? ` (${oneLine(parts.join('; '), 300)})` : '';
}

/**
 * The rows of a page: objectArray (`data: [{...}]`), or the table format older api-versions answer
 * (`data: {columns: [{name, type}], rows: [[...]]}`), as objects; undefined when it is neither.
 */
export function pageRows(data: unknown): unknown[] | undefined {
  if (Array.isArray(data)) return data as unknown[];
  const t = data as { columns?: unknown; rows?: unknown } | undefined;
  if (!t || !Array.isArray(t.columns) || !Array.isArray(t.rows)) return undefined;
  const names = (t.columns as { name?: unknown }[]).map((c) => (typeof c?.name === 'string' ? c.name : ''));
  return (t.rows as unknown[]).map((row) => (Array.isArray(row) ? Object.fromEntries(names.map((n, i) => [n, row[i]])) : row));
}

function failure(res: JsonResponse, host: string): DataError {
  const o = (res.body as { error?: { code?: unknown; message?: unknown; details?: unknown } })?.error;
  const code = typeof o?.code === 'string' ? ` ${o.code}` : '';
  const message = typeof o?.message === 'string' ? `: ${oneLine(o.message, 200)}${details(o)}` : details(o);
  if (res.status === 401) return new DataError(`Azure rejected the access token for Resource Graph (HTTP 401${code}): sign in again (az login)`);
  if (res.status === 403) {
    return new DataError(`access denied to Resource Graph on ${host} (HTTP 403${code}): listing resources needs the Reader role on the subscriptions`);
  }
  return new DataError(`Resource Graph on ${host} failed (HTTP ${res.status}${code})${message}`);
}

/** Every row the query answers (objectArray), page after page, group after group. */
export async function queryGraph(o: GraphOptions, q: GraphQuery): Promise<unknown[]> {
  const url = `${o.endpoint}/providers/Microsoft.ResourceGraph/resources?api-version=${RESOURCE_GRAPH_API_VERSION}`;
  const host = new URL(o.endpoint).host;
  const wait = o.sleep ?? sleep;
  const groups: (readonly string[] | undefined)[] = [];
  if (q.subscriptions === undefined) groups.push(undefined);
  else for (let i = 0; i < q.subscriptions.length; i += SUBSCRIPTIONS_PER_QUERY) groups.push(q.subscriptions.slice(i, i + SUBSCRIPTIONS_PER_QUERY));
  const rows: unknown[] = [];
  let waitMs = 0;
  for (const subscriptions of groups) {
    let skipToken: string | undefined;
    let seen = 0;
    for (let page = 0; ; page++) {
      if (page >= MAX_PAGES) throw new DataError(`Resource Graph kept paging past ${MAX_PAGES} pages: ${q.narrow}`);
      if (waitMs > 0) {
        (waitMs >= 5000 ? o.log.note : o.log.trace)(`Resource Graph quota used up: waiting ${humanDuration(waitMs)}`);
        await wait(waitMs, o.signal);
        waitMs = 0;
      }
      o.onPage?.();
      const res = await o.http.post(
        url,
        {
          query: q.query,
          ...(subscriptions ? { subscriptions } : {}),
          options: { $top: PAGE_SIZE, resultFormat: 'objectArray', ...(skipToken ? { $skipToken: skipToken } : {}) },
        },
        o.signal,
      );
      if (res.status !== 200) throw failure(res, host);
      const body = res.body as { data?: unknown; totalRecords?: unknown; resultTruncated?: unknown; $skipToken?: unknown } | undefined;
      const data = pageRows(body?.data);
      if (!body || !data) throw new DataError(`the answer from Resource Graph on ${host} is not a Resource Graph result (no "data" list or table)`);
      rows.push(...data);
      seen += data.length;
      const remaining = Number(res.headers.get('x-ms-user-quota-remaining'));
      if (res.headers.get('x-ms-user-quota-remaining') !== undefined && remaining <= 0)
        waitMs = parseResetsAfter(res.headers.get('x-ms-user-quota-resets-after')) ?? 5000;
      skipToken = typeof body.$skipToken === 'string' && body.$skipToken !== '' ? body.$skipToken : undefined;
      if (skipToken) continue;
      const truncated = body.resultTruncated === true || String(body.resultTruncated).toLowerCase() === 'true';
      const total = typeof body.totalRecords === 'number' ? body.totalRecords : undefined;
      if (truncated || (total !== undefined && seen < total)) {
        throw new DataError(
          `Resource Graph truncated its answer (${seen}${total !== undefined ? ` of ${total}` : ''} ${q.rows}) and gave no $skipToken to read the rest: ${q.narrow}`,
        );
      }
      break;
    }
  }
  return rows;
}

/**
 * What a failed request means for the resources it was about: an entry of the combined batch body per
 * failed resource, each metric carrying the error (errorCode/errorMessage), so the others are never lost.
 */
import { humanDuration } from '../../core/duration.js';
import type { Window } from '../../core/window.js';
import { isoTime, type MetricGroup } from './batch-plan.js';
import { oneLine } from './credentials.js';
import type { JsonResponse } from './http.js';
import { BadAnswerError, RequestTimeoutError, RetriesExhaustedError } from './pipeline.js';
import type { ResourceInfo } from './resource-info.js';

/** An entry of the combined batch body. */
export interface Entry {
  resourceid: string;
  starttime: string;
  endtime: string;
  interval: string;
  namespace?: string;
  resourceregion?: string;
  value: unknown[];
}

export interface Failure {
  readonly code: string;
  readonly message: string;
}

/** A failed resource's entry: each metric of the group with the error, no series. */
export function failedEntry(r: ResourceInfo, group: MetricGroup, w: Window, f: Failure): Entry {
  return {
    resourceid: `/${r.resource.id}`,
    starttime: isoTime(w.start),
    endtime: isoTime(w.end),
    interval: group.interval,
    value: group.plans.map((p) => ({
      id: `/${r.resource.id}/providers/Microsoft.Insights/metrics/${p.metric.rest}`,
      name: { value: p.metric.rest, localizedValue: p.metric.displayName },
      errorCode: f.code,
      errorMessage: f.message,
      timeseries: [],
    })),
  };
}

export function serviceError(res: JsonResponse): { code?: string; message?: string } {
  const b = res.body as { error?: { code?: unknown; message?: unknown }; code?: unknown; message?: unknown } | undefined;
  const o = b?.error ?? b;
  return { code: typeof o?.code === 'string' ? o.code : undefined, message: typeof o?.message === 'string' ? o.message : undefined };
}

/** The batch API's 500,000-series cap, met although the calls were cut under it by estimate. */
export const seriesCapMessage = (what: string): string =>
  `the batch call asked for more time series than Azure Monitor answers in one query (500,000; ${what}): narrow the query (fewer split dimensions, --operation) and run again`;

/** What a non-200 answer means for the resources it was about. */
export function httpFailure(res: JsonResponse): Failure {
  const { code, message } = serviceError(res);
  const tag = `HTTP ${res.status}${code ? ` ${code}` : ''}`;
  if (code === 'QueryThrottledException' || /QueryThrottledException/.test(message ?? '')) {
    return { code: 'QueryThrottledException', message: seriesCapMessage(`${tag}${message ? `: ${oneLine(message, 160)}` : ''}`) };
  }
  if (res.status === 403) return { code: code ?? 'AuthorizationFailed', message: `access denied (${tag}): reading metrics needs the Monitoring Reader role` };
  if (res.status === 404 && code === 'PathNotFound') return { code, message: `the endpoint has no such path (${tag}): check --batch-endpoint` };
  if (res.status === 404) return { code: code ?? 'ResourceNotFound', message: `resource not found (${tag})` };
  return { code: code ?? `HTTP${res.status}`, message: `Azure Monitor answered ${tag}${message ? `: ${oneLine(message, 200)}` : ''}` };
}

/** Failures that stay with the resources of one request; anything else stops the run. */
export function requestFailure(err: unknown): Failure | undefined {
  if (err instanceof RetriesExhaustedError && err.serviceCode === 'QueryThrottledException') {
    return { code: err.serviceCode, message: seriesCapMessage(`HTTP ${err.status} QueryThrottledException, still after ${err.retries} retries`) };
  }
  if (err instanceof RetriesExhaustedError) {
    const what =
      err.status === 429 || err.status === 529 || err.status === 503
        ? `throttled out (HTTP ${err.status})`
        : `HTTP ${err.status}${err.serviceCode ? ` ${err.serviceCode}` : ''}`;
    const why =
      err.askedWaitMs !== undefined
        ? `, and asked to wait ${humanDuration(err.askedWaitMs)}, longer than acs-metrics waits`
        : `, still after ${err.retries} ${err.retries === 1 ? 'retry' : 'retries'}`;
    return { code: err.status === 429 ? 'TooManyRequests' : `HTTP${err.status}`, message: `${what}${why}` };
  }
  if (err instanceof RequestTimeoutError) return { code: 'Timeout', message: `${err.message} (raise --timeout)` };
  if (err instanceof BadAnswerError) return { code: 'BadAnswer', message: err.message };
  return undefined;
}

/** The note when a subscription refuses the batch API: what happens instead, and how to grant it. */
export const batchRefusedNote = (sub: string, why: string): string =>
  `the metrics batch API refused subscription ${sub} (${why}): using one request per resource there (slower); for the batch path, grant Monitoring Reader on the subscription (az role assignment create --role "Monitoring Reader" --scope /subscriptions/${sub})`;

/**
 * A plain REST pipeline (@azure/core-rest-pipeline) with the same credential, retry, timeout and
 * --debug policies as the Metrics - List client, for the two operations acs-metrics calls without a
 * generated client: Resource Graph and the metrics batch API (see discovery.ts and batch.ts for why).
 * Loaded only for live queries.
 */
import type { TokenCredential } from '@azure/identity';
import { version } from '../../version.js';
import type { Log } from './client.js';
import { debugPolicy, DEFAULT_RETRY, parsedBody, retryNotice, retryPolicy, type RetrySettings, sendWhile } from './pipeline.js';

export interface HttpSettings {
  readonly credential: TokenCredential;
  /** The token scope, with /.default. */
  readonly scope: string;
  readonly timeoutMs: number;
  readonly log: Log;
  readonly signal?: AbortSignal;
  readonly retry?: Partial<RetrySettings>;
  /** Waits between retries (tests scale them). */
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

export interface JsonResponse {
  readonly status: number;
  readonly headers: { get(name: string): string | undefined };
  readonly body: unknown;
  readonly text: string;
}

export interface Http {
  /** `go`: asked before every attempt; false ends the request with a WithdrawnError (pipeline.ts). */
  post(url: string, body: unknown, signal?: AbortSignal, go?: () => boolean): Promise<JsonResponse>;
  get(url: string, signal?: AbortSignal): Promise<JsonResponse>;
}

export async function openHttp(s: HttpSettings): Promise<Http> {
  const rest = await import('@azure/core-rest-pipeline');
  const pipeline = rest.createPipelineFromOptions({
    retryOptions: { maxRetries: 0 },
    userAgentOptions: { userAgentPrefix: `acs-metrics/${version()}` },
  });
  pipeline.removePolicy({ name: 'defaultRetryPolicy' });
  pipeline.addPolicy(rest.bearerTokenAuthenticationPolicy({ credential: s.credential, scopes: [s.scope] }), { phase: 'Sign' });
  pipeline.addPolicy(
    retryPolicy({ retry: { ...DEFAULT_RETRY, ...s.retry }, timeoutMs: s.timeoutMs, runSignal: s.signal, onRetry: retryNotice(s.log), sleep: s.sleep }),
    { phase: 'Retry' },
  );
  pipeline.addPolicy(debugPolicy(s.log.trace), { afterPhase: 'Sign' });
  const client = rest.createDefaultHttpClient();
  const send = async (method: 'GET' | 'POST', url: string, body: unknown, signal?: AbortSignal, go?: () => boolean): Promise<JsonResponse> => {
    const request = rest.createPipelineRequest({
      url,
      method,
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      headers: rest.createHttpHeaders({ ...(body !== undefined ? { 'content-type': 'application/json' } : {}), accept: 'application/json' }),
      abortSignal: signal ?? s.signal,
    });
    if (go) sendWhile(request, go);
    const response = await pipeline.sendRequest(client, request);
    const text = response.bodyAsText ?? '';
    // 2xx bodies were parsed (and any that did not parse retried) by the retry policy.
    let parsed = parsedBody(response)?.value;
    if (parsed === undefined && text !== '') {
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = undefined;
      }
    }
    return { status: response.status, headers: response.headers, body: parsed, text };
  };
  return {
    post: (url, body, signal, go) => send('POST', url, body, signal, go),
    get: (url, signal) => send('GET', url, undefined, signal),
  };
}

/**
 * Pipeline policies for the Azure SDK client: bounded retries with a per-attempt timeout (replacing the
 * SDK's default retry policy, which obeys Retry-After without an upper bound and does not know 529),
 * and a --debug request log that never shows the Authorization header.
 */
import type { MonitorClient } from '@azure/arm-monitor';
import { humanDuration } from '../../core/duration.js';
import { InterruptedError } from '../../errors.js';

type Pipeline = MonitorClient['pipeline'];
export type PipelinePolicy = Parameters<Pipeline['addPolicy']>[0];
type SendRequest = PipelinePolicy['sendRequest'];
type PipelineRequest = Parameters<SendRequest>[0];
type PipelineResponse = Awaited<ReturnType<SendRequest>>;

export interface RetrySettings {
  /** Retries after the first attempt. */
  readonly maxRetries: number;
  /** First back-off when the service gives no Retry-After; doubled on each retry. */
  readonly baseDelayMs: number;
  /** The longest single wait; a longer Retry-After gives up at once. */
  readonly maxWaitMs: number;
  /** The most waiting per request, all retries together. */
  readonly totalWaitMs: number;
}

export const DEFAULT_RETRY: RetrySettings = { maxRetries: 3, baseDelayMs: 1000, maxWaitMs: 30_000, totalWaitMs: 60_000 };

/** Throttling: retried, honouring Retry-After. 529 is the metrics back end's own throttling. */
const THROTTLED = new Set([429, 503, 529]);
/** Transient server failures: retried with back-off. */
const TRANSIENT = new Set([408, 500, 502, 504]);
/** Connection failures worth another try; refused connections and unknown hosts fail at once. */
const TRANSIENT_NET = new Set(['ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ESOCKETTIMEDOUT', 'EAI_AGAIN']);

/** A request got no complete answer within the timeout. */
export class RequestTimeoutError extends Error {
  override name = 'RequestTimeoutError';
  constructor(
    readonly host: string,
    readonly timeoutMs: number,
  ) {
    super(`no answer from ${host} within ${humanDuration(timeoutMs)}`);
  }
}

/** Throttling or server errors went on past the retry bounds. */
export class RetriesExhaustedError extends Error {
  override name = 'RetriesExhaustedError';
  constructor(
    readonly status: number,
    readonly retries: number,
    /** Set when the service asked for a longer wait than acs-metrics allows. */
    readonly askedWaitMs: number | undefined,
    readonly serviceCode: string | undefined,
    readonly serviceMessage: string | undefined,
  ) {
    super(`HTTP ${status} after ${retries} retries`);
  }
}

/** Milliseconds the response asks to wait: retry-after-ms, x-ms-retry-after-ms, Retry-After (seconds or a date). */
export function retryAfterMs(response: PipelineResponse, now = Date.now()): number | undefined {
  for (const name of ['retry-after-ms', 'x-ms-retry-after-ms']) {
    const v = response.headers.get(name);
    if (v !== undefined && /^\d+(\.\d+)?$/.test(v.trim())) return Math.ceil(Number(v));
  }
  const v = response.headers.get('retry-after')?.trim();
  if (v === undefined || v === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(v)) return Math.ceil(Number(v) * 1000);
  const date = Date.parse(v);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

function serviceError(response: PipelineResponse): { code?: string; message?: string } {
  try {
    const body = JSON.parse(response.bodyAsText ?? '') as unknown;
    const o = (body as { error?: unknown })?.error ?? body;
    if (typeof o === 'object' && o !== null) {
      const { code, message } = o as { code?: unknown; message?: unknown };
      return { code: typeof code === 'string' ? code : undefined, message: typeof message === 'string' ? message : undefined };
    }
  } catch {
    // not JSON: no details
  }
  return {};
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new InterruptedError());
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(new InterruptedError());
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export interface RetryPolicyOptions {
  readonly retry: RetrySettings;
  readonly timeoutMs: number;
  /** The run's signal (Ctrl-C): aborts at once with InterruptedError. */
  readonly runSignal?: AbortSignal;
  /** Told before each wait. */
  readonly onRetry?: (info: { status: number | string; waitMs: number; retry: number; of: number }) => void;
}

/** Sends with a timeout per attempt; retries throttling and transient failures within bounds. */
export function retryPolicy(opts: RetryPolicyOptions): PipelinePolicy {
  const { retry, timeoutMs, runSignal } = opts;
  return {
    name: 'acsMetricsRetryPolicy',
    async sendRequest(request: PipelineRequest, next) {
      const host = new URL(request.url).host;
      let waited = 0;
      for (let attempt = 0; ; attempt++) {
        const outer = request.abortSignal;
        const controller = new AbortController();
        let timedOut = false;
        const timer = setTimeout(() => {
          timedOut = true;
          controller.abort();
        }, timeoutMs);
        const forward = (): void => controller.abort();
        if (outer?.aborted) controller.abort();
        outer?.addEventListener('abort', forward);
        request.abortSignal = controller.signal;
        let response: PipelineResponse | undefined;
        let error: unknown;
        try {
          response = await next(request);
        } catch (e) {
          error = e;
        } finally {
          clearTimeout(timer);
          outer?.removeEventListener('abort', forward);
          request.abortSignal = outer;
        }
        if (runSignal?.aborted) throw new InterruptedError();
        if (timedOut) throw new RequestTimeoutError(host, timeoutMs);
        let status: number | string;
        let askedMs: number | undefined;
        if (error !== undefined) {
          const code = (error as { code?: unknown }).code;
          if (typeof code !== 'string' || !TRANSIENT_NET.has(code) || (error as { statusCode?: unknown }).statusCode !== undefined) throw error;
          status = code;
        } else {
          if (!response || !(THROTTLED.has(response.status) || TRANSIENT.has(response.status))) return response!;
          status = response.status;
          askedMs = retryAfterMs(response);
        }
        const waitMs = askedMs ?? retry.baseDelayMs * 2 ** attempt;
        const tooLong = waitMs > retry.maxWaitMs || waited + waitMs > retry.totalWaitMs;
        if (attempt >= retry.maxRetries || tooLong) {
          if (error !== undefined) throw error;
          const { code, message } = serviceError(response!);
          throw new RetriesExhaustedError(response!.status, attempt, tooLong && askedMs !== undefined ? askedMs : undefined, code, message);
        }
        opts.onRetry?.({ status, waitMs, retry: attempt + 1, of: retry.maxRetries });
        await sleep(waitMs, runSignal);
        waited += waitMs;
      }
    },
  };
}

/** --debug: one line per request (method and full URL) and one per answer; the token is never shown. */
export function debugPolicy(trace: (line: string) => void): PipelinePolicy {
  return {
    name: 'acsMetricsDebugPolicy',
    async sendRequest(request, next) {
      const auth = request.headers.has('authorization') ? ' (authorization: <redacted>)' : '';
      trace(`${request.method} ${request.url}${auth}`);
      const started = Date.now();
      try {
        const response = await next(request);
        const id = response.headers.get('x-ms-request-id');
        trace(`HTTP ${response.status} in ${Date.now() - started} ms${id ? ` (x-ms-request-id ${id})` : ''}`);
        return response;
      } catch (e) {
        const err = e as { code?: unknown; name?: unknown };
        trace(`no answer after ${Date.now() - started} ms: ${String(err.code ?? err.name ?? 'error') /* eslint-disable-line @typescript-eslint/no-base-to-string -- a code or a name, whatever the error carries */}`);
        throw e;
      }
    },
  };
}

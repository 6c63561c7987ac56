/**
 * Pipeline policies for the Azure SDK client: bounded retries with a per-attempt timeout (replacing the
 * SDK's default retry policy, which obeys Retry-After without an upper bound and does not know 529),
 * and a --debug request log that never shows the Authorization header.
 *
 * Transient, and retried alike: throttling (429, 503, 529), 408/500/502/504, a reset connection, an
 * attempt that got no answer within the timeout, and a 200 whose body is not valid JSON (cut short by
 * a proxy or a dropped connection). Reads are idempotent, so every retry is safe. A request therefore
 * ends within (maxRetries + 1) x timeout + totalWaitMs.
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

/** A request got no complete answer within the timeout, on every attempt. */
export class RequestTimeoutError extends Error {
  override name = 'RequestTimeoutError';
  constructor(
    readonly host: string,
    readonly timeoutMs: number,
    /** Attempts made (1 + retries). */
    readonly attempts = 1,
  ) {
    super(`no answer from ${host} within ${humanDuration(timeoutMs)}${attemptsText(attempts)}`);
  }
}

/**
 * An answer that did not arrive whole, on every attempt: a 200 whose body does not parse as JSON (cut
 * short, or not JSON at all), or a connection that closed in the middle of the body.
 */
export class BadAnswerError extends Error {
  override name = 'BadAnswerError';
  constructor(
    readonly host: string,
    /** What happened: "the answer from HOST is not valid JSON: it ends after 8,123 bytes". */
    readonly what: string,
    readonly attempts = 1,
  ) {
    super(`${what}${attemptsText(attempts)}`);
  }
}

/**
 * A request not sent (again) because its caller no longer wants it: a batch call of a subscription
 * that has refused the batch API since the call was queued (its resources are read one by one).
 */
export class WithdrawnError extends Error {
  override name = 'WithdrawnError';
  /** The attempt that was not made (0: the request was never sent). */
  constructor(readonly attempt: number) {
    super('withdrawn before it was sent');
  }
}

/** Per request: whether it may still be sent, asked before every attempt (see sendWhile). */
const gates = new WeakMap<object, () => boolean>();

/** Makes every attempt of the request, the first and each retry, ask `go` first: false ends it with a WithdrawnError. */
export function sendWhile(request: object, go: () => boolean): void {
  gates.set(request, go);
}

const attemptsText = (attempts: number): string => (attempts > 1 ? ` (${attempts} attempts)` : '');
const bytes = (n: number): string => `${n.toLocaleString('en-US')} ${n === 1 ? 'byte' : 'bytes'}`;

/** Bodies that parsed in the retry policy, so that the caller need not parse them again. */
const parsedBodies = new WeakMap<object, unknown>();

/** The body of a response the retry policy parsed (undefined: not parsed there). */
export function parsedBody(response: object): { value: unknown } | undefined {
  return parsedBodies.has(response) ? { value: parsedBodies.get(response) } : undefined;
}

/**
 * What is wrong with a 2xx body that should be JSON, or undefined when it parses (the parsed value is
 * kept for parsedBody). A body that ends before the JSON does is "cut short", with its real length.
 */
export function jsonProblem(response: PipelineResponse): string | undefined {
  if (response.status < 200 || response.status > 299 || response.status === 204) return undefined;
  const text = response.bodyAsText;
  if (text === undefined || text === null) return undefined;
  const size = Buffer.byteLength(text, 'utf8');
  if (text.trim() === '') return response.status === 200 ? `it is empty (${bytes(size)})` : undefined;
  try {
    parsedBodies.set(response, JSON.parse(text));
    return undefined;
  } catch (err) {
    const message = err instanceof Error ? err.message : '';
    const at = /at position (\d+)/.exec(message);
    const position = at ? Number(at[1]) : undefined;
    if (/end of JSON input|Unterminated/i.test(message) || (position !== undefined && position >= text.trimEnd().length)) return `it ends after ${bytes(size)}`;
    if (position !== undefined) return `unexpected text at byte ${Buffer.byteLength(text.slice(0, position), 'utf8') + 1} of ${bytes(size)}`;
    return `unexpected text in its ${bytes(size)} (${message.replace(/ is not valid JSON$/, '').slice(0, 120)})`;
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
  /** Waits between attempts (tests scale them); default a timer. Aborting the run signal ends a wait. */
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

interface Attempt {
  readonly response: PipelineResponse | undefined;
  readonly error: unknown;
  readonly timedOut: boolean;
  readonly host: string;
  readonly timeoutMs: number;
  /** 0 for the first attempt. */
  readonly attempt: number;
  readonly waitTooLong: (ms: number | undefined) => boolean;
}

/**
 * What went wrong with an attempt, when it is worth another (status: for the retry notice; giveUp: the
 * error when no retry is left); undefined when the response is the answer. Throws what is not transient.
 */
function classify(a: Attempt): { status: number | string; askedMs?: number; giveUp: () => Error } | undefined {
  if (a.timedOut)
    return { status: `no answer within ${humanDuration(a.timeoutMs)}`, giveUp: () => new RequestTimeoutError(a.host, a.timeoutMs, a.attempt + 1) };
  if (a.error !== undefined) {
    const code = (a.error as { code?: unknown }).code;
    // The HTTP client could not read the body to its end: the connection closed in the middle of it.
    if (code === 'PARSE_ERROR') {
      const what = `the answer from ${a.host} was cut off: the connection closed before the end of its body`;
      return { status: 'the answer was cut off', giveUp: () => new BadAnswerError(a.host, what, a.attempt + 1) };
    }
    if (typeof code !== 'string' || !TRANSIENT_NET.has(code) || (a.error as { statusCode?: unknown }).statusCode !== undefined) throw a.error;
    return { status: code, giveUp: () => a.error as Error };
  }
  const response = a.response!;
  const problem = jsonProblem(response);
  if (problem !== undefined) {
    const what = `the answer from ${a.host} is not valid JSON: ${problem}`;
    return { status: `the answer is not valid JSON (${problem})`, giveUp: () => new BadAnswerError(a.host, what, a.attempt + 1) };
  }
  if (!(THROTTLED.has(response.status) || TRANSIENT.has(response.status))) return undefined;
  const askedMs = retryAfterMs(response);
  const { code, message } = serviceError(response);
  return {
    status: response.status,
    askedMs,
    giveUp: () => new RetriesExhaustedError(response.status, a.attempt, a.waitTooLong(askedMs) ? askedMs : undefined, code, message),
  };
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
        if (gates.get(request)?.() === false) throw new WithdrawnError(attempt);
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
        const waitTooLong = (ms: number | undefined): boolean => ms !== undefined && (ms > retry.maxWaitMs || waited + ms > retry.totalWaitMs);
        const failed = classify({ response, error, timedOut, host, timeoutMs, attempt, waitTooLong });
        if (failed === undefined) return response!;
        const { status, askedMs, giveUp } = failed;
        const waitMs = askedMs ?? retry.baseDelayMs * 2 ** attempt;
        if (attempt >= retry.maxRetries || waitTooLong(waitMs)) throw giveUp();
        opts.onRetry?.({ status, waitMs, retry: attempt + 1, of: retry.maxRetries });
        await (opts.sleep ? opts.sleep(waitMs, runSignal) : sleep(waitMs, runSignal));
        if (runSignal?.aborted) throw new InterruptedError();
        waited += waitMs;
      }
    },
  };
}

/** Tells of a retry: a note when the wait is long, else a --debug line. */
export function retryNotice(log: { note(message: string): void; trace(message: string): void }) {
  return ({ status, waitMs, retry: n, of }: { status: number | string; waitMs: number; retry: number; of: number }): void => {
    const why = status === 429 || status === 529 || status === 503 ? `throttled (HTTP ${status})` : typeof status === 'number' ? `HTTP ${status}` : status;
    const line = `${why}: retrying in ${humanDuration(waitMs)} (retry ${n} of ${of})`;
    if (waitMs >= 5000) log.note(line);
    else log.trace(line);
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
        trace(
          `no answer after ${Date.now() - started} ms: ${String(err.code ?? err.name ?? 'error') /* eslint-disable-line @typescript-eslint/no-base-to-string -- a code or a name, whatever the error carries */}`,
        );
        throw e;
      }
    },
  };
}

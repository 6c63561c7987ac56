/**
 * The emulator's fault injection: the ways the real services fail, applied per API and per request
 * index (a schedule: "the 3rd getBatch call answers 529 with Retry-After: 1") or to the next requests
 * of an API (a queue). Every fault works on every API (Metrics - List, metric definitions, getBatch,
 * Resource Graph):
 * - status: 429 with or without Retry-After, 500, 503, 529 (the metrics back end's throttling), ...
 *   with the service's error body;
 * - reset: the connection closes without an answer;
 * - truncated: the headers (with the full content-length) and part of the body, then the connection
 *   closes; cut: a chunked 200 that ends early, cleanly (what a proxy that gives up sends);
 * - invalid-json: a complete 200 whose body is not JSON;
 * - slow: the normal answer after a delay; hang: no answer at all (until the client gives up);
 * - metric-error: a 200 in which one metric (of one resource, for getBatch) failed on its own;
 * - metric-absent: a 200 whose answer leaves a metric out altogether (no entry, not even an empty one);
 * - late-start: a getBatch 200 in which one resource's entry starts later than asked (another window and grid);
 * - graph-quota: Resource Graph's quota is used up (429 RateLimiting, quota headers at 0, Retry-After).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Answer } from './metrics-api.js';

export type Api = 'metrics' | 'definitions' | 'batch' | 'graph';
export const APIS: readonly Api[] = ['metrics', 'definitions', 'batch', 'graph'];

export type Fault =
  /** Answer with this status (and headers and body; a service-like error body by default). */
  | { readonly kind: 'status'; readonly status: number; readonly headers?: Record<string, string>; readonly body?: unknown }
  /** Answer normally, after a delay. */
  | { readonly kind: 'slow'; readonly delayMs: number }
  /** Never answer (the connection stays open until the client gives up or the emulator stops). */
  | { readonly kind: 'hang' }
  /** Send the headers (full content-length) and part of the body (default half), then cut the connection. */
  | { readonly kind: 'truncated'; readonly keep?: number }
  /** A chunked 200 that ends cleanly after part of the body (default half): the client sees a short body. */
  | { readonly kind: 'cut'; readonly keep?: number }
  /** A complete 200 whose body is not JSON. */
  | { readonly kind: 'invalid-json' }
  /** Close the connection without an answer. */
  | { readonly kind: 'reset' }
  /**
   * A 200 in which a metric failed on its own (errorCode other than Success, no series): every metric
   * or the one named, of every resource or the one named (getBatch).
   */
  | { readonly kind: 'metric-error'; readonly errorCode: string; readonly errorMessage: string; readonly metric?: string; readonly resource?: string }
  /** A 200 whose answer has no entry of this metric, for any resource (Azure answers a metric without traffic with an empty one). */
  | { readonly kind: 'metric-absent'; readonly metric: string }
  /** A getBatch 200 in which this resource's entry starts `ms` later than asked: its start and its points before it are moved on. */
  | { readonly kind: 'late-start'; readonly resource: string; readonly ms: number }
  /** Resource Graph's per-user quota is used up: 429 RateLimiting, quota headers at 0, Retry-After. */
  | { readonly kind: 'graph-quota'; readonly resetSeconds?: number };

export interface FaultRule {
  readonly fault: Fault;
  /** How many requests it applies to. */
  remaining: number;
  /** Only requests to this API (default any). */
  readonly api?: Api;
}

export const ERROR_BODIES: Record<number, unknown> = {
  401: { error: { code: 'InvalidAuthenticationToken', message: 'The access token is invalid.' } },
  403: {
    error: {
      code: 'AuthorizationFailed',
      message: "The client 'tester' does not have authorization to perform action 'microsoft.insights/metrics/read' over scope '...' or the scope is invalid.",
    },
  },
  404: { error: { code: 'ResourceNotFound', message: 'The Resource was not found.' } },
  429: { error: { code: 'TooManyRequests', message: 'The request is being throttled.' } },
  500: { error: { code: 'InternalServerError', message: 'Something went wrong.' } },
  503: { error: { code: 'ServiceUnavailable', message: 'The service is unavailable.' } },
  529: { error: { code: 'ServerBusy', message: 'The metrics back end is busy.' } },
};

/** Faults by API and request index, and a queue of faults for the next requests. */
export class FaultPlan {
  private readonly queue: FaultRule[] = [];
  private readonly scheduled = new Map<Api, Map<number, Fault>>();
  private readonly seen = new Map<Api, number>();

  /** The next `times` requests (to one API, or any) fail this way. */
  inject(fault: Fault, times = 1, api?: Api): void {
    this.queue.push({ fault, remaining: times, api });
  }

  /** Request `index` (0-based, counted per API from the last reset) to `api` fails this way. */
  at(api: Api, index: number, fault: Fault): void {
    const byIndex = this.scheduled.get(api) ?? new Map<number, Fault>();
    byIndex.set(index, fault);
    this.scheduled.set(api, byIndex);
  }

  /** How many requests each API has had since the last reset. */
  count(api: Api): number {
    return this.seen.get(api) ?? 0;
  }

  reset(): void {
    this.queue.length = 0;
    this.scheduled.clear();
    this.seen.clear();
  }

  /** The fault for the next request to `api`, if any (the schedule first, then the queue). */
  take(api: Api): Fault | undefined {
    const index = this.count(api);
    this.seen.set(api, index + 1);
    const scheduled = this.scheduled.get(api)?.get(index);
    if (scheduled) return scheduled;
    const rule = this.queue.find((f) => f.remaining > 0 && (f.api === undefined || f.api === api));
    if (!rule) return undefined;
    rule.remaining--;
    return rule.fault;
  }
}

export interface Reply {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  /** The normal answer (computed only when the fault needs it). */
  readonly answer: () => Answer & { headers?: Record<string, string> };
  /** Sends an answer (and records its status). */
  readonly send: (answer: Answer, headers?: Record<string, string>) => void;
  /** Records the status of what was sent some other way (0: no answer). */
  readonly record: (status: number) => void;
  /** Runs later, unless the emulator stops first. */
  readonly later: (ms: number, fn: () => void) => void;
}

/** A metric's answer with an errorCode instead of its series. */
interface MetricValue {
  name: { value: string };
  timeseries: unknown[];
  errorCode?: string;
  errorMessage?: string;
}

function failMetrics(values: MetricValue[], fault: Extract<Fault, { kind: 'metric-error' }>): void {
  for (const m of values) {
    if (fault.metric !== undefined && fault.metric.toLowerCase() !== m.name.value.toLowerCase()) continue;
    m.timeseries = [];
    m.errorCode = fault.errorCode;
    m.errorMessage = fault.errorMessage;
  }
}

/** The normal answer with a metric failed: Metrics - List ({value}) or getBatch ({values: [{resourceid, value}]}). */
function withMetricError(answer: Answer, fault: Extract<Fault, { kind: 'metric-error' }>): Answer {
  if (answer.status !== 200) return answer;
  const body = structuredClone(answer.body) as { value?: MetricValue[]; values?: { resourceid: string; value?: MetricValue[] }[] };
  if (Array.isArray(body.value)) failMetrics(body.value, fault);
  for (const entry of body.values ?? []) {
    if (fault.resource !== undefined && entry.resourceid.toLowerCase() !== fault.resource.toLowerCase()) continue;
    if (Array.isArray(entry.value)) failMetrics(entry.value, fault);
  }
  return { status: 200, body };
}

type Body = { value?: MetricValue[]; values?: { resourceid: string; starttime?: string; value?: MetricValue[] }[] };

/** The normal answer (a 200), changed by `edit` on a copy: Metrics - List ({value}) or getBatch ({values}). */
function edited(answer: Answer, edit: (body: Body) => void): Answer {
  if (answer.status !== 200) return answer;
  const body = structuredClone(answer.body) as Body;
  edit(body);
  return { status: 200, body };
}

const withoutMetric = (values: MetricValue[] | undefined, metric: string): MetricValue[] | undefined =>
  values?.filter((m) => m.name.value.toLowerCase() !== metric.toLowerCase());

/** A resource's metrics from `start` on (points before it dropped). */
function startingAt(values: MetricValue[] | undefined, start: number): void {
  for (const m of values ?? []) {
    for (const s of m.timeseries as { data?: { timeStamp: string }[] }[]) s.data = s.data?.filter((p) => Date.parse(p.timeStamp) >= start);
  }
}

const isoSeconds = (t: number): string => new Date(t).toISOString().replace('.000Z', 'Z');

function lateStart(body: Body, fault: Extract<Fault, { kind: 'late-start' }>): void {
  const later = (t: string): number => Date.parse(t) + fault.ms;
  for (const entry of body.values ?? []) {
    if (entry.resourceid.toLowerCase() !== fault.resource.toLowerCase() || entry.starttime === undefined) continue;
    const start = later(entry.starttime);
    entry.starttime = isoSeconds(start);
    startingAt(entry.value, start);
  }
}

const part = (text: string, keep: number | undefined): string =>
  text.slice(0, keep === undefined ? Math.floor(text.length / 2) : Math.max(0, Math.min(text.length - 1, keep)));

/** Answers the request with the fault. */
export function applyFault(fault: Fault, r: Reply): void {
  switch (fault.kind) {
    case 'status':
      return r.send(
        { status: fault.status, body: fault.body ?? ERROR_BODIES[fault.status] ?? { error: { code: 'Error', message: `HTTP ${fault.status}` } } },
        fault.headers,
      );
    case 'reset':
      r.record(0);
      r.req.socket.destroy();
      return;
    case 'hang':
      r.record(0);
      return;
    case 'slow':
      return r.later(fault.delayMs, () => {
        const a = r.answer();
        r.send(a, a.headers);
      });
    case 'invalid-json':
      r.record(200);
      r.res.writeHead(200, { 'content-type': 'application/json' });
      r.res.end('{"value": [ this is not JSON');
      return;
    case 'truncated': {
      const text = JSON.stringify(r.answer().body);
      r.record(200);
      r.res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)) });
      r.res.write(part(text, fault.keep), () => r.req.socket.destroy());
      return;
    }
    case 'cut': {
      const text = JSON.stringify(r.answer().body);
      r.record(200);
      r.res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
      r.res.end(part(text, fault.keep));
      return;
    }
    case 'metric-error':
      return r.send(withMetricError(r.answer(), fault));
    case 'metric-absent':
      return r.send(
        edited(r.answer(), (b) => {
          if (b.value) b.value = withoutMetric(b.value, fault.metric);
          for (const e of b.values ?? []) if (e.value) e.value = withoutMetric(e.value, fault.metric);
        }),
      );
    case 'late-start':
      return r.send(edited(r.answer(), (b) => lateStart(b, fault)));
    case 'graph-quota': {
      const seconds = fault.resetSeconds ?? 5;
      return r.send(
        {
          status: 429,
          body: { error: { code: 'RateLimiting', message: 'Please provide below info when asking for support: timestamp = ..., correlationId = ....' } },
        },
        { 'x-ms-user-quota-remaining': '0', 'x-ms-user-quota-resets-after': `00:00:${String(seconds).padStart(2, '0')}`, 'retry-after': String(seconds) },
      );
    }
  }
}

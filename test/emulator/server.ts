/**
 * A loopback Azure Monitor Metrics API for tests: HTTPS on 127.0.0.1 (random port) with a test
 * certificate, answering Metrics - List and Metric Definitions for one ACS resource from a dataset.
 * It records every request and can be told to fail in the ways the real service does.
 */
import { createServer, type Server } from 'node:https';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Dataset } from './dataset.js';
import { answerDefinitions, answerMetrics, API_VERSION, type Answer } from './metrics-api.js';
import { answerBatch, answerGraph, defaultSubscriptions, type EstateResource, type EstateSettings } from './estate-api.js';

type Api = 'metrics' | 'definitions' | 'batch' | 'graph';
import type { TestCert } from './certs.js';

export interface RecordedRequest {
  readonly method: string;
  /** Path and query string as received. */
  readonly url: string;
  readonly path: string;
  /** Query parameters, decoded. */
  readonly query: Readonly<Record<string, string>>;
  readonly headers: IncomingHttpHeaders;
  /** Milliseconds since the epoch when it arrived. */
  readonly at: number;
  /** What the emulator answered (0 when it cut the connection). */
  status: number;
  /** The request body (POST). */
  body?: string;
}

export type Fault =
  /** Answer with this status (and headers and body; a service-like error body by default). */
  | { readonly kind: 'status'; readonly status: number; readonly headers?: Record<string, string>; readonly body?: unknown }
  /** Answer normally, after a delay. */
  | { readonly kind: 'slow'; readonly delayMs: number }
  /** Send the headers and half the body, then cut the connection. */
  | { readonly kind: 'truncated' }
  /** A complete 200 whose body is not JSON. */
  | { readonly kind: 'invalid-json' }
  /** Close the connection without an answer. */
  | { readonly kind: 'reset' }
  /** A 200 in which one metric failed on its own (errorCode other than Success, no series). */
  | { readonly kind: 'metric-error'; readonly errorCode: string; readonly errorMessage: string; readonly metric?: string };

export interface FaultRule {
  readonly fault: Fault;
  /** How many requests it applies to (default 1). */
  remaining: number;
  /** Only requests to this API (default any). */
  readonly api?: Api;
}

export interface EmulatorOptions {
  readonly cert: TestCert;
  readonly dataset: Dataset;
  /** The one resource that exists: /subscriptions/.../CommunicationServices/<name>. */
  readonly resource: string;
  /** The bearer token it accepts. */
  readonly token: string;
  /** The clock for requests without a timespan. */
  readonly now?: number;
  /** Metric definitions to answer instead of ones derived from the dataset. */
  readonly definitions?: readonly unknown[];
  /** Many resources (Resource Graph, getBatch, and Metrics - List for each). */
  readonly estate?: readonly EstateResource[];
  /** Subscriptions where getBatch answers 403. */
  readonly batchForbidden?: readonly string[];
}

const ERROR_BODIES: Record<number, unknown> = {
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

export class Emulator {
  readonly requests: RecordedRequest[] = [];
  private readonly faults: FaultRule[] = [];
  private readonly sockets = new Set<Socket>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private server: Server | undefined;
  private port = 0;
  dataset: Dataset;
  definitions: readonly unknown[] | undefined;
  readonly estate: EstateSettings;
  /** The emulator's clock (default `now` of its options); a test moves it between two runs. */
  clock: number | undefined;
  /** A fixed delay before every answer (the benchmark's network latency). */
  latencyMs = 0;
  /** Requests being answered now, and the most at once since the last reset. */
  private inFlight = 0;
  maxInFlight = 0;
  private graphWindow = { start: 0, used: 0 };

  /** The resource of `opts.resource` with the emulator's dataset, as an estate member. */
  private ownResource(): EstateResource {
    const [, , subscription = '', , resourceGroup = '', , , , name = ''] = this.opts.resource.split('/').slice(0);
    return { id: this.opts.resource, subscription, resourceGroup, name, location: 'global', dataLocation: '', tags: {}, dataset: this.dataset };
  }

  constructor(private readonly opts: EmulatorOptions) {
    this.dataset = opts.dataset;
    this.clock = opts.now;
    this.definitions = opts.definitions;
    this.estate = {
      resources: opts.estate ?? [],
      subscriptions: defaultSubscriptions([...(opts.estate ?? []), { subscription: opts.resource.split('/')[2] ?? '' }]),
      batchForbidden: new Set((opts.batchForbidden ?? []).map((s) => s.toLowerCase())),
      pageSize: 1000,
      truncate: false,
      quota: 15,
      quotaResetSeconds: 5,
    };
  }

  /** https://127.0.0.1:PORT */
  get endpoint(): string {
    return `https://127.0.0.1:${this.port}`;
  }

  async start(): Promise<this> {
    const server = createServer({ key: this.opts.cert.key, cert: this.opts.cert.cert }, (req, res) => this.handle(req, res));
    server.on('connection', (s: Socket) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    server.on('secureConnection', (s: Socket) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    this.port = (server.address() as { port: number }).port;
    this.server = server;
    return this;
  }

  async stop(): Promise<void> {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    for (const s of this.sockets) s.destroy();
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Makes the next `times` requests (to one API, or both) fail this way. */
  inject(fault: Fault, times = 1, api?: Api): void {
    this.faults.push({ fault, remaining: times, api });
  }

  /** Forgets recorded requests and pending faults. */
  reset(): void {
    this.requests.length = 0;
    this.faults.length = 0;
    this.graphWindow = { start: 0, used: 0 };
    this.maxInFlight = 0;
  }

  /** The recorded Metrics - List requests. */
  get metricRequests(): RecordedRequest[] {
    return this.requests.filter((r) => r.path.toLowerCase().endsWith('/providers/microsoft.insights/metrics'));
  }

  /** The recorded getBatch requests. */
  get batchRequests(): RecordedRequest[] {
    return this.requests.filter((r) => r.path.toLowerCase().endsWith('/metrics:getbatch'));
  }

  /** The recorded Resource Graph requests. */
  get graphRequests(): RecordedRequest[] {
    return this.requests.filter((r) => r.path.toLowerCase() === '/providers/microsoft.resourcegraph/resources');
  }

  private takeFault(api: Api): Fault | undefined {
    const rule = this.faults.find((f) => f.remaining > 0 && (f.api === undefined || f.api === api));
    if (!rule) return undefined;
    rule.remaining--;
    return rule.fault;
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    res.on('close', () => this.inFlight--);
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const go = (): void => this.dispatch(req, res, Buffer.concat(chunks).toString('utf8'));
      if (this.latencyMs <= 0) return go();
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        if (!res.destroyed) go();
      }, this.latencyMs);
      this.timers.add(timer);
    });
  }

  private dispatch(req: IncomingMessage, res: ServerResponse, bodyText: string): void {
    const url = new URL(req.url ?? '/', 'https://127.0.0.1');
    const query: Record<string, string> = {};
    for (const [k, v] of url.searchParams) query[k] = v;
    const record: RecordedRequest = {
      method: req.method ?? '',
      url: req.url ?? '',
      path: url.pathname,
      query,
      headers: req.headers,
      at: Date.now(),
      status: 0,
    };
    this.requests.push(record);
    const send = (answer: Answer, headers: Record<string, string> = {}): void => {
      record.status = answer.status;
      const text = JSON.stringify(answer.body);
      res.writeHead(answer.status, { 'content-type': 'application/json; charset=utf-8', 'x-ms-request-id': `emu-${this.requests.length}`, ...headers });
      res.end(text);
    };
    const lower = url.pathname.toLowerCase();
    record.body = bodyText;
    if (req.method === 'POST' && (lower === '/providers/microsoft.resourcegraph/resources' || lower.endsWith('/metrics:getbatch'))) {
      const postApi: Api = lower.endsWith('/metrics:getbatch') ? 'batch' : 'graph';
      const fault = this.takeFault(postApi);
      if (fault?.kind === 'status') {
        send({ status: fault.status, body: fault.body ?? ERROR_BODIES[fault.status] ?? { error: { code: 'Error', message: `HTTP ${fault.status}` } } }, fault.headers);
        return;
      }
      if (req.headers.authorization !== `Bearer ${this.opts.token}`) return send({ status: 401, body: ERROR_BODIES[401] });
      let body: unknown;
      try {
        body = JSON.parse(bodyText);
      } catch {
        return send({ status: 400, body: { error: { code: 'BadRequest', message: 'the body is not JSON' } } });
      }
      if (postApi === 'graph') {
        if (url.searchParams.get('api-version') !== '2024-04-01') return send({ status: 400, body: { error: { code: 'InvalidApiVersion', message: 'bad api-version' } } });
        const now = Date.now();
        if (now - this.graphWindow.start >= this.estate.quotaResetSeconds * 1000) this.graphWindow = { start: now, used: 0 };
        const answer = answerGraph(this.estate, body, this.graphWindow.used++);
        return send(answer, answer.headers);
      }
      const sub = /^\/subscriptions\/([^/]+)\/metrics:getbatch$/i.exec(url.pathname)?.[1] ?? '';
      // The emulator's own resource answers the batch API too (as a member of a one-resource estate).
      const own = this.estate.resources.some((r) => r.id.toLowerCase() === this.opts.resource.toLowerCase()) ? [] : [this.ownResource()];
      return send(answerBatch({ ...this.estate, resources: [...this.estate.resources, ...own] }, sub, url.searchParams, body, this.clock ?? Date.now()));
    }
    const api = lower.endsWith('/providers/microsoft.insights/metrics')
      ? 'metrics'
      : lower.endsWith('/providers/microsoft.insights/metricdefinitions')
        ? 'definitions'
        : undefined;
    if (req.method !== 'GET' || api === undefined) {
      send({ status: 404, body: { error: { code: 'NoRegisteredProviderFound', message: `No route for ${req.method} ${url.pathname}` } } });
      return;
    }
    const resourceId = url.pathname.slice(0, url.pathname.toLowerCase().indexOf('/providers/microsoft.insights/'));
    const fault = this.takeFault(api);
    if (fault?.kind === 'reset') {
      req.socket.destroy();
      return;
    }
    if (fault?.kind === 'slow') {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        if (!res.destroyed) this.answer(api, resourceId, url, req, send);
      }, fault.delayMs);
      this.timers.add(timer);
      return;
    }
    if (fault?.kind === 'status') {
      send({ status: fault.status, body: fault.body ?? ERROR_BODIES[fault.status] ?? { error: { code: 'Error', message: `HTTP ${fault.status}` } } }, fault.headers);
      return;
    }
    if (fault?.kind === 'invalid-json') {
      record.status = 200;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"value": [ this is not JSON');
      return;
    }
    if (fault?.kind === 'truncated') {
      const answer = this.compute(api, resourceId, url, req);
      const text = JSON.stringify(answer.body);
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)) });
      res.write(text.slice(0, Math.floor(text.length / 2)), () => req.socket.destroy());
      return;
    }
    if (fault?.kind === 'metric-error') {
      const answer = this.compute(api, resourceId, url, req);
      if (answer.status === 200) {
        const body = answer.body as { value: { name: { value: string }; timeseries: unknown[]; errorCode?: string; errorMessage?: string }[] };
        for (const m of body.value) {
          if (fault.metric === undefined || fault.metric.toLowerCase() === m.name.value.toLowerCase()) {
            m.timeseries = [];
            m.errorCode = fault.errorCode;
            m.errorMessage = fault.errorMessage;
          }
        }
      }
      send(answer);
      return;
    }
    this.answer(api, resourceId, url, req, send);
  }

  private answer(api: 'metrics' | 'definitions', resourceId: string, url: URL, req: IncomingMessage, send: (a: Answer) => void): void {
    send(this.compute(api, resourceId, url, req));
  }

  private compute(api: 'metrics' | 'definitions', resourceId: string, url: URL, req: IncomingMessage): Answer {
    if (req.headers.authorization !== `Bearer ${this.opts.token}`) return { status: 401, body: ERROR_BODIES[401] };
    const member = this.estate.resources.find((r) => !r.missing && r.id.toLowerCase() === resourceId.toLowerCase());
    if (member && api === 'metrics' && url.searchParams.get('api-version') === API_VERSION) {
      return answerMetrics(member.dataset, { params: url.searchParams, resourceId: member.id, now: this.clock ?? Date.now(), lateMs: this.estate.lateMs });
    }
    if (resourceId.toLowerCase() !== this.opts.resource.toLowerCase()) {
      return {
        status: 404,
        body: { error: { code: 'ResourceNotFound', message: `The Resource '${resourceId.split('/providers/')[1] ?? resourceId}' was not found.` } },
      };
    }
    if (url.searchParams.get('api-version') !== API_VERSION) {
      return { status: 400, body: { error: { code: 'InvalidApiVersion', message: `api-version ${url.searchParams.get('api-version')} is not supported` } } };
    }
    if (api === 'definitions') return answerDefinitions(this.dataset, resourceId, this.definitions);
    return answerMetrics(this.dataset, { params: url.searchParams, resourceId, now: this.clock ?? Date.now(), lateMs: this.estate.lateMs });
  }
}

/** Starts an emulator; stop it with emulator.stop(). */
export function startEmulator(opts: EmulatorOptions): Promise<Emulator> {
  return new Emulator(opts).start();
}

/**
 * A loopback Azure Monitor Metrics API for tests: HTTPS on 127.0.0.1 (random port) with a test
 * certificate, answering Metrics - List and Metric Definitions for one ACS resource from a dataset.
 * It records every request and can be told to fail in the ways the real service does (faults.ts: a
 * queue of faults or a schedule by API and request index).
 */
import { createServer, type Server } from 'node:https';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Dataset } from './dataset.js';
import { answerDefinitions, answerMetrics, API_VERSION, type Answer } from './metrics-api.js';
import { answerBatch, answerGraph, defaultSubscriptions, type EstateResource, type EstateSettings, findResource } from './estate-api.js';
import { type Api, applyFault, ERROR_BODIES, type Fault, FaultPlan } from './faults.js';
import { type BucketSettings, latencies, ReadBuckets, readsThrottled, remainingReadsHeader } from './quotas.js';
import type { TestCert } from './certs.js';

export type { Api, Fault, FaultRule } from './faults.js';

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

/** What the quotas decided when a request arrived. */
interface Gate {
  /** Resource Graph queries before this one in its quota window. */
  readonly graphUsed?: number;
  /** Headers every answer carries (the ARM reads left). */
  readonly headers?: Record<string, string>;
  /** The 429 to answer instead. */
  readonly refused?: { status: number; body: unknown; headers: Record<string, string> };
}

export class Emulator {
  readonly requests: RecordedRequest[] = [];
  /** The faults to inject (see faults.ts). */
  readonly faults = new FaultPlan();
  private readonly sockets = new Set<Socket>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private server: Server | undefined;
  private port = 0;
  dataset: Dataset;
  definitions: readonly unknown[] | undefined;
  readonly estate: EstateSettings;
  /** A fixed delay before every answer (the benchmark's network latency). */
  latencyMs = 0;
  /** A delay drawn per request instead (setLatency). */
  private latencyOf: (() => number) | undefined;
  /** ARM's read buckets per subscription (limitReads); undefined: reads are not limited. */
  private reads: ReadBuckets | undefined;
  /** The emulator's clock (default `now` of its options); a test moves it between two runs. */
  clock: number | undefined;
  /** Requests being answered now, and the most at once since the last reset. */
  private inFlight = 0;
  maxInFlight = 0;
  private graphWindow = { start: 0, used: 0 };
  private members: { dataset: Dataset; list: readonly EstateResource[] } | undefined;

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

  /** A seeded random delay in [minMs, maxMs] before every answer (the same sequence from each call). */
  setLatency(minMs: number, maxMs: number, seed?: number): void {
    this.latencyOf = latencies(minMs, maxMs, seed);
  }

  /** Enforces ARM's read bucket per subscription on Metrics - List and metric definitions (quotas.ts); undefined: off. */
  limitReads(settings: BucketSettings | undefined): void {
    this.reads = settings ? new ReadBuckets(settings) : undefined;
  }

  /** Makes the next `times` requests (to one API, or any) fail this way. */
  inject(fault: Fault, times = 1, api?: Api): void {
    this.faults.inject(fault, times, api);
  }

  /** Makes request `index` (0-based, per API, counted from the last reset) to `api` fail this way. */
  faultAt(api: Api, index: number, fault: Fault): void {
    this.faults.at(api, index, fault);
  }

  /** Forgets recorded requests, pending faults and request counts. */
  reset(): void {
    this.requests.length = 0;
    this.faults.reset();
    this.graphWindow = { start: 0, used: 0 };
    this.maxInFlight = 0;
    this.reads?.reset();
  }

  /** Answers refused for throttling (429), counted from the recorded requests. */
  get throttled(): RecordedRequest[] {
    return this.requests.filter((r) => r.status === 429);
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

  private handle(req: IncomingMessage, res: ServerResponse): void {
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    res.on('close', () => this.inFlight--);
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const gate = this.admit(req, Date.now());
      const go = (): void => this.dispatch(req, res, Buffer.concat(chunks).toString('utf8'), gate);
      const delay = this.latencyOf ? this.latencyOf() : this.latencyMs;
      if (delay <= 0) return go();
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        if (!res.destroyed) go();
      }, delay);
      this.timers.add(timer);
    });
  }

  /** The quotas, counted when a request arrives: ARM's read bucket, Resource Graph's window. */
  private admit(req: IncomingMessage, now: number): Gate {
    const lower = new URL(req.url ?? '/', 'https://127.0.0.1').pathname.toLowerCase();
    if (req.method === 'POST' && lower === '/providers/microsoft.resourcegraph/resources') {
      if (now - this.graphWindow.start >= this.estate.quotaResetSeconds * 1000) this.graphWindow = { start: now, used: 0 };
      return { graphUsed: this.graphWindow.used++ };
    }
    const arm = req.method === 'GET' && /\/providers\/microsoft\.insights\/metric(s|definitions)$/.test(lower);
    const sub = /^\/subscriptions\/([^/]+)\//.exec(lower)?.[1];
    if (!arm || !this.reads || sub === undefined) return {};
    const a = this.reads.take(sub, now);
    return a.ok ? { headers: remainingReadsHeader(a.remaining) } : { refused: readsThrottled(sub, a.retryAfterMs) };
  }

  private dispatch(req: IncomingMessage, res: ServerResponse, bodyText: string, gate: Gate): void {
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
      body: bodyText,
    };
    this.requests.push(record);
    const send = (answer: Answer, headers: Record<string, string> = {}): void => {
      if (res.destroyed) return;
      record.status = answer.status;
      const text = JSON.stringify(answer.body);
      res.writeHead(answer.status, { 'content-type': 'application/json; charset=utf-8', 'x-ms-request-id': `emu-${this.requests.length}`, ...headers });
      res.end(text);
    };
    if (gate.refused) return send(gate.refused, gate.refused.headers);
    const route = this.route(req, url, bodyText, gate);
    if (!route) {
      send({ status: 404, body: { error: { code: 'NoRegisteredProviderFound', message: `No route for ${req.method} ${url.pathname}` } } });
      return;
    }
    const fault = this.faults.take(route.api);
    if (!fault) {
      const answer = route.answer();
      return send(answer, { ...gate.headers, ...answer.headers });
    }
    applyFault(fault, {
      req,
      res,
      answer: route.answer,
      send,
      record: (status) => (record.status = status),
      later: (ms, fn) => {
        const timer = setTimeout(() => {
          this.timers.delete(timer);
          if (!res.destroyed) fn();
        }, ms);
        this.timers.add(timer);
      },
    });
  }

  /** The API a request is for, and its normal answer (computed when asked, after any delay). */
  private route(
    req: IncomingMessage,
    url: URL,
    bodyText: string,
    gate: Gate,
  ): { api: Api; answer: () => Answer & { headers?: Record<string, string> } } | undefined {
    const lower = url.pathname.toLowerCase();
    if (req.method === 'POST' && lower === '/providers/microsoft.resourcegraph/resources')
      return { api: 'graph', answer: () => this.post('graph', url, req, bodyText, gate.graphUsed ?? 0) };
    if (req.method === 'POST' && lower.endsWith('/metrics:getbatch')) return { api: 'batch', answer: () => this.post('batch', url, req, bodyText, 0) };
    const api = lower.endsWith('/providers/microsoft.insights/metrics')
      ? 'metrics'
      : lower.endsWith('/providers/microsoft.insights/metricdefinitions')
        ? 'definitions'
        : undefined;
    if (req.method !== 'GET' || api === undefined) return undefined;
    const resourceId = url.pathname.slice(0, lower.indexOf('/providers/microsoft.insights/'));
    return { api, answer: () => this.compute(api, resourceId, url, req) };
  }

  /** Resource Graph and getBatch. */
  private post(api: 'graph' | 'batch', url: URL, req: IncomingMessage, bodyText: string, graphUsed: number): Answer & { headers?: Record<string, string> } {
    if (req.headers.authorization !== `Bearer ${this.opts.token}`) return { status: 401, body: ERROR_BODIES[401] };
    let body: unknown;
    try {
      body = JSON.parse(bodyText);
    } catch {
      return { status: 400, body: { error: { code: 'BadRequest', message: 'the body is not JSON' } } };
    }
    if (api === 'graph') {
      if (url.searchParams.get('api-version') !== '2024-04-01')
        return { status: 400, body: { error: { code: 'InvalidApiVersion', message: 'bad api-version' } } };
      return answerGraph(this.estate, body, graphUsed);
    }
    const sub = /^\/subscriptions\/([^/]+)\/metrics:getbatch$/i.exec(url.pathname)?.[1] ?? '';
    return answerBatch({ ...this.estate, resources: this.batchMembers() }, sub, url.searchParams, body, this.clock ?? Date.now());
  }

  /** The estate and, unless it is a member already, the emulator's own resource (it answers the batch API too). */
  private batchMembers(): readonly EstateResource[] {
    if (this.members?.dataset === this.dataset) return this.members.list;
    const own = findResource(this.estate.resources, this.opts.resource) ? [] : [this.ownResource()];
    this.members = { dataset: this.dataset, list: [...this.estate.resources, ...own] };
    return this.members.list;
  }

  private compute(api: 'metrics' | 'definitions', resourceId: string, url: URL, req: IncomingMessage): Answer {
    if (req.headers.authorization !== `Bearer ${this.opts.token}`) return { status: 401, body: ERROR_BODIES[401] };
    const found = findResource(this.estate.resources, resourceId);
    const member = found?.missing ? undefined : found;
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

/**
 * The live source for many resources (and the estate commands): resources from the selection
 * (Resource Graph when it names subscriptions), then metrics through the metrics batch API
 * (`metrics:getBatch`, 50 resources and up to 20 metrics per call), or one Metrics - List request per
 * resource and metric group where batch cannot be used (--no-batch, no batch endpoint known for the
 * cloud, or a subscription that answers 401/403: it needs Monitoring Reader at subscription scope).
 *
 * Everything comes back as ONE batch-shaped body ({values: [{resourceid, starttime, endtime, interval,
 * value}]}), which is what --save writes and what the core reads, so a replay gives the same output. A
 * resource that fails (403, 404, throttled out, a metric it lacks) is an entry whose metrics carry
 * errorCode/errorMessage: the others are never lost, and the failure is in the data for every reader.
 *
 * The batch API is called through the REST pipeline of http.ts, not @azure/monitor-query-metrics
 * 1.0.0: that client reports localized metric names (the core matches REST names), derives a token
 * scope without "/.default" from its audience, and its types lack abortSignal (Ctrl-C and --timeout).
 */
import { setMaxListeners } from 'node:events';
import { METRIC_NAMESPACE } from '../../catalog/metrics.js';
import type { MetricData, Query } from '../../core/model.js';
import type { Window } from '../../core/window.js';
import { humanDuration } from '../../core/duration.js';
import { CliError, DataError, InterruptedError } from '../../errors.js';
import type { CostSum, EachResource, MetricsSource, SourceResult } from '../source.js';
import type { CallPlan } from '../../core/dry-run.js';
import { groupPlans, isoTime, type MetricGroup } from './batch-plan.js';
import { batchCalls, capGroups, estatePlan, type ResourceCall, resourceCalls, sendOrder, SERIES_CAP } from './call-plan.js';
import { batchAnswer } from './batch-answer.js';
import { Refusals } from './batch-refusals.js';
import { addCost, costLine } from './cost.js';
import type { Log } from './client.js';
import { checkCredential, type Credential, makeCredential } from './credentials.js';
import { discover } from './discovery.js';
import { batchScopeFor } from './endpoint.js';
import { toCliError } from './errors.js';
import { type Http, type JsonResponse, openHttp } from './http.js';
import { type RetrySettings, WithdrawnError } from './pipeline.js';
import { planRequests, timespan } from './request-plan.js';
import { ReadPacer, type ReadLimits, REMAINING_READS_HEADER } from './read-pacer.js';
import { WorkQueue } from './work-queue.js';
import { ORIGIN } from './estate-entries.js';
import { Pieces } from './estate-pieces.js';
import { batchRefusedNote, type Entry, type Failure, failedEntry, httpFailure, requestFailure, serviceError } from './estate-failures.js';
import { CutWatch } from './cut-watch.js';
import { infoOf, type ResourceInfo } from './resource-info.js';
import { type Discovery, describeDiscovery, matchesDiscovery, type Selection } from './selection.js';

export { ORIGIN } from './estate-entries.js';
export const METRICS_API_VERSION = '2024-02-01';
export const DEFAULT_CONCURRENCY = 8;
const DEFAULT_SINCE_MS = 24 * 60 * 60_000;

export interface EstateOptions {
  readonly selection: Selection;
  /** ARM origin (Resource Graph, Metrics - List). */
  readonly endpoint: string;
  /** Metrics data plane origin; undefined: no batch (one request per resource). */
  readonly batchEndpoint?: string;
  /** Why there is no batch endpoint, said once on stderr (undefined: say nothing, e.g. --no-batch). */
  readonly noBatchReason?: string;
  readonly concurrency: number;
  /** Metric names per request (default MAX_METRICS_PER_CALL; 1 for the benchmark's baseline). */
  readonly metricsPerCall?: number;
  readonly timeoutMs: number;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly now: number;
  readonly log: Log;
  /** Resource Graph pages read to resolve subscription display names (for the plan). */
  readonly lookupPages?: number;
  /** Seams for tests; the CLI never sets them. */
  readonly retry?: Partial<RetrySettings>;
  /** The batch API's cap on time series per query (default SERIES_CAP, 500,000). */
  readonly seriesCap?: number;
  /**
   * ARM's read bucket per subscription, which paces the per-resource calls (default ARM_READS: 250,
   * refilled 25/s); 'off': no pacing (tests, to see what the service refuses).
   */
  readonly readLimits?: ReadLimits | 'off';
  /** Keep the answers as one batch body (SourceResult.raw: --save, export); false: only the parsed data. Default true. */
  readonly keepBodies?: boolean;
  /** Waits between retries and for the Resource Graph quota (Io.sleep: tests scale them); default a timer. */
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

export interface EstateResult extends SourceResult {
  readonly resources: readonly ResourceInfo[];
  /** Requests sent (first attempts), by API. */
  readonly calls: { batch: number; perResource: number };
}

interface Clients {
  readonly cred: Credential;
  arm?: Http;
  batch?: Http;
}

export class EstateSource implements MetricsSource {
  readonly label = ORIGIN;
  private clients: Clients | undefined;
  /** Resource Graph pages read by this source. */
  private graphPages = 0;
  /** The sum of the `cost` fields of the answers of the current fetch. */
  private cost: CostSum | undefined;
  constructor(private readonly opts: EstateOptions) {}

  private get cap(): number {
    return this.opts.seriesCap ?? SERIES_CAP;
  }

  /** Resource Graph pages this source has read. */
  get graphPagesRead(): number {
    return this.graphPages;
  }

  private async credential(signal?: AbortSignal): Promise<Clients> {
    if (this.clients) return this.clients;
    const o = this.opts;
    const cred = await makeCredential(o.env, o.now);
    try {
      await checkCredential(cred, `${o.endpoint}/.default`, signal);
    } catch (err) {
      throw toCliError(err, {
        host: new URL(o.endpoint).host,
        resource: { id: '', subscription: '', resourceGroup: '', name: '' },
        tokenKind: cred.kind,
        signal,
      });
    }
    this.clients = { cred };
    return this.clients;
  }

  private async arm(signal?: AbortSignal): Promise<Http> {
    const c = await this.credential(signal);
    const o = this.opts;
    c.arm ??= await openHttp({
      credential: c.cred.credential,
      scope: `${o.endpoint}/.default`,
      timeoutMs: o.timeoutMs,
      log: o.log,
      signal,
      retry: o.retry,
      sleep: o.sleep,
    });
    return c.arm;
  }

  private async batch(signal?: AbortSignal): Promise<Http> {
    const c = await this.credential(signal);
    const o = this.opts;
    c.batch ??= await openHttp({
      credential: c.cred.credential,
      scope: batchScopeFor(o.batchEndpoint!),
      timeoutMs: o.timeoutMs,
      log: o.log,
      signal,
      retry: o.retry,
      sleep: o.sleep,
    });
    return c.batch;
  }

  /**
   * The resources the selection names (Resource Graph for subscriptions); DataError when none. Found
   * once a source: its reads (a comparison's two windows, status asking again for a metric) are of the
   * same resources, and Resource Graph is not asked twice (a watch opens a source each round).
   */
  async resources(signal?: AbortSignal): Promise<ResourceInfo[]> {
    this.found ??= this.findResources(signal);
    try {
      return await this.found;
    } catch (err) {
      this.found = undefined;
      throw err;
    }
  }

  private found: Promise<ResourceInfo[]> | undefined;

  private async findResources(signal?: AbortSignal): Promise<ResourceInfo[]> {
    const s = this.opts.selection;
    if (s.kind === 'none') return [];
    if (s.kind === 'ids') return s.ids.map(infoOf);
    const found = await this.discover(s.discovery, signal);
    const picked = found.filter((r) => matchesDiscovery(s.discovery, r));
    if (picked.length === 0) {
      throw new DataError(
        `no Communication Services resource matches the selection (${describeDiscovery(s.discovery)}); Resource Graph found ${found.length} in those subscriptions`,
      );
    }
    return picked;
  }

  private async discover(d: Discovery, signal?: AbortSignal): Promise<ResourceInfo[]> {
    const http = await this.arm(signal);
    try {
      return await discover({
        http,
        endpoint: this.opts.endpoint,
        subscriptions: d.subscriptions,
        log: this.opts.log,
        signal,
        sleep: this.opts.sleep,
        onPage: () => this.graphPages++,
      });
    } catch (err) {
      if (err instanceof CliError) throw err;
      throw toCliError(err, {
        host: new URL(this.opts.endpoint).host,
        resource: { id: '', subscription: '', resourceGroup: '', name: '' },
        tokenKind: this.clients!.cred.kind,
        signal,
      });
    }
  }

  /** The request groups of the queries (the last 24 h where they give no window), split under the series cap. */
  private groups(queries: readonly Query[]): MetricGroup[] {
    const { now, log } = this.opts;
    const withRange = queries.map((q) =>
      q.range.start !== undefined || q.range.sinceMs !== undefined ? q : { ...q, range: { ...q.range, sinceMs: DEFAULT_SINCE_MS } },
    );
    if (withRange.some((q, i) => q !== queries[i])) log.note('no --since or --start: fetching the last 24h');
    return capGroups(groupPlans(planRequests(withRange, now), this.opts.metricsPerCall), this.cap);
  }

  /** What fetch would send (--dry-run): Resource Graph runs (the plan depends on what it finds), nothing else. */
  async plan(queries: readonly Query[], signal?: AbortSignal): Promise<CallPlan> {
    const groups = this.groups(queries);
    const resources = await this.resources(signal);
    const s = this.opts.selection;
    return estatePlan(resources, groups, {
      batch: this.opts.batchEndpoint !== undefined,
      graphPages: this.graphPages + (this.opts.lookupPages ?? 0),
      lookupPages: this.opts.lookupPages ?? 0,
      discovered: s.kind === 'discover',
      cap: this.cap,
    });
  }

  async fetch(queries: readonly Query[], signal?: AbortSignal): Promise<EstateResult> {
    return this.fetchAll(queries, signal);
  }

  /** fetch, each resource's data handed to `each` as soon as all of it has come, and let go (status without --save). */
  async fetchEach(queries: readonly Query[], signal: AbortSignal | undefined, each: EachResource): Promise<EstateResult> {
    return this.fetchAll(queries, signal, each);
  }

  private async fetchAll(queries: readonly Query[], signal: AbortSignal | undefined, each?: EachResource): Promise<EstateResult> {
    const { now, log } = this.opts;
    const groups = this.groups(queries);
    const resources = await this.resources(signal);
    const calls = { batch: 0, perResource: 0 };
    each?.start(
      resources.map((r) => `/${r.resource.id}`),
      now,
    );
    if (groups.length === 0 || resources.length === 0) return { metrics: [], raw: [], anchor: now, resources, calls };
    this.cost = undefined;
    // Batch calls, paced reads and their retries each listen for Ctrl-C on the one signal.
    if (signal) setMaxListeners(0, signal);
    const cut = new CutWatch(groups);
    const pieces = new Pieces(resources, groups, this.opts.keepBodies !== false && each === undefined, cut, each);
    await this.run(resources, groups, calls, pieces, signal);
    const { settled, entries, allFailed, first } = pieces.collect();
    const cost = this.cost as CostSum | undefined;
    if (cost) log.trace(costLine(cost));
    for (const w of cut.warnings()) log.warn(w);
    const metrics: MetricData[] = settled.flatMap((s) => s.metrics);
    if (allFailed) {
      const message = first?.message ?? 'no data';
      throw new DataError(resources.length === 1 ? `${first?.resourceid}: ${message}` : `every resource failed; the first, ${first?.resourceid}: ${message}`);
    }
    return { metrics, raw: entries ? [{ values: entries }] : [], anchor: now, resources, calls, ...(cost ? { cost } : {}) };
  }

  /**
   * Every call: batch calls --concurrency at a time and, beside them, --concurrency at a time too, the
   * per-resource calls (every resource without a batch endpoint; a subscription's resources as soon as
   * the batch API refuses it), each paced by its subscription's read bucket (read-pacer.ts).
   */
  private async run(
    resources: readonly ResourceInfo[],
    groups: readonly MetricGroup[],
    calls: EstateResult['calls'],
    pieces: Pieces,
    signal?: AbortSignal,
  ): Promise<void> {
    const o = this.opts;
    const pacer = o.readLimits === 'off' ? undefined : new ReadPacer(o.readLimits);
    // Up to --concurrency reads in flight, beside up to --concurrency batch calls (another API, another host).
    const perResource = new WorkQueue<ResourceCall>(o.concurrency, async (t) => {
      calls.perResource++;
      const g = groups[t.gi]!;
      pieces.put(t.gi, t.resource, t.wi, await this.callOne(t.resource, g, g.windows[t.wi]!, pacer, signal));
    });
    if (o.batchEndpoint === undefined) {
      if (o.noBatchReason) o.log.note(o.noBatchReason);
      perResource.add(resourceCalls(resources, groups));
    } else {
      const refusals = new Refusals(
        resources,
        groups,
        pieces,
        (c) => perResource.add(c),
        (sub, why) => o.log.note(batchRefusedNote(sub, why)),
      );
      try {
        await this.pool(sendOrder(batchCalls(resources, groups, this.cap)), signal, async (t) => {
          if (!refusals.open(t)) return; // its pieces went to the per-resource calls when the refusal came
          calls.batch++;
          const g = groups[t.gi]!;
          const w = g.windows[t.wi]!;
          const res = await refusals.send(t, (go) => this.callBatch(t.subscription, t.resources, g, w, signal, go));
          if ('withdrawn' in res || 'refused' in res) {
            if ('withdrawn' in res && !res.sent) calls.batch--;
            return refusals.unanswered(t, 'refused' in res ? res.refused : undefined);
          }
          for (const r of t.resources) {
            const e = res.entries.get(`/${r.resource.id}`.toLowerCase());
            pieces.put(
              t.gi,
              r,
              t.wi,
              e ?? failedEntry(r, g, w, res.failure ?? { code: 'NoAnswer', message: 'the batch answer has no entry for this resource' }),
            );
          }
        });
      } catch (err) {
        perResource.stop(err);
        await perResource.done().catch(() => undefined);
        throw err;
      }
    }
    await perResource.done();
    if (signal?.aborted) throw new InterruptedError();
    if (pacer && pacer.waitedMs > 0)
      o.log.trace(
        `paced Resource Manager reads (${pacer.limits.bucket} per subscription, refilled ${pacer.limits.refillPerSecond}/s): the reads waited ${humanDuration(pacer.waitedMs)}, added up over the reads in flight`,
      );
  }

  private async pool<T>(tasks: readonly T[], signal: AbortSignal | undefined, work: (t: T) => Promise<void>): Promise<void> {
    const queue = new WorkQueue<T>(this.opts.concurrency, work);
    queue.add(tasks);
    let failure: unknown;
    await queue.done().catch((err: unknown) => (failure = err ?? new Error('a call failed')));
    if (signal?.aborted) throw new InterruptedError();
    if (failure !== undefined) throw failure;
  }

  private wrap(err: unknown, host: string, signal?: AbortSignal): never {
    throw toCliError(err, {
      host,
      resource: { id: '', subscription: '', resourceGroup: '', name: '' },
      tokenKind: this.clients?.cred.kind ?? 'default',
      signal,
    });
  }

  private async callBatch(
    subscription: string,
    resources: readonly ResourceInfo[],
    g: MetricGroup,
    w: Window,
    signal?: AbortSignal,
    go?: () => boolean,
  ): Promise<{ refused: string } | { withdrawn: true; sent: boolean } | { entries: Map<string, Entry>; failure?: Failure }> {
    const o = this.opts;
    const params = new URLSearchParams({
      'api-version': METRICS_API_VERSION,
      metricnamespace: g.metricnamespace,
      metricnames: g.metricnames,
      starttime: isoTime(w.start),
      endtime: isoTime(w.end),
      interval: g.interval,
      aggregation: g.aggregation,
      ...(g.filter !== '' ? { filter: g.filter, top: String(g.top), orderby: g.orderby } : {}),
    });
    const url = `${o.batchEndpoint}/subscriptions/${subscription}/metrics:getBatch?${params.toString().replace(/\+/g, '%20')}`;
    const http = await this.batch(signal);
    let res: JsonResponse;
    try {
      res = await http.post(url, { resourceids: resources.map((r) => `/${r.resource.id}`) }, signal, go);
    } catch (err) {
      if (err instanceof WithdrawnError) return { withdrawn: true, sent: err.attempt > 0 };
      const f = requestFailure(err);
      if (f) return { entries: new Map(), failure: f };
      this.wrap(err, new URL(o.batchEndpoint!).host, signal);
    }
    if (res.status === 401 || res.status === 403) return { refused: `HTTP ${res.status}${serviceError(res).code ? ` ${serviceError(res).code}` : ''}` };
    if (res.status !== 200) return { entries: new Map(), failure: httpFailure(res) };
    const values = (res.body as { values?: unknown })?.values;
    this.cost = addCost(this.cost, (res.body as { cost?: unknown })?.cost);
    if (!Array.isArray(values)) {
      return {
        entries: new Map(),
        failure: { code: 'NotABatchResponse', message: `the answer from ${new URL(o.batchEndpoint!).host} is not a metrics batch response (no "values" list)` },
      };
    }
    const answer = batchAnswer(values, resources, g, w);
    for (const cost of answer.costs) this.cost = addCost(this.cost, cost);
    return { entries: answer.entries };
  }

  private async callOne(r: ResourceInfo, g: MetricGroup, w: Window, pacer: ReadPacer | undefined, signal?: AbortSignal): Promise<Entry> {
    const o = this.opts;
    const params = new URLSearchParams({
      'api-version': METRICS_API_VERSION,
      metricnamespace: METRIC_NAMESPACE,
      metricnames: g.metricnames,
      timespan: timespan(w),
      interval: g.interval,
      aggregation: g.aggregation,
      ...(g.filter !== '' ? { $filter: g.filter, top: String(g.top), orderby: g.orderby } : {}),
    });
    const url = `${o.endpoint}/${r.resource.id}/providers/Microsoft.Insights/metrics?${params.toString().replace(/\+/g, '%20')}`;
    const http = await this.arm(signal);
    let res: JsonResponse;
    try {
      const taken = await pacer?.take(r.resource.subscription, signal);
      res = await http.get(url, signal);
      if (taken) pacer!.observe(taken, res.headers.get(REMAINING_READS_HEADER));
    } catch (err) {
      const f = requestFailure(err);
      if (f) return failedEntry(r, g, w, f);
      this.wrap(err, new URL(o.endpoint).host, signal);
    }
    if (res.status === 401)
      this.wrap(
        Object.assign(new Error(serviceError(res).message ?? 'unauthorized'), { name: 'RestError', statusCode: 401, code: serviceError(res).code }),
        new URL(o.endpoint).host,
        signal,
      );
    if (res.status !== 200) return failedEntry(r, g, w, httpFailure(res));
    const body = res.body as
      { cost?: unknown; timespan?: unknown; interval?: unknown; value?: unknown; namespace?: unknown; resourceregion?: unknown } | undefined;
    this.cost = addCost(this.cost, body?.cost);
    if (!body || !Array.isArray(body.value)) {
      return failedEntry(r, g, w, {
        code: 'NotAMetricsResponse',
        message: `the answer from ${new URL(o.endpoint).host} is not a Metrics - List response (no "value" list)`,
      });
    }
    const [start, end] = typeof body.timespan === 'string' ? body.timespan.split('/') : [];
    return {
      resourceid: `/${r.resource.id}`,
      starttime: start ?? isoTime(w.start),
      endtime: end ?? isoTime(w.end),
      interval: typeof body.interval === 'string' ? body.interval : g.interval,
      ...(typeof body.namespace === 'string' ? { namespace: body.namespace } : {}),
      ...(typeof body.resourceregion === 'string' ? { resourceregion: body.resourceregion } : {}),
      value: body.value,
    };
  }
}

/**
 * The live source: Metrics - List calls to Azure Monitor for an ACS resource, returned in the same
 * normalized form as fixture files (the core applies each query to the data), plus one response body
 * per metric for --save. Loaded only for live queries: it pulls in the Azure SDK.
 */
import type { TokenCredential } from '@azure/identity';
import type { MetricData, Query } from '../../core/model.js';
import { CliError, DataError, InterruptedError } from '../../errors.js';
import { parseMetricsBody } from '../parse-response.js';
import type { CallPlan } from '../../core/dry-run.js';
import type { CostSum, MetricsSource, SourceResult } from '../source.js';
import { addCost, costLine } from './cost.js';
import { type Log, openClient, type OpenClient } from './client.js';
import { type ErrorContext, toCliError } from './errors.js';
import { mergeBodies } from './merge-bodies.js';
import type { RetrySettings } from './pipeline.js';
import { planRequests, type RequestPlan, timespan } from './request-plan.js';
import type { ResourceId } from './resource-id.js';

export const ORIGIN = 'Azure Monitor';
/** Requests in flight at once. */
const CONCURRENCY = 4;
const DEFAULT_SINCE_MS = 24 * 60 * 60_000;

export interface AzureSourceOptions {
  readonly resource: ResourceId;
  readonly endpoint: string;
  readonly timeoutMs: number;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The run's "now": windows count back from it, and it is the result's anchor. */
  readonly now: number;
  readonly log: Log;
  /** Resource Graph pages read to resolve a subscription display name (for the plan). */
  readonly lookupPages?: number;
  /** Seams for tests of this module; the CLI never sets them. */
  readonly credential?: TokenCredential;
  readonly retry?: Partial<RetrySettings>;
  /** Waits between retries (Io.sleep: tests scale them); default a timer. */
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

interface Task {
  readonly plan: RequestPlan;
  readonly index: number;
}

export class AzureSource implements MetricsSource {
  readonly label = ORIGIN;
  private opened: Promise<OpenClient> | undefined;
  constructor(private readonly opts: AzureSourceOptions) {}

  /** The requests of the queries (the last 24 h where they give no window). */
  private plans(queries: readonly Query[]): RequestPlan[] {
    const { now, log } = this.opts;
    const withRange = queries.map((q) => {
      if (q.range.start !== undefined || q.range.sinceMs !== undefined) return q;
      return { ...q, range: { ...q.range, sinceMs: DEFAULT_SINCE_MS } };
    });
    if (withRange.some((q, i) => q !== queries[i])) log.note('no --since or --start: fetching the last 24h');
    // Bad windows are usage errors, found before any credential or network work.
    return planRequests(withRange, now);
  }

  /** What fetch would send (--dry-run): one Metrics - List request per metric and window of at most 30 days. */
  async plan(queries: readonly Query[]): Promise<CallPlan> {
    const plans = this.plans(queries);
    const calls = plans.reduce((n, p) => n + p.windows.length, 0);
    const r = this.opts.resource;
    return {
      graphPages: this.opts.lookupPages ?? 0,
      lookupPages: this.opts.lookupPages ?? 0,
      discovered: false,
      resources: 1,
      path: 'per-resource',
      groups: plans.length,
      windows: Math.max(0, ...plans.map((p) => p.windows.length)),
      subscriptions: [
        { subscription: r.subscription, resources: 1, batchCalls: 0, perResourceCalls: calls, fallbackCalls: 0, largestBatch: 0, largestSeries: 0 },
      ],
    };
  }

  async fetch(queries: readonly Query[], signal?: AbortSignal): Promise<SourceResult> {
    const { now, log } = this.opts;
    const plans = this.plans(queries);
    if (plans.length === 0) return { metrics: [], raw: [], anchor: now };
    // One client (and one credential check) for every fetch of this source.
    const open = await (this.opened ??= this.open(signal).catch((err: unknown) => {
      this.opened = undefined;
      throw err;
    }));
    const bodies = await this.runAll(open, plans, signal);
    const raw: unknown[] = [];
    const metrics: MetricData[] = [];
    let cost: CostSum | undefined;
    for (const b of bodies.flat()) cost = addCost(cost, (b as { cost?: unknown })?.cost);
    if (cost) log.trace(costLine(cost));
    plans.forEach((plan, i) => {
      const body = mergeBodies(bodies[i]!);
      raw.push(body);
      metrics.push(...parseMetricsBody(body, ORIGIN));
      warnIfCut(plan, bodies[i]!, log);
    });
    return { metrics, raw, anchor: now, ...(cost ? { cost } : {}) };
  }

  private async open(signal?: AbortSignal): Promise<OpenClient> {
    const o = this.opts;
    try {
      return await openClient({ ...o, signal });
    } catch (err) {
      throw toCliError(err, this.errorContext(new URL(o.endpoint).host, 'default', signal));
    }
  }

  private errorContext(host: string, tokenKind: ErrorContext['tokenKind'], signal?: AbortSignal, plan?: RequestPlan): ErrorContext {
    return { host, resource: this.opts.resource, metric: plan?.metric, tokenKind, signal };
  }

  /** Every window of every plan, CONCURRENCY at a time; the first failure stops the rest. */
  private async runAll(open: OpenClient, plans: readonly RequestPlan[], signal?: AbortSignal): Promise<unknown[][]> {
    const tasks: Task[] = plans.flatMap((plan) => plan.windows.map((_, index) => ({ plan, index })));
    const results = plans.map((p) => new Array<unknown>(p.windows.length));
    const stop = new AbortController();
    const onAbort = (): void => stop.abort();
    signal?.addEventListener('abort', onAbort, { once: true });
    let failure: unknown;
    let next = 0;
    const worker = async (): Promise<void> => {
      while (failure === undefined && next < tasks.length) {
        const task = tasks[next++]!;
        try {
          results[plans.indexOf(task.plan)]![task.index] = await this.fetchWindow(open, task, stop.signal, signal);
        } catch (err) {
          failure ??= err;
          stop.abort();
        }
      }
    };
    try {
      await Promise.all(Array.from({ length: Math.min(CONCURRENCY, tasks.length) }, worker));
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
    if (signal?.aborted) throw new InterruptedError();
    if (failure !== undefined) throw failure;
    return results;
  }

  private async fetchWindow(open: OpenClient, task: Task, stop: AbortSignal, runSignal?: AbortSignal): Promise<unknown> {
    const { plan } = task;
    const window = plan.windows[task.index]!;
    let body: unknown;
    let received = false;
    try {
      await open.client.metrics.list(this.opts.resource.id, {
        timespan: timespan(window),
        interval: plan.interval,
        metricnames: plan.metricnames,
        metricnamespace: plan.metricnamespace,
        aggregation: plan.aggregation,
        ...(plan.filter !== '' ? { filter: plan.filter, top: plan.top, orderby: plan.orderby } : {}),
        abortSignal: stop,
        onResponse: (response, error) => {
          if (error === undefined && response.status === 200) {
            received = true;
            body = response.parsedBody;
          }
        },
      });
    } catch (err) {
      if (err instanceof CliError) throw err;
      // The SDK could not turn a 200 into its model: let the parser say what is wrong with it.
      if (!received || isRestError(err)) throw toCliError(err, this.errorContext(open.host, open.tokenKind, runSignal, plan));
    }
    if (body === undefined || typeof body === 'string') {
      throw new DataError(`the answer from ${open.host} for ${plan.metric.rest} is not a Metrics - List response (expected JSON)`);
    }
    return body;
  }
}

function isRestError(err: unknown): boolean {
  return (err as { name?: unknown })?.name === 'RestError';
}

/** A response with exactly `top` series may have lost some: say so. */
function warnIfCut(plan: RequestPlan, bodies: readonly unknown[], log: Log): void {
  if (plan.filter === '') return;
  const cut = bodies.some((b) => {
    const value = (b as { value?: unknown })?.value;
    return Array.isArray(value) && (value as ({ timeseries?: unknown } | null)[]).some((m) => Array.isArray(m?.timeseries) && m.timeseries.length >= plan.top);
  });
  if (cut) {
    log.warn(
      `Azure Monitor returned ${plan.top} series for ${plan.metric.rest}, the most acs-metrics asked for (top=${plan.top}): some series may be missing; narrow the query with --operation or --status-class`,
    );
  }
}

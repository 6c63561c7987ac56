/** Where metric data comes from: fixture files or Azure Monitor, behind one interface. */
import type { CallPlan } from '../core/dry-run.js';
import type { MetricData, Query } from '../core/model.js';

export interface SourceResult {
  /** The metrics as read, before any filtering; the core applies the query to them. */
  readonly metrics: readonly MetricData[];
  /** The response bodies as received (Metrics - List shape), for --save. */
  readonly raw: readonly unknown[];
  /** "now" for live data (so --since counts back from it); undefined for files (the data's last timestamp). */
  readonly anchor?: number;
  /** Live: the sum of the `cost` fields Azure's answers carried (undefined: none carried one). */
  readonly cost?: CostSum;
}

/** The `cost` fields of a live run's answers, added up. */
export interface CostSum {
  readonly total: number;
  /** How many answers (batch entries or Metrics - List bodies) carried one. */
  readonly answers: number;
}

/** Where fetchEach hands each resource's data as soon as it has arrived, part by part. */
export interface EachResource {
  /** Before any data: the resources (ids as `/subscriptions/...`) in the order `resource` numbers them, and "now". */
  start(ids: readonly string[], anchor: number): void;
  /**
   * A part of the data of resources[index], whole (a metric's data is in one part only): part n of
   * the source's parts (metric groups), each resource's parts in any order; the source keeps none of it.
   */
  resource(index: number, metrics: readonly MetricData[], part: number): void;
}

export interface MetricsSource {
  /** A short description for messages: "fixtures/chat.json" or "Azure Monitor". */
  readonly label: string;
  fetch(queries: readonly Query[], signal?: AbortSignal): Promise<SourceResult>;
  /**
   * Live sources over many resources: fetch, but each resource's data goes to `each` as it completes
   * and is let go (the result's metrics and raw are empty). Absent: the source cannot.
   */
  fetchEach?(queries: readonly Query[], signal: AbortSignal | undefined, each: EachResource): Promise<SourceResult>;
  /** Live sources: what fetch would send, without sending a metrics request (--dry-run). */
  plan?(queries: readonly Query[], signal?: AbortSignal): Promise<CallPlan>;
}

/** What a file source needs of the command's world (cli's Io has it): where relative paths start, stdin for "-", and Ctrl-C. */
export interface FileIo {
  readonly cwd: string;
  readonly stdin: NodeJS.ReadableStream;
  /** Aborted on SIGINT: a read that waits for input stops. */
  readonly signal?: AbortSignal;
  /** The environment (the credentials of a blob archive); none: process.env is not read. */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/**
 * The query model shared by every source and renderer. Timestamps are milliseconds since the epoch
 * (UTC). A value of null means "no data" and is never replaced by an invented number.
 */
import type { AggregationDef } from '../catalog/aggregations.js';
import type { AggregationKey, DimensionDef, MetricDef } from '../catalog/types.js';

/** One data point as the Metrics API gives it. A missing or null key means no data in that bucket. */
export type RawPoint = { readonly timestamp: number } & { readonly [K in AggregationKey]?: number | null };

/** One time series of a metric: REST dimension name, lower-cased, to value. */
export interface RawSeries {
  readonly dimensions: Readonly<Record<string, string>>;
  readonly points: readonly RawPoint[];
}

/** One metric of a Metrics API response, whatever file shape it came in. */
export interface MetricData {
  /** REST metric name as the response spells it. */
  readonly name: string;
  readonly displayName?: string;
  readonly unit?: string;
  /** Present when the metric failed on its own inside an HTTP 200 (anything other than "Success"). */
  readonly errorCode?: string;
  readonly errorMessage?: string;
  /** The response's interval as given (PT1H, FULL...) and in ms; null when FULL, absent or unreadable. */
  readonly interval?: string;
  readonly intervalMs: number | null;
  /** The response's timespan, when it has one. */
  readonly start?: number;
  readonly end?: number;
  readonly series: readonly RawSeries[];
  /**
   * The full id of the resource the data is about: a batch entry's `resourceid`, or the resource part
   * of a Metrics - List metric's `id`; absent when the data does not say.
   */
  readonly resourceId?: string;
  /** Where it came from, for messages: a file name, "stdin" or "Azure Monitor". */
  readonly origin: string;
}

/** --interval: the data's own grain or a coarser automatic one, one bucket for the window, or fixed. */
export type IntervalSpec = { readonly kind: 'auto' } | { readonly kind: 'full' } | { readonly kind: 'fixed'; readonly ms: number; readonly iso: string };

/** --start/--end (absolute) or --since (relative to the anchor: last data timestamp, or now for live data). */
export interface RangeSpec {
  readonly start?: number;
  readonly end?: number;
  readonly sinceMs?: number;
}

/**
 * What counts as an error, read with the metric's error rule (MetricDef.errors): for a status rule,
 * any of these classes (4xx) or codes (429) of its class/code dimensions; for a value rule, these
 * values of its dimension (`values`, the rule's own when absent); a metric without errors ignores it.
 */
export interface ErrorDefinition {
  readonly classes: readonly string[];
  readonly codes: readonly string[];
  readonly values?: readonly string[];
}

export const DEFAULT_ERRORS: ErrorDefinition = { classes: ['4xx', '5xx'], codes: [] };

export interface DimensionFilter {
  readonly dimension: DimensionDef;
  /** Accepted values (ORed); filters on different dimensions are ANDed. */
  readonly values: readonly string[];
}

export interface Query {
  readonly metric: MetricDef;
  readonly aggregation: AggregationDef;
  readonly filters: readonly DimensionFilter[];
  readonly splitBy: readonly DimensionDef[];
  /**
   * True when splitBy is the default (Operation) rather than the user's choice: data of several
   * resources is then split by Resource first; otherwise their totals are combined with a note.
   */
  readonly defaultSplit?: boolean;
  readonly interval: IntervalSpec;
  readonly range: RangeSpec;
  /**
   * false: keep the window as asked (minute-floored, on the data's grid) even where the data does not
   * cover it, as a comparison's baseline must be exactly as long as the current window. Default: the
   * window is cut to what the data covers (docs/windows-and-buckets.md, step 4).
   */
  readonly clipToData?: false;
  /** Keep the N largest series (by total); undefined keeps all. */
  readonly top?: number;
  readonly errors: ErrorDefinition;
}

export interface ResultPoint {
  readonly timestamp: number;
  readonly value: number | null;
}

export interface ResultSeries {
  /** User-facing dimension name (Operation, StatusCode, StatusSubClass...) to value, for the split dimensions. */
  readonly dimensions: Readonly<Record<string, string>>;
  /** One point per bucket of QueryResult.timestamps. */
  readonly points: readonly ResultPoint[];
  /** The query's aggregation over the whole window; null when the series has no data. */
  readonly total: number | null;
  /** Requests over the window (count, else total); null when unknown. */
  readonly requests: number | null;
  /** Requests that count as errors; null when the data has no status dimension to tell. */
  readonly errors: number | null;
  /** The metric's second rate count (email bounces); absent when the metric has none, null when unknown. */
  readonly secondary?: number | null;
}

export interface QueryResult {
  readonly query: Query;
  /** Bucket size in ms and as ISO 8601; intervalMs null for FULL (one bucket for the window). */
  readonly intervalMs: number | null;
  readonly interval: string;
  /** The window [start, end) in ms. */
  readonly start: number;
  readonly end: number;
  /** Bucket start times, ascending. */
  readonly timestamps: readonly number[];
  readonly series: readonly ResultSeries[];
  readonly total: number | null;
  readonly requests: number | null;
  readonly errors: number | null;
  /** The metric's second rate count over every series (email bounces); absent when the metric has none. */
  readonly secondary?: number | null;
  /** Series dropped by --top. */
  readonly omittedSeries: number;
  /** Notes for stderr ("last bucket is partial", "3 series left out by --top"). */
  readonly notes: readonly string[];
  /** Data of several resources (or one that failed): each resource, with its failure for this metric. */
  readonly resources?: readonly { readonly id: string; readonly error?: string }[];
  /** True when some resource's data failed: the totals leave it out. */
  readonly partial?: boolean;
  /** With clipToData false (a baseline): the span the data covers, which may not hold the whole window. */
  readonly dataCovers?: { readonly start: number; readonly end: number };
}

/** Shapes of the built-in catalog. The catalog itself is data: see metrics.ts. */

/** Aggregation keys exactly as they appear in a Metrics API data point. */
export type AggregationKey = 'count' | 'total' | 'average' | 'minimum' | 'maximum';

export interface DimensionDef {
  /** User-facing name, as the ACS concept pages write it (Operation, StatusCode, StatusSubClass...). */
  readonly name: string;
  /** Name on the wire (REST `$filter` and `metadatavalues`), exact casing. */
  readonly rest: string;
  /** Other names a user may type for it (normalized comparison). */
  readonly aliases: readonly string[];
  readonly description: string;
}

export interface OperationDef {
  readonly name: string;
  readonly description: string;
}

export interface MetricDef {
  /** Short name for the command line: chat, sms, auth... */
  readonly alias: string;
  /** REST metric name, exact casing (metricnames=). */
  readonly rest: string;
  readonly displayName: string;
  readonly area: string;
  readonly unit: string;
  readonly aggregations: readonly AggregationKey[];
  readonly primaryAggregation: AggregationKey;
  readonly dimensions: readonly DimensionDef[];
  readonly operations: readonly OperationDef[];
  /** False when no public document lists the operations: any operation value is accepted. */
  readonly operationsDocumented: boolean;
  /**
   * False when the documented list is known to lag the service: a name close to a listed one is a
   * typo, a name far from all of them is accepted with a warning.
   */
  readonly operationsExhaustive: boolean;
  /** Removed from Microsoft's generated metric list but still seen on older resources. */
  readonly legacy: boolean;
  readonly note?: string;
  readonly lifecycle: Lifecycle;
  readonly errors: ErrorRule;
  readonly secondaryRate?: SecondaryRate;
}

/** Where a metric's channel stands in Microsoft's ACS retirement (see lifecycle.ts). */
export type LifecycleStatus = 'active' | 'retiring' | 'breaking' | 'legacy';

export interface Lifecycle {
  readonly status: LifecycleStatus;
  /** ISO date of the change (retirement or breaking change); absent for active and legacy metrics. */
  readonly date?: string;
  /** One sentence for people. */
  readonly summary: string;
  /** Where the fact comes from: a URL and the document's date. */
  readonly source: string;
}

/**
 * What counts as an error for a metric, as data:
 * - status: an HTTP-like status class or code (request metrics: StatusSubClass/StatusCode; callback
 *   events: CodeClass/Code). `classes` are the default error classes; `--errors` may override them.
 *   `failedSuffix`: when the data has neither the class nor the code dimension, an event whose
 *   `dimension` value ends with `suffix` is an error (the callbacks' fallback).
 * - value: a series is an error when `dimension` has one of `values` (email delivery: Result = Failure).
 * - none: the metric counts no failures (user engagement); `reason` says why.
 * Dimension fields are user-facing dimension names of the metric.
 */
export type ErrorRule =
  | {
      readonly kind: 'status';
      readonly classDimension: string;
      readonly codeDimension: string;
      readonly classes: readonly string[];
      readonly failedSuffix?: { readonly dimension: string; readonly suffix: string };
      readonly summary: string;
    }
  | { readonly kind: 'value'; readonly dimension: string; readonly values: readonly string[]; readonly summary: string }
  | { readonly kind: 'none'; readonly reason: string; readonly summary: string };

/** A second rate shown beside the error rate (email bounce rate): series whose `dimension` is one of `values`. */
export interface SecondaryRate {
  /** JSON key of the count ("bounces"); the rate is `${key without s}Rate` given in rateKey. */
  readonly key: string;
  readonly rateKey: string;
  /** Column headings: "Bounces", "Bounce rate". */
  readonly label: string;
  readonly rateLabel: string;
  readonly dimension: string;
  readonly values: readonly string[];
  readonly summary: string;
}

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
  /** Removed from Microsoft's generated metric list but still seen on older resources. */
  readonly legacy: boolean;
  readonly note?: string;
}

/**
 * The metrics batch API (metrics:getBatch 2024-02-01) as Azure answers it (Azure/azure-sdk-assets
 * recordings of getBatch in Go, Java, Python, .NET and JS; the REST spec's MetricBatchExample2; the
 * facts note §4), each shape on or off:
 * - entries echo `starttime`/`endtime` with seconds or with milliseconds (`millis`);
 * - `resourceregion` is a real region name (`region`, default "global");
 * - some entries carry `cost` (`cost`: every other entry, 120 each);
 * - some metrics have no `errorCode` key at all (`noErrorCode`: every other entry);
 * - the metric `id` may be "Sanitized" (`sanitized`, as the recordings have it);
 * - whole-call errors are a 400 with `error.additionalInfo[]`, or a 404 `PathNotFound` (`pathNotFound`);
 * - a query over 500,000 time series answers `QueryThrottledException`, nothing returned.
 */
import type { Answer } from './metrics-api.js';

export const SERIES_CAP = 500_000;
/** The cost the `cost` shape puts on every other entry. */
export const ENTRY_COST = 120;

export interface BatchShapes {
  readonly millis?: boolean;
  readonly region?: string;
  readonly cost?: boolean;
  readonly noErrorCode?: boolean;
  readonly sanitized?: boolean;
  /** Every getBatch call answers 404 PathNotFound. */
  readonly pathNotFound?: boolean;
}

/** A whole-call error as the batch API writes it: 400s carry additionalInfo (TraceId, ExceptionType). */
export function batchError(code: string, message: string, status = 400): Answer {
  const additionalInfo = [
    { info: 'TraceId=00000000000000000000000000c0ffee' },
    { info: 'ExceptionType=Microsoft.Online.Metrics.MetricsMP.Utilities.RPRequestFormatException' },
  ];
  return { status, body: { error: { ...(status === 400 ? { additionalInfo } : {}), code, message } } };
}

/** The answer to a query over the series cap. */
export function QUERY_THROTTLED(series: number, cap: number): Answer {
  return {
    status: 400,
    body: {
      error: {
        additionalInfo: [
          { info: 'TraceId=00000000000000000000000000c0ffee' },
          { info: 'ExceptionType=Microsoft.Online.Metrics.MetricsMP.Utilities.QueryThrottledException' },
        ],
        code: 'QueryThrottledException',
        message: `The query would return ${series} time series, more than the limit of ${cap}. Reduce the number of resources, metrics or dimension values in the query.`,
      },
    },
  };
}

interface Entry {
  resourceid: string;
  starttime: string;
  endtime: string;
  interval: string;
  namespace: string;
  resourceregion: string;
  value: unknown[];
}

/** Entry `index` of an answer in the shapes asked for. */
export function shapeEntry(shapes: BatchShapes, index: number, e: Entry): Record<string, unknown> {
  const ms = (t: string): string => (shapes.millis ? t.replace(/Z$/, '.000Z') : t);
  const value = e.value.map((m) => {
    const metric = { ...(m as Record<string, unknown>) };
    if (shapes.sanitized) metric.id = 'Sanitized';
    if (shapes.noErrorCode && index % 2 === 1 && metric.errorCode === 'Success') delete metric.errorCode;
    return metric;
  });
  return {
    ...(shapes.cost && index % 2 === 0 ? { cost: ENTRY_COST } : {}),
    starttime: ms(e.starttime),
    endtime: ms(e.endtime),
    interval: e.interval,
    value,
    namespace: e.namespace,
    resourceregion: shapes.region ?? e.resourceregion,
    resourceid: e.resourceid,
  };
}

/**
 * `status` over a live estate without --save: each resource's data is reduced to its rows as soon as
 * all of it has come (core/status-stream.ts) and let go, so memory follows the report, not the points.
 * When the rows could not be told exactly that way (resources' data on different grids, a rule the
 * whole query throws on), the estate is read again, every answer kept, as status always did.
 */
import type { Query } from '../core/model.js';
import { StatusStream, type StreamedStatus } from '../core/status-stream.js';
import type { CostSum, MetricsSource } from '../sources/source.js';
import type { Context } from './context.js';
import type { SourceOptions } from './source-options.js';

export type StatusParts = Exclude<StreamedStatus, { inexact: string }>;

/**
 * The report's parts from the estate as it arrives; undefined when the source cannot hand resources
 * on (files, one resource), with --save (every answer is kept anyway), or when the stream was not
 * exact (the caller then reads it all again from the same source).
 */
export async function liveStatus(
  source: MetricsSource,
  opts: Pick<SourceOptions, 'save'>,
  ctx: Pick<Context, 'io' | 'trace'>,
  queries: readonly Query[],
  everyMetric: boolean,
): Promise<{ parts: StatusParts; cost?: CostSum } | undefined> {
  if (source.fetchEach === undefined || opts.save !== undefined) return undefined;
  let stream: StatusStream | undefined;
  const data = await source.fetchEach(queries, ctx.io.signal, {
    start: (ids, anchor) => (stream = new StatusStream(queries, ids, anchor, everyMetric)),
    resource: (index, metrics, part) => stream!.add(index, metrics, part),
  });
  const parts = stream?.finish() ?? { inexact: 'no resources' };
  if ('inexact' in parts) {
    ctx.trace(`status: ${parts.inexact}: reading the estate again, every answer kept`);
    return undefined;
  }
  return { parts, ...(data.cost ? { cost: data.cost } : {}) };
}

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
import { openSource, type SourceOptions } from './source-options.js';

export type StatusParts = Exclude<StreamedStatus, { inexact: string }>;

/** The report's parts from the estate as it arrives; else the source opened (undefined: files or --save), for the usual path. */
export async function liveStatus(
  opts: SourceOptions,
  ctx: Context,
  queries: readonly Query[],
  everyMetric: boolean,
): Promise<{ parts: StatusParts; cost?: CostSum } | { source: MetricsSource | undefined }> {
  if ((opts.fixture ?? []).length > 0 || opts.save !== undefined) return { source: undefined };
  const source = await openSource(opts, ctx);
  if (source.fetchEach === undefined) return { source };
  let stream: StatusStream | undefined;
  const data = await source.fetchEach(queries, ctx.io.signal, {
    start: (ids, anchor) => (stream = new StatusStream(queries, ids, anchor, everyMetric)),
    resource: (index, metrics) => stream!.add(index, metrics),
  });
  const parts = stream?.finish() ?? { inexact: 'no resources' };
  if ('inexact' in parts) {
    ctx.trace(`status: ${parts.inexact}: reading the estate again, every answer kept`);
    return { source };
  }
  return { parts, ...(data.cost ? { cost: data.cost } : {}) };
}

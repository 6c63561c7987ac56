/**
 * `status` over a live estate without --save: each resource's data is reduced to its rows as soon as
 * all of it has come (core/status-stream.ts) and let go, so memory follows the report, not the points.
 * The estate is read once, whatever comes: each part is also kept aside on disk (sources/spool.ts),
 * and in the rare case where the rows cannot be told exactly that way (resources' data on different
 * grids, a rule the whole query throws on, sums too large), the report is built from those answers
 * as from files (core/status-parts.ts). No request is sent twice, no warning said twice.
 */
import type { Query } from '../core/model.js';
import { type StatusParts, statusParts } from '../core/status-parts.js';
import { StatusStream } from '../core/status-stream.js';
import { DataSpool } from '../sources/spool.js';
import type { CostSum, MetricsSource } from '../sources/source.js';
import type { Context } from './context.js';
import type { SourceOptions } from './source-options.js';

export type { StatusParts } from '../core/status-parts.js';

/**
 * The report's parts from the estate as it arrives; undefined when the source cannot hand resources
 * on (files, one resource) or with --save (every answer is kept anyway): the caller reads it then.
 */
export async function liveStatus(
  source: MetricsSource,
  opts: Pick<SourceOptions, 'save'>,
  ctx: Pick<Context, 'io' | 'trace'>,
  queries: readonly Query[],
  everyMetric: boolean,
): Promise<{ parts: StatusParts; cost?: CostSum } | undefined> {
  if (source.fetchEach === undefined || opts.save !== undefined) return undefined;
  const spool = new DataSpool();
  try {
    let stream: StatusStream | undefined;
    let ids: readonly string[] = [];
    const data = await source.fetchEach(queries, ctx.io.signal, {
      start: (selected, anchor) => (stream = new StatusStream(queries, (ids = selected), anchor, everyMetric)),
      resource: (index, metrics, part) => {
        spool.add(index, part, metrics);
        stream!.add(index, metrics, part);
      },
    });
    const cost = data.cost ? { cost: data.cost } : {};
    const parts = (stream ?? new StatusStream(queries, [], data.anchor ?? 0, everyMetric)).finish();
    if (!('inexact' in parts)) return { parts, ...cost };
    ctx.trace(`status: ${parts.inexact}: the report from every answer of this read, kept aside`);
    return { parts: statusParts(queries, { metrics: await spool.read(), anchor: data.anchor }, ids), ...cost };
  } finally {
    spool.close();
  }
}

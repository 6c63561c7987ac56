/**
 * `status` over a live estate without --save: each resource's data is reduced to its rows as soon as
 * all of it has come (core/status-stream.ts) and let go, so memory follows the report, not the points.
 * The estate is read once, whatever comes: each part is also kept aside on disk (sources/spool.ts),
 * and in the rare case where a metric's rows cannot be told exactly that way (its resources' data on
 * different grids, a rule its whole query throws on, sums too large), that metric's data alone is
 * read back and its rows told from all of it at once, as from files. No request is sent twice, no
 * warning said twice.
 */
import type { Query } from '../core/model.js';
import { type StatusParts, StatusStream } from '../core/status-stream.js';
import { DataSpool } from '../sources/spool.js';
import type { CostSum, MetricsSource } from '../sources/source.js';
import type { Context } from './context.js';
import type { SourceOptions } from './source-options.js';

export type { StatusParts } from '../core/status-stream.js';

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
    const data = await source.fetchEach(queries, ctx.io.signal, {
      start: (ids, anchor) => (stream = new StatusStream(queries, ids, anchor, everyMetric)),
      resource: (index, metrics, part) => {
        spool.add(index, part, metrics);
        stream!.add(index, metrics, part);
      },
    });
    const cost = data.cost ? { cost: data.cost } : {};
    stream ??= new StatusStream(queries, [], data.anchor ?? 0, everyMetric);
    const parts = stream.finish();
    if (!('inexact' in parts)) return { parts, ...cost };
    // Only the data of the metrics the stream could not reduce is read back (and held).
    const names = parts.metrics.map((m) => m.alias).join(', ');
    ctx.trace(`status: ${parts.inexact}: the rows of ${names} from all their answers of this read, kept aside`);
    const wanted = new Set(parts.metrics.map((m) => m.rest.toLowerCase()));
    return { parts: stream.finishWith(await spool.read((m) => wanted.has(m.name.toLowerCase()))), ...cost };
  } finally {
    spool.close();
  }
}

/**
 * `status` over a live estate without --save: each resource's data is reduced to its rows as soon as
 * all of it has come (core/status-stream.ts) and let go, so memory follows the report, not the points.
 * In the rare case where a metric's rows cannot be told exactly that way (its resources' data on
 * different grids or windows, a rule its whole query throws on, sums too large), that metric alone is
 * asked for again, from the same resources, and its rows told from all of its answers at once, as from
 * files; the notes of that second read are not said again. Keeping every answer aside instead, for a
 * case that rare, would cost every run (measured: a fifth more CPU at 10,000 resources).
 */
import type { Query } from '../core/model.js';
import { type StatusParts, StatusStream } from '../core/status-stream.js';
import type { CostSum, MetricsSource } from '../sources/source.js';
import type { Context } from './context.js';
import type { SourceOptions } from './source-options.js';

export type { StatusParts } from '../core/status-stream.js';

/**
 * The report's parts from the estate as it arrives; undefined when the source cannot hand resources
 * on (files, one resource) or with --save (every answer is kept anyway): the caller reads it then.
 * `hushed` runs a read whose notes and warnings are not said (the source's, made with hushable()).
 */
export async function liveStatus(
  source: MetricsSource,
  opts: Pick<SourceOptions, 'save'>,
  ctx: Pick<Context, 'io' | 'trace'>,
  queries: readonly Query[],
  everyMetric: boolean,
  hushed: <T>(read: () => Promise<T>) => Promise<T>,
): Promise<{ parts: StatusParts; cost?: CostSum } | undefined> {
  if (source.fetchEach === undefined || opts.save !== undefined) return undefined;
  let stream: StatusStream | undefined;
  const data = await source.fetchEach(queries, ctx.io.signal, {
    start: (ids, anchor) => (stream = new StatusStream(queries, ids, anchor, everyMetric)),
    resource: (index, metrics, part) => stream!.add(index, metrics, part),
  });
  stream ??= new StatusStream(queries, [], data.anchor ?? 0, everyMetric);
  const parts = stream.finish();
  if (!('inexact' in parts)) return { parts, ...(data.cost ? { cost: data.cost } : {}) };
  const again = queries.filter((q) => parts.metrics.includes(q.metric));
  ctx.trace(`status: ${parts.inexact}: asking again for ${parts.metrics.map((m) => m.alias).join(', ')}, to tell their rows from all their answers at once`);
  const more = await hushed(() => source.fetch(again, ctx.io.signal));
  const cost = addCosts(data.cost, more.cost);
  return { parts: stream.finishWith(more.metrics), ...(cost ? { cost } : {}) };
}

/** Both reads' cost, as Azure counted it (the second read was spent too). */
function addCosts(a: CostSum | undefined, b: CostSum | undefined): CostSum | undefined {
  if (a === undefined || b === undefined) return a ?? b;
  return { total: a.total + b.total, answers: a.answers + b.answers };
}

/**
 * `status` over an estate without keeping its points: each resource's data is reduced to its rows as
 * soon as it has all arrived (statusResults and rowFor on that resource's data alone), and let go.
 * Memory then follows the report (a row per resource and metric with traffic), not the points.
 *
 * A resource's rows from its own data are the rows of the whole estate's results when the whole
 * estate's query would use the same buckets: the status query splits by Resource, so each result
 * series (and each error count, total and latest bucket) is one resource's; what is shared is the
 * data's grid and the window laid on it. So the rows are kept only while every resource of a metric
 * (and of its part read apart, the resources whose data lacks the Operation split) has the same grid
 * and window, no resource's data breaks a rule the whole query would throw on, and no sum can pass
 * the largest number. Live answers to one request meet this (the same timespan and interval each);
 * anything else makes that metric inexact: finish() names it, the caller asks for its data again and
 * finishWith() tells its rows from all of it at once (as status-parts.ts does). A metric no
 * resource's data names at all is exact: it fails with selectMetric's "no data" message, which names
 * the data's metrics in its order (resource by resource, part by part), tracked here. Pure.
 */
import type { MetricDef } from '../catalog/types.js';
import { isResourceDimension } from '../catalog/resource.js';
import { failedLine, noDataLine } from './run-query.js';
import { type ResourceFailure, resourceFailures } from './estate.js';
import { dataGrid } from './grid.js';
import type { MetricData, Query, QueryResult } from './model.js';
import { pointColumns, valuesOf } from './points.js';
import { hasTraffic, rowFor, statusResults, statusResultsOrWhy, type StatusRow, type StatusRows } from './status.js';

/** A part of a metric's resources read with one query (all of them, or those read apart): how many, and their buckets. */
interface Part {
  count: number;
  /** The grid and window every resource of the part had. */
  buckets?: string;
  window?: { readonly start: number; readonly end: number };
}

interface MetricState {
  readonly query: Query;
  /** Why its rows cannot be told resource by resource (they are then told from all its data at once). */
  inexact?: string;
  /** A bound on any sum of its data. */
  sum: number;
  /** Resources with data of the metric, failed or not. */
  seen: number;
  /** The failed data of the first resource (in the selection's order) whose data of the metric all failed. */
  firstFailed?: { readonly index: number; readonly data: MetricData };
  readonly main: Part;
  readonly apart: Part;
}

/** Where a piece of data first comes in the data's order: its resource, its part, its place in the part. */
type Place = readonly [index: number, part: number, at: number];
const comparePlaces = (a: Place, b: Place): number => a[0] - b[0] || a[1] - b[1] || a[2] - b[2];

/** Each key where it first comes. */
function noteFirst(seen: Map<string, Place>, key: string, place: Place): void {
  const had = seen.get(key);
  if (had === undefined || comparePlaces(place, had) < 0) seen.set(key, place);
}

/** The keys in the data's order. */
const inOrder = (seen: Map<string, Place>): string[] => [...seen].sort((a, b) => comparePlaces(a[1], b[1])).map(([key]) => key);

/** Sums past this could overflow when the whole estate's are added up (the query throws there). */
const LARGEST_SUM = 1e300;

export type StreamedStatus =
  | (Omit<StatusRows, 'everyMetric'> & {
      /** Resources with a failure (PARTIAL's count). */
      readonly failedResources: number;
      /** Some metric has results (else status fails with the first failed metric's message). */
      readonly hasResults: boolean;
    })
  | {
      /** Why (the last metric found so). */
      readonly inexact: string;
      /** The metrics whose data finishWith needs. */
      readonly metrics: readonly MetricDef[];
    };

export type StatusParts = Exclude<StreamedStatus, { inexact: string }>;

/** Every count and total of the data in absolute value, added up: a bound on any sum of them. */
function magnitude(metrics: readonly MetricData[]): number {
  let sum = 0;
  for (const m of metrics) {
    for (const s of m.series) {
      const columns = pointColumns(s);
      const values = columns ? valuesOf(columns) : s.points;
      for (let i = 0; i < values.length; i++) sum += Math.abs(values[i]!.count ?? 0) + Math.abs(values[i]!.total ?? 0);
    }
  }
  return sum;
}

export class StatusStream {
  private readonly metrics: MetricState[];
  /** Each resource's rows the report shows (selection order); undefined: none. */
  private readonly rows: (StatusRow[] | undefined)[] = [];
  /** Each resource's failures by part (the failure notes list them in the data's order: part by part). */
  private readonly failures: (ResourceFailure[][] | undefined)[] = [];
  private inexact: string | undefined;
  /** The data's metric names and origins as spelled, each where it first comes (what "no data for" lists). */
  private readonly names = new Map<string, Place>();
  private readonly origins = new Map<string, Place>();

  /** Operation names, one string each (every answer spells them anew). */
  private readonly operations = new Map<string, string>();
  /** Rows without traffic are kept (the report shows every metric), else let go: the report leaves them out. */
  private readonly keepQuiet: boolean;

  /**
   * `ids`: the selected resources as the report names them; `anchor`: "now" of the live data;
   * `everyMetric`: no --metric was given (one resource then shows every metric, traffic or not).
   */
  constructor(
    queries: readonly Query[],
    private readonly ids: readonly string[],
    private readonly anchor: number,
    everyMetric = false,
  ) {
    this.metrics = queries.map((query) => ({ query, sum: 0, seen: 0, main: { count: 0 }, apart: { count: 0 } }));
    this.keepQuiet = everyMetric && ids.length === 1;
  }

  /** The row as the report needs it: undefined when the report would leave it out, the operation's name shared. */
  private kept(row: StatusRow | undefined): StatusRow | undefined {
    if (row === undefined || (!this.keepQuiet && !hasTraffic(row))) return undefined;
    const op = row.worstOperation;
    if (op === null) return row;
    let name = this.operations.get(op.name);
    if (name === undefined) this.operations.set(op.name, (name = op.name));
    return { ...row, worstOperation: { ...op, name } };
  }

  /**
   * Data of the resource at `index` (in `ids`): all of it, or one part (`part`: its place in the
   * data's order) holding all the data of its metrics; it is not kept.
   */
  add(index: number, metrics: readonly MetricData[], part = 0): void {
    const failures = resourceFailures(metrics);
    if (failures.length > 0) ((this.failures[index] ??= [])[part] ??= []).push(...failures);
    metrics.forEach((m, at) => {
      noteFirst(this.names, m.name, [index, part, at]);
      noteFirst(this.origins, m.origin, [index, part, at]);
    });
    const rows = this.metrics.map((st) => this.kept(this.rowOf(st, index, metrics))).filter((r) => r !== undefined);
    if (rows.length > 0) (this.rows[index] ??= []).push(...rows);
  }

  private rowOf(st: MetricState, index: number, metrics: readonly MetricData[]): StatusRow | undefined {
    const name = st.query.metric.rest.toLowerCase();
    const mine = metrics.filter((m) => m.name.toLowerCase() === name);
    if (mine.length === 0 || st.inexact !== undefined) return undefined;
    st.seen++;
    st.sum += magnitude(mine);
    const ok = mine.filter((m) => m.errorCode === undefined);
    if (ok.length === 0) {
      if (st.firstFailed === undefined || index < st.firstFailed.index) st.firstFailed = { index, data: mine[0]! };
      return undefined;
    }
    let results: QueryResult[];
    try {
      results = statusResults(st.query, { metrics, anchor: this.anchor });
    } catch (err) {
      this.inexactly(st, err instanceof Error ? err.message : String(err));
      return undefined;
    }
    const grid = dataGrid(ok);
    for (const r of results) {
      const apart = st.query.splitBy.some((d) => !isResourceDimension(d)) && !r.query.splitBy.some((d) => !isResourceDimension(d));
      const part = apart ? st.apart : st.main;
      const buckets = JSON.stringify([grid?.grainMs, grid?.origin, grid?.start, grid?.end, grid?.full, r.start, r.end, r.intervalMs, r.timestamps.length]);
      part.count++;
      part.buckets ??= buckets;
      part.window ??= { start: r.start, end: r.end };
      if (grid === undefined || part.buckets !== buckets) this.inexactly(st, "resources' data on different grids or windows");
    }
    if (st.inexact !== undefined) return undefined;
    return results.map((r) => rowFor(r, this.ids[index]!)).find((x) => x !== undefined);
  }

  private inexactly(st: MetricState, why: string): void {
    st.inexact = why;
    this.inexact = `${st.query.metric.alias}: ${why}`;
  }

  /**
   * The report's parts, as buildStatus would have them from every resource's data at once; or, when
   * some metric's rows could not be told resource by resource, which metrics' data finishWith needs.
   */
  finish(): StreamedStatus {
    for (const st of this.metrics) if (!(st.sum < LARGEST_SUM)) this.inexactly(st, 'sums too large to add up in any order');
    const inexact = this.metrics.filter((st) => st.inexact !== undefined);
    if (inexact.length > 0) return { inexact: this.inexact!, metrics: inexact.map((st) => st.query.metric) };
    return this.parts([]);
  }

  /**
   * The report's parts after finish() named metrics: `data` holds all the data of those metrics (other
   * data may be there too), in the data's order (resource by resource, part by part); their results
   * come from all of it at once (statusResults), the other metrics' rows from the stream.
   */
  finishWith(data: readonly MetricData[]): StatusParts {
    return this.parts(data);
  }

  private parts(data: readonly MetricData[]): StatusParts {
    const failedMetrics: { metric: MetricDef; message: string }[] = [];
    const withResults: MetricDef[] = [];
    const results = new Map<MetricDef, QueryResult[]>();
    let window: Part['window'];
    for (const st of this.metrics) {
      const { main, apart, query } = st;
      if (st.inexact !== undefined) {
        // Its results from all its data at once, as status gets them from files (status-parts.ts).
        const told = statusResultsOrWhy(query, { metrics: data, anchor: this.anchor });
        if ('why' in told) {
          failedMetrics.push({ metric: query.metric, message: told.why });
          continue;
        }
        results.set(query.metric, told.results);
        const first = told.results[0]!;
        withResults.push(query.metric);
        window ??= { start: first.start, end: first.end };
        continue;
      }
      if (main.count + apart.count === 0) {
        // No resource's data of it could be read, or none names it (Azure answers a metric without
        // traffic with an empty entry, "timeseries": []): the query throws as selectMetric does.
        const message =
          st.firstFailed !== undefined
            ? failedLine(query.metric, st.firstFailed.data, st.seen > 1, false)
            : noDataLine(query.metric, inOrder(this.origins), inOrder(this.names));
        failedMetrics.push({ metric: query.metric, message });
        continue;
      }
      // Once, whether its resources were read in one result or in two (the main one and the one read apart).
      withResults.push(query.metric);
      window ??= main.count > 0 ? main.window : apart.window;
    }
    const failures = this.failures.flatMap((byPart) => (byPart ?? []).flatMap((f) => f ?? []));
    const rowOf = (id: string, metric: MetricDef, index: number): StatusRow | undefined => {
      const told = results.get(metric);
      if (told === undefined) return this.rows[index]?.find((r) => r.metric === metric);
      return told.map((r) => rowFor(r, id)).find((x) => x !== undefined);
    };
    return {
      resources: this.ids,
      metrics: [...withResults, ...failedMetrics.map((f) => f.metric)],
      rowOf,
      failedMetrics,
      failures,
      window: window ?? { start: 0, end: 0 },
      failedResources: this.failures.filter((f) => f !== undefined).length,
      hasResults: withResults.length > 0,
    };
  }
}

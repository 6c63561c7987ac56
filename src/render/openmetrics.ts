/**
 * A query result as OpenMetrics text with timestamps, for `promtool tsdb create-blocks-from openmetrics`
 * (a backfill into Prometheus, Mimir or Thanos). One gauge family; one sample per series and bucket
 * that has data, at the bucket's start in seconds; `# EOF` at the end.
 *
 * What a sample means: the query's aggregation of the metric over one interval (the `interval`
 * label), starting at the sample's timestamp. A count per interval is not a counter (it does not only
 * go up, and it restarts every interval), so the family is a gauge: `sum_over_time` adds intervals,
 * `rate()` is wrong on it.
 *
 * Family names, by aggregation: count `acs_requests`, sum `acs_requests_summed`, average
 * `acs_requests_average`, min `acs_requests_minimum`, max `acs_requests_maximum`. ACS metrics count
 * requests or events (unit Count), which has no OpenMetrics unit, so there is no `# UNIT` line.
 *
 * Labels: `metric` (REST name) and `interval` (ISO 8601) always; the resource as `resource` (its
 * name), `resource_group` and `subscription` when the series (or all of the data) is about
 * one resource; each split dimension as a label named for its REST name in snake case (`operation`,
 * `status_code`, `status_code_class`, `api_version`, `event_type_name`...); a filtered dimension that
 * is not split gets a label holding the accepted values joined by `|` (`status_code_class="4xx|5xx"`),
 * so that samples of differently filtered queries never share a series. Label values escape `\`, `"`
 * and line feeds as OpenMetrics requires; other control characters are written as the text `\x1b`.
 *
 * The text is produced by a generator, a chunk per series, so that it can be streamed.
 */
import type { DimensionDef } from '../catalog/types.js';
import { isResourceDimension, resourceName, resourceScope } from '../catalog/resource.js';
import type { QueryResult, ResultSeries } from '../core/model.js';

/** Family name and HELP text per aggregation key. */
const FAMILIES: Readonly<Record<string, { name: string; help: string }>> = {
  count: { name: 'acs_requests', help: 'Requests or events Azure Monitor counted (aggregation Count)' },
  total: { name: 'acs_requests_summed', help: 'Sum of the values of the requests or events (aggregation Total)' },
  average: { name: 'acs_requests_average', help: 'Average value of the requests or events (aggregation Average)' },
  minimum: { name: 'acs_requests_minimum', help: 'Smallest value of a request or event (aggregation Minimum)' },
  maximum: { name: 'acs_requests_maximum', help: 'Largest value of a request or event (aggregation Maximum)' },
};

const HELP_TAIL =
  ' of the metric named by the metric label in the interval (interval label) that starts at the sample timestamp. A gauge: one interval each, not a running total; add intervals with sum_over_time.';

/** Label names that Azure's REST dimension names would give badly, so that channels share labels. */
const LABEL_NAMES: Readonly<Record<string, string>> = { operationname: 'operation', statuscodesubclass: 'status_code_class' };

/** A dimension's label name: its REST name in snake case (StatusCodeClass -> status_code_class). */
export function labelName(dim: DimensionDef): string {
  const mapped = LABEL_NAMES[dim.rest.toLowerCase()];
  if (mapped !== undefined) return mapped;
  const snake = dim.rest
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .replace(/[^A-Za-z0-9_]/g, '_')
    .toLowerCase();
  return /^[a-z_]/.test(snake) ? snake : `_${snake}`;
}

/** What OpenMetrics escapes in a label value (\ " and line feed), and controls, shown as visible \x.. text. */
// eslint-disable-next-line no-control-regex
const ESCAPED = /[\\"\n\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
const OWN: Readonly<Record<string, string>> = { '\\': '\\\\', '"': '\\"', '\n': '\\n' };

/** A label value as OpenMetrics writes it inside quotes: \ " and line feed escaped, other controls as the text \x1b (its backslash escaped). */
export function escapeLabelValue(value: string): string {
  return value.replace(ESCAPED, (c) => {
    const own = OWN[c];
    if (own !== undefined) return own;
    const code = c.charCodeAt(0);
    return code <= 0xff ? `\\\\x${code.toString(16).padStart(2, '0')}` : `\\\\u${code.toString(16).padStart(4, '0')}`;
  });
}

/** A sample value: OpenMetrics numbers (JavaScript's shortest form reads back to the same double). */
const numberText = (v: number): string => (Number.isNaN(v) ? 'NaN' : v === Infinity ? '+Inf' : v === -Infinity ? '-Inf' : String(v));

/** Seconds since the epoch, as OpenMetrics timestamps are. */
const secondsText = (ms: number): string => String(ms / 1000);

type Labels = [name: string, value: string][];

function resourceLabels(id: string): Labels {
  if (id === '') return [];
  const scope = resourceScope(id);
  return [
    ['resource', resourceName(id)],
    ['resource_group', scope.resourceGroup],
    ['subscription', scope.subscription],
  ];
}

/** The labels every sample of the result shares: metric, interval, filters on dimensions not split, the one resource. */
function commonLabels(result: QueryResult, resourceId: string | undefined): Labels {
  const q = result.query;
  const labels: Labels = [
    ['metric', q.metric.rest],
    ['interval', result.interval],
  ];
  for (const f of q.filters) {
    if (q.splitBy.includes(f.dimension)) continue;
    if (isResourceDimension(f.dimension)) continue;
    labels.push([labelName(f.dimension), [...new Set(f.values)].sort().join('|')]);
  }
  if (resourceId !== undefined && !q.splitBy.some(isResourceDimension)) labels.push(...resourceLabels(resourceId));
  return labels;
}

function seriesLabels(series: ResultSeries, splitBy: readonly DimensionDef[]): Labels {
  return splitBy.flatMap((d): Labels => {
    const v = series.dimensions[d.name] ?? '';
    return isResourceDimension(d) ? resourceLabels(v) : [[labelName(d), v]];
  });
}

const labelText = (labels: Labels): string => {
  // An empty value is the same as no label in Prometheus: leave it out.
  const kept = labels.filter(([, v]) => v !== '');
  return kept.length === 0 ? '' : `{${kept.map(([k, v]) => `${k}="${escapeLabelValue(v)}"`).join(',')}}`;
};

export interface OpenMetricsOptions {
  /** The one resource all of the data is about, when it names one and the result is not split by resource. */
  readonly resourceId?: string;
}

/** The exposition in chunks: the metadata, then one chunk per series with data, then `# EOF`. */
export function* openMetricsChunks(result: QueryResult, opts: OpenMetricsOptions = {}): Generator<string> {
  const family = FAMILIES[result.query.aggregation.key]!;
  yield `# TYPE ${family.name} gauge\n# HELP ${family.name} ${family.help}${HELP_TAIL}\n`;
  const common = commonLabels(result, opts.resourceId);
  for (const s of result.series) {
    const head = `${family.name}${labelText([...common, ...seriesLabels(s, result.query.splitBy)])} `;
    let chunk = '';
    for (const p of s.points) if (p.value !== null) chunk += `${head}${numberText(p.value)} ${secondsText(p.timestamp)}\n`;
    if (chunk !== '') yield chunk;
  }
  yield '# EOF\n';
}

export function renderOpenMetrics(result: QueryResult, opts: OpenMetricsOptions = {}): string {
  return [...openMetricsChunks(result, opts)].join('');
}

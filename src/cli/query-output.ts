/**
 * `query -o FORMAT`: a query's result as a table, a chart, JSON, YAML, CSV, TSV or OpenMetrics, with
 * the notes for stderr. JSON, YAML, CSV, TSV and OpenMetrics come in pieces, written as they are made
 * (a month of minutes is 150 MB).
 */
import { endOfLifeNote } from '../catalog/lifecycle.js';
import type { Query, QueryResult } from '../core/model.js';
import type { QueryData } from '../core/run-query.js';
import { renderChart } from '../render/chart.js';
import { renderCsvChunks } from '../render/csv.js';
import { renderJsonChunks } from '../render/json.js';
import { openMetricsChunks } from '../render/openmetrics.js';
import { renderTable } from '../render/table.js';
import { renderTsvChunks } from '../render/tsv.js';
import { loadYaml, renderYamlChunks } from '../render/yaml.js';
import type { SourceResult } from '../sources/source.js';
import type { Context } from './context.js';
import { CHART_HEIGHT, chartWidth, outputWidth } from './width.js';

export const OUTPUTS = ['table', 'chart', 'json', 'csv', 'tsv', 'yaml', 'openmetrics'] as const;

export type Output = (typeof OUTPUTS)[number];

/** --width and --height as given (undefined: the defaults). */
export interface OutputSize {
  readonly width: number | undefined;
  readonly height: number | undefined;
}

/** The resource all of the metric's data is about, when it names exactly one (for OpenMetrics labels). */
function oneResource(data: QueryData, query: Query): string | undefined {
  const key = query.metric.rest.toLowerCase();
  const ids = new Set(data.metrics.filter((m) => m.name.toLowerCase() === key).map((m) => m.resourceId?.toLowerCase()));
  const [only] = ids;
  return ids.size === 1 && only !== undefined ? data.metrics.find((m) => m.resourceId?.toLowerCase() === only)!.resourceId : undefined;
}

/** The result in the output format, and the notes for stderr (the result's, and the renderer's). */
export async function queryOutput(
  result: QueryResult,
  data: SourceResult,
  query: Query,
  output: Output,
  size: OutputSize,
  ctx: Context,
): Promise<{ text: Iterable<string>; notes: string[] }> {
  const notes = [...result.notes];
  // Traffic on a channel that retires or breaks: a note for people (JSON carries query.lifecycle instead).
  const eol = result.requests ? endOfLifeNote(result.query.metric) : undefined;
  if (eol && (output === 'table' || output === 'chart')) notes.push(eol);
  switch (output) {
    case 'json':
      return { text: renderJsonChunks(result, data.cost), notes };
    case 'yaml':
      return { text: renderYamlChunks(result, await loadYaml(), data.cost), notes };
    case 'tsv':
      return { text: renderTsvChunks(result), notes };
    case 'openmetrics':
      return { text: openMetricsChunks(result, { resourceId: oneResource(data, query) }), notes };
    case 'csv':
      return { text: renderCsvChunks(result), notes };
    case 'chart': {
      const chart = renderChart(result, { color: ctx.out, width: chartWidth(ctx.io, size.width), height: size.height ?? CHART_HEIGHT.default, fill: true });
      return { text: [chart.text], notes: [...notes, ...chart.notes] };
    }
    default:
      return { text: [renderTable(result, { color: ctx.out, width: outputWidth(ctx.io, size.width) })], notes };
  }
}

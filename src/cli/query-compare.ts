/** `query --compare` / `--baseline-start --baseline-end`: the query over two windows, rendered side by side. */
import { baselineQuery, type BaselineSpec, runComparison } from '../core/compare.js';
import type { Query } from '../core/model.js';
import { renderCompareChart } from '../render/compare-chart.js';
import { renderCompareCsv } from '../render/compare-csv.js';
import { renderCompareJson } from '../render/compare-json.js';
import { renderCompareTable } from '../render/compare-table.js';
import type { SourceResult } from '../sources/source.js';
import type { Context } from './context.js';

export interface CompareRender {
  readonly output: string;
  /** Chart width. */
  readonly width: number;
  readonly height: number;
  /** Table width (undefined: no limit). */
  readonly tableWidth?: number;
}

/** The baseline queries of a live source, made from "now". */
export const baselineQueries = (queries: readonly Query[], spec: BaselineSpec) => (now: number) => queries.map((q) => baselineQuery(q, spec, now));

/** Runs the comparison and returns the text for stdout and the notes for stderr. */
export function compareOutput(
  query: Query,
  spec: BaselineSpec,
  data: SourceResult,
  baseline: SourceResult,
  how: CompareRender,
  ctx: Context,
): { text: string; notes: string[] } {
  const c = runComparison(query, spec, data, baseline);
  const notes = [...c.notes];
  switch (how.output) {
    case 'json':
      return { text: renderCompareJson(c), notes };
    case 'csv':
      return { text: renderCompareCsv(c), notes };
    case 'chart': {
      const chart = renderCompareChart(c, { color: ctx.out, width: how.width, height: how.height, fill: true });
      return { text: chart.text, notes: [...notes, ...chart.notes] };
    }
    default:
      return { text: renderCompareTable(c, { color: ctx.out, ...(how.tableWidth !== undefined ? { width: how.tableWidth } : {}) }), notes };
  }
}

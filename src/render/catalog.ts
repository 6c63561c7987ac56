/** Renderings of the built-in catalog: tables for people, JSON for scripts. */
import type { ChalkInstance } from 'chalk';
import { AGGREGATIONS } from '../catalog/aggregations.js';
import { BAD_ROUTE_OPERATION } from '../catalog/metrics.js';
import { isEndOfLife, lifecycleLabel, RETIREMENT_GUIDE } from '../catalog/lifecycle.js';
import { hasBadRoute, operationDimension } from '../catalog/resolve.js';
import type { MetricDef } from '../catalog/types.js';
import { type GridColumn, layoutGrid, renderGrid, wrapLines } from './grid.js';

export const CATALOG_SCHEMA_VERSION = 1;

const aggregationLabels = (m: MetricDef): string[] => AGGREGATIONS.filter((a) => m.aggregations.includes(a.key)).map((a) => a.label);

/** A metric's error rule in a few words: "4xx,5xx", "CodeClass not 2xx", "Result Failure", "none". */
export function errorLabel(m: MetricDef): string {
  const e = m.errors;
  if (e.kind === 'none') return 'none';
  if (e.kind === 'value') return `${e.dimension} ${e.values.join(',')}`;
  if (e.classes.length === 4 && !e.classes.includes('2xx')) return `${e.classDimension} not 2xx`;
  return e.classes.join(',');
}

/** The operation count: 31, "17+" for a documented list known to be incomplete, "-" when undocumented. */
const operationCount = (m: MetricDef): string => (!m.operationsDocumented ? '-' : `${m.operations.length}${m.operationsExhaustive ? '' : '+'}`);

/**
 * How the overview gives way to a narrow terminal, keeping one line per metric as long as it can: the
 * display name, REST name, dimensions and operation count are left out in that order (catalog METRIC
 * shows them all); below that the error rule and lifecycle wrap.
 */
const OVERVIEW_COLUMNS: readonly GridColumn[] = [
  {},
  { drop: 2 },
  { mode: 'wrap', floor: 20, drop: 1 },
  { mode: 'wrap', floor: 24, drop: 3 },
  { drop: 4 },
  { mode: 'wrap', min: 9 },
  { mode: 'wrap', min: 10 },
];

/** The metrics overview: one row per metric, fitted to `width` columns (undefined: no limit). */
export function catalogTable(metrics: readonly MetricDef[], c: ChalkInstance, width?: number): string {
  return catalogOverview(metrics, c, width).text;
}

/** The overview and the headers of the columns left out for width. */
export function catalogOverview(metrics: readonly MetricDef[], c: ChalkInstance, width?: number): { text: string; dropped: string[] } {
  const rows = metrics.map((m) => [
    m.alias,
    m.rest,
    m.displayName + (m.legacy ? ' (legacy)' : ''),
    m.dimensions.map((d) => d.name).join(', '),
    operationCount(m),
    errorLabel(m),
    lifecycleLabel(m.lifecycle),
  ]);
  const table = layoutGrid(['Alias', 'REST name', 'Display name', 'Dimensions', 'Operations', 'Errors', 'Lifecycle'], rows, {
    color: c.level > 0,
    headStyle: c.bold,
    align: ['left', 'left', 'left', 'left', 'right', 'left', 'left'],
    columns: OVERVIEW_COLUMNS,
    width,
    ruleWrapped: true,
  });
  const foot = metrics.some((m) => isEndOfLife(m.lifecycle))
    ? wrapLines(`Lifecycle: ${RETIREMENT_GUIDE} (2026-08-18).\nOperations "+": documented list known to be incomplete.\n`, width)
    : '';
  return { text: table.text + foot, dropped: table.dropped };
}

/** One metric in detail: its facts, dimensions and operations, fitted to `width` columns (undefined: no limit). */
export function metricDetail(m: MetricDef, c: ChalkInstance, width?: number): string {
  const lines = [
    `${c.bold(m.displayName)} (${m.alias}, REST name ${m.rest})${m.legacy ? ' - legacy' : ''}`,
    `Unit ${m.unit}; aggregations ${aggregationLabels(m).join(', ')} (default ${AGGREGATIONS.find((a) => a.key === m.primaryAggregation)?.label ?? m.primaryAggregation})`,
  ];
  if (m.note) lines.push(m.note);
  lines.push(`Errors: ${m.errors.summary}.`);
  if (m.secondaryRate) lines.push(`Second rate: ${m.secondaryRate.summary}.`);
  lines.push(`Lifecycle: ${lifecycleLabel(m.lifecycle)} - ${m.lifecycle.summary} (source: ${m.lifecycle.source}).`);
  if (m.operationsDocumented && !m.operationsExhaustive) {
    lines.push('Operations: the documented list is incomplete; a name far from every listed one is accepted with a warning, a close one is a typo.');
  }
  const dims = renderGrid(
    ['Dimension', 'REST name', 'Description'],
    m.dimensions.map((d) => [d.name, d.rest, d.description]),
    { color: c.level > 0, headStyle: c.bold, columns: [{}, { mode: 'truncate', floor: 12, drop: 1 }, { mode: 'wrap', floor: 20 }], width },
  );
  const parts = [wrapLines(`${lines.join('\n')}\n`, width), dims];
  if (m.operations.length > 0) {
    parts.push(
      renderGrid(
        ['Operation', 'Description'],
        m.operations.map((o) => [o.name, o.description]),
        {
          color: c.level > 0,
          headStyle: c.bold,
          columns: [
            { mode: 'truncate', floor: 20 },
            { mode: 'wrap', cap: 78, floor: 20 },
          ],
          width,
        },
      ),
    );
  }
  if (hasBadRoute(m)) parts.push(wrapLines(`Requests to a route the service does not recognise are counted as operation "${BAD_ROUTE_OPERATION}".\n`, width));
  return parts.join('\n');
}

export interface OperationHit {
  readonly metric: MetricDef;
  readonly name: string;
  readonly description: string;
}

/** Operations found by name fragment, across metrics. */
export function operationTable(hits: readonly OperationHit[], c: ChalkInstance, width?: number): string {
  return renderGrid(
    ['Metric', 'Operation', 'Description'],
    hits.map((h) => [h.metric.alias, h.name, h.description]),
    {
      color: c.level > 0,
      headStyle: c.bold,
      columns: [
        { mode: 'truncate', floor: 10 },
        { mode: 'truncate', floor: 20 },
        { mode: 'wrap', cap: 68, floor: 20 },
      ],
      width,
    },
  );
}

export function metricJson(m: MetricDef): object {
  return {
    alias: m.alias,
    rest: m.rest,
    displayName: m.displayName,
    area: m.area,
    unit: m.unit,
    aggregations: aggregationLabels(m),
    primaryAggregation: AGGREGATIONS.find((a) => a.key === m.primaryAggregation)?.label ?? m.primaryAggregation,
    legacy: m.legacy,
    lifecycle: { ...m.lifecycle, date: m.lifecycle.date ?? null },
    errors: errorRuleJson(m),
    ...(m.secondaryRate ? { secondaryRate: secondaryRateJson(m) } : {}),
    operationsDocumented: m.operationsDocumented,
    operationsExhaustive: m.operationsExhaustive,
    operationDimension: operationDimension(m)?.name ?? null,
    ...(m.note ? { note: m.note } : {}),
    dimensions: m.dimensions.map((d) => ({ name: d.name, rest: d.rest, description: d.description })),
    operations: m.operations.map((o) => ({ name: o.name, description: o.description })),
  };
}

function errorRuleJson(m: MetricDef): object {
  const e = m.errors;
  if (e.kind === 'status') {
    return {
      basis: 'status',
      classDimension: e.classDimension,
      codeDimension: e.codeDimension,
      classes: [...e.classes],
      failedSuffix: e.failedSuffix ? { ...e.failedSuffix } : null,
      overridable: true,
      summary: e.summary,
    };
  }
  if (e.kind === 'value') return { basis: 'value', dimension: e.dimension, values: [...e.values], overridable: false, summary: e.summary };
  return { basis: 'none', overridable: false, summary: e.summary };
}

function secondaryRateJson(m: MetricDef): object {
  const r = m.secondaryRate!;
  return { name: r.key, rateName: r.rateKey, dimension: r.dimension, values: [...r.values], summary: r.summary };
}

export function catalogJson(metrics: readonly MetricDef[]): string {
  const doc = { schemaVersion: CATALOG_SCHEMA_VERSION, badRouteOperation: BAD_ROUTE_OPERATION, metrics: metrics.map(metricJson) };
  return `${JSON.stringify(doc, null, 2)}\n`;
}

export function operationsJson(hits: readonly OperationHit[]): string {
  const doc = {
    schemaVersion: CATALOG_SCHEMA_VERSION,
    operations: hits.map((h) => ({ metric: h.metric.alias, rest: h.metric.rest, name: h.name, description: h.description })),
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}

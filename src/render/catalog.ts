/** Renderings of the built-in catalog: tables for people, JSON for scripts. */
import type { ChalkInstance } from 'chalk';
import { AGGREGATIONS } from '../catalog/aggregations.js';
import { BAD_ROUTE_OPERATION } from '../catalog/metrics.js';
import type { MetricDef } from '../catalog/types.js';
import { renderGrid } from './grid.js';

export const CATALOG_SCHEMA_VERSION = 1;

const aggregationLabels = (m: MetricDef): string[] =>
  AGGREGATIONS.filter((a) => m.aggregations.includes(a.key)).map((a) => a.label);

/** The metrics overview: one row per metric. */
export function catalogTable(metrics: readonly MetricDef[], c: ChalkInstance): string {
  const rows = metrics.map((m) => [
    m.alias,
    m.rest,
    m.displayName + (m.legacy ? ' (legacy)' : ''),
    m.dimensions.map((d) => d.name).join(', '),
    m.operationsDocumented ? String(m.operations.length) : '-',
  ]);
  return renderGrid(['Alias', 'REST name', 'Display name', 'Dimensions', 'Operations'], rows, {
    color: c.level > 0,
    headStyle: c.bold,
    align: ['left', 'left', 'left', 'left', 'right'],
  });
}

/** One metric in detail: its facts, dimensions and operations. */
export function metricDetail(m: MetricDef, c: ChalkInstance): string {
  const lines = [
    `${c.bold(m.displayName)} (${m.alias}, REST name ${m.rest})${m.legacy ? ' - legacy' : ''}`,
    `Unit ${m.unit}; aggregations ${aggregationLabels(m).join(', ')} (default ${AGGREGATIONS.find((a) => a.key === m.primaryAggregation)?.label ?? m.primaryAggregation})`,
  ];
  if (m.note) lines.push(m.note);
  const dims = renderGrid(
    ['Dimension', 'REST name', 'Description'],
    m.dimensions.map((d) => [d.name, d.rest, d.description]),
    { color: c.level > 0, headStyle: c.bold },
  );
  const parts = [`${lines.join('\n')}\n`, dims];
  if (m.operations.length > 0) {
    parts.push(
      renderGrid(
        ['Operation', 'Description'],
        m.operations.map((o) => [o.name, o.description]),
        { color: c.level > 0, headStyle: c.bold, colWidths: [null, 80] },
      ),
    );
  }
  parts.push(`Requests to a route the service does not recognise are counted as operation "${BAD_ROUTE_OPERATION}".\n`);
  return parts.join('\n');
}

export interface OperationHit {
  readonly metric: MetricDef;
  readonly name: string;
  readonly description: string;
}

/** Operations found by name fragment, across metrics. */
export function operationTable(hits: readonly OperationHit[], c: ChalkInstance): string {
  return renderGrid(
    ['Metric', 'Operation', 'Description'],
    hits.map((h) => [h.metric.alias, h.name, h.description]),
    { color: c.level > 0, headStyle: c.bold, colWidths: [null, null, 70] },
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
    operationsDocumented: m.operationsDocumented,
    ...(m.note ? { note: m.note } : {}),
    dimensions: m.dimensions.map((d) => ({ name: d.name, rest: d.rest, description: d.description })),
    operations: m.operations.map((o) => ({ name: o.name, description: o.description })),
  };
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

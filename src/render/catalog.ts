/** Renderings of the built-in catalog: tables for people, JSON for scripts. */
import type { ChalkInstance } from 'chalk';
import { AGGREGATIONS } from '../catalog/aggregations.js';
import { BAD_ROUTE_OPERATION } from '../catalog/metrics.js';
import { isEndOfLife, lifecycleLabel, RETIREMENT_GUIDE } from '../catalog/lifecycle.js';
import { hasBadRoute, operationDimension } from '../catalog/resolve.js';
import type { MetricDef } from '../catalog/types.js';
import { renderGrid } from './grid.js';

export const CATALOG_SCHEMA_VERSION = 1;

const aggregationLabels = (m: MetricDef): string[] =>
  AGGREGATIONS.filter((a) => m.aggregations.includes(a.key)).map((a) => a.label);

/** A metric's error rule in a few words: "4xx,5xx", "CodeClass not 2xx", "Result Failure", "none". */
export function errorLabel(m: MetricDef): string {
  const e = m.errors;
  if (e.kind === 'none') return 'none';
  if (e.kind === 'value') return `${e.dimension} ${e.values.join(',')}`;
  if (e.classes.length === 4 && !e.classes.includes('2xx')) return `${e.classDimension} not 2xx`;
  return e.classes.join(',');
}

/** The operation count: 31, "17+" for a documented list known to be incomplete, "-" when undocumented. */
const operationCount = (m: MetricDef): string =>
  !m.operationsDocumented ? '-' : `${m.operations.length}${m.operationsExhaustive ? '' : '+'}`;

/** The metrics overview: one row per metric. */
export function catalogTable(metrics: readonly MetricDef[], c: ChalkInstance): string {
  const rows = metrics.map((m) => [
    m.alias,
    m.rest,
    m.displayName + (m.legacy ? ' (legacy)' : ''),
    m.dimensions.map((d) => d.name).join(', '),
    operationCount(m),
    errorLabel(m),
    lifecycleLabel(m.lifecycle),
  ]);
  const table = renderGrid(['Alias', 'REST name', 'Display name', 'Dimensions', 'Operations', 'Errors', 'Lifecycle'], rows, {
    color: c.level > 0,
    headStyle: c.bold,
    align: ['left', 'left', 'left', 'left', 'right', 'left', 'left'],
  });
  const foot = metrics.some((m) => isEndOfLife(m.lifecycle))
    ? `Lifecycle: ${RETIREMENT_GUIDE} (2026-08-18). Operations "+": documented list known to be incomplete.\n`
    : '';
  return table + foot;
}

/** One metric in detail: its facts, dimensions and operations. */
export function metricDetail(m: MetricDef, c: ChalkInstance): string {
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
  if (hasBadRoute(m)) parts.push(`Requests to a route the service does not recognise are counted as operation "${BAD_ROUTE_OPERATION}".\n`);
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

/**
 * The KQL of a log search alert for a rate rule: requests and errors of the rule's filters over the
 * ACS resource log table, per resource (and per operation with perOperation), keeping only the rows
 * whose error rate is above the threshold. The comparison is in whole numbers (errors x 10^k >
 * requests x n for a threshold n / 10^k), exactly as `check` compares, so a rate exactly at the
 * threshold passes. Pure: returns text.
 */
import { LOG_OPERATION_COLUMN, LOG_STATUS_COLUMN } from '../catalog/log-tables.js';
import type { GateRule } from './gate.js';
import type { DimensionFilter } from './model.js';

/** The column every row is split by: check judges each resource on its own. */
export const LOG_RESOURCE_COLUMN = '_ResourceId';

/** A KQL string literal. */
export function kqlString(s: string): string {
  return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n').replace(/\r/g, '\\r')}"`;
}

const status = `toint(${LOG_STATUS_COLUMN})`;
/** "4xx" -> 4 */
const classDigit = (c: string): number => Number(c.trim()[0]);

function statusPredicate(classes: readonly string[], codes: readonly string[]): string | undefined {
  const parts: string[] = [];
  if (classes.length > 0) parts.push(`${status} / 100 in (${classes.map(classDigit).join(', ')})`);
  if (codes.length > 0) parts.push(`${status} in (${codes.map(Number).join(', ')})`);
  return parts.length === 0 ? undefined : parts.join(' or ');
}

/** The `where` line of one filter, or undefined when the log has no column for its dimension. */
function filterLine(f: DimensionFilter): string | undefined {
  switch (f.dimension.name) {
    case 'Operation':
      return `| where ${LOG_OPERATION_COLUMN} in (${f.values.map(kqlString).join(', ')})`;
    case 'StatusCode':
      return `| where ${statusPredicate([], f.values)}`;
    case 'StatusSubClass':
      return `| where ${statusPredicate(f.values, [])}`;
    default:
      return undefined;
  }
}

/** Filters the log cannot apply: their dimensions have no log column. */
export function unmappedLogFilters(rule: GateRule): DimensionFilter[] {
  return rule.filters.filter((f) => filterLine(f) === undefined);
}

/** The query of a rate rule with a threshold (rule.maxErrorRate must be set) over `table`. */
export function errorRateQuery(rule: GateRule, table: string): string {
  const max = rule.maxErrorRate!;
  const errors = statusPredicate(rule.errors.classes, rule.errors.codes) ?? 'false';
  const by = rule.perOperation ? `${LOG_RESOURCE_COLUMN}, ${LOG_OPERATION_COLUMN}` : LOG_RESOURCE_COLUMN;
  return [
    table,
    ...rule.filters.map((f) => filterLine(f)!),
    `| summarize requests = count(), errors = countif(${errors}) by ${by}`,
    `| where requests >= ${rule.minRequests}`,
    `| where errors * ${(10n ** BigInt(max.scale)).toString()} > requests * ${max.num.toString()}`,
    '| extend ErrorRate = todouble(errors) / requests',
  ].join('\n');
}

/** The columns a log alert splits by (each value alerts on its own). */
export function logSplitColumns(rule: GateRule): string[] {
  return rule.perOperation ? [LOG_RESOURCE_COLUMN, LOG_OPERATION_COLUMN] : [LOG_RESOURCE_COLUMN];
}

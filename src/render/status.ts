/**
 * The `status` report as a table (a row per resource and metric, problems first, a total row per
 * resource with several rows), JSON (schema version 1) or CSV (one line per resource and metric).
 *
 * JSON: { schemaVersion, start, end, partial, resources: [{ id, name, requests, errors, errorRate,
 *   error, metrics: [{ metric, metricAlias, requests, errors, errorRate,
 *   worstOperation: { name, errors, errorRate } | null, latest, error }] }] }
 * error is null when the data answered; latest is the start of the latest bucket with requests; note
 * (only then) says that the resource's data is not split by Operation, so it has no worst operation.
 * The table shows a failure short (its code and first sentence, problem-text.ts); JSON and CSV whole.
 */
import type { ChalkInstance } from 'chalk';
import type { StatusReport, StatusRow } from '../core/status.js';
import { formatTime } from '../core/time.js';
import { csvText } from './csv.js';
import { formatMinute, formatNumber, formatPercent, NO_DATA } from './format.js';
import { type Cell, renderGrid, wrapLines } from './grid.js';
import { PROBLEM_WIDTH, shortProblem } from './problem-text.js';
import { ALERT_RATE, WARN_RATE } from './table.js';

export const STATUS_SCHEMA_VERSION = 1;

function rateCell(rate: number | null, c: ChalkInstance): Cell {
  const text = formatPercent(rate);
  if (rate === null || rate <= WARN_RATE) return text;
  return { text, style: rate > ALERT_RATE ? c.red : c.yellow };
}

const worstText = (r: StatusRow): string =>
  r.worstOperation ? `${r.worstOperation.name} (${formatNumber(r.worstOperation.errors)}, ${formatPercent(r.worstOperation.errorRate)})` : NO_DATA;

const notSplitText = (dimension: string): string => `the data is not split by ${dimension}`;

/** The caption: window and counts. */
export function statusCaption(report: StatusReport): string {
  const n = report.resources.length;
  const traffic = report.resources.filter((r) => r.requests > 0).length;
  const withErrors = report.resources.filter((r) => r.errors > 0).length;
  const failed = report.resources.filter((r) => r.failed > 0).length;
  const parts = [
    `${formatMinute(report.start)} to ${formatMinute(report.end)}`,
    `${n} ${n === 1 ? 'resource' : 'resources'}`,
    `${traffic} with traffic`,
    `${withErrors} with errors`,
  ];
  if (failed > 0) parts.push(`${failed} failed: the results are partial`);
  return parts.join(' · ');
}

export function renderStatusTable(report: StatusReport, c: ChalkInstance, width?: number): string {
  const rows: Cell[][] = [];
  for (const r of report.resources) {
    if (r.rows.length === 0) {
      rows.push([r.name, NO_DATA, '0', NO_DATA, NO_DATA, NO_DATA, NO_DATA, 'no traffic']);
      continue;
    }
    r.rows.forEach((row, i) => {
      const name = i === 0 ? r.name : '';
      if (row.error !== undefined) {
        const problem = `failed: ${shortProblem(row.error, PROBLEM_WIDTH - 'failed: '.length)}`;
        rows.push([name, row.metric.alias, NO_DATA, NO_DATA, NO_DATA, NO_DATA, NO_DATA, { text: problem, style: c.red }]);
        return;
      }
      rows.push([
        name,
        row.metric.alias,
        formatNumber(row.requests),
        formatNumber(row.errors),
        rateCell(row.errorRate, c),
        worstText(row),
        row.latest === null ? NO_DATA : formatMinute(row.latest),
        row.notSplitBy ? notSplitText(row.notSplitBy) : '',
      ]);
    });
    if (r.rows.length > 1) {
      rows.push([
        '',
        { text: '(total)', style: c.bold },
        formatNumber(r.requests),
        formatNumber(r.errors),
        rateCell(r.errorRate, c),
        '',
        '',
        r.failed > 0 ? `${r.failed} failed` : '',
      ]);
    }
  }
  const table = renderGrid(['Resource', 'Metric', 'Requests', 'Errors', 'Error rate', 'Worst operation', 'Latest data', 'Problem'], rows, {
    color: c.level > 0,
    headStyle: c.bold,
    align: ['left', 'left', 'right', 'right', 'right', 'left', 'left', 'left'],
    // Narrow terminals, in this order: the worst operation is cut with … (down to 16) and Problem wraps
    // (down to 16), then Latest data, Worst operation, Errors and Requests go (the error rate says
    // whether something fails, the request count how much traffic it had; the error count follows
    // from both); only then are Resource and Metric cut with … (down to 8), Problem wraps to 10 and
    // "Error rate" wraps onto two lines; Problem goes last (failures are also noted on stderr).
    // Resource and metric are what tells the rows apart, so they are cut last. Narrowest fit: 32
    // columns (Resource, Metric and Error rate); below that it is drawn at those widths, wider than asked.
    columns: [
      { mode: 'middle', floor: 16, min: 8 },
      { mode: 'truncate', floor: 16, min: 8 },
      { drop: 4 },
      { drop: 3 },
      {},
      { mode: 'truncate', floor: 16, min: 10, drop: 2 },
      { drop: 1 },
      { mode: 'wrap', floor: 16, min: 10, late: 1 },
    ],
    ...(width !== undefined ? { width } : {}),
  });
  return `${width !== undefined ? wrapLines(statusCaption(report), width) : statusCaption(report)}\n${table}`;
}

/** `cost`: live runs, the sum of the `cost` fields Azure's answers carried. */
export function renderStatusJson(report: StatusReport, cost?: { total: number; answers: number }): string {
  const doc = {
    schemaVersion: STATUS_SCHEMA_VERSION,
    start: formatTime(report.start),
    end: formatTime(report.end),
    partial: report.partial,
    resources: report.resources.map((r) => ({
      id: r.id,
      name: r.name,
      requests: r.requests,
      errors: r.errors,
      errorRate: r.errorRate,
      error:
        r.failed > 0
          ? r.rows
              .filter((x) => x.error !== undefined)
              .map((x) => `${x.metric.rest}: ${x.error}`)
              .join('; ')
          : null,
      metrics: r.rows.map((x) => ({
        metric: x.metric.rest,
        metricAlias: x.metric.alias,
        requests: x.requests,
        errors: x.errors,
        errorRate: x.errorRate,
        worstOperation: x.worstOperation,
        latest: x.latest === null ? null : formatTime(x.latest),
        error: x.error ?? null,
        ...(x.notSplitBy ? { note: notSplitText(x.notSplitBy) } : {}),
      })),
    })),
    ...(cost ? { cost } : {}),
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}

const num = (v: number | null): string => (v === null ? '' : String(v));

export function renderStatusCsv(report: StatusReport): string {
  const lines = [['resource', 'metric', 'requests', 'errors', 'errorRate', 'worstOperation', 'latest', 'error', 'id'].join(',')];
  for (const r of report.resources) {
    for (const x of r.rows) {
      lines.push(
        [
          csvText(r.name),
          x.metric.alias,
          num(x.requests),
          num(x.errors),
          num(x.errorRate),
          csvText(x.worstOperation?.name ?? ''),
          x.latest === null ? '' : formatTime(x.latest),
          csvText(x.error ?? ''),
          csvText(r.id),
        ].join(','),
      );
    }
  }
  return lines.map((l) => `${l}\r\n`).join('');
}

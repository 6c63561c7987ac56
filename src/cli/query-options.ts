/**
 * Options that name what to look at, shared by `query` and `check`: the metric, filters, the time
 * range and what counts as an error. Parsers add every problem to a Problems list so that a command
 * reports all bad names at once.
 */
import type { Command } from 'commander';
import {
  type OperationOptions,
  resolveDimension,
  resolveMetric,
  resolveOperation,
  resolveOperationAnywhere,
  resolveStatusClass,
  resolveStatusCode,
} from '../catalog/resolve.js';
import type { MetricDef } from '../catalog/types.js';
import { isTooLong, parseDuration } from '../core/duration.js';
import { defaultErrors } from '../core/classify.js';
import type { DimensionFilter, ErrorDefinition, IntervalSpec, MetricData, RangeSpec } from '../core/model.js';
import { parseTime } from '../core/time.js';
import { metricByRestName, operationDimension } from '../catalog/resolve.js';
import { METRICS } from '../catalog/metrics.js';
import { DataError, type Problems, UsageError } from '../errors.js';
import { parseODataFilter } from './odata-filter.js';
import { METRIC_ALIASES, offer, operationsOfMetric, STATUS_CLASSES } from './option-values.js';
import { fewFiles } from '../core/few.js';

export interface FilterOptions {
  metric?: string;
  operation?: string[];
  statusCode?: string[];
  statusClass?: string[];
  resourceName?: string[];
  since?: string;
  start?: string;
  end?: string;
  errors?: string;
  catalogExtra?: string;
  /** az spellings (az monitor metrics list): see addAzFilterOptions. */
  startTime?: string;
  endTime?: string;
  offset?: string;
  metrics?: string[];
  filter?: string;
}

/**
 * Repeatable options that also take comma lists: --operation A,B --operation C. Empty values are kept
 * (as "") so that checkListValues can reject them: `--operation ""` must not mean "every operation".
 */
export const collectList = (value: string, previous: string[] | undefined): string[] => [...(previous ?? []), ...value.split(',').map((v) => v.trim())];

/** What each list option takes, for the "empty value" message. */
const LIST_EXAMPLES: Record<string, string> = {
  '--operation': 'operation names separated by commas, e.g. --operation SendChatMessage,GetChatMessage',
  '--status-code': 'status codes separated by commas, e.g. --status-code 429,503',
  '--status-class': 'status classes separated by commas, e.g. --status-class 4xx,5xx',
  '--split-by': 'dimensions separated by commas, e.g. --split-by operation,statuscode (or none for one series)',
  '--resource-name': 'resource names or ids separated by commas, e.g. --resource-name acs-prod,acs-test',
};

/** Adds a problem when a list option (collectList) has an empty value; true when it has none. */
export function checkListValues(flag: string, values: readonly string[] | undefined, problems: Problems): boolean {
  if (values === undefined || !values.includes('')) return true;
  problems.add(`${flag} has an empty value: give ${LIST_EXAMPLES[flag] ?? 'a value'}`);
  return false;
}

/** Rejects empty values of --operation, --status-code, --status-class and --resource-name; true when there are none. */
export function checkFilterValues(opts: FilterOptions, problems: Problems): boolean {
  const results = [
    checkListValues('--operation', opts.operation, problems),
    checkListValues('--status-code', opts.statusCode, problems),
    checkListValues('--status-class', opts.statusClass, problems),
    checkListValues('--resource-name', opts.resourceName, problems),
  ];
  return results.every(Boolean);
}

/** --since (its help says what it counts back from), --start and --end: the window options of every command. */
export function addWindowOptions(cmd: Command, sinceHelp: string): Command {
  return cmd
    .option('--since <duration>', sinceHelp)
    .option('--start <time>', 'window start, ISO 8601 (UTC unless an offset is given)')
    .option('--end <time>', 'window end, ISO 8601');
}

export function addFilterOptions(cmd: Command): Command {
  cmd
    .option(
      '-m, --metric <name>',
      'metric: alias (chat), REST name (APIRequestChat) or display name; check also takes a comma list or all (every current metric)',
    )
    .option('--operation <names>', 'only these operations (repeatable or comma list)', collectList)
    .option('--status-code <codes>', 'only these HTTP status codes, e.g. 429,503', collectList)
    .option('--status-class <classes>', 'only these status classes (StatusSubClass), e.g. 4xx,5xx', collectList)
    .option('--resource-name <names>', 'only these resources, by name or full id, when the data holds several', collectList);
  addWindowOptions(cmd, 'the last 24h, 7d, 90m, PT6H (counted back from the end of the data, or now when live)');
  cmd
    .option('--catalog-extra <file>', 'also accept the operation values in this file (written by "acs-metrics definitions --write-extra")')
    .addOption(cmd.createOption('--start-time <time>', 'az: --start').hideHelp())
    .addOption(cmd.createOption('--end-time <time>', 'az: --end').hideHelp())
    .addOption(cmd.createOption('--offset <duration>', 'az: counts back from --end-time or now, or forward from --start-time').hideHelp())
    .addOption(cmd.createOption('--metrics <names...>', 'az: --metric').hideHelp())
    .option('--filter <odata>', "az's dimension filter, e.g. \"Operation eq 'SendChatMessage' and StatusCode eq '*'\" (see docs/az-users.md)");
  offer(cmd, '--metric', METRIC_ALIASES);
  offer(cmd, '--metrics', METRIC_ALIASES);
  offer(cmd, '--operation', operationsOfMetric);
  return offer(cmd, '--status-class', STATUS_CLASSES);
}

/** A value given under our name or az's, not both. */
function either(problems: Problems, ours: [string, string | undefined], az: [string, string | undefined]): [flag: string, text: string | undefined] {
  if (ours[1] !== undefined && az[1] !== undefined) problems.add(`give either ${ours[0]} or ${az[0]}, not both`);
  return az[1] !== undefined && ours[1] === undefined ? [az[0], az[1]] : [ours[0], ours[1]];
}

/**
 * The metric from --metric, or from the one metric that has the first --operation. Also rejects empty
 * filter values (then no metric is inferred from the operations).
 */
export function resolveMetricOption(opts: FilterOptions, problems: Problems): MetricDef | undefined {
  if (opts.metrics !== undefined) {
    const names = opts.metrics
      .flatMap((m) => m.split(','))
      .map((m) => m.trim())
      .filter((m) => m !== '');
    if (opts.metric !== undefined) problems.add('give either --metric or --metrics, not both');
    else if (names.length !== 1) problems.add(`--metrics: acs-metrics reads one metric at a time (got ${names.length}); run one query per metric`);
    else return problems.try(() => resolveMetric(names[0]!));
    return undefined;
  }
  if (!checkFilterValues(opts, problems) && opts.metric === undefined) return undefined;
  if (opts.metric !== undefined) return problems.try(() => resolveMetric(opts.metric!));
  const first = opts.operation?.[0] ?? filterOperation(opts.filter);
  if (first !== undefined) return problems.try(() => resolveOperationAnywhere(first).metric);
  return undefined;
}

/** The names an operation-like dimension goes by in some metric (Operation, OperationName, EventTypeName...), in lower case. */
const OPERATION_DIMENSIONS = new Set(
  METRICS.flatMap((m) => {
    const d = operationDimension(m);
    return d ? [d.name, d.rest].map((n) => n.toLowerCase()) : [];
  }),
);

/** The first operation a --filter names (`Operation eq 'SendChatMessage'`); a bad filter is reported by parseFilters. */
function filterOperation(filter: string | undefined): string | undefined {
  if (filter === undefined) return undefined;
  try {
    const term = parseODataFilter(filter).find((t) => OPERATION_DIMENSIONS.has(t.dimension.toLowerCase()) && t.values !== '*');
    return term === undefined ? undefined : (term.values as readonly string[])[0];
  } catch {
    return undefined;
  }
}

/** --metric as a list: aliases, REST or display names separated by commas, or "all" (every catalog metric). */
export function parseMetricList(text: string, problems: Problems, fromFiles = false): MetricDef[] {
  const parts = text
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p !== '');
  if (parts.length === 0) {
    problems.add('--metric needs a metric name, a comma list of them, or all');
    return [];
  }
  if (parts.some((p) => p.toLowerCase() === 'all')) {
    if (parts.length > 1) problems.add('--metric all means every current metric: give it alone');
    // Live, the current metrics only: today's resources do not define the legacy one, and a metric a
    // resource lacks fails the whole request (Metrics - List and getBatch answer 400). Files may hold
    // it (older saves): there "all" includes it where the files do (see metricsInFiles).
    return fromFiles ? [...METRICS] : currentMetrics();
  }
  const out: MetricDef[] = [];
  for (const p of parts) {
    const m = problems.try(() => resolveMetric(p));
    if (m && !out.includes(m)) out.push(m);
  }
  return out;
}

/**
 * The one catalog metric in the data, when --metric was not given. Data without any is a data problem
 * (exit 3) naming the files (`fixtures`: the --fixture values; else the metrics' origins); several
 * metrics is a usage problem (exit 2): --metric chooses.
 */
export function inferMetric(data: readonly MetricData[], fixtures: readonly string[] = []): MetricDef {
  const found = [...new Set(data.map((m) => metricByRestName(m.name)).filter((m): m is MetricDef => m !== undefined))];
  if (found.length === 1) return found[0]!;
  if (found.length === 0) {
    const files = fixtures.length > 0 ? fixtures.map((f) => (f === '-' ? 'stdin' : f)) : data.map((m) => m.origin);
    const names = [...new Set(data.map((m) => m.name))];
    throw new DataError(`${fewFiles(files) || 'the data'}: holds no ACS metric the catalog knows (it holds ${names.length ? names.join(', ') : 'no metrics'})`);
  }
  throw new UsageError(`the data holds ${found.length} metrics (${found.map((m) => m.alias).join(', ')}): choose one with --metric`);
}

/**
 * Dimension filters of --operation, --status-code, --status-class and --resource-name, in the metric's
 * names. An empty value is a problem (reported once, whoever reports it first), never a filter left out.
 */
export function parseFilters(metric: MetricDef, opts: FilterOptions, problems: Problems, ops: OperationOptions = {}): DimensionFilter[] {
  const filters: DimensionFilter[] = [];
  if (!checkFilterValues(opts, problems)) return filters;
  const add = (dimensionName: string, raw: string[] | undefined, resolve: (v: string) => string) => {
    if (!raw || raw.length === 0) return;
    const dimension = problems.try(() => resolveDimension(metric, dimensionName));
    const values = raw.map((v) => problems.try(() => resolve(v))).filter((v): v is string => v !== undefined);
    if (dimension && values.length === raw.length) filters.push({ dimension, values: [...new Set(values)] });
  };
  // az's --filter: its values join ours for the same dimension (a dimension given both ways must agree).
  const odata = problems.try(() => (opts.filter !== undefined ? parseODataFilter(opts.filter) : [])) ?? [];
  const extra = new Map<string, string[]>();
  for (const term of odata) {
    if (term.values === '*') continue; // one series per value: the query's split (odataSplits)
    const dimension = problems.try(() => resolveDimension(metric, term.dimension));
    if (dimension) extra.set(dimension.name, [...(extra.get(dimension.name) ?? []), ...term.values]);
  }
  const merged = (name: string, ours: string[] | undefined): string[] | undefined => {
    const az = extra.get(name);
    extra.delete(name);
    if (az && ours?.length) problems.add(`${name} is filtered by both --filter and its own option: give it once`);
    return az ?? ours;
  };
  add('Operation', merged('Operation', opts.operation), (v) => resolveOperation(metric, v, ops));
  add('StatusCode', merged('StatusCode', opts.statusCode), resolveStatusCode);
  add('StatusSubClass', merged('StatusSubClass', opts.statusClass), resolveStatusClass);
  // Matched against the resources in the data by the core (core/resources.ts).
  add('Resource', opts.resourceName, (v) => v.trim());
  for (const [name, values] of extra) add(name, values, (v) => v);
  return filters;
}

/** The dimensions az's --filter splits by (Dim eq '*'), as written. */
export function odataSplits(opts: FilterOptions): string[] {
  if (opts.filter === undefined) return [];
  try {
    return parseODataFilter(opts.filter).flatMap((t) => (t.values === '*' ? [t.dimension] : []));
  } catch {
    return []; // reported by parseFilters
  }
}

/**
 * --since, or --start/--end; --since with --end counts back from --end. az's spellings: --start-time,
 * --end-time, and --offset, which counts back from --end-time (or the end of the data, or now) like
 * --since, or forward from --start-time.
 */
export function parseRange(opts: FilterOptions, problems: Problems): RangeSpec {
  const time = (flag: string, text: string | undefined): number | undefined => {
    if (text === undefined) return undefined;
    const ms = parseTime(text);
    if (ms === undefined) problems.add(`invalid ${flag} "${text}": expected an ISO 8601 date or time such as 2026-01-07 or 2026-01-07T13:00:00Z`);
    return ms;
  };
  const [startFlag, startText] = either(problems, ['--start', opts.start], ['--start-time', opts.startTime]);
  const [endFlag, endText] = either(problems, ['--end', opts.end], ['--end-time', opts.endTime]);
  const [sinceFlag, sinceText] = either(problems, ['--since', opts.since], ['--offset', opts.offset]);
  const start = time(startFlag, startText);
  let end = time(endFlag, endText);
  let sinceMs: number | undefined;
  if (sinceText !== undefined) {
    sinceMs = parseDuration(sinceText);
    if (sinceMs === undefined)
      problems.add(`invalid ${sinceFlag} "${sinceText}": expected a duration such as 30m, 24h, 7d, 1d12h or PT6H${tooLong(sinceText)}`);
    if (sinceFlag === '--offset' && startText !== undefined) {
      if (endText !== undefined) problems.add(`give at most two of ${startFlag}, ${endFlag} and --offset`);
      // az: with a start time, the offset counts forward from it.
      else if (start !== undefined && sinceMs !== undefined) end = start + sinceMs;
      sinceMs = undefined;
    } else if (startText !== undefined) problems.add(`give either ${sinceFlag} or ${startFlag}, not both`);
  }
  if (start !== undefined && end !== undefined && start >= end && endText !== undefined)
    problems.add(`${startFlag} ${startText} is not before ${endFlag} ${endText}`);
  return { start, end, sinceMs };
}

/** " (at most 100,000 years)" when the text is a duration, only too long to be one. */
const tooLong = (text: string): string => (isTooLong(text) ? ' (at most 100,000 years)' : '');

/** --interval: auto, FULL, ISO 8601 (PT5M) or short (5m, 1h, 1d). */
export function parseInterval(text: string | undefined, problems: Problems): IntervalSpec {
  if (text === undefined || text.trim().toLowerCase() === 'auto') return { kind: 'auto' };
  if (text.trim().toUpperCase() === 'FULL') return { kind: 'full' };
  const ms = parseDuration(text);
  if (ms === undefined || ms < 60_000) {
    problems.add(`invalid --interval "${text}": expected auto, FULL, or a duration of a minute or more such as 5m, 1h, 1d or PT15M`);
    return { kind: 'auto' };
  }
  return { kind: 'fixed', ms, iso: text.trim().toUpperCase().startsWith('P') ? text.trim().toUpperCase() : text.trim() };
}

/**
 * --errors: status classes (4xx, 5xx) and codes (429), e.g. "5xx,429"; undefined when not given (the
 * metric's own definition applies: see errorsFor).
 */
export function parseErrors(text: string | undefined, problems: Problems, flag = '--errors'): ErrorDefinition | undefined {
  if (text === undefined) return undefined;
  const classes: string[] = [];
  const codes: string[] = [];
  for (const part of text
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p !== '')) {
    if (/^[1-5]xx$/i.test(part)) classes.push(part.toLowerCase());
    else if (/^[1-5]\d\d$/.test(part)) codes.push(part);
    else problems.add(`invalid ${flag} value "${part}": expected status classes or codes such as 5xx or 429`);
  }
  if (classes.length === 0 && codes.length === 0) {
    problems.add(`${flag} needs at least one status class or code, e.g. ${flag} 5xx,429`);
    return undefined;
  }
  return { classes, codes };
}

/**
 * What counts as an error for a metric: its own definition from the catalog, or the --errors
 * override where the metric's errors are status classes and codes (requests, callback events). A
 * UsageError where --errors cannot apply.
 */
export function errorsFor(metric: MetricDef, override: ErrorDefinition | undefined, flag = '--errors'): ErrorDefinition {
  if (override === undefined) return defaultErrors(metric);
  const rule = metric.errors;
  if (rule.kind === 'value') {
    throw new UsageError(
      `${flag} does not apply to ${metric.alias} (${metric.rest}): an update is an error when its ${rule.dimension} is ${rule.values.join(' or ')}, not by status class or code`,
    );
  }
  if (rule.kind === 'none') throw new UsageError(`${flag} does not apply to ${metric.alias} (${metric.rest}): it has no error rate (${rule.reason})`);
  return override;
}

/** A UsageError line when the metric has no error rate to gate, else undefined. */
export function noErrorRateProblem(metric: MetricDef, flag = '--max-error-rate'): string | undefined {
  const rule = metric.errors;
  if (rule.kind !== 'none') return undefined;
  return `${flag} does not apply to ${metric.alias} (${metric.rest}): it has no error rate (${rule.reason}); gate its volume with --min-total or --max-total`;
}

/** Digits only (1e-400 would read as 0, 0x10 as 16); undefined beyond 2^53. */
function wholeNumber(text: string): number | undefined {
  if (!/^\s*\+?\d+\s*$/.test(text)) return undefined;
  const n = Number(text);
  return Number.isSafeInteger(n) ? n : undefined;
}

/** A positive whole number option (--top, --min-total...); an empty value is not 0. */
export function parsePositiveInt(flag: string, text: string | undefined, problems: Problems, min = 1): number | undefined {
  if (text === undefined) return undefined;
  const n = wholeNumber(text);
  if (n === undefined || n < min) {
    problems.add(`invalid ${flag} "${text}": expected a whole number of at least ${min}`);
    return undefined;
  }
  return n;
}

/** A whole number from min to max (--width, --height); `unit` ends the message: "(columns)". */
export function parseIntInRange(flag: string, text: string | undefined, problems: Problems, min: number, max: number, unit: string): number | undefined {
  if (text === undefined) return undefined;
  const n = wholeNumber(text);
  if (n === undefined || n < min || n > max) {
    problems.add(`invalid ${flag} "${text}": expected a whole number from ${min} to ${max} (${unit})`);
    return undefined;
  }
  return n;
}

/** Every current metric (not legacy): what `usage` and `export` cover by default, and --metric all. */
export const currentMetrics = (): MetricDef[] => METRICS.filter((m) => m.lifecycle.status !== 'legacy');

/**
 * --metric of `usage` and `export` (repeatable or comma lists, already split by collectList): the
 * metrics named, every current one for "all", undefined when not given. An empty value is a problem.
 */
export function parseMetricNames(names: readonly string[] | undefined, problems: Problems): MetricDef[] | undefined {
  if (names === undefined) return undefined;
  if (names.some((n) => n.trim() === '')) {
    problems.add('--metric has an empty value: give metric names separated by commas, e.g. --metric chat,sms, or --metric all');
    return [];
  }
  if (names.some((n) => n.trim().toLowerCase() === 'all')) return currentMetrics();
  const out: MetricDef[] = [];
  for (const n of names) {
    const m = problems.try(() => resolveMetric(n));
    if (m && !out.includes(m)) out.push(m);
  }
  return out;
}

/**
 * Turning what a user typed into catalog entries. Each resolver throws a UsageError whose one line
 * names the bad value, suggests the closest names and lists the choices when they are few; gather
 * several with errors.ts' Problems to report them all at once.
 */
import { UsageError } from '../errors.js';
import { AGGREGATIONS, type AggregationDef } from './aggregations.js';
import { BAD_ROUTE_OPERATION, METRICS } from './metrics.js';
import { type Candidate, didYouMean, editDistance, findExact, normalizeName, suggest } from './names.js';
import { RESOURCE_DIMENSION } from './resource.js';
import type { DimensionDef, MetricDef } from './types.js';

/** Lists of at most this many choices are spelt out in an error. */
const FEW = 12;

function unknown(kind: string, input: string, where: string, suggestions: string[], choices: string[], hint: string, few = FEW): UsageError {
  let line = `unknown ${kind} "${input}"${where}`;
  const dym = didYouMean(suggestions);
  if (dym) line += `: ${dym}`;
  if (choices.length > 0 && choices.length <= few) line += `${dym ? ' V' : '; v'}alid ${kind}s: ${choices.join(', ')}`;
  else if (hint) line += `${dym ? ' (' : '; '}${hint}${dym ? ')' : ''}`;
  return new UsageError(line);
}

const metricCandidates: Candidate<MetricDef>[] = METRICS.map((m) => ({
  names: [m.alias, m.rest, m.displayName, m.area],
  label: m.alias,
  value: m,
}));

/** A metric by alias (chat), REST name (APIRequestChat), display name or area name. */
export function resolveMetric(input: string): MetricDef {
  const hit = findExact(input, metricCandidates)[0];
  if (hit) return hit.value;
  // Every metric alias is spelt out, however many there are.
  return fail(
    unknown(
      'metric',
      input,
      '',
      suggest(input, metricCandidates),
      METRICS.map((m) => m.alias),
      '',
      METRICS.length,
    ),
  );
}

/** A metric by REST name only, as found in a response; undefined when the catalog lacks it. */
export function metricByRestName(rest: string): MetricDef | undefined {
  const key = rest.toLowerCase();
  return METRICS.find((m) => m.rest.toLowerCase() === key);
}

/** The metric's own dimensions and Resource, which every metric has (catalog/resource.ts). */
function dimensionCandidates(metric: MetricDef): Candidate<DimensionDef>[] {
  return [...metric.dimensions, RESOURCE_DIMENSION].map((d) => ({ names: [d.name, d.rest, ...d.aliases], label: d.name, value: d }));
}

/**
 * A dimension of a metric by user-facing name, REST name or alias (StatusSubClass = StatusCodeClass);
 * Resource for every metric.
 */
export function resolveDimension(metric: MetricDef, input: string): DimensionDef {
  const candidates = dimensionCandidates(metric);
  const hit = findExact(input, candidates)[0];
  if (hit) return hit.value;
  return fail(
    unknown(
      'dimension',
      input,
      ` for ${metric.alias}`,
      suggest(input, candidates),
      candidates.map((c) => c.label),
      '',
    ),
  );
}

/** A dimension of a metric by its REST name as a response spells it (any case); undefined if unknown. */
export function dimensionByRestName(metric: MetricDef, rest: string): DimensionDef | undefined {
  const key = rest.toLowerCase();
  return metric.dimensions.find((d) => d.rest.toLowerCase() === key);
}

/**
 * The metric's operation-like dimension: Operation (Job Router's OperationName), or the one a metric
 * without requests uses in its place (EventTypeName, MessageStatus, EngagementType), which answers to
 * "Operation" as an alias.
 */
export function operationDimension(metric: MetricDef): DimensionDef | undefined {
  return metric.dimensions.find((d) => d.name === 'Operation') ?? metric.dimensions.find((d) => d.aliases.includes('Operation'));
}

/** Request metrics (a StatusCode dimension) count requests to unknown routes as operation "Bad Route". */
export function hasBadRoute(metric: MetricDef): boolean {
  return metric.errors.kind === 'status' && metric.errors.codeDimension === 'StatusCode';
}

function operationCandidates(metric: MetricDef, extra: readonly string[] = []): Candidate<string>[] {
  const names = [...metric.operations.map((o) => o.name), ...extra, ...(hasBadRoute(metric) ? [BAD_ROUTE_OPERATION] : [])];
  return names.map((name) => ({ names: [name], label: name, value: name }));
}

/**
 * The candidates a name is a likely typo of: at most 2 edits, or one per 5 characters for long
 * names. Tighter than "did you mean" (one per 3): in a list known to be incomplete, a new
 * operation such as "Hold Participant" must not pass for a typo of "Get Participant" (4 edits).
 */
function closeTo(input: string, candidates: readonly Candidate<string>[]): string[] {
  const key = normalizeName(input);
  const limit = Math.max(2, Math.floor(key.length / 5));
  return candidates.filter((c) => c.names.some((n) => editDistance(key, normalizeName(n)) <= limit)).map((c) => c.label);
}

export interface OperationOptions {
  /** Values seen on a resource that the documents do not list (--catalog-extra): accepted as they are. */
  readonly extra?: readonly string[];
  /** Receives the one-line warning for a name accepted outside a non-exhaustive documented list. */
  readonly warn?: (line: string) => void;
}

/**
 * An operation of a metric, returned with the catalog's spelling ("create call" -> "Create Call").
 * "Bad Route" is valid for every metric. A metric without a documented operation list accepts any value.
 */
export function resolveOperation(metric: MetricDef, input: string, options: OperationOptions = {}): string {
  const candidates = operationCandidates(metric, options.extra);
  const hit = findExact(input, candidates)[0];
  if (hit) return hit.value;
  if (!metric.operationsDocumented) return input.trim();
  if (!metric.operationsExhaustive && input.trim() !== '') {
    const near = closeTo(input, candidates);
    if (near.length === 0) {
      options.warn?.(
        `operation "${input.trim()}" is not in the documented list for ${metric.alias} (${metric.rest}); the list is known to be incomplete, so it is used as given`,
      );
      return input.trim();
    }
    return fail(
      unknown(
        'operation',
        input,
        ` for ${metric.alias} (${metric.rest})`,
        near.slice(0, 3),
        candidates.map((c) => c.label),
        `run "acs-metrics catalog ${metric.alias}" to list them`,
      ),
    );
  }
  return fail(
    unknown(
      'operation',
      input,
      ` for ${metric.alias} (${metric.rest})`,
      suggest(input, candidates),
      candidates.map((c) => c.label),
      `run "acs-metrics catalog ${metric.alias}" to list them`,
    ),
  );
}

export interface OperationMatch {
  readonly metric: MetricDef;
  readonly operation: string;
}

/**
 * An operation when no metric was given: the one metric that has it, or a usage error that says
 * which metrics have it (AddParticipants is in rooms, Add Participants in callautomation).
 */
export function resolveOperationAnywhere(input: string): OperationMatch {
  const matches: OperationMatch[] = [];
  for (const metric of METRICS) {
    const hit = findExact(
      input,
      operationCandidates(metric).filter((c) => c.value !== BAD_ROUTE_OPERATION),
    )[0];
    if (hit) matches.push({ metric, operation: hit.value });
  }
  if (matches.length === 1) return matches[0]!;
  if (matches.length > 1) {
    const where = matches.map((m) => `${m.metric.alias} ("${m.operation}")`).join(', ');
    throw new UsageError(`operation "${input}" exists in several metrics: ${where}; choose one with --metric`);
  }
  const all: Candidate<string>[] = METRICS.flatMap((m) => m.operations.map((o) => ({ names: [o.name], label: o.name, value: m.alias })));
  return fail(unknown('operation', input, '', suggest(input, all), [], 'run "acs-metrics catalog --operation <fragment>" to search'));
}

const aggregationCandidates: Candidate<AggregationDef>[] = AGGREGATIONS.map((a) => ({ names: [...a.aliases, a.wire], label: a.label, value: a }));

/** An aggregation by name: count, sum (= total), average (avg), min, max. */
export function resolveAggregation(input: string, metric?: MetricDef): AggregationDef {
  const hit = findExact(input, aggregationCandidates)[0];
  const allowed = metric ? AGGREGATIONS.filter((a) => metric.aggregations.includes(a.key)) : AGGREGATIONS;
  if (hit && allowed.includes(hit.value)) return hit.value;
  const where = metric && hit ? ` for ${metric.alias}` : '';
  return fail(
    unknown(
      'aggregation',
      input,
      where,
      hit ? [] : suggest(input, aggregationCandidates),
      allowed.map((a) => a.label),
      '',
    ),
  );
}

/** A status class value: 2xx, 4xx, 5xx (any case). */
export function resolveStatusClass(input: string): string {
  const v = input.trim().toLowerCase();
  if (/^[1-5]xx$/.test(v)) return v;
  throw new UsageError(`invalid status class "${input}": expected one of 1xx, 2xx, 3xx, 4xx, 5xx`);
}

/** An HTTP status code: three digits from 100 to 599. */
export function resolveStatusCode(input: string): string {
  const v = input.trim();
  if (/^[1-5]\d\d$/.test(v)) return v;
  throw new UsageError(`invalid status code "${input}": expected a three-digit HTTP status such as 429 or 503`);
}

/** Operations whose name contains a fragment (normalized), across every metric. */
export function searchOperations(fragment: string): { metric: MetricDef; name: string; description: string }[] {
  const key = normalizeName(fragment);
  return METRICS.flatMap((metric) =>
    metric.operations.filter((o) => normalizeName(o.name).includes(key)).map((o) => ({ metric, name: o.name, description: o.description })),
  );
}

function fail(err: UsageError): never {
  throw err;
}

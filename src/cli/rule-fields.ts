/**
 * The fields of one rule, or of the defaults, read and checked each on its own: the metric, status
 * filters, the window, what counts as an error, the thresholds, the level and the baseline. Checks
 * that need the metric (operations, error dimensions) or the rule as a whole are in rule-checks.ts.
 */
import { type Candidate, didYouMean, suggest } from '../catalog/names.js';
import { resolveMetric, resolveStatusClass, resolveStatusCode } from '../catalog/resolve.js';
import type { MetricDef } from '../catalog/types.js';
import { isParsed, type Parsed, parseChangePercent, parseConfidence, parsePoints, parseTimes } from '../core/change-thresholds.js';
import type { BaselineSpec } from '../core/compare.js';
import { parseDuration } from '../core/duration.js';
import { isRate, LEVELS, type Level, parseRate, type Rate } from '../core/gate.js';
import type { ErrorDefinition, RangeSpec } from '../core/model.js';
import { parseTime } from '../core/time.js';
import { type Add, type At, found, type Obj, readBoolean, readInt, readString, readStringList, reportProblems } from './rule-values.js';

/** The keys of a rule's window. */
export const RANGE_KEYS = ['since', 'start', 'end'] as const;

export interface Fields {
  metric?: MetricDef;
  statusCodes?: string[];
  statusClasses?: string[];
  range?: RangeSpec;
  errors?: ErrorDefinition;
  maxErrorRate?: Rate;
  minRequests?: number;
  minTotal?: number;
  maxTotal?: number;
  perOperation?: boolean;
  level?: Level;
  failOnNoData?: boolean;
  baseline?: BaselineSpec;
  maxErrorRateIncrease?: number;
  maxErrorRateRatio?: number;
  maxTrafficDrop?: number;
  maxTrafficRise?: number;
  confidence?: number;
}

/** Reads and checks every field of a rule or of the defaults except operations (which need the metric). */
export function readFields(o: Obj, place: string, add: Add): Fields {
  const at: At = (key) => (place ? `${place}.${key}` : key);
  const f: Fields = {};
  if (o.metric !== undefined) {
    if (typeof o.metric !== 'string' || o.metric.trim() === '') add(at('metric'), `expected a metric name such as chat, found ${found(o.metric)}`);
    else f.metric = reportProblems(at('metric'), add, () => resolveMetric(o.metric as string));
  }
  f.statusCodes = readStatuses(o, 'statusCodes', resolveStatusCode, at, add);
  f.statusClasses = readStatuses(o, 'statusClasses', resolveStatusClass, at, add);
  f.range = readRange(o, place, at, add);
  if (o.errors !== undefined) f.errors = readErrors(o.errors, at('errors'), add);
  if (o.maxErrorRate !== undefined) f.maxErrorRate = readMaxErrorRate(o.maxErrorRate, at('maxErrorRate'), add);
  f.minRequests = readInt(o, 'minRequests', 1, at, add);
  f.minTotal = readInt(o, 'minTotal', 0, at, add);
  f.maxTotal = readInt(o, 'maxTotal', 0, at, add);
  f.perOperation = readBoolean(o, 'perOperation', at('perOperation'), add);
  f.failOnNoData = readBoolean(o, 'failOnNoData', at('failOnNoData'), add);
  readChange(o, at, add, f);
  if (o.level !== undefined) f.level = readLevel(o.level, at('level'), add);
  return f;
}

/** statusCodes or statusClasses: each resolved (429, 5xx), once each; undefined if any is bad. */
function readStatuses(o: Obj, key: 'statusCodes' | 'statusClasses', resolve: (v: string) => string, at: At, add: Add): string[] | undefined {
  const list = readStringList(o, key, at, add, key === 'statusCodes');
  if (!list) return undefined;
  const ok = list.map((c, i) => reportProblems(at(`${key}[${i}]`), add, () => resolve(c)));
  return ok.every((c) => c !== undefined) ? [...new Set(ok)] : undefined;
}

/** The window: since, or start/end; undefined when none is given or one is bad. */
function readRange(o: Obj, place: string, at: At, add: Add): RangeSpec | undefined {
  const since = readString(o, 'since', at, add);
  const start = readString(o, 'start', at, add);
  const end = readString(o, 'end', at, add);
  const range: { start?: number; end?: number; sinceMs?: number } = {};
  let rangeOk = true;
  if (since !== undefined) {
    const ms = parseDuration(since);
    if (ms === undefined) {
      add(at('since'), `invalid duration "${since}": expected a duration such as 30m, 24h, 7d or PT6H`);
      rangeOk = false;
    } else range.sinceMs = ms;
    if (start !== undefined) {
      add(place, 'give either "since" or "start", not both');
      rangeOk = false;
    }
  }
  for (const [key, text] of [
    ['start', start],
    ['end', end],
  ] as const) {
    if (text === undefined) continue;
    const ms = parseTime(text);
    if (ms === undefined) {
      add(at(key), `invalid time "${text}": expected an ISO 8601 date or time such as 2026-01-07 or 2026-01-07T13:00:00Z`);
      rangeOk = false;
    } else range[key] = ms;
  }
  if (range.start !== undefined && range.end !== undefined && range.start >= range.end) {
    add(place, `start ${start} is not before end ${end}`);
    rangeOk = false;
  }
  return rangeOk && RANGE_KEYS.some((k) => o[k] !== undefined) ? range : undefined;
}

function readMaxErrorRate(v: unknown, place: string, add: Add): Rate | undefined {
  if (typeof v !== 'string' && typeof v !== 'number') {
    add(place, `expected a rate such as "1%" or 0.01, found ${found(v)}`);
    return undefined;
  }
  const r = parseRate(v);
  if (isRate(r)) return r;
  add(place, `invalid error rate ${typeof v === 'string' ? `"${v}"` : String(v)}: ${r.error}`);
  return undefined;
}

function readLevel(v: unknown, place: string, add: Add): Level | undefined {
  if (typeof v === 'string' && (LEVELS as readonly string[]).includes(v.trim().toLowerCase())) return v.trim().toLowerCase() as Level;
  const candidates: Candidate<string>[] = [...LEVELS, 'warning', 'fail', 'failure'].map((l) => ({
    names: [l],
    label: l.startsWith('warn') ? 'warn' : 'error',
    value: l,
  }));
  const dym = typeof v === 'string' ? didYouMean(suggest(v, candidates)) : '';
  add(
    place,
    `unknown level ${found(v)}: ${dym ? `${dym} (error fails the run, warn is reported only)` : 'expected error (fails the run) or warn (reported only)'}`,
  );
  return undefined;
}

/** "5xx,429", ["4xx", "5xx"] or [429]: status classes and codes. */
function readErrors(v: unknown, place: string, add: Add): ErrorDefinition | undefined {
  let items: unknown[];
  let listed = true;
  if (typeof v === 'string') {
    items = v
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== '');
    listed = false;
  } else if (typeof v === 'number') {
    items = [v];
    listed = false;
  } else if (Array.isArray(v)) items = v;
  else {
    add(place, `expected status classes or codes such as ["5xx", "429"], found ${found(v)}`);
    return undefined;
  }
  if (items.length === 0) {
    add(place, 'needs at least one status class or code, e.g. ["5xx", "429"]');
    return undefined;
  }
  const classes: string[] = [];
  const codes: string[] = [];
  let ok = true;
  items.forEach((item, i) => {
    const text = typeof item === 'string' ? item.trim() : typeof item === 'number' ? String(item) : undefined;
    if (text !== undefined && /^[1-5]xx$/i.test(text)) classes.push(text.toLowerCase());
    else if (text !== undefined && /^[1-5]\d\d$/.test(text)) codes.push(text);
    else {
      ok = false;
      add(listed ? `${place}[${i}]` : place, `invalid error status ${found(item)}: expected a status class such as 5xx or a status code such as 429`);
    }
  });
  return ok ? { classes: [...new Set(classes)], codes: [...new Set(codes)] } : undefined;
}

/** The change thresholds, the confidence, and the baseline they compare with. */
function readChange(o: Obj, at: At, add: Add, f: Fields): void {
  const thresholds: [Extract<keyof Fields, string>, (v: string | number) => Parsed][] = [
    ['maxErrorRateIncrease', parsePoints],
    ['maxErrorRateRatio', parseTimes],
    ['maxTrafficDrop', (v) => parseChangePercent(v, 'drop')],
    ['maxTrafficRise', (v) => parseChangePercent(v, 'rise')],
    ['confidence', parseConfidence],
  ];
  for (const [key, parse] of thresholds) {
    const v = o[key];
    if (v === undefined) continue;
    if (typeof v !== 'string' && typeof v !== 'number') {
      add(at(key), `expected a string such as "0.5pp", "2x" or "50%", found ${found(v)}`);
      continue;
    }
    const p = parse(v);
    if (isParsed(p)) (f as Record<string, unknown>)[key] = p.value;
    else add(at(key), `invalid ${key} ${typeof v === 'string' ? `"${v}"` : String(v)}: ${p.error}`);
  }
  const baseline = readBaseline(o, at, add);
  if (baseline) f.baseline = baseline;
}

/** The baseline: a duration back (baseline), or a window (baselineStart and baselineEnd). */
function readBaseline(o: Obj, at: At, add: Add): BaselineSpec | undefined {
  const shift = readString(o, 'baseline', at, add);
  const start = readString(o, 'baselineStart', at, add);
  const end = readString(o, 'baselineEnd', at, add);
  if (shift !== undefined) {
    if (start !== undefined || end !== undefined) {
      add(at('baseline'), 'give either "baseline" or "baselineStart"/"baselineEnd", not both');
      return undefined;
    }
    const ms = parseDuration(shift);
    if (ms !== undefined && ms % 60_000 === 0) return { kind: 'shift', ms };
    add(at('baseline'), `invalid duration "${shift}": expected how far back the baseline is, such as 1d, 7d or P7D`);
    return undefined;
  }
  if (start === undefined && end === undefined) return undefined;
  if (start === undefined || end === undefined) {
    add(at(start === undefined ? 'baselineEnd' : 'baselineStart'), '"baselineStart" and "baselineEnd" go together');
    return undefined;
  }
  const s = parseTime(start);
  const e = parseTime(end);
  if (s === undefined) add(at('baselineStart'), `invalid time "${start}": expected an ISO 8601 date or time such as 2026-01-07T13:00:00Z`);
  if (e === undefined) add(at('baselineEnd'), `invalid time "${end}": expected an ISO 8601 date or time such as 2026-01-07T13:00:00Z`);
  if (s === undefined || e === undefined) return undefined;
  if (s < e) return { kind: 'window', start: s, end: e };
  add(at('baselineStart'), `baselineStart ${start} is not before baselineEnd ${end}`);
  return undefined;
}

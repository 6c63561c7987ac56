/**
 * `check --config FILE`: a rules file (JSON, or YAML for .yml/.yaml) of several gates. The whole file
 * is validated before any data is fetched, and every problem is reported at once, each prefixed by
 * the file and its place in it (`rules.json: rules[2].metric: unknown metric "chta": ...`).
 *
 *   {
 *     "failOnNoData": false,
 *     "defaults": { "since": "1h", "minRequests": 50, "errors": ["4xx", "5xx"] },
 *     "rules": [
 *       { "name": "chat errors", "metric": "chat", "operations": ["SendChatMessage"], "maxErrorRate": "1%", "level": "error" },
 *       { "name": "sms traffic", "metric": "sms", "minTotal": 100, "level": "warn" }
 *     ]
 *   }
 *
 * A rule's own since/start/end win; otherwise the command line's --since/--start/--end; otherwise the
 * defaults'. Every other key: the rule's value, else the defaults', else the built-in default.
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { type Candidate, didYouMean, suggest } from '../catalog/names.js';
import { type CatalogExtra, extraFor } from '../catalog/extra.js';
import {
  operationDimension,
  type OperationOptions,
  resolveDimension,
  resolveMetric,
  resolveOperation,
  resolveStatusClass,
  resolveStatusCode,
} from '../catalog/resolve.js';
import { defaultErrors } from '../core/classify.js';
import { errorsFor, noErrorRateProblem } from './query-options.js';
import type { MetricDef } from '../catalog/types.js';
import { parseDuration } from '../core/duration.js';
import { CHANGE_KINDS, type ChangeRules, DEFAULT_CONFIDENCE } from '../core/baseline-gate.js';
import { isParsed, type Parsed, parseChangePercent, parseConfidence, parsePoints, parseTimes } from '../core/change-thresholds.js';
import type { BaselineSpec } from '../core/compare.js';
import { defaultRuleName, type GateRule, isRate, LEVELS, type Level, parseRate, type Rate } from '../core/gate.js';
import { type DimensionFilter, type ErrorDefinition, type RangeSpec } from '../core/model.js';
import { parseTime } from '../core/time.js';
import { CliError, UsageError } from '../errors.js';
import { safeText } from '../render/safe.js';
import { parseJson } from '../sources/parse-response.js';
import type { Io } from './io.js';
import { refuseUnreadable } from './rules-numbers.js';

/** Keys of a rule; `defaults` takes the same except name and operations. */
export const RULE_KEYS = [
  'name',
  'metric',
  'operations',
  'statusCodes',
  'statusClasses',
  'since',
  'start',
  'end',
  'errors',
  'maxErrorRate',
  'minRequests',
  'minTotal',
  'maxTotal',
  'perOperation',
  'level',
  'failOnNoData',
  'baseline',
  'baselineStart',
  'baselineEnd',
  'maxErrorRateIncrease',
  'maxErrorRateRatio',
  'maxTrafficDrop',
  'maxTrafficRise',
  'confidence',
] as const;
type RuleKey = (typeof RULE_KEYS)[number];
const DEFAULT_KEYS: readonly RuleKey[] = RULE_KEYS.filter((k) => k !== 'name' && k !== 'operations');
const TOP_KEYS = ['$schema', 'failOnNoData', 'defaults', 'rules'] as const;
const RANGE_KEYS: readonly RuleKey[] = ['since', 'start', 'end'];

export const DEFAULT_MIN_REQUESTS = 1;

export interface RulesFileOptions {
  /** --since/--start/--end from the command line: replaces the defaults' window (a rule's own wins). */
  readonly range?: RangeSpec;
  /** --fail-on-no-data: on for every rule, whatever the file says. */
  readonly failOnNoData?: boolean;
  /** --catalog-extra: operation values accepted beyond the catalog's. */
  readonly extra?: CatalogExtra;
  /** Receives warnings (an operation accepted outside a documented but incomplete list). */
  readonly warn?: (line: string) => void;
  /** --baseline or --baseline-start/--baseline-end: the baseline of every rule without its own. */
  readonly baseline?: BaselineSpec;
  /** --confidence: of every rule without its own. */
  readonly confidence?: number;
}

type Obj = Record<string, unknown>;
const isObject = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** What a JSON/YAML value is, for messages: "a string ("x")", "an array", "a number (3)". */
function found(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'object') return 'an object';
  if (typeof v === 'string') return `"${v.length > 40 ? `${v.slice(0, 40)}...` : v}"`;
  return typeof v === 'number' || typeof v === 'boolean' ? String(v) : typeof v;
}

/** Reads and validates a rules file; a UsageError lists every problem. */
export async function loadRulesFile(path: string, io: Io, options: RulesFileOptions = {}): Promise<GateRule[]> {
  const origin = safeText(path);
  let text: string;
  try {
    text = await readFile(resolve(io.cwd, path), 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' || code === 'ENOTDIR' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : code === 'EACCES' || code === 'EPERM' ? 'permission denied' : (err as Error).message;
    throw new UsageError(`cannot read rules file ${origin}: ${why}`, { cause: err });
  }
  const doc = await parseRulesText(text, origin, /\.ya?ml$/i.test(path) ? 'yaml' : 'json');
  return validateRules(doc, origin, options);
}

/** The file's text as a value: JSON, or YAML (the yaml package is loaded only then). */
export async function parseRulesText(text: string, origin: string, format: 'json' | 'yaml'): Promise<unknown> {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (body.trim() === '') throw new UsageError(`${origin}: empty rules file`);
  if (format === 'json') {
    let value: unknown;
    try {
      value = parseJson(body, origin);
    } catch (err) {
      if (err instanceof CliError) throw new UsageError(err.problems, { cause: err });
      throw err;
    }
    await refuseUnreadable(value, body, origin);
    return value;
  }
  const { parseDocument } = await import('yaml');
  const doc = parseDocument(body);
  if (doc.errors.length > 0) {
    // The first line of each message: "Map keys must be unique at line 2, column 1:".
    throw new UsageError(doc.errors.map((e) => `${origin}: not valid YAML: ${e.message.split('\n')[0]!.replace(/:\s*$/, '')}`));
  }
  const value: unknown = doc.toJS();
  await refuseUnreadable(value, doc, origin);
  return value;
}

/** Checks a parsed rules file against the catalog; returns the rules or throws every problem at once. */
export function validateRules(doc: unknown, origin: string, options: RulesFileOptions = {}): GateRule[] {
  const problems: string[] = [];
  const add = (place: string, message: string) => problems.push(`${origin}: ${place ? `${place}: ` : ''}${message}`);

  if (!isObject(doc)) {
    throw new UsageError(`${origin}: expected an object with "rules": [...], found ${found(doc)}`);
  }
  unknownKeys(doc, TOP_KEYS, '', 'key', add);
  const topFailOnNoData = readBoolean(doc, 'failOnNoData', 'failOnNoData', add);

  let defaults: Obj = {};
  if (doc.defaults !== undefined) {
    if (isObject(doc.defaults)) {
      defaults = doc.defaults;
      for (const key of Object.keys(defaults)) {
        if (key === 'name' || key === 'operations') {
          add(`defaults.${key}`, `not allowed in defaults: each rule has its own ${key === 'name' ? 'name' : 'operations (they belong to its metric)'}`);
        }
      }
      unknownKeys(defaults, [...DEFAULT_KEYS, 'name', 'operations'], 'defaults', 'key', add);
    } else add('defaults', `expected an object, found ${found(doc.defaults)}`);
  }

  const rulesValue = doc.rules;
  if (rulesValue === undefined) add('', 'no "rules": give "rules": [{ "metric": "chat", "maxErrorRate": "1%" }, ...]');
  else if (!Array.isArray(rulesValue)) add('rules', `expected an array of rules, found ${found(rulesValue)}`);
  else if (rulesValue.length === 0) add('rules', 'no rules: the array is empty');

  // Defaults are checked once, on their own, so that a bad default is reported once.
  const defaultFields = readFields(defaults, 'defaults', add);

  const rules: GateRule[] = [];
  const names = new Map<string, string>();
  const list = Array.isArray(rulesValue) ? rulesValue : [];
  list.forEach((raw, i) => {
    const place = `rules[${i}]`;
    if (!isObject(raw)) {
      add(place, `expected a rule object, found ${found(raw)}`);
      return;
    }
    unknownKeys(raw, RULE_KEYS, place, 'key', add);
    const before = problems.length;
    const own = readFields(raw, place, add);
    // The rule's own metric when it names one (even a bad one), else the defaults'.
    const metric = raw.metric !== undefined ? own.metric : defaultFields.metric;
    if (raw.metric === undefined && defaults.metric === undefined) {
      add(place, 'no metric: give "metric" (an alias such as chat, or set it in defaults)');
    }
    // Operations resolve against the rule's metric.
    const filters: DimensionFilter[] = [];
    if (metric) {
      const ops = readOperations(raw, place, metric, add, { extra: extraFor(options.extra, metric), warn: options.warn });
      const opDim = operationDimension(metric);
      if (ops && ops.length > 0 && opDim) filters.push({ dimension: opDim, values: ops });
      const dimension = (key: string, name: string) => {
        try {
          return resolveDimension(metric, name);
        } catch (err) {
          if (!(err instanceof CliError)) throw err;
          for (const p of err.problems) add(`${place}.${key}`, p);
          return undefined;
        }
      };
      const codes = own.statusCodes ?? defaultFields.statusCodes;
      const codeDim = codes && codes.length > 0 ? dimension('statusCodes', 'StatusCode') : undefined;
      if (codes && codeDim) filters.push({ dimension: codeDim, values: codes });
      const classes = own.statusClasses ?? defaultFields.statusClasses;
      const classDim = classes && classes.length > 0 ? dimension('statusClasses', 'StatusSubClass') : undefined;
      if (classes && classDim) filters.push({ dimension: classDim, values: classes });
      // What counts as an error follows the metric; "errors" applies only to status classes and codes.
      const errorsKey = raw.errors !== undefined ? `${place}.errors` : 'defaults.errors';
      const given = own.errors ?? defaultFields.errors;
      if (given !== undefined && metric.errors.kind !== 'status') {
        try {
          errorsFor(metric, given, '"errors"');
        } catch (err) {
          if (!(err instanceof CliError)) throw err;
          for (const p of err.problems) add(errorsKey, p);
        }
      }
      if (metric.errors.kind === 'none' && (raw.maxErrorRate ?? defaults.maxErrorRate) !== undefined) {
        add(raw.maxErrorRate !== undefined ? `${place}.maxErrorRate` : place, noErrorRateProblem(metric, '"maxErrorRate"')!.replace(/--min-total or --max-total/, '"minTotal" or "maxTotal"'));
      }
    }

    const pick = <K extends keyof Fields>(key: K): Fields[K] => (own[key] !== undefined ? own[key] : defaultFields[key]);
    const hasOwnRange = RANGE_KEYS.some((k) => raw[k] !== undefined);
    const range = hasOwnRange ? own.range : (options.range ?? defaultFields.range);
    const maxErrorRate = pick('maxErrorRate');
    const minTotal = pick('minTotal');
    const maxTotal = pick('maxTotal');
    const perOperation = pick('perOperation') ?? false;
    if (!hasChecks(raw) && !hasChecks(defaults)) {
      add(place, 'nothing to check: give maxErrorRate, minTotal, maxTotal, or a change rule (maxErrorRateIncrease, maxErrorRateRatio, maxTrafficDrop, maxTrafficRise) with a baseline');
    }
    const ownBaseline = raw.baseline !== undefined || raw.baselineStart !== undefined || raw.baselineEnd !== undefined;
    const baseline = ownBaseline ? own.baseline : (options.baseline ?? defaultFields.baseline);
    const changeKeys = CHANGE_KINDS.filter((k) => pick(k) !== undefined);
    const anyBaselineGiven = ownBaseline || options.baseline !== undefined || ['baseline', 'baselineStart', 'baselineEnd'].some((k) => defaults[k] !== undefined);
    if (changeKeys.length > 0 && !anyBaselineGiven) {
      add(place, `"${changeKeys[0]}" compares with a baseline: give "baseline": "7d" (or "baselineStart" and "baselineEnd"), or --baseline`);
    }
    if (ownBaseline && changeKeys.length === 0) {
      add(place, '"baseline" needs a rule on change: give maxErrorRateIncrease, maxErrorRateRatio, maxTrafficDrop or maxTrafficRise');
    }
    if (metric && metric.errors.kind === 'none') {
      for (const k of ['maxErrorRateIncrease', 'maxErrorRateRatio'] as const) {
        if (pick(k) === undefined) continue;
        add(raw[k] !== undefined ? `${place}.${k}` : place, noErrorRateProblem(metric, `"${k}"`)!.replace(/--min-total or --max-total/, '"maxTrafficDrop" or "maxTrafficRise"'));
      }
    }
    let change: ChangeRules | undefined;
    if (baseline && changeKeys.length > 0) {
      change = { baseline, confidence: pick('confidence') ?? options.confidence ?? DEFAULT_CONFIDENCE };
      for (const k of changeKeys) change = { ...change, [k]: pick(k) };
    }
    if (perOperation && raw.maxErrorRate === undefined && defaults.maxErrorRate === undefined) {
      add(`${place}.perOperation`, 'applies maxErrorRate to each operation: give maxErrorRate too');
    }
    if (minTotal !== undefined && maxTotal !== undefined && minTotal > maxTotal) {
      add(place, `minTotal ${minTotal} is above maxTotal ${maxTotal}: no request count can pass`);
    }

    let name: string | undefined;
    if (raw.name !== undefined) {
      if (typeof raw.name === 'string' && raw.name.trim() !== '') name = raw.name.trim();
      else add(`${place}.name`, `expected a non-empty string, found ${found(raw.name)}`);
    } else if (metric) name = defaultRuleName(metric, filters);
    if (name !== undefined) {
      const seen = names.get(name);
      if (seen !== undefined) {
        const hint = raw.name === undefined ? '; give each rule a "name"' : '';
        add(raw.name === undefined ? place : `${place}.name`, `duplicate rule name "${name}" (${seen} has it too)${hint}`);
      } else names.set(name, place);
    }
    if (problems.length > before || !metric || name === undefined) return;

    rules.push({
      name,
      level: pick('level') ?? 'error',
      metric,
      filters,
      range: range ?? {},
      errors: pick('errors') ?? defaultErrors(metric),
      ...(maxErrorRate !== undefined ? { maxErrorRate } : {}),
      minRequests: pick('minRequests') ?? DEFAULT_MIN_REQUESTS,
      ...(minTotal !== undefined ? { minTotal } : {}),
      ...(maxTotal !== undefined ? { maxTotal } : {}),
      perOperation,
      failOnNoData: options.failOnNoData === true || (pick('failOnNoData') ?? topFailOnNoData ?? false),
      ...(change ? { change } : {}),
    });
  });

  if (problems.length > 0) throw new UsageError([...new Set(problems)]);
  return rules;
}

const hasChecks = (o: Obj): boolean =>
  o.maxErrorRate !== undefined || o.minTotal !== undefined || o.maxTotal !== undefined || CHANGE_KINDS.some((k) => o[k] !== undefined);

interface Fields {
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

type Add = (place: string, message: string) => void;

/** Reads and checks every field of a rule or of the defaults except operations (which need the metric). */
function readFields(o: Obj, place: string, add: Add): Fields {
  const at = (key: string) => (place ? `${place}.${key}` : key);
  const f: Fields = {};
  const catchUsage = <T>(key: string, fn: () => T): T | undefined => {
    try {
      return fn();
    } catch (err) {
      if (err instanceof CliError) {
        for (const p of err.problems) add(at(key), p);
        return undefined;
      }
      throw err;
    }
  };

  if (o.metric !== undefined) {
    if (typeof o.metric !== 'string' || o.metric.trim() === '') add(at('metric'), `expected a metric name such as chat, found ${found(o.metric)}`);
    else f.metric = catchUsage('metric', () => resolveMetric(o.metric as string));
  }

  const codes = readStringList(o, 'statusCodes', at, add, true);
  if (codes) {
    const ok = codes.map((c, i) => catchUsage(`statusCodes[${i}]`, () => resolveStatusCode(c)));
    if (ok.every((c) => c !== undefined)) f.statusCodes = [...new Set(ok)];
  }
  const classes = readStringList(o, 'statusClasses', at, add, false);
  if (classes) {
    const ok = classes.map((c, i) => catchUsage(`statusClasses[${i}]`, () => resolveStatusClass(c)));
    if (ok.every((c) => c !== undefined)) f.statusClasses = [...new Set(ok)];
  }

  // Window: since, or start/end.
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
  for (const [key, text] of [['start', start], ['end', end]] as const) {
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
  if (rangeOk && RANGE_KEYS.some((k) => o[k] !== undefined)) f.range = range;

  if (o.errors !== undefined) f.errors = readErrors(o.errors, at('errors'), add);

  if (o.maxErrorRate !== undefined) {
    const v = o.maxErrorRate;
    if (typeof v !== 'string' && typeof v !== 'number') add(at('maxErrorRate'), `expected a rate such as "1%" or 0.01, found ${found(v)}`);
    else {
      const r = parseRate(v);
      if (isRate(r)) f.maxErrorRate = r;
      else add(at('maxErrorRate'), `invalid error rate ${typeof v === 'string' ? `"${v}"` : String(v)}: ${r.error}`);
    }
  }
  f.minRequests = readInt(o, 'minRequests', 1, at, add);
  f.minTotal = readInt(o, 'minTotal', 0, at, add);
  f.maxTotal = readInt(o, 'maxTotal', 0, at, add);
  f.perOperation = readBoolean(o, 'perOperation', at('perOperation'), add);
  f.failOnNoData = readBoolean(o, 'failOnNoData', at('failOnNoData'), add);

  readChange(o, at, add, f);

  if (o.level !== undefined) {
    const v = o.level;
    if (typeof v === 'string' && (LEVELS as readonly string[]).includes(v.trim().toLowerCase())) f.level = v.trim().toLowerCase() as Level;
    else {
      const candidates: Candidate<string>[] = [...LEVELS, 'warning', 'fail', 'failure'].map((l) => ({ names: [l], label: l.startsWith('warn') ? 'warn' : 'error', value: l }));
      const dym = typeof v === 'string' ? didYouMean(suggest(v, candidates)) : '';
      add(at('level'), `unknown level ${found(v)}: ${dym ? `${dym} (error fails the run, warn is reported only)` : 'expected error (fails the run) or warn (reported only)'}`);
    }
  }
  return f;
}

/** The baseline (a duration, or baselineStart/baselineEnd), the change thresholds and the confidence. */
function readChange(o: Obj, at: (k: string) => string, add: Add, f: Fields): void {
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
  const shift = readString(o, 'baseline', at, add);
  const start = readString(o, 'baselineStart', at, add);
  const end = readString(o, 'baselineEnd', at, add);
  if (shift !== undefined) {
    if (start !== undefined || end !== undefined) {
      add(at('baseline'), 'give either "baseline" or "baselineStart"/"baselineEnd", not both');
      return;
    }
    const ms = parseDuration(shift);
    if (ms === undefined || ms % 60_000 !== 0) add(at('baseline'), `invalid duration "${shift}": expected how far back the baseline is, such as 1d, 7d or P7D`);
    else f.baseline = { kind: 'shift', ms };
    return;
  }
  if (start === undefined && end === undefined) return;
  if (start === undefined || end === undefined) {
    add(at(start === undefined ? 'baselineEnd' : 'baselineStart'), '"baselineStart" and "baselineEnd" go together');
    return;
  }
  const s = parseTime(start);
  const e = parseTime(end);
  if (s === undefined) add(at('baselineStart'), `invalid time "${start}": expected an ISO 8601 date or time such as 2026-01-07T13:00:00Z`);
  if (e === undefined) add(at('baselineEnd'), `invalid time "${end}": expected an ISO 8601 date or time such as 2026-01-07T13:00:00Z`);
  if (s === undefined || e === undefined) return;
  if (s >= e) add(at('baselineStart'), `baselineStart ${start} is not before baselineEnd ${end}`);
  else f.baseline = { kind: 'window', start: s, end: e };
}

function readOperations(o: Obj, place: string, metric: MetricDef, add: Add, ops: OperationOptions): string[] | undefined {
  const at = (key: string) => `${place}.${key}`;
  const list = readStringList(o, 'operations', at, add, false);
  if (!list) return undefined;
  const out: string[] = [];
  list.forEach((name, i) => {
    try {
      out.push(resolveOperation(metric, name, ops));
    } catch (err) {
      if (!(err instanceof CliError)) throw err;
      for (const p of err.problems) add(`${place}.operations[${i}]`, p);
    }
  });
  return out.length === list.length ? [...new Set(out)] : undefined;
}

/** What each list key takes, for messages. */
const LIST_EXAMPLES: Record<string, string> = {
  operations: 'an operation name such as SendChatMessage',
  statusCodes: 'a status code such as 429',
  statusClasses: 'a status class such as 5xx',
};

/**
 * A string or a list of strings (numbers too when allowNumbers: status codes 429). An empty or blank
 * entry, or an empty list, is a problem: it must not mean "no filter".
 */
function readStringList(o: Obj, key: string, at: (k: string) => string, add: Add, allowNumbers: boolean): string[] | undefined {
  const v = o[key];
  if (v === undefined) return undefined;
  const example = LIST_EXAMPLES[key] ?? 'a name';
  const items = Array.isArray(v) ? v : [v];
  if (items.length === 0) {
    add(at(key), `the list is empty: give ${example}`);
    return undefined;
  }
  const where = (i: number) => (Array.isArray(v) ? at(`${key}[${i}]`) : at(key));
  let ok = true;
  items.forEach((x, i) => {
    if (typeof x === 'string' && x.trim() === '') add(where(i), `the value is empty: give ${example}`);
    else if (!(typeof x === 'string' || (allowNumbers && typeof x === 'number'))) {
      add(where(i), `expected ${Array.isArray(v) ? example : `${example}, or a list of them`}, found ${found(x)}`);
    } else return;
    ok = false;
  });
  return ok ? items.map((x) => String(x).trim()) : undefined;
}

function readString(o: Obj, key: string, at: (k: string) => string, add: Add): string | undefined {
  const v = o[key];
  if (v === undefined) return undefined;
  if (typeof v === 'string') return v;
  add(at(key), `expected a string, found ${found(v)}`);
  return undefined;
}

function readInt(o: Obj, key: string, min: number, at: (k: string) => string, add: Add): number | undefined {
  const v = o[key];
  if (v === undefined) return undefined;
  if (typeof v === 'number' && Number.isSafeInteger(v) && v >= min) return v;
  add(at(key), `expected a whole number of at least ${min}, found ${found(v)}`);
  return undefined;
}

function readBoolean(o: Obj, key: string, place: string, add: Add): boolean | undefined {
  const v = o[key];
  if (v === undefined) return undefined;
  if (typeof v === 'boolean') return v;
  add(place, `expected true or false, found ${found(v)}`);
  return undefined;
}

/** "5xx,429", ["4xx", "5xx"] or [429]: status classes and codes. */
function readErrors(v: unknown, place: string, add: Add): ErrorDefinition | undefined {
  let items: unknown[];
  let listed = true;
  if (typeof v === 'string') {
    items = v.split(',').map((s) => s.trim()).filter((s) => s !== '');
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

/** Reports keys that are not in `allowed`, with a "did you mean" when one is close. */
function unknownKeys(o: Obj, allowed: readonly string[], place: string, kind: string, add: Add): void {
  const candidates: Candidate<string>[] = allowed.map((k) => ({ names: [k], label: k, value: k }));
  for (const key of Object.keys(o)) {
    if (allowed.includes(key)) continue;
    const dym = didYouMean(suggest(key, candidates));
    add(place, `unknown ${kind} "${key}"${dym ? `: ${dym}` : `; valid keys: ${allowed.join(', ')}`}`);
  }
}

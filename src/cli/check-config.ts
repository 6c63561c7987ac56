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
import { type GateRule } from '../core/gate.js';
import { UsageError } from '../errors.js';
import { safeText } from '../render/safe.js';
import type { Io } from './io.js';
import { checkRule, type RulesFileOptions, type RuleSetting } from './rule-checks.js';
import { readFields } from './rule-fields.js';
import { type Add, found, isObject, type Obj, readBoolean, unknownKeys } from './rule-values.js';
import { parseRulesText, readRulesText } from './rules-file.js';

export { parseRulesText } from './rules-file.js';

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

/** Reads and validates a rules file; a UsageError lists every problem. */
export async function loadRulesFile(path: string, io: Io, options: RulesFileOptions = {}): Promise<GateRule[]> {
  const origin = safeText(path);
  const text = await readRulesText(path, origin, io);
  const doc = await parseRulesText(text, origin, /\.ya?ml$/i.test(path) ? 'yaml' : 'json');
  return validateRules(doc, origin, options);
}

/** Checks a parsed rules file against the catalog; returns the rules or throws every problem at once. */
export function validateRules(doc: unknown, origin: string, options: RulesFileOptions = {}): GateRule[] {
  const problems: string[] = [];
  const add: Add = (place, message) => problems.push(`${origin}: ${place ? `${place}: ` : ''}${message}`);

  if (!isObject(doc)) {
    throw new UsageError(`${origin}: expected an object with "rules": [...], found ${found(doc)}`);
  }
  unknownKeys(doc, TOP_KEYS, '', 'key', add);
  const failOnNoData = readBoolean(doc, 'failOnNoData', 'failOnNoData', add);
  const defaults = readDefaults(doc.defaults, add);
  const list = ruleList(doc.rules, add);
  // Defaults are checked once, on their own, so that a bad default is reported once.
  const setting: RuleSetting = { defaults, defaultFields: readFields(defaults, 'defaults', add), failOnNoData, options, names: new Map() };

  const rules: GateRule[] = [];
  list.forEach((raw, i) => {
    const place = `rules[${i}]`;
    if (!isObject(raw)) {
      add(place, `expected a rule object, found ${found(raw)}`);
      return;
    }
    unknownKeys(raw, RULE_KEYS, place, 'key', add);
    const rule = checkRule(raw, place, setting, add);
    if (rule) rules.push(rule);
  });

  if (problems.length > 0) throw new UsageError([...new Set(problems)]);
  return rules;
}

/** The defaults object ({} when there is none); a name or operations in it are refused. */
function readDefaults(value: unknown, add: Add): Obj {
  if (value === undefined) return {};
  if (!isObject(value)) {
    add('defaults', `expected an object, found ${found(value)}`);
    return {};
  }
  for (const key of Object.keys(value)) {
    if (key === 'name' || key === 'operations') {
      add(`defaults.${key}`, `not allowed in defaults: each rule has its own ${key === 'name' ? 'name' : 'operations (they belong to its metric)'}`);
    }
  }
  unknownKeys(value, [...DEFAULT_KEYS, 'name', 'operations'], 'defaults', 'key', add);
  return value;
}

/** The rules array (empty when it is missing or not an array, which is reported). */
function ruleList(value: unknown, add: Add): unknown[] {
  if (value === undefined) add('', 'no "rules": give "rules": [{ "metric": "chat", "maxErrorRate": "1%" }, ...]');
  else if (!Array.isArray(value)) add('rules', `expected an array of rules, found ${found(value)}`);
  else if (value.length === 0) add('rules', 'no rules: the array is empty');
  return Array.isArray(value) ? value : [];
}

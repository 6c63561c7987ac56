/**
 * Readers of single values in a rules file (JSON or YAML, already parsed): a string, a whole number,
 * true/false, a list of names, the keys of an object. Each reports what is wrong with the value at
 * its place (`rules[2].minTotal`) and returns undefined, so that every problem of a file is found in
 * one pass.
 */
import { type Candidate, didYouMean, suggest } from '../catalog/names.js';
import { CliError } from '../errors.js';

export type Obj = Record<string, unknown>;

export const isObject = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Reports a problem at a place in the file (`rules[2].metric`; '' for the file itself). */
export type Add = (place: string, message: string) => void;

/** The place of a key in the object at `place`. */
export type At = (key: string) => string;

/** What a JSON/YAML value is, for messages: "a string ("x")", "an array", "a number (3)". */
export function found(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'object') return 'an object';
  if (typeof v === 'string') return `"${v.length > 40 ? `${v.slice(0, 40)}...` : v}"`;
  return typeof v === 'number' || typeof v === 'boolean' ? String(v) : typeof v;
}

/** Runs a catalog lookup; its usage problems are reported at `place` (other errors go on). */
export function reportProblems<T>(place: string, add: Add, fn: () => T): T | undefined {
  try {
    return fn();
  } catch (err) {
    if (!(err instanceof CliError)) throw err;
    for (const p of err.problems) add(place, p);
    return undefined;
  }
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
export function readStringList(o: Obj, key: string, at: At, add: Add, allowNumbers: boolean): string[] | undefined {
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

export function readString(o: Obj, key: string, at: At, add: Add): string | undefined {
  const v = o[key];
  if (v === undefined) return undefined;
  if (typeof v === 'string') return v;
  add(at(key), `expected a string, found ${found(v)}`);
  return undefined;
}

export function readInt(o: Obj, key: string, min: number, at: At, add: Add): number | undefined {
  const v = o[key];
  if (v === undefined) return undefined;
  if (typeof v === 'number' && Number.isSafeInteger(v) && v >= min) return v;
  add(at(key), `expected a whole number of at least ${min}, found ${found(v)}`);
  return undefined;
}

export function readBoolean(o: Obj, key: string, place: string, add: Add): boolean | undefined {
  const v = o[key];
  if (v === undefined) return undefined;
  if (typeof v === 'boolean') return v;
  add(place, `expected true or false, found ${found(v)}`);
  return undefined;
}

/** Reports keys that are not in `allowed`, with a "did you mean" when one is close. */
export function unknownKeys(o: Obj, allowed: readonly string[], place: string, kind: string, add: Add): void {
  const candidates: Candidate<string>[] = allowed.map((k) => ({ names: [k], label: k, value: k }));
  for (const key of Object.keys(o)) {
    if (allowed.includes(key)) continue;
    const dym = didYouMean(suggest(key, candidates));
    add(place, `unknown ${kind} "${key}"${dym ? `: ${dym}` : `; valid keys: ${allowed.join(', ')}`}`);
  }
}

/**
 * The words of a response reader's messages: a DataError of one line naming the origin, and what was
 * found where something else was expected (a shortened string, a number, the kind of a value).
 */
import { DataError } from '../errors.js';
import { safeText } from '../render/safe.js';

export type Obj = Record<string, unknown>;

export function fail(origin: string, message: string): never {
  throw new DataError(`${origin}: ${message}`);
}

export function isObject(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);
}

export function oneLine(text: string): string {
  return safeText(text.replace(/\r?\n/g, ' '));
}

/** The value that was found, for a message: a quoted (shortened) string, a number, or its kind. */
export function found(v: unknown): string {
  if (typeof v === 'string') {
    const short = v.length > 40 ? `${v.slice(0, 40)}...` : v;
    return oneLine(JSON.stringify(short));
  }
  if (typeof v === 'number' || typeof v === 'boolean' || v === null) return String(v);
  if (v === undefined) return 'nothing';
  if (v instanceof Date) return 'an invalid Date';
  if (Array.isArray(v)) return v.length === 0 ? 'found an empty array' : 'found an array';
  return 'found an object';
}

const KINDS: Record<string, [string, string]> = {
  null: ['null', 'nulls'],
  boolean: ['a boolean', 'booleans'],
  number: ['a number', 'numbers'],
  string: ['a string', 'strings'],
  array: ['an array', 'arrays'],
  object: ['an object', 'objects'],
};

function kind(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v === 'object' ? 'object' : typeof v;
}

/** "an array of numbers", "an empty array", 'an object without "value" or "values" (keys: a, b)'. */
export function kindOf(v: unknown): string {
  if (Array.isArray(v)) {
    if (v.length === 0) return 'an empty array';
    const kinds = [...new Set(v.map(kind))].map((k) => KINDS[k]?.[1] ?? k);
    return `an array of ${kinds.join(' and ')}`;
  }
  if (isObject(v)) {
    const keys = Object.keys(v);
    if (keys.length === 0) return 'an empty object';
    const shown = keys.slice(0, 6).map((k) => oneLine(JSON.stringify(k.length > 30 ? `${k.slice(0, 30)}...` : k)));
    return `an object without "value" or "values" (keys: ${shown.join(', ')}${keys.length > 6 ? ', ...' : ''})`;
  }
  return KINDS[kind(v)]?.[0] ?? typeof v;
}

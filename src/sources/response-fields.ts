/**
 * The fields of a response around its series: timespan, batch start and end times, interval (ISO 8601
 * or az CLI's timedelta), a batch entry's resource id, and an ARM error body's code and message.
 */
import { parseDuration } from '../core/duration.js';
import { parseTime } from '../core/time.js';
import { fail, found, isObject, oneLine, type Obj } from './response-messages.js';
import { toMillis } from './stamp-text.js';

export function readTimespan(v: unknown, place: string, origin: string): { start?: number; end?: number } {
  if (v === undefined || v === null) return {};
  if (typeof v === 'string') {
    const slash = v.indexOf('/');
    if (slash > 0) {
      const start = parseTime(v.slice(0, slash));
      const end = parseTime(v.slice(slash + 1));
      if (start !== undefined && end !== undefined) return { start, end };
    }
  }
  fail(origin, `${place} is not "start/end" in ISO 8601 (${found(v)})`);
}

export function readTimeField(entry: Obj, key: string, place: string, origin: string): number | undefined {
  const v = entry[key];
  if (v === undefined || v === null) return undefined;
  const t = toMillis(v);
  if (t !== t) fail(origin, `${place} is not a date (${found(v)})`);
  return t;
}

export function readInterval(v: unknown, place: string, origin: string): { interval?: string; intervalMs: number | null } {
  if (v === undefined || v === null) return { intervalMs: null };
  if (typeof v !== 'string') fail(origin, `${place} is not a string (${found(v)})`);
  if (v.trim().toUpperCase() === 'FULL') return { interval: v, intervalMs: null };
  return { interval: v, intervalMs: parseDuration(v) ?? parseTimedelta(v) ?? null };
}

const TIMEDELTA = /^(?:(\d+) days?, )?(\d+):(\d\d):(\d\d)$/;

/** az CLI writes intervals as Python timedeltas: "0:01:00", "1:00:00", "1 day, 0:00:00", "7 days, 0:00:00". */
export function parseTimedelta(text: string): number | undefined {
  const m = TIMEDELTA.exec(text.trim());
  if (!m) return undefined;
  const ms = (((Number(m[1] ?? 0) * 24 + Number(m[2])) * 60 + Number(m[3])) * 60 + Number(m[4])) * 1000;
  return ms > 0 ? ms : undefined;
}

/** A batch entry's resourceid: a non-empty string, or absent. */
export function readResourceId(v: unknown, place: string, origin: string): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') fail(origin, `${place} is not a string (${found(v)})`);
  const id = v.trim().replace(/\/+$/, '');
  return id === '' ? undefined : id;
}

export function requireString(v: unknown, place: string, origin: string): string {
  if (typeof v === 'string' && v !== '') return v;
  if (v === undefined || v === null || v === '') fail(origin, `${place} is missing`);
  fail(origin, `${place} is not a string (${found(v)})`);
}

/** "BadRequest: Failed to find metric configuration..." when the body is an ARM error, flat or wrapped. */
export function errorResponse(body: Obj): string | undefined {
  const e = isObject(body.error) ? body.error : body;
  if (typeof e.code === 'string' && typeof e.message === 'string') return oneLine(`${e.code}: ${e.message}`);
  if (isObject(body.error) && (typeof e.code === 'string' || typeof e.message === 'string')) {
    return oneLine(String(e.code ?? e.message));
  }
  return undefined;
}

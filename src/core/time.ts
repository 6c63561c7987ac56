/** Absolute times on the command line and in data: ISO 8601, always read as UTC unless an offset is given. */

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?$/i;

/** Milliseconds since the epoch, or undefined when the text is not an ISO 8601 date or date-time. */
export function parseTime(text: string): number | undefined {
  const t = text.trim();
  let iso: string;
  if (ISO_DATE.test(t)) iso = `${t}T00:00:00Z`;
  else if (ISO_DATE_TIME.test(t)) iso = /(?:Z|[+-]\d{2}:?\d{2})$/i.test(t) ? t.replace(' ', 'T') : `${t.replace(' ', 'T')}Z`;
  else return undefined;
  const ms = Date.parse(iso);
  // Date.parse rolls an impossible day over (2026-02-30 would be 2026-03-02): refuse it instead.
  return Number.isNaN(ms) || !isRealDate(t) ? undefined : ms;
}

/** Whether text starting YYYY-MM-DD names a day that exists (no February 30th, no April 31st). */
export function isRealDate(text: string): boolean {
  const y = Number(text.slice(0, 4));
  const mo = Number(text.slice(5, 7));
  const d = Number(text.slice(8, 10));
  return mo >= 1 && mo <= 12 && d >= 1 && d <= daysInMonth(y, mo);
}

export function daysInMonth(y: number, mo: number): number {
  if (mo === 2) return y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 29 : 28;
  return mo === 4 || mo === 6 || mo === 9 || mo === 11 ? 30 : 31;
}

/** 2026-01-07T13:00:00Z (seconds only when not zero, never milliseconds unless present). */
export function formatTime(ms: number): string {
  const minute = minuteText(ms);
  if (minute !== undefined) return `${minute}:00Z`;
  const s = new Date(ms).toISOString();
  return s.endsWith(':00.000Z') ? `${s.slice(0, 16)}:00Z` : s.replace(/\.000Z$/, 'Z');
}

/**
 * "2026-01-07T13:05" of a whole minute of 1970-9999 (every bucket of a query), else undefined: the
 * day's text is kept from the last call and the time of day written from numbers (a month of minutes
 * is 1.7 million calls).
 */
export function minuteText(ms: number): string | undefined {
  if (!(ms >= 0 && ms < YEAR_10000 && ms % MINUTE_MS === 0)) return undefined;
  const day = Math.floor(ms / DAY_MS);
  if (day !== lastDay) {
    lastDay = day;
    lastDayText = dayText(day);
  }
  const minutes = (ms - day * DAY_MS) / MINUTE_MS;
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return `${lastDayText}${h < 10 ? '0' : ''}${h}:${m < 10 ? '0' : ''}${m}`;
}

/**
 * "2026-01-07T" of a day since 1970-01-01 (0 to 2,932,896: years 1970 to 9999), by the civil-from-days
 * arithmetic of H. Hinnant's date algorithms: what toISOString writes, without the process's first
 * call to it (about a millisecond of start-up, for the table's header).
 */
function dayText(day: number): string {
  const z = day + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  return `${y}-${m < 10 ? '0' : ''}${m}-${d < 10 ? '0' : ''}${d}T`;
}

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
/** 10000-01-01T00:00:00Z: from there toISOString writes a six-digit year. */
const YEAR_10000 = 253_402_300_800_000;
let lastDay = Number.NaN;
/** "2026-01-07T" of lastDay. */
let lastDayText = '';

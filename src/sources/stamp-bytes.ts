/**
 * Timestamps read straight from bytes: the service's YYYY-MM-DDTHH:MM:SSZ and az CLI's +00:00 form,
 * as milliseconds, without a string (anything else is NaN, left to toMillis).
 */
import { daysInMonth } from '../core/time.js';
import { daysFromCivil } from './stamp-text.js';

/** YYYY-MM-DDTHH:MM:SSZ or ...+00:00 read from bytes as UTC; NaN for anything else (left to toMillis). */
export function stampOf(buf: Buffer, s: number, e: number): number {
  const ms = stampTime(buf, s, e);
  return ms < 0 ? NaN : lastDays * DAY_MS + ms;
}

const DAY_MS = 86_400_000;

/**
 * The same stamp as milliseconds into its day (its day is then stampDay()), or -1: two small
 * integers, which a call passes without a heap number (milliseconds since 1970 do not fit in one).
 */
export function stampTime(buf: Buffer, s: number, e: number): number {
  const n = e - s;
  if (n === 20) {
    if (buf[s + 19] !== 90) return -1;
  } else if (n === 25) {
    if (buf[s + 19] !== 43 || buf[s + 20] !== 48 || buf[s + 21] !== 48 || buf[s + 22] !== 58 || buf[s + 23] !== 48 || buf[s + 24] !== 48) return -1;
  } else return -1;
  if (buf[s + 4] !== 45 || buf[s + 7] !== 45 || buf[s + 10] !== 84 || buf[s + 13] !== 58 || buf[s + 16] !== 58) return -1;
  const h = d2(buf, s + 11);
  const mi = d2(buf, s + 14);
  const se = d2(buf, s + 17);
  if (!(h <= 23 && mi <= 59 && se <= 59)) return -1;
  // Consecutive points share their date: its ten bytes are compared (as three words read at once),
  // and read only when they change.
  const v = viewOf(buf);
  const w0 = v.getInt32(s, true);
  const w1 = v.getInt32(s + 4, true);
  const w2 = v.getUint16(s + 8, true);
  if (w0 !== lastW0 || w1 !== lastW1 || w2 !== lastW2) {
    const y = d2(buf, s) * 100 + d2(buf, s + 2);
    const mo = d2(buf, s + 5);
    const d = d2(buf, s + 8);
    if (!(y >= 0 && mo >= 1 && mo <= 12 && d >= 1)) return -1;
    if (d > 28 && d > daysInMonth(y, mo)) return -1;
    lastDays = daysFromCivil(y, mo, d);
    lastW0 = w0;
    lastW1 = w1;
    lastW2 = w2;
  }
  return (h * 60 + mi) * 60_000 + se * 1000;
}

/** The day (since 1970-01-01) of the last stamp stampTime read. */
export function stampDay(): number {
  return lastDays;
}

/**
 * The date (YYYY-MM-DD) of the last stamp read as three words (bytes 0-3, 4-7 and 8-9, little-endian),
 * and its day number; 0 never matches (a date read has digits there).
 */
let lastW0 = 0;
let lastW1 = 0;
let lastW2 = 0;
let lastDays = 0;

/** A DataView over a buffer's bytes (the last one asked for kept: a reader reads one chunk at a time). */
export function viewOf(buf: Buffer): DataView {
  if (buf !== lastBuf) {
    lastBuf = buf;
    lastView = new DataView(buf.buffer, buf.byteOffset, buf.length);
  }
  return lastView;
}

let lastBuf: Buffer | undefined;
let lastView: DataView = new DataView(new ArrayBuffer(0));

function d2(buf: Buffer, i: number): number {
  const a = buf[i]! - 48;
  const b = buf[i + 1]! - 48;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : NaN;
}

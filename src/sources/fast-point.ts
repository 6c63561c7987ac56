/**
 * A data point read straight from bytes into a PointSink, for the streaming reader (stream-reader.ts):
 * the position after its '}', NEED_MORE when the chunk ends inside it, or GENERIC when it is anything
 * but a flat object of known keys with valid values (the generic reader then reads it, and checkPoint
 * says what is wrong: a key given twice, a bad value, another key).
 *
 * Two readers: servicePoint, for the layout the service writes (no spaces, timeStamp first, whole
 * numbers, not near the end of the chunk), a fixed sequence of byte tests; and flatPoint for any
 * other flat point (spaces, any key order, fractions, az CLI's +00:00, a chunk's end).
 */
import { NEED_MORE, numberEnd } from './json-tokens.js';
import { K_AVERAGE, K_COUNT, K_MAXIMUM, K_MINIMUM, K_TIMESTAMP, K_TIMESTAMP_LOWER, K_TOTAL, KEY_BYTES, keyAt, UNKNOWN } from './point-keys.js';
import { toMillis } from './stamp-text.js';
import { stampDay, stampOf, stampTime, viewOf } from './stamp-bytes.js';
import type { Agg, PointSink } from './point-sink.js';

/** Not a flat point of known keys: read it the generic way. */
export const GENERIC = -2;

/** A point, by the service's layout when it has it, else by the general flat reader. */
export function readPoint(buf: Buffer, start: number, end: number, sink: PointSink): number {
  const q = servicePoint(buf, start, end, sink);
  return q !== GENERIC ? q : flatPoint(buf, start, end, sink);
}

/** Bytes a point in the service's layout takes at most (5 keys of whole numbers of 15 digits, a stamp). */
const SERVICE_ROOM = 256;

/**
 * {"timeStamp":"YYYY-MM-DDTHH:MM:SSZ","count":3,...}: the timestamp first, then aggregations of whole
 * numbers (up to 15 digits) or null, no spaces. GENERIC for anything else (also near the chunk's end,
 * so that no test reads past it).
 */
function servicePoint(buf: Buffer, start: number, end: number, sink: PointSink): number {
  if (end - start < SERVICE_ROOM) return GENERIC;
  let p = start + 1;
  // "timeStamp":" (three words) and the closing quote of a stamp of 20 characters.
  const view = viewOf(buf);
  if (
    view.getInt32(p, true) !== W_TIM ||
    view.getInt32(p + 4, true) !== W_ESTA ||
    view.getInt32(p + 8, true) !== W_MP ||
    buf[p + 12] !== 34 ||
    buf[p + 33] !== 34
  )
    return GENERIC;
  const ms = stampTime(buf, p + 13, p + 33);
  if (ms < 0) return GENERIC;
  p += 34;
  let c: Agg;
  let t: Agg;
  let a: Agg;
  let mn: Agg;
  let mx: Agg;
  let seen = 0;
  // The values' codes for the value table (ValueTable.indexOfCodes): 0 missing, 1 null, 2 + a whole
  // number below 1022; -1 for a larger one.
  let kc = 0;
  let kt = 0;
  let ka = 0;
  let kn = 0;
  let kx = 0;
  let b = buf[p]!;
  while (b === 44) {
    const key = serviceKey(view, p + 1);
    if (key === UNKNOWN || (seen & (1 << key)) !== 0) return GENERIC;
    seen |= 1 << key;
    p += KEY_SKIP[key]!; // ,"key":
    let v: Agg;
    let k: number;
    b = buf[p]!;
    if (b >= 48 && b <= 57) {
      let int = b - 48;
      const s = p++;
      if (int !== 0)
        while ((b = buf[p]!) >= 48 && b <= 57 && p - s < 15) {
          int = int * 10 + (b - 48);
          p++;
        }
      v = int;
      k = int < 1022 ? int + 2 : -1;
    } else if (b === 110 && buf[p + 1] === 117 && buf[p + 2] === 108 && buf[p + 3] === 108) {
      v = null;
      k = 1;
      p += 4;
    } else return GENERIC;
    if (key === K_COUNT) {
      c = v;
      kc = k;
    } else if (key === K_TOTAL) {
      t = v;
      kt = k;
    } else if (key === K_AVERAGE) {
      a = v;
      ka = k;
    } else if (key === K_MINIMUM) {
      mn = v;
      kn = k;
    } else {
      mx = v;
      kx = k;
    }
    // A fraction, an exponent, a 16th digit, a space: not this layout.
    b = buf[p]!;
  }
  if (b !== 125) return GENERIC;
  if ((kc | kt | ka | kn | kx) >= 0) sink.addDayCoded(stampDay(), ms, kc * 1024 + kt, (ka * 1024 + kn) * 1024 + kx, c, t, a, mn, mx);
  else sink.addDay(stampDay(), ms, c, t, a, mn, mx);
  return p + 1;
}

/** Four bytes of text as the little-endian word DataView.getInt32(at, true) reads. */
const word = (text: string): number => Buffer.from(text, 'latin1').readInt32LE(0);
const W_TIM = word('"tim');
const W_ESTA = word('eSta');
const W_MP = word('mp":');
const W_COU = word('"cou');
const W_NT = word('nt":');
const W_TOT = word('"tot');
const W_AL = word('al":');
const W_AVE = word('"ave');
const W_RAGE = word('rage');
const W_MIN = word('"min');
const W_MAX = word('"max');
const W_IMUM = word('imum');
/** `":` as the little-endian 16-bit word DataView.getUint16(at, true) reads. */
const H_END = 0x3a22;

/**
 * The aggregation key whose opening quote is at s, followed by `":`; UNKNOWN for anything else. The
 * key's bytes are compared four at a time (DataView words: two or three reads a key, ~10% of the scan).
 */
function serviceKey(v: DataView, s: number): number {
  const w = v.getInt32(s, true);
  if (w === W_COU) return v.getInt32(s + 4, true) === W_NT ? K_COUNT : UNKNOWN;
  if (w === W_TOT) return v.getInt32(s + 4, true) === W_AL ? K_TOTAL : UNKNOWN;
  let id: number;
  let second: number;
  if (w === W_AVE) {
    id = K_AVERAGE;
    second = W_RAGE;
  } else if (w === W_MIN) {
    id = K_MINIMUM;
    second = W_IMUM;
  } else if (w === W_MAX) {
    id = K_MAXIMUM;
    second = W_IMUM;
  } else return UNKNOWN;
  return v.getInt32(s + 4, true) === second && v.getUint16(s + 8, true) === H_END ? id : UNKNOWN;
}

/** Bytes from a key's comma to its value (,"key":), by key id. */
const KEY_SKIP = Int8Array.from(KEY_BYTES, (k) => k.length + 4);

/** Scratch for the readers' second result (a Float64Array: a number stored here needs no box). */
const scratch = new Float64Array(1);

/** Any flat point of known keys, with spaces anywhere and in any order (see the file's comment). */
function flatPoint(buf: Buffer, start: number, end: number, sink: PointSink): number {
  let p = start + 1;
  let ts: number | undefined;
  let tsLower: number | undefined;
  let c: Agg;
  let t: Agg;
  let a: Agg;
  let mn: Agg;
  let mx: Agg;
  let b = 0;
  // The keys seen, a bit each: a key given twice goes to the generic reader, which reports it.
  let seen = 0;
  for (;;) {
    while (p < end && ((b = buf[p]!) === 32 || b === 10 || b === 13 || b === 9)) p++;
    if (p >= end) return NEED_MORE;
    if (b !== 34) return GENERIC;
    // The key: a known one, without escapes.
    const ks = p + 1;
    const key = keyAt(buf, ks, end);
    if (key <= 0) return key === UNKNOWN ? GENERIC : NEED_MORE;
    if ((seen & (1 << key)) !== 0) return GENERIC;
    seen |= 1 << key;
    p = ks + KEY_BYTES[key]!.length + 1;
    while (p < end && ((b = buf[p]!) === 32 || b === 10 || b === 13 || b === 9)) p++;
    if (p >= end) return NEED_MORE;
    if (b !== 58) return GENERIC;
    p++;
    while (p < end && ((b = buf[p]!) === 32 || b === 10 || b === 13 || b === 9)) p++;
    if (p >= end) return NEED_MORE;
    if (key === K_TIMESTAMP || key === K_TIMESTAMP_LOWER) {
      p = stampValue(buf, p, end);
      if (p < 0) return p;
      if (key === K_TIMESTAMP) ts = scratch[0];
      else tsLower = scratch[0];
    } else {
      let v: Agg;
      if (b === 110) {
        if (end - p < 4) return NEED_MORE;
        if (buf[p + 1] !== 117 || buf[p + 2] !== 108 || buf[p + 3] !== 108) return GENERIC;
        v = null;
        p += 4;
      } else if (b >= 48 && b <= 57) {
        p = numberValue(buf, p, end);
        if (p < 0) return p;
        v = scratch[0];
      } else return GENERIC;
      if (key === K_COUNT) c = v;
      else if (key === K_TOTAL) t = v;
      else if (key === K_AVERAGE) a = v;
      else if (key === K_MINIMUM) mn = v;
      else mx = v;
    }
    while (p < end && ((b = buf[p]!) === 32 || b === 10 || b === 13 || b === 9)) p++;
    if (p >= end) return NEED_MORE;
    p++;
    if (b === 125) break;
    if (b !== 44) return GENERIC;
  }
  const stamp = ts ?? tsLower;
  if (stamp === undefined) return GENERIC;
  sink.add(stamp, c, t, a, mn, mx);
  return p;
}

/** A timestamp string at p (its opening quote): the position after it, its milliseconds in scratch[0]. */
function stampValue(buf: Buffer, p: number, end: number): number {
  if (buf[p] !== 34) return GENERIC;
  // The service's form (20 characters, checked by stampOf), else any other one.
  let e = p + 21;
  let ms = e < end && buf[e] === 34 ? stampOf(buf, p + 1, e) : NaN;
  if (ms !== ms) {
    e = p + 1;
    while (e < end && buf[e] !== 34 && buf[e] !== 92 && buf[e]! >= 32) e++;
    if (e >= end) return NEED_MORE;
    if (buf[e] !== 34) return GENERIC;
    ms = stampOf(buf, p + 1, e);
    if (ms !== ms) ms = toMillis(buf.toString('utf8', p + 1, e));
  }
  if (ms !== ms) return GENERIC;
  scratch[0] = ms;
  return e + 1;
}

/** A number not below zero at p (digits, maybe a fraction and an exponent): the position after it, its value in scratch[0]. */
function numberValue(buf: Buffer, p: number, end: number): number {
  const s = p;
  let b = buf[p]!;
  let int = 0;
  if (b === 48) p++;
  else
    while (p < end && (b = buf[p]!) >= 48 && b <= 57) {
      int = int * 10 + (b - 48);
      p++;
    }
  if (p >= end) return NEED_MORE;
  b = buf[p]!;
  if (b === 46 || b === 101 || b === 69 || p - s > 15) {
    let e: number;
    try {
      e = numberEnd(buf, s, end, false, 0);
    } catch {
      return GENERIC;
    }
    if (e === NEED_MORE) return NEED_MORE;
    const v = Number(buf.toString('latin1', s, e));
    if (v === Infinity) return GENERIC;
    scratch[0] = v;
    return e;
  }
  scratch[0] = int;
  return p;
}

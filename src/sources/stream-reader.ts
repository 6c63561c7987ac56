/**
 * A streaming JSON reader for Metrics API responses: bytes in, in chunks of any size, and out the same
 * value JSON.parse would give, except that the `data` array of every time series (an array under
 * `data` in an element of a `timeseries` array) is never built: its points are checked as they
 * arrive and kept as two columns, a ScannedPoints (see parse-response.ts), which readSeries takes
 * instead of an array. So a response of any size needs memory for its points' columns (16 bytes a
 * point) and its small skeleton, never for its text or its object tree.
 *
 * - Points are read by a fast path for flat objects ({"timeStamp": "...", "count": 3, ...}, with or
 *   without spaces, nulls, az CLI's +00:00); anything else in a data array (other keys, nesting,
 *   escapes, bad values) goes through the generic reader and checkPoint, as the old reader did. The
 *   first bad point of a series is kept, and readSeries reports it where the old reader would have,
 *   with the same message.
 * - Points with the same aggregations share one values object (most minutes of a month repeat).
 * - Resumable at any byte: a token cut by the end of a chunk is left unconsumed (feed returns how
 *   far it got) and read again with the next chunk appended.
 * - The JSON grammar is checked strictly (RFC 8259, as JSON.parse); a syntax error is a
 *   StreamSyntaxError with its byte position (the caller can re-read a small file with JSON.parse
 *   for V8's message).
 * - What the skeleton would take on the heap is estimated as it is built, and `budget` bounds it.
 */
import { daysInMonth } from '../core/time.js';
import { daysFromCivil, markDuplicate, POINT_KEYS, toMillis } from './parse-response.js';
import { type Agg, PointSink, ValueTable } from './point-sink.js';

export class StreamSyntaxError extends Error {
  constructor(
    readonly position: number,
    what: string,
  ) {
    super(`${what} at byte ${position}`);
  }
}

/** The estimated heap the parsed skeleton needs went over the budget. */
export class StreamBudgetError extends Error {
  constructor(readonly used: number) {
    super(`over budget (${used} bytes)`);
  }
}

// States: what the reader expects next.
const VALUE = 0; // a value (at the top, after ':', after ',' in an array)
const FIRST_KEY = 1; // a key or '}' (just after '{')
const KEY = 2; // a key (after ',' in an object)
const COLON = 3;
const OBJ_NEXT = 4; // ',' or '}'
const ARR_FIRST = 5; // a value or ']' (just after '[')
const ARR_NEXT = 6; // ',' or ']'
const END = 7; // only whitespace

// What a container is, for finding the data arrays.
const PLAIN = 0;
const TIMESERIES = 1; // an array under "timeseries"
const SERIES = 2; // an object in a TIMESERIES array
const DATA = 3; // an array under "data" in a SERIES object

interface Frame {
  readonly parent: Frame | undefined;
  /** The object or array being built; undefined for a DATA array. */
  readonly container: Record<string, unknown> | unknown[] | undefined;
  readonly tag: number;
  /** An object's pending key. */
  key: string;
  readonly sink: PointSink | undefined;
}

export class StreamReader {
  private state = VALUE;
  private top: Frame | undefined;
  private root: unknown;
  private done = false;
  /** Bytes consumed before the current chunk, for positions in messages. */
  private offset = 0;
  /** Estimated heap bytes of the skeleton and the columns. */
  used = 0;
  private readonly table = new ValueTable();

  constructor(private readonly budget = Infinity) {}

  /** The value read; call after the last feed (with final true) returned. */
  result(): unknown {
    return this.root;
  }

  /** Bytes read so far. */
  get position(): number {
    return this.offset;
  }

  /** Whether a whole value has been read (false for input of whitespace only). */
  get complete(): boolean {
    return this.done;
  }

  /**
   * Reads buf[start, end); returns how far it got: the bytes from there on (a token cut by the end)
   * must be given again, with more after them. With final, the input ends at end.
   */
  feed(buf: Buffer, start: number, end: number, final: boolean): number {
    let p = start;
    const base = this.offset - start;
    try {
      for (;;) {
        if (this.used > this.budget) throw new StreamBudgetError(this.used);
        // Whitespace
        while (p < end) {
          const b = buf[p]!;
          if (b === 32 || b === 10 || b === 13 || b === 9) p++;
          else break;
        }
        if (p >= end) break;
        const b = buf[p]!;
        const state = this.state;
        if (state === VALUE || state === ARR_FIRST) {
          if (state === ARR_FIRST && b === 93) {
            p++;
            this.close();
            continue;
          }
          const frame = this.top;
          if (b === 123 && frame !== undefined && frame.tag === DATA) {
            const sink = frame.sink!;
            let q = this.fastPoint(buf, p, end, sink);
            if (q > 0) {
              // The next points, while they follow as `,{` (the common layout), without the state machine.
              while (q + 1 < end && buf[q] === 44 && buf[q + 1] === 123 && this.used <= this.budget) {
                const r = this.fastPoint(buf, q + 1, end, sink);
                if (r < 0) {
                  // Read again from the comma, in the state after a point.
                  break;
                }
                q = r;
              }
              p = q;
              this.state = ARR_NEXT;
              continue;
            }
            if (q === NEED_MORE && !final) break;
            // else: read it the generic way
          }
          if (b === 123) {
            this.open(false);
            p++;
            this.state = FIRST_KEY;
          } else if (b === 91) {
            this.open(true);
            p++;
            this.state = ARR_FIRST;
          } else if (b === 34) {
            const q = stringEnd(buf, p, end);
            if (q < 0) {
              if (final) throw new StreamSyntaxError(base + end, 'unterminated string');
              break;
            }
            const s = decodeString(buf, p, q, base);
            this.used += s.length * 2 + 24;
            p = q + 1;
            this.emit(s);
          } else if (b === 116 || b === 102 || b === 110) {
            const word = b === 116 ? TRUE : b === 102 ? FALSE : NULL;
            const avail = Math.min(end - p, word.length);
            for (let i = 1; i < avail; i++) if (buf[p + i] !== word[i]) throw new StreamSyntaxError(base + p + i, 'unexpected character');
            if (avail < word.length) {
              if (final) throw new StreamSyntaxError(base + end, 'unexpected end');
              break;
            }
            p += word.length;
            this.emit(b === 116 ? true : b === 102 ? false : null);
          } else if (b === 45 || (b >= 48 && b <= 57)) {
            const q = numberEnd(buf, p, end, final, base);
            if (q < 0) break;
            const v = Number(buf.toString('latin1', p, q));
            p = q;
            this.emit(v);
          } else throw new StreamSyntaxError(base + p, 'unexpected character');
        } else if (state === FIRST_KEY || state === KEY) {
          if (b === 125 && state === FIRST_KEY) {
            p++;
            this.close();
            continue;
          }
          if (b !== 34) throw new StreamSyntaxError(base + p, 'expected a key');
          const q = stringEnd(buf, p, end);
          if (q < 0) {
            if (final) throw new StreamSyntaxError(base + end, 'unterminated string');
            break;
          }
          this.top!.key = decodeString(buf, p, q, base);
          this.used += 16;
          p = q + 1;
          this.state = COLON;
        } else if (state === COLON) {
          if (b !== 58) throw new StreamSyntaxError(base + p, "expected ':'");
          p++;
          this.state = VALUE;
        } else if (state === OBJ_NEXT) {
          p++;
          if (b === 44) this.state = KEY;
          else if (b === 125) this.close();
          else throw new StreamSyntaxError(base + p - 1, "expected ',' or '}'");
        } else if (state === ARR_NEXT) {
          p++;
          if (b === 44) this.state = VALUE;
          else if (b === 93) this.close();
          else throw new StreamSyntaxError(base + p - 1, "expected ',' or ']'");
        } else {
          throw new StreamSyntaxError(base + p, 'unexpected character after the end');
        }
      }
    } finally {
      this.offset = base + p;
    }
    if (final && !this.done && (this.top !== undefined || p < end)) throw new StreamSyntaxError(base + end, 'unexpected end');
    return p;
  }

  private open(array: boolean): void {
    const parent = this.top;
    let tag = PLAIN;
    if (array && parent !== undefined && parent.container !== undefined && !Array.isArray(parent.container)) {
      if (parent.key === 'timeseries') tag = TIMESERIES;
      else if (parent.key === 'data' && parent.tag === SERIES) tag = DATA;
    } else if (!array && parent !== undefined && parent.tag === TIMESERIES) tag = SERIES;
    if (tag === DATA) {
      this.top = { parent, container: undefined, tag, key: '', sink: new PointSink(this.table) };
      return;
    }
    this.used += array ? 32 : 56;
    this.top = { parent, container: array ? [] : {}, tag, key: '', sink: undefined };
  }

  private close(): void {
    const frame = this.top!;
    this.top = frame.parent;
    this.emit(frame.sink !== undefined ? frame.sink.finish() : frame.container);
  }

  private emit(v: unknown): void {
    const frame = this.top;
    if (frame === undefined) {
      this.root = v;
      this.done = true;
      this.state = END;
      return;
    }
    const c = frame.container;
    if (c === undefined) {
      frame.sink!.addGeneric(v);
      this.state = ARR_NEXT;
    } else if (Array.isArray(c)) {
      c.push(v);
      this.used += 8;
      this.state = ARR_NEXT;
    } else {
      const k = frame.key;
      // A key given twice in a data point: marked, and reported as checkPoint reports a bad point.
      if (frame.parent?.tag === DATA && POINT_KEYS.has(k) && Object.hasOwn(c, k)) markDuplicate(c, { key: k, first: JSON.stringify(c[k]) ?? 'undefined', second: JSON.stringify(v) ?? 'undefined' });
      if (k === '__proto__') Object.defineProperty(c, k, { value: v, enumerable: true, writable: true, configurable: true });
      else c[k] = v;
      this.state = OBJ_NEXT;
    }
  }

  /**
   * A flat data point read straight into the sink: the position after its '}', NEED_MORE when the
   * chunk ends inside it, or GENERIC when it is anything but a flat object of known keys with valid
   * values (the generic reader then reads it, and checkPoint says what is wrong).
   */
  private fastPoint(buf: Buffer, start: number, end: number, sink: PointSink): number {
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
        if (b !== 34) return GENERIC;
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
        if (key === K_TIMESTAMP) ts = ms;
        else tsLower = ms;
        p = e + 1;
      } else {
        let v: number | null;
        if (b === 110) {
          if (end - p < 4) return NEED_MORE;
          if (buf[p + 1] !== 117 || buf[p + 2] !== 108 || buf[p + 3] !== 108) return GENERIC;
          v = null;
          p += 4;
        } else if (b >= 48 && b <= 57) {
          // A number not below zero: digits, maybe a fraction and an exponent.
          const s = p;
          let int = 0;
          if (b === 48) p++;
          else while (p < end && (b = buf[p]!) >= 48 && b <= 57) {
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
            p = e;
            v = Number(buf.toString('latin1', s, e));
            if (v === Infinity) return GENERIC;
          } else v = int;
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
    this.used += 2;
    return p;
  }
}

const NEED_MORE = -1;
const GENERIC = -2;

const TRUE = Buffer.from('true');
const FALSE = Buffer.from('false');
const NULL = Buffer.from('null');

const UNKNOWN = 0;
const K_TIMESTAMP = 1;
const K_TIMESTAMP_LOWER = 2;
const K_COUNT = 3;
const K_TOTAL = 4;
const K_AVERAGE = 5;
const K_MINIMUM = 6;
const K_MAXIMUM = 7;

/**
 * Which aggregation key (or timestamp) starts at s and is followed by its closing quote; UNKNOWN for
 * any other key (or one with escapes), NEED_MORE (-1) when the chunk ends first.
 */
function keyAt(buf: Buffer, s: number, end: number): number {
  if (s + 10 >= end) {
    // Near the end of the chunk: find the quote first.
    let q = s;
    while (q < end && buf[q] !== 34 && buf[q] !== 92) q++;
    if (q >= end) return NEED_MORE;
    return buf[q] === 92 ? UNKNOWN : keyOf(buf, s, q);
  }
  const b0 = buf[s];
  let n: number;
  if (b0 === 99) n = 5;
  else if (b0 === 116) n = buf[s + 1] === 111 ? 5 : 9;
  else if (b0 === 97 || b0 === 109) n = 7;
  else return UNKNOWN;
  return buf[s + n] === 34 ? keyOf(buf, s, s + n) : UNKNOWN;
}

/** Which aggregation key (or timestamp) the bytes s..e spell, UNKNOWN for any other key. */
function keyOf(buf: Buffer, s: number, e: number): number {
  const n = e - s;
  const b0 = buf[s];
  let id = UNKNOWN;
  if (n === 9) {
    if (b0 === 116) id = buf[s + 4] === 83 ? K_TIMESTAMP : K_TIMESTAMP_LOWER;
  } else if (n === 5) {
    if (b0 === 99) id = K_COUNT;
    else if (b0 === 116) id = K_TOTAL;
  } else if (n === 7) {
    if (b0 === 97) id = K_AVERAGE;
    else if (b0 === 109) id = buf[s + 1] === 105 ? K_MINIMUM : K_MAXIMUM;
  }
  if (id === UNKNOWN) return UNKNOWN;
  const want = KEY_BYTES[id]!;
  for (let i = 1; i < n; i++) if (buf[s + i] !== want[i]) return UNKNOWN;
  return id;
}

const KEY_TIMESTAMP = Buffer.from('timeStamp');
const KEY_TIMESTAMP_LOWER = Buffer.from('timestamp');
const KEY_COUNT = Buffer.from('count');
const KEY_TOTAL = Buffer.from('total');
const KEY_AVERAGE = Buffer.from('average');
const KEY_MINIMUM = Buffer.from('minimum');
const KEY_MAXIMUM = Buffer.from('maximum');
const KEY_BYTES = [KEY_TIMESTAMP, KEY_TIMESTAMP, KEY_TIMESTAMP_LOWER, KEY_COUNT, KEY_TOTAL, KEY_AVERAGE, KEY_MINIMUM, KEY_MAXIMUM];

/** Position of the closing quote of the string starting at p (its opening quote), or -1 when the chunk ends first. */
function stringEnd(buf: Buffer, p: number, end: number): number {
  for (let q = p + 1; q < end; q++) {
    const b = buf[q]!;
    if (b === 34) return q;
    if (b === 92) q++;
  }
  return -1;
}

/** The text of the string between quotes at s and e; its escapes and control characters checked as JSON.parse does. */
function decodeString(buf: Buffer, s: number, e: number, base: number): string {
  let escaped = false;
  for (let q = s + 1; q < e; q++) {
    const b = buf[q]!;
    if (b < 32) throw new StreamSyntaxError(base + q, 'control character in a string');
    if (b === 92) escaped = true;
  }
  if (!escaped) return buf.toString('utf8', s + 1, e);
  try {
    return JSON.parse(buf.toString('utf8', s, e + 1)) as string;
  } catch {
    throw new StreamSyntaxError(base + s, 'bad escape in a string');
  }
}

/** The end of the number at p (JSON's grammar), NEED_MORE when the chunk may cut it, or a syntax error. */
function numberEnd(buf: Buffer, p: number, end: number, final: boolean, base: number): number {
  const bad = (q: number): never => {
    throw new StreamSyntaxError(base + q, 'bad number');
  };
  let q = p;
  if (buf[q] === 45) q++;
  if (q >= end) return final ? bad(q) : NEED_MORE;
  if (buf[q] === 48) q++;
  else if (buf[q]! >= 49 && buf[q]! <= 57) while (q < end && buf[q]! >= 48 && buf[q]! <= 57) q++;
  else bad(q);
  if (q < end && buf[q] === 46) {
    q++;
    const d = q;
    while (q < end && buf[q]! >= 48 && buf[q]! <= 57) q++;
    if (q === d && q < end) bad(q);
    if (q === d) return final ? bad(q) : NEED_MORE;
  }
  if (q < end && (buf[q] === 101 || buf[q] === 69)) {
    q++;
    if (q < end && (buf[q] === 43 || buf[q] === 45)) q++;
    const d = q;
    while (q < end && buf[q]! >= 48 && buf[q]! <= 57) q++;
    if (q === d && q < end) bad(q);
    if (q === d) return final ? bad(q) : NEED_MORE;
  }
  if (q >= end) return final ? q : NEED_MORE;
  return q;
}

/** YYYY-MM-DDTHH:MM:SSZ or ...+00:00 read from bytes as UTC; NaN for anything else (left to toMillis). */
function stampOf(buf: Buffer, s: number, e: number): number {
  const n = e - s;
  if (n === 20) {
    if (buf[s + 19] !== 90) return NaN;
  } else if (n === 25) {
    if (buf[s + 19] !== 43 || buf[s + 20] !== 48 || buf[s + 21] !== 48 || buf[s + 22] !== 58 || buf[s + 23] !== 48 || buf[s + 24] !== 48) return NaN;
  } else return NaN;
  if (buf[s + 4] !== 45 || buf[s + 7] !== 45 || buf[s + 10] !== 84 || buf[s + 13] !== 58 || buf[s + 16] !== 58) return NaN;
  const h = d2(buf, s + 11);
  const mi = d2(buf, s + 14);
  const se = d2(buf, s + 17);
  if (!(h <= 23 && mi <= 59 && se <= 59)) return NaN;
  // Consecutive points share their date: its ten bytes are compared, and read only when they change.
  const last = lastDateBytes;
  if (
    buf[s] !== last[0] || buf[s + 1] !== last[1] || buf[s + 2] !== last[2] || buf[s + 3] !== last[3] ||
    buf[s + 5] !== last[5] || buf[s + 6] !== last[6] || buf[s + 8] !== last[8] || buf[s + 9] !== last[9]
  ) {
    const y = d2(buf, s) * 100 + d2(buf, s + 2);
    const mo = d2(buf, s + 5);
    const d = d2(buf, s + 8);
    if (!(y >= 0 && mo >= 1 && mo <= 12 && d >= 1)) return NaN;
    if (d > 28 && d > daysInMonth(y, mo)) return NaN;
    lastDays = daysFromCivil(y, mo, d);
    buf.copy(last, 0, s, s + 10);
  }
  return ((lastDays * 24 + h) * 60 + mi) * 60_000 + se * 1000;
}

/** The date (YYYY-MM-DD) of the last stamp read, and its day number; 0xff never matches a digit. */
const lastDateBytes = new Uint8Array(10).fill(0xff);
let lastDays = 0;

function d2(buf: Buffer, i: number): number {
  const a = buf[i]! - 48;
  const b = buf[i + 1]! - 48;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : NaN;
}

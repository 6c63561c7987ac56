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
 *
 * The pieces: json-tokens.ts (strings, numbers, errors), fast-point.ts (a point from bytes, with
 * point-keys.ts and stamp-bytes.ts), point-sink.ts (the columns).
 */
import { readPoint } from './fast-point.js';
import { decodeString, FALSE, NEED_MORE, NULL, numberEnd, StreamBudgetError, StreamSyntaxError, stringEnd, TRUE } from './json-tokens.js';
import { markDuplicate, POINT_KEYS } from './point-check.js';
import { PointSink, ValueTable } from './point-sink.js';

export { StreamBudgetError, StreamSyntaxError } from './json-tokens.js';

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
        const state = this.state;
        const q = state === VALUE || state === ARR_FIRST ? this.value(buf, p, end, final, base) : this.punctuation(buf, p, end, final, base);
        if (q < 0) break;
        p = q;
      }
    } finally {
      this.offset = base + p;
    }
    if (final && !this.done && (this.top !== undefined || p < end)) throw new StreamSyntaxError(base + end, 'unexpected end');
    return p;
  }

  /** A value (or the ']' of an empty array) at p: the position after it, or NEED_MORE. */
  private value(buf: Buffer, p: number, end: number, final: boolean, base: number): number {
    const b = buf[p]!;
    if (this.state === ARR_FIRST && b === 93) {
      this.close();
      return p + 1;
    }
    const frame = this.top;
    if (b === 123 && frame !== undefined && frame.tag === DATA) {
      const q = this.points(buf, p, end, frame.sink!);
      if (q >= 0) return q;
      if (q === NEED_MORE && !final) return NEED_MORE;
      // else: read it the generic way
    }
    if (b === 123) {
      this.open(false);
      this.state = FIRST_KEY;
      return p + 1;
    }
    if (b === 91) {
      this.open(true);
      this.state = ARR_FIRST;
      return p + 1;
    }
    if (b === 34) {
      const q = stringEnd(buf, p, end);
      if (q < 0) {
        if (final) throw new StreamSyntaxError(base + end, 'unterminated string');
        return NEED_MORE;
      }
      const s = decodeString(buf, p, q, base);
      this.used += s.length * 2 + 24;
      this.emit(s);
      return q + 1;
    }
    if (b === 116 || b === 102 || b === 110) return this.literal(buf, p, end, final, base);
    if (b === 45 || (b >= 48 && b <= 57)) {
      const q = numberEnd(buf, p, end, final, base);
      if (q < 0) return NEED_MORE;
      this.emit(Number(buf.toString('latin1', p, q)));
      return q;
    }
    throw new StreamSyntaxError(base + p, 'unexpected character');
  }

  /**
   * Points of a data array from the '{' at p, read from bytes while they follow as `,{` (the common
   * layout), without the state machine: the position after the last one read, or (when the first
   * one is not a flat point) NEED_MORE or GENERIC.
   */
  private points(buf: Buffer, p: number, end: number, sink: PointSink): number {
    let q = readPoint(buf, p, end, sink);
    if (q < 0) return q;
    let n = 1;
    while (q + 1 < end && buf[q] === 44 && buf[q + 1] === 123 && this.used + n * 2 <= this.budget) {
      const r = readPoint(buf, q + 1, end, sink);
      // Not a flat point: read again from the comma, in the state after a point.
      if (r < 0) break;
      q = r;
      n++;
    }
    this.used += n * 2;
    this.state = ARR_NEXT;
    return q;
  }

  /** true, false or null at p: the position after it, or NEED_MORE. */
  private literal(buf: Buffer, p: number, end: number, final: boolean, base: number): number {
    const b = buf[p]!;
    const word = b === 116 ? TRUE : b === 102 ? FALSE : NULL;
    const avail = Math.min(end - p, word.length);
    for (let i = 1; i < avail; i++) if (buf[p + i] !== word[i]) throw new StreamSyntaxError(base + p + i, 'unexpected character');
    if (avail < word.length) {
      if (final) throw new StreamSyntaxError(base + end, 'unexpected end');
      return NEED_MORE;
    }
    this.emit(b === 116 ? true : b === 102 ? false : null);
    return p + word.length;
  }

  /** What follows a value or opens an object: a key, ':', ',', '}' or ']' at p; the position after it, or NEED_MORE. */
  private punctuation(buf: Buffer, p: number, end: number, final: boolean, base: number): number {
    const b = buf[p]!;
    const state = this.state;
    if (state === FIRST_KEY || state === KEY) {
      if (b === 125 && state === FIRST_KEY) {
        this.close();
        return p + 1;
      }
      if (b !== 34) throw new StreamSyntaxError(base + p, 'expected a key');
      const q = stringEnd(buf, p, end);
      if (q < 0) {
        if (final) throw new StreamSyntaxError(base + end, 'unterminated string');
        return NEED_MORE;
      }
      this.top!.key = decodeString(buf, p, q, base);
      this.used += 16;
      this.state = COLON;
      return q + 1;
    }
    if (state === COLON) {
      if (b !== 58) throw new StreamSyntaxError(base + p, "expected ':'");
      this.state = VALUE;
    } else if (state === OBJ_NEXT) {
      if (b === 44) this.state = KEY;
      else if (b === 125) this.close();
      else throw new StreamSyntaxError(base + p, "expected ',' or '}'");
    } else if (state === ARR_NEXT) {
      if (b === 44) this.state = VALUE;
      else if (b === 93) this.close();
      else throw new StreamSyntaxError(base + p, "expected ',' or ']'");
    } else throw new StreamSyntaxError(base + p, 'unexpected character after the end');
    return p + 1;
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
      if (frame.parent?.tag === DATA && POINT_KEYS.has(k) && Object.hasOwn(c, k))
        markDuplicate(c, { key: k, first: JSON.stringify(c[k]) ?? 'undefined', second: JSON.stringify(v) ?? 'undefined' });
      if (k === '__proto__') Object.defineProperty(c, k, { value: v, enumerable: true, writable: true, configurable: true });
      else c[k] = v;
      this.state = OBJ_NEXT;
    }
  }
}

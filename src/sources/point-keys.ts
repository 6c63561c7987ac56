/**
 * The keys of a data point (its timestamp and the five aggregations) recognised in bytes, without a
 * string: an id per key, UNKNOWN for any other.
 */
import { NEED_MORE } from './json-tokens.js';

export const UNKNOWN = 0;
export const K_TIMESTAMP = 1;
export const K_TIMESTAMP_LOWER = 2;
export const K_COUNT = 3;
export const K_TOTAL = 4;
export const K_AVERAGE = 5;
export const K_MINIMUM = 6;
export const K_MAXIMUM = 7;

/**
 * Which aggregation key (or timestamp) starts at s and is followed by its closing quote; UNKNOWN for
 * any other key (or one with escapes), NEED_MORE (-1) when the chunk ends first.
 */
export function keyAt(buf: Buffer, s: number, end: number): number {
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
export const KEY_BYTES = [KEY_TIMESTAMP, KEY_TIMESTAMP, KEY_TIMESTAMP_LOWER, KEY_COUNT, KEY_TOTAL, KEY_AVERAGE, KEY_MINIMUM, KEY_MAXIMUM];

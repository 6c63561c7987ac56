/**
 * JSON tokens read from bytes, for the streaming reader: its errors (a syntax error with its byte
 * position, a budget gone over), the end of a string or a number (or NEED_MORE when the chunk may cut
 * it), a string's text (escapes checked as JSON.parse checks them) and the literals.
 */

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

/** A token (or a point) runs past the end of the chunk: read it again with more bytes. */
export const NEED_MORE = -1;

export const TRUE = Buffer.from('true');
export const FALSE = Buffer.from('false');
export const NULL = Buffer.from('null');

/** Position of the closing quote of the string starting at p (its opening quote), or -1 when the chunk ends first. */
export function stringEnd(buf: Buffer, p: number, end: number): number {
  for (let q = p + 1; q < end; q++) {
    const b = buf[q]!;
    if (b === 34) return q;
    if (b === 92) q++;
  }
  return -1;
}

/** The text of the string between quotes at s and e; its escapes and control characters checked as JSON.parse does. */
export function decodeString(buf: Buffer, s: number, e: number, base: number): string {
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
export function numberEnd(buf: Buffer, p: number, end: number, final: boolean, base: number): number {
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

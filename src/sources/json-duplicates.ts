/**
 * Keys given twice in one JSON object, which JSON.parse resolves silently (the last one wins): a
 * rules file with `maxErrorRate` twice, a data point with two `count` values. A walk over text that
 * JSON.parse has already accepted; linear, with an explicit stack (no recursion depth limit).
 */

export interface DuplicateKey {
  /** Where the object is: keys and array indexes from the top. */
  readonly path: readonly (string | number)[];
  readonly key: string;
  /** The two values as written (containers as {…} and […]). */
  readonly first: string;
  readonly second: string;
  /** Line and column (1-based) of the second key. */
  readonly line: number;
  readonly column: number;
}

interface ObjFrame {
  readonly kind: 'obj';
  readonly values: Map<string, string>;
  key: string;
  keyAt: number;
}
interface ArrFrame {
  readonly kind: 'arr';
  index: number;
}
type Frame = ObjFrame | ArrFrame;

const isSpace = (c: number): boolean => c === 32 || c === 10 || c === 13 || c === 9;

/** The end (after the closing quote) of the string whose opening quote is at i. */
function stringEnd(text: string, i: number): number {
  for (let j = i + 1; j < text.length; j++) {
    const c = text.charCodeAt(j);
    if (c === 92) j++;
    else if (c === 34) return j + 1;
  }
  return text.length;
}

const decode = (raw: string): string => (raw.includes('\\') ? (JSON.parse(raw) as string) : raw.slice(1, -1));

/** Line and column (1-based) of an offset. */
function lineColumn(text: string, at: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < at; i = text.indexOf('\n', i + 1)) {
    line++;
    start = i + 1;
  }
  return { line, column: at - start + 1 };
}

/** Every key given twice in an object of the (valid) JSON text, up to `limit` of them, in text order. */
export function findDuplicateKeys(text: string, limit = 100): DuplicateKey[] {
  const out: DuplicateKey[] = [];
  const stack: Frame[] = [];
  const path = (): (string | number)[] => stack.map((f) => (f.kind === 'obj' ? f.key : f.index));
  // A value ended (raw: its text, or {…}/[…] for a container): recorded under the key of its object.
  const ended = (raw: string): void => {
    const top = stack[stack.length - 1];
    if (top === undefined || top.kind === 'arr') return;
    const before = top.values.get(top.key);
    if (before !== undefined && out.length < limit) {
      const at = lineColumn(text, top.keyAt);
      out.push({ path: path().slice(0, -1), key: top.key, first: before, second: raw, ...at });
    } else if (before === undefined) top.values.set(top.key, raw);
  };
  let i = 0;
  let expectKey = false;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (isSpace(c) || c === 58) {
      i++;
    } else if (c === 44) {
      const top = stack[stack.length - 1];
      if (top?.kind === 'arr') top.index++;
      else expectKey = true;
      i++;
    } else if (c === 123) {
      stack.push({ kind: 'obj', values: new Map(), key: '', keyAt: i });
      expectKey = true;
      i++;
    } else if (c === 91) {
      stack.push({ kind: 'arr', index: 0 });
      expectKey = false;
      i++;
    } else if (c === 125 || c === 93) {
      stack.pop();
      ended(c === 125 ? '{…}' : '[…]');
      expectKey = false;
      i++;
    } else if (c === 34) {
      const end = stringEnd(text, i);
      const raw = text.slice(i, end);
      const top = stack[stack.length - 1];
      if (expectKey && top?.kind === 'obj') {
        top.key = decode(raw);
        top.keyAt = i;
        expectKey = false;
      } else ended(raw);
      i = end;
    } else {
      let j = i;
      while (j < text.length && !isSpace(text.charCodeAt(j)) && ',]}'.indexOf(text[j]!) === -1) j++;
      ended(text.slice(i, j));
      i = j;
    }
  }
  return out;
}

/** A path as the messages write it: rules[0].maxErrorRate, value[2].timeseries[0].data[5]. */
export function pathText(path: readonly (string | number)[]): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : /^[A-Za-z_$][\w$]*$/.test(p) ? `${out === '' ? '' : '.'}${p}` : `[${JSON.stringify(p)}]`;
  return out;
}

/**
 * The emulator's reading of a Metrics `$filter`: `A eq 'x' and (B eq 'y' or B eq 'z') and C eq '*'`.
 * `or` may join values of one dimension only, as the service requires; anything else is a 400.
 */

export interface Condition {
  /** Dimension name as written (any case). */
  readonly dimension: string;
  /** Accepted values; undefined for `eq '*'` (split, any value). */
  readonly values?: readonly string[];
}

type Token = { kind: 'word'; text: string } | { kind: 'string'; text: string } | { kind: '(' } | { kind: ')' };

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === ' ' || c === '\t') {
      i++;
    } else if (c === '(' || c === ')') {
      tokens.push({ kind: c });
      i++;
    } else if (c === "'") {
      let value = '';
      i++;
      for (;;) {
        if (i >= text.length) throw new Error('unterminated string literal');
        if (text[i] === "'") {
          if (text[i + 1] === "'") {
            value += "'";
            i += 2;
            continue;
          }
          i++;
          break;
        }
        value += text[i++];
      }
      tokens.push({ kind: 'string', text: value });
    } else {
      const m = /^[^\s()']+/.exec(text.slice(i))!;
      tokens.push({ kind: 'word', text: m[0] });
      i += m[0].length;
    }
  }
  return tokens;
}

/** The conditions of a filter, one per dimension. Throws Error with a message for the 400 body. */
export function parseFilter(text: string): Condition[] {
  const tokens = tokenize(text);
  let pos = 0;
  const peekWord = (w: string): boolean => {
    const t = tokens[pos];
    return t?.kind === 'word' && t.text.toLowerCase() === w;
  };
  const comparison = (): { dimension: string; value: string } => {
    const dim = tokens[pos++];
    const op = tokens[pos++];
    const val = tokens[pos++];
    if (dim?.kind !== 'word' || op?.kind !== 'word' || val?.kind !== 'string') throw new Error(`The $filter is not valid: ${text}`);
    if (op.text.toLowerCase() !== 'eq') throw new Error(`The emulator supports only eq: ${text}`);
    return { dimension: dim.text, value: val.text };
  };
  const disjunction = (): Condition => {
    const parens = tokens[pos]?.kind === '(';
    if (parens) pos++;
    const first = comparison();
    const values = [first.value];
    while (peekWord('or')) {
      pos++;
      const next = comparison();
      if (next.dimension.toLowerCase() !== first.dimension.toLowerCase()) {
        throw new Error(`The logical or operator cannot separate two different metadata names: ${first.dimension}, ${next.dimension}`);
      }
      values.push(next.value);
    }
    if (parens) {
      if (tokens[pos]?.kind !== ')') throw new Error(`The $filter is not valid: ${text}`);
      pos++;
    }
    if (values.includes('*')) return { dimension: first.dimension };
    return { dimension: first.dimension, values };
  };
  const out: Condition[] = [disjunction()];
  while (pos < tokens.length) {
    if (!peekWord('and')) throw new Error(`The $filter is not valid: ${text}`);
    pos++;
    out.push(disjunction());
  }
  const names = out.map((c) => c.dimension.toLowerCase());
  if (new Set(names).size !== names.length) throw new Error(`A dimension appears more than once in the $filter: ${text}`);
  return out;
}

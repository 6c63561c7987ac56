/**
 * The thresholds of change rules, as typed on the command line or in a rules file:
 * percentage points (0.5pp), a ratio (2x), a percent of the baseline (50%), a confidence (95%).
 * Each returns the value or a one-line reason (the caller names the flag or the place).
 */
export type Parsed = { readonly value: number } | { readonly error: string };

const NUMBER = /^(\d+(?:\.\d*)?|\.\d+)$/;

function split(input: string | number, suffix: RegExp): { n: number; suffixed: boolean } | undefined {
  const text = typeof input === 'number' ? String(input) : input.trim();
  const m = suffix.exec(text);
  const body = m ? text.slice(0, m.index).trim() : text;
  if (!NUMBER.test(body)) return undefined;
  return { n: Number(body), suffixed: m !== null };
}

/** "0.5pp": an error-rate increase in percentage points, as a fraction (0.005). */
export function parsePoints(input: string | number): Parsed {
  const s = split(input, /pp$/i);
  if (!s || !s.suffixed) return { error: 'expected percentage points such as 0.5pp (0.5pp: from 1.0% to 1.5%)' };
  if (!(s.n > 0 && s.n <= 100)) return { error: 'expected more than 0pp and at most 100pp' };
  return { value: s.n / 100 };
}

/** "2x" or 2: a ratio of error rates, above 1. */
export function parseTimes(input: string | number): Parsed {
  const s = split(input, /x$/i);
  if (!s) return { error: 'expected a ratio such as 2x (the error rate doubled)' };
  if (!(s.n > 1)) return { error: 'expected a ratio above 1x, such as 1.5x or 2x' };
  return { value: s.n };
}

/** "50%": a change of traffic as a fraction of the baseline (0.5); a drop is at most 100%. */
export function parseChangePercent(input: string | number, kind: 'drop' | 'rise'): Parsed {
  const s = split(input, /%$/);
  if (!s || !s.suffixed) return { error: `expected a percent of the baseline's requests such as ${kind === 'drop' ? '50%' : '300%'}` };
  if (!(s.n > 0)) return { error: `expected a ${kind} of more than 0%` };
  if (kind === 'drop' && s.n >= 100) return { error: 'a drop of 100% or more cannot be exceeded: use at most 99.9%' };
  return { value: s.n / 100 };
}

/** "95%", "99%" or 0.95: the confidence of the significance tests, from 50% to below 100%. */
export function parseConfidence(input: string | number): Parsed {
  const s = split(input, /%$/);
  if (!s) return { error: 'expected a confidence such as 95% or 0.99' };
  const v = s.suffixed ? s.n / 100 : s.n;
  if (!(v >= 0.5 && v < 1)) return { error: 'expected a confidence from 50% to below 100%, such as 95% or 99%' };
  return { value: v };
}

export const isParsed = (p: Parsed): p is { readonly value: number } => 'value' in p;

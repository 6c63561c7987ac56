/**
 * Numbers in a rules file that a double cannot hold: `1e-400` reads as 0 and `1e400` as Infinity, so
 * `"maxErrorRate": 1e-400` would silently be a 0% gate. They are found in the file's text (JSON is read
 * with the YAML parser too, which keeps each scalar's source) and refused like the same text as a
 * string or a flag.
 */
import type { Document } from 'yaml';
import { isRate, parseRate } from '../core/gate.js';
import { UsageError } from '../errors.js';

export interface UnreadableNumber {
  /** Where it is: `rules[1].maxErrorRate`. */
  readonly place: string;
  /** As written. */
  readonly token: string;
  /** What it would read as: 0, -0 or ±Infinity. */
  readonly reads: number;
}

/** A number that reads as 0 or an infinity, which a literal may mean only when it is 0. */
const suspect = (n: number): boolean => n === 0 || !Number.isFinite(n);
const isZeroLiteral = (token: string): boolean => !/[1-9]/.test(token.replace(/[eE].*$/, ''));

/** True when a parsed value holds a number that may come from an unreadable literal (cheap: no second parse otherwise). */
function mayHoldUnreadable(v: unknown): boolean {
  if (typeof v === 'number') return suspect(v);
  if (Array.isArray(v)) return v.some(mayHoldUnreadable);
  if (typeof v === 'object' && v !== null) return Object.values(v).some(mayHoldUnreadable);
  return false;
}

/** The unreadable numbers of a parsed document, in the order of the file. */
async function unreadableNumbers(doc: Document): Promise<UnreadableNumber[]> {
  const { isMap, isPair, isScalar, isSeq, visit } = await import('yaml');
  const found: UnreadableNumber[] = [];
  visit(doc, {
    Scalar(_key, node, path) {
      if (typeof node.value !== 'number' || !suspect(node.value) || node.source === undefined || isZeroLiteral(node.source)) return;
      // The place: keys of the maps and indexes of the lists on the way down.
      let child: unknown = node;
      const parts: string[] = [];
      for (let i = path.length - 1; i >= 0; i--) {
        const parent = path[i];
        if (isPair(parent)) {
          if (parent.key === child) return; // a number as a key, not a value
          const key = isScalar(parent.key) ? String(parent.key.value) : String(parent.key);
          parts.unshift(`.${key}`);
        } else if (isSeq(parent)) parts.unshift(`[${parent.items.indexOf(child)}]`);
        else if (!isMap(parent)) break;
        child = parent;
      }
      found.push({ place: parts.join('').replace(/^\./, ''), token: node.source, reads: node.value });
    },
  });
  return found;
}

/**
 * Throws a UsageError naming every number of the rules file (its value, and its text or YAML
 * document) that a double cannot hold; maxErrorRate is refused as its text would be, as the string
 * and the flag are.
 */
export async function refuseUnreadable(value: unknown, source: string | Document, origin: string): Promise<void> {
  if (!mayHoldUnreadable(value)) return;
  const doc = typeof source === 'string' ? (await import('yaml')).parseDocument(source) : source;
  if (doc.errors.length > 0) return;
  const numbers = await unreadableNumbers(doc);
  if (numbers.length === 0) return;
  throw new UsageError(
    numbers.map(({ place, token, reads }) => {
      const rate = /(^|\.)maxErrorRate$/.test(place) ? parseRate(token) : undefined;
      if (rate !== undefined && !isRate(rate)) return `${origin}: ${place}: invalid error rate ${token}: ${rate.error}`;
      const why = reads === 0 ? 'too small for a number: it would read as 0' : `too large for a number: it would read as ${reads}`;
      return `${origin}: ${place}: ${token} is ${why}; give a value in range`;
    }),
  );
}

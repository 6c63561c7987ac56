/**
 * Fitting table columns into a width. Each column has its natural width (its widest cell), a soft
 * floor it may be shrunk to first, a hard minimum, and optionally a rank at which it is left out.
 * The order: shrink the widest shrinkable columns towards their floors; if that is not enough, leave
 * out droppable columns one at a time (lowest rank first, the rest growing back to their natural
 * widths where they can), then shrink to the hard minimums. A table that still does not fit is drawn
 * at its minimums (wider than asked): a column is never cut below its minimum.
 */

export interface ColumnFit {
  /** The widest cell, header included. */
  readonly natural: number;
  /** Shrunk to this first (default: natural, i.e. not shrinkable). */
  readonly floor?: number;
  /** Shrunk to this when leaving columns out was not enough (default: floor). */
  readonly min?: number;
  /** Left out when shrinking to the floors is not enough: rank 1 goes first. */
  readonly drop?: number;
}

/** Columns of border and padding a table of n columns adds to its cells: │ x │ y │. */
export const frameWidth = (n: number): number => 3 * n + 1;

/**
 * Widths of the columns fitting in `max` columns of terminal (border included); null for a column left
 * out. Unlimited (max undefined): every column at its natural width.
 */
export function fitColumns(cols: readonly ColumnFit[], max: number | undefined): (number | null)[] {
  const natural = cols.map((c) => c.natural);
  if (max === undefined) return natural;
  const floorOf = (c: ColumnFit): number => Math.min(c.natural, c.floor ?? c.natural);
  const minOf = (c: ColumnFit): number => Math.min(floorOf(c), c.min ?? floorOf(c));
  const dropOrder = cols
    .map((c, i) => ({ rank: c.drop, i }))
    .filter((x): x is { rank: number; i: number } => x.rank !== undefined)
    .sort((a, b) => a.rank - b.rank || a.i - b.i)
    .map((x) => x.i);
  let kept = cols.map(() => true);
  for (let k = 0; k <= dropOrder.length; k++) {
    if (k > 0) kept = kept.map((v, i) => v && i !== dropOrder[k - 1]);
    const fitted = allot(cols, kept, max, floorOf);
    if (fitted) return fitted;
  }
  return allot(cols, kept, max, minOf) ?? cols.map((c, i) => (kept[i] ? minOf(c) : null));
}

/** Water-filling: the widest columns shrink first, none below its lower bound; undefined when they cannot fit. */
function allot(cols: readonly ColumnFit[], kept: readonly boolean[], max: number, lower: (c: ColumnFit) => number): (number | null)[] | undefined {
  const idx = cols.map((_, i) => i).filter((i) => kept[i]);
  const room = max - frameWidth(idx.length);
  const sumAt = (level: number): number => idx.reduce((s, i) => s + Math.max(lower(cols[i]!), Math.min(cols[i]!.natural, level)), 0);
  const out: (number | null)[] = cols.map(() => null);
  const widest = Math.max(0, ...idx.map((i) => cols[i]!.natural));
  if (sumAt(widest) <= room) {
    for (const i of idx) out[i] = cols[i]!.natural;
    return out;
  }
  if (sumAt(0) > room) return undefined;
  let lo = 0;
  let hi = widest;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (sumAt(mid) <= room) lo = mid;
    else hi = mid - 1;
  }
  for (const i of idx) out[i] = Math.max(lower(cols[i]!), Math.min(cols[i]!.natural, lo));
  // Columns left over go to the first columns that were cut.
  let spare = room - sumAt(lo);
  for (const i of idx) {
    if (spare <= 0) break;
    if (out[i]! < cols[i]!.natural) {
      out[i] = out[i]! + 1;
      spare--;
    }
  }
  return out;
}

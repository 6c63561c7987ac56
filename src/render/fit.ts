/**
 * Fitting table columns into a width. Each column has its natural width (its widest cell), a soft
 * floor it may be shrunk to first, a hard minimum, a last-resort width (its header wrapped at spaces),
 * and optionally a rank at which it is left out, early (`drop`) or as a last resort (`late`).
 * The order: shrink the widest shrinkable columns towards their floors; if that is not enough, leave
 * out droppable columns one at a time (lowest rank first, the rest growing back to their natural
 * widths where they can), then shrink to the hard minimums, then wrap headers (the tight widths);
 * then leave out the `late` columns one at a time until the rest fit at their tight widths, bring
 * back any left out earlier that fit again, and try floors, minimums and tight widths. A table that still does not fit is drawn at its tight widths (wider than asked): a
 * column is never cut below its tight width.
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
  /** The last resort before leaving `late` columns out, e.g. the header wrapped (default: min). */
  readonly tight?: number;
  /** Left out, rank 1 first, only when every other column is at its tight width and it still does not fit. */
  readonly late?: number;
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
  const tightOf = (c: ColumnFit): number => Math.min(minOf(c), c.tight ?? minOf(c));
  const order = (rank: (c: ColumnFit) => number | undefined): number[] =>
    cols
      .map((c, i) => ({ rank: rank(c), i }))
      .filter((x): x is { rank: number; i: number } => x.rank !== undefined)
      .sort((a, b) => a.rank - b.rank || a.i - b.i)
      .map((x) => x.i);
  let kept = cols.map(() => true);
  const without = (i: number | undefined): boolean[] => kept.map((v, j) => v && j !== i);
  for (const i of [undefined, ...order((c) => c.drop)]) {
    kept = without(i);
    const fitted = allot(cols, kept, max, floorOf);
    if (fitted) return fitted;
  }
  const fit = (k: readonly boolean[], lowers: readonly ((c: ColumnFit) => number)[]): (number | null)[] | undefined => {
    for (const lower of lowers) {
      const fitted = allot(cols, k, max, lower);
      if (fitted) return fitted;
    }
    return undefined;
  };
  const fitted = fit(kept, [minOf, tightOf]);
  if (fitted) return fitted;
  const left: number[] = [];
  for (const i of order((c) => (c.drop === undefined ? c.late : undefined))) {
    kept = without(i);
    left.push(i);
    if (fit(kept, [tightOf]) === undefined) continue;
    // The late columns left out before this one may fit again now: bring them back, the last left out
    // (the more important) first.
    for (const j of left.slice(0, -1).reverse()) {
      const back = kept.map((v, k) => v || k === j);
      if (fit(back, [tightOf])) kept = back;
    }
    return fit(kept, [floorOf, minOf, tightOf])!;
  }
  return cols.map((c, i) => (kept[i] ? tightOf(c) : null));
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

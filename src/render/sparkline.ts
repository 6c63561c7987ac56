/** A one-line sparkline (▁▂▃▄▅▆▇█) and the max-per-group downsampling the chart shares. */

const BARS = '▁▂▃▄▅▆▇█';

/**
 * Groups of `size` consecutive values reduced to their maximum (null when the whole group is null),
 * so that a spike is never averaged away. The last group may be shorter.
 */
export function maxPerGroup(values: readonly (number | null)[], size: number): (number | null)[] {
  const out: (number | null)[] = [];
  for (let i = 0; i < values.length; i += size) {
    let max: number | null = null;
    for (const v of values.slice(i, i + size)) if (v !== null && (max === null || v > max)) max = v;
    out.push(max);
  }
  return out;
}

/** The group size that brings `count` values within `width` columns (1 when they already fit). */
export function groupSize(count: number, width: number): number {
  return count > width ? Math.ceil(count / Math.max(width, 1)) : 1;
}

/**
 * One character per value, scaled from zero (or the minimum when negative) to the maximum: ▁ is zero,
 * any other value gets at least ▂ so that a trickle of requests is told apart from none; null is a
 * space. All-equal and all-zero series are flat. With more values than `width`, they are downsampled
 * by maximum per group first (at most `width` characters).
 */
export function sparkline(values: readonly (number | null)[], width?: number): string {
  const vs = width !== undefined ? maxPerGroup(values, groupSize(values.length, width)) : [...values];
  const known = vs.filter((v): v is number => v !== null && Number.isFinite(v));
  if (known.length === 0) return vs.map(() => ' ').join('');
  const lo = known.reduce((a, b) => Math.min(a, b), 0);
  const hi = known.reduce((a, b) => Math.max(a, b), 0);
  const top = BARS.length - 1;
  return vs
    .map((v) => {
      if (v === null || !Number.isFinite(v)) return ' ';
      if (hi === lo || v === lo) return BARS[0];
      return BARS[Math.max(1, Math.round(((v - lo) / (hi - lo)) * top))];
    })
    .join('');
}

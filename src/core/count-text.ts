/**
 * Counts as Intl.NumberFormat('en-US', { maximumFractionDigits: 2 }) writes them (4,321 / 12.35), with
 * whole numbers written without it: the process's first Intl.NumberFormat costs about 20 ms (ICU),
 * which every `check` run paid at start-up for a message.
 */
let counts: Intl.NumberFormat | undefined;

/** 4,321; 12.35; -0 and fractions by Intl itself. */
export function countText(n: number): string {
  if (Number.isSafeInteger(n) && !Object.is(n, -0)) return groupThousands(n);
  counts ??= new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });
  return counts.format(n);
}

/** A whole number as Intl.NumberFormat('en-US') writes it (1,234,567; -0 as 0), without ICU's start-up cost. */
export function groupThousands(value: number): string {
  const digits = String(Math.abs(value));
  let out = '';
  for (let end = digits.length; end > 0; end -= 3) out = end - 3 > 0 ? `,${digits.slice(end - 3, end)}${out}` : `${digits.slice(0, end)}${out}`;
  return value < 0 ? `-${out}` : out;
}

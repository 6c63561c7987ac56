/** Name comparison and "did you mean" suggestions. */

/** Case, spaces, hyphens and underscores do not matter: "create call" = "CreateCall" = "Create-Call". */
export function normalizeName(name: string): string {
  return name.toLowerCase().replace(/[\s_-]+/g, '');
}

/** Optimal string alignment distance (Levenshtein plus adjacent transpositions). */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  if (a.length === 0) return b.length;
  if (b.length === 0) return a.length;
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[] = new Array<number>(rows * cols).fill(0);
  for (let i = 0; i < rows; i++) d[i * cols] = i;
  for (let j = 0; j < cols; j++) d[j] = j;
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[(i - 1) * cols + j]! + 1, d[i * cols + j - 1]! + 1, d[(i - 1) * cols + j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        v = Math.min(v, d[(i - 2) * cols + j - 2]! + 1);
      }
      d[i * cols + j] = v;
    }
  }
  return d[rows * cols - 1]!;
}

export interface Candidate<T> {
  /** Every name the thing answers to. */
  readonly names: readonly string[];
  /** How to show it in a suggestion. */
  readonly label: string;
  readonly value: T;
}

/** The candidates whose normalized names equal the normalized input. */
export function findExact<T>(input: string, candidates: readonly Candidate<T>[]): Candidate<T>[] {
  const key = normalizeName(input);
  return candidates.filter((c) => c.names.some((n) => normalizeName(n) === key));
}

/**
 * The closest labels to a misspelt input, best first: small edit distances (relative to length),
 * then names that contain the input or that the input contains.
 */
export function suggest<T>(input: string, candidates: readonly Candidate<T>[], max = 3): string[] {
  const key = normalizeName(input);
  if (key.length === 0) return [];
  const limit = Math.max(2, Math.floor(key.length / 3));
  const scored: { label: string; score: number }[] = [];
  for (const c of candidates) {
    let best = Number.POSITIVE_INFINITY;
    for (const n of c.names) {
      const norm = normalizeName(n);
      const dist = editDistance(key, norm);
      if (dist <= limit) best = Math.min(best, dist);
      else if (key.length >= 3 && (norm.includes(key) || key.includes(norm))) best = Math.min(best, limit + 1);
    }
    if (best !== Number.POSITIVE_INFINITY && !scored.some((s) => s.label === c.label)) {
      scored.push({ label: c.label, score: best });
    }
  }
  scored.sort((x, y) => x.score - y.score || x.label.localeCompare(y.label, 'en'));
  // Only names about as close as the closest: "SendChatMesage" suggests SendChatMessage, not GetChatMessage too.
  const best = scored[0]?.score ?? 0;
  return scored
    .filter((s) => s.score <= best + 1)
    .slice(0, max)
    .map((s) => s.label);
}

/** "did you mean X?" / "did you mean X or Y?" or ''. */
export function didYouMean(suggestions: readonly string[]): string {
  if (suggestions.length === 0) return '';
  if (suggestions.length === 1) return `did you mean ${suggestions[0]}?`;
  return `did you mean ${suggestions.slice(0, -1).join(', ')} or ${suggestions[suggestions.length - 1]}?`;
}

/** The `cost` field Azure Monitor puts in some answers (a Metrics - List body, a batch entry), added up per run. */
import type { CostSum } from '../source.js';

/** The sum with an answer's `cost` added (unchanged when the answer carries none). */
export function addCost(sum: CostSum | undefined, cost: unknown): CostSum | undefined {
  if (typeof cost !== 'number' || !Number.isFinite(cost)) return sum;
  return { total: (sum?.total ?? 0) + cost, answers: (sum?.answers ?? 0) + 1 };
}

/** The --debug line of a run's cost sum. */
export const costLine = (c: CostSum): string =>
  `Azure Monitor's answers carried a cost of ${c.total} in all (the sum of the "cost" fields of ${c.answers} answer${c.answers === 1 ? '' : 's'})`;

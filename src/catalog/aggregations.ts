import type { AggregationKey } from './types.js';

export interface AggregationDef {
  /** Key in a Metrics API data point. */
  readonly key: AggregationKey;
  /** Name on the wire (`aggregation=`, `orderby=`). */
  readonly wire: string;
  /** Name shown to users and accepted first. */
  readonly label: string;
  readonly aliases: readonly string[];
}

export const AGGREGATIONS: readonly AggregationDef[] = [
  { key: 'count', wire: 'Count', label: 'count', aliases: ['count'] },
  { key: 'total', wire: 'Total', label: 'sum', aliases: ['sum', 'total'] },
  { key: 'average', wire: 'Average', label: 'average', aliases: ['average', 'avg', 'mean'] },
  { key: 'minimum', wire: 'Minimum', label: 'min', aliases: ['min', 'minimum'] },
  { key: 'maximum', wire: 'Maximum', label: 'max', aliases: ['max', 'maximum'] },
];

export function aggregationDef(key: AggregationKey): AggregationDef {
  const def = AGGREGATIONS.find((a) => a.key === key);
  if (!def) throw new Error(`no aggregation ${key}`);
  return def;
}

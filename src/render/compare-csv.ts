/**
 * A comparison as CSV: the columns of render/csv.ts with a `window` column first (current or
 * baseline); baseline rows carry the baseline's own timestamps. Only when comparing.
 */
import type { Comparison } from '../core/compare.js';
import { formatTime } from '../core/time.js';
import { csvText } from './csv.js';
import { shownValue } from './format.js';

const csvNumber = (value: number | null): string => (value === null || !Number.isFinite(value) ? '' : String(value));

export function renderCompareCsv(c: Comparison): string {
  const dims = c.current.query.splitBy;
  const lines = [['window', ...dims.map((d) => d.name), 'timestamp', 'value'].map(csvText).join(',')];
  for (const [window, pick] of [
    ['current', 'current'],
    ['baseline', 'baseline'],
  ] as const) {
    for (const p of c.pairs) {
      const s = p[pick];
      if (!s) continue;
      const prefix = dims.map((d) => csvText(shownValue(d, s.dimensions[d.name] ?? '')));
      for (const q of s.points) lines.push([window, ...prefix, formatTime(q.timestamp), csvNumber(q.value)].join(','));
    }
  }
  return lines.map((l) => `${l}\r\n`).join('');
}

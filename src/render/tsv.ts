/**
 * A query result as TSV, the way `az -o tsv` prints: no header, one line per series and bucket with
 * the split dimensions (as CSV names them), the timestamp (ISO 8601 UTC) and the value (empty for no
 * data), separated by tabs. Tabs, line breaks and other control characters in a value are written as
 * visible \x.. escapes, so every line has the same number of fields.
 */
import type { QueryResult } from '../core/model.js';
import { formatTime } from '../core/time.js';
import { shownValue } from './format.js';
import { safeText } from './safe.js';

export function renderTsv(result: QueryResult): string {
  const dims = result.query.splitBy;
  let out = '';
  for (const s of result.series) {
    const prefix = dims.map((d) => safeText(shownValue(d, s.dimensions[d.name] ?? '')));
    for (const p of s.points) {
      const value = p.value === null || !Number.isFinite(p.value) ? '' : String(p.value);
      out += `${[...prefix, formatTime(p.timestamp), value].join('\t')}\n`;
    }
  }
  return out;
}

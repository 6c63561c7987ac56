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
import { CHUNK_CHARS } from './chunks.js';

/** The TSV as one string (tests); `-o tsv` streams renderTsvChunks instead. */
export function renderTsv(result: QueryResult): string {
  return [...renderTsvChunks(result)].join('');
}

/** The TSV in pieces of about 64 KB, the same bytes as one string. */
export function* renderTsvChunks(result: QueryResult): Generator<string> {
  const dims = result.query.splitBy;
  let out = '';
  for (const s of result.series) {
    const prefix = dims.map((d) => `${safeText(shownValue(d, s.dimensions[d.name] ?? ''))}\t`).join('');
    for (const p of s.points) {
      const value = p.value === null || !Number.isFinite(p.value) ? '' : String(p.value);
      out += `${prefix}${formatTime(p.timestamp)}\t${value}\n`;
      if (out.length >= CHUNK_CHARS) {
        yield out;
        out = '';
      }
    }
  }
  if (out !== '') yield out;
}

/**
 * A query result as CSV (RFC 4180): a header row, then one row per series and timestamp; columns are
 * the split dimensions (user-facing names; a resource by its name), `timestamp` (ISO 8601 UTC, core/time.ts formatTime) and
 * `value` (empty for no data). Lines end in CRLF, the last one included.
 *
 * Quoting: a field containing a comma, a double quote, CR or LF is quoted, inner quotes doubled.
 * Formula injection: a spreadsheet would run a text cell starting with =, +, -, @, TAB or CR as a
 * formula, so such a data-derived text cell (dimension values, names) gets a leading ' before quoting.
 * Numbers are written as numbers and never prefixed: -5 stays -5.
 * Terminal safety: escape (ESC, BEL...), C1 and bidi control characters in a text cell are written as
 * visible \x.. escapes like in tables, so that `-o csv` at a terminal cannot colour, retitle or link it.
 */
import type { QueryResult } from '../core/model.js';
import { formatTime } from '../core/time.js';
import { shownValue } from './format.js';
import { safeText } from './safe.js';
import { CHUNK_CHARS } from './chunks.js';

const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;
/** Controls other than TAB, CR and LF (which CSV quoting carries), and bidi overrides: shown as \x.. escapes. */
// eslint-disable-next-line no-control-regex
const TERMINAL_UNSAFE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]+/g;

/** One text cell: control characters escaped (as in tables), formula guard, then RFC 4180 quoting. */
export function csvText(text: string): string {
  const visible = text.replace(TERMINAL_UNSAFE, safeText);
  const guarded = FORMULA_START.test(visible) ? `'${visible}` : visible;
  return NEEDS_QUOTES.test(guarded) ? `"${guarded.replace(/"/g, '""')}"` : guarded;
}

const csvNumber = (value: number | null): string => (value === null || !Number.isFinite(value) ? '' : String(value));

/** The CSV as one string (tests); `-o csv` streams renderCsvChunks instead. */
export function renderCsv(result: QueryResult): string {
  return [...renderCsvChunks(result)].join('');
}

/** The CSV in pieces of about 64 KB, the same bytes as one string. */
export function* renderCsvChunks(result: QueryResult): Generator<string> {
  const dims = result.query.splitBy;
  let out = `${[...dims.map((d) => d.name), 'timestamp', 'value'].map(csvText).join(',')}\r\n`;
  for (const s of result.series) {
    // A resource by its name, like tables (JSON keeps the full id).
    const prefix = dims.map((d) => `${csvText(shownValue(d, s.dimensions[d.name] ?? ''))},`).join('');
    for (const p of s.points) {
      out += `${prefix}${formatTime(p.timestamp)},${csvNumber(p.value)}\r\n`;
      if (out.length >= CHUNK_CHARS) {
        yield out;
        out = '';
      }
    }
  }
  yield out;
}

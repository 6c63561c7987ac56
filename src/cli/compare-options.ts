/**
 * The baseline options of `query` (--compare, --baseline-start/--baseline-end) and `check`
 * (--baseline, --baseline-start/--baseline-end): parsed into a BaselineSpec.
 */
import type { BaselineSpec } from '../core/compare.js';
import { parseDuration } from '../core/duration.js';
import { parseTime } from '../core/time.js';
import type { Problems } from '../errors.js';

export interface BaselineOptions {
  baselineStart?: string;
  baselineEnd?: string;
}

/**
 * The baseline of the options: a shift (`shiftFlag`, e.g. --compare 7d) or an explicit window; every
 * problem goes to `problems`. Undefined when no baseline was asked for.
 */
export function parseBaseline(shiftFlag: string, shift: string | undefined, opts: BaselineOptions, problems: Problems): BaselineSpec | undefined {
  const { baselineStart, baselineEnd } = opts;
  if (shift !== undefined) {
    if (baselineStart !== undefined || baselineEnd !== undefined) {
      problems.add(`give either ${shiftFlag} or --baseline-start/--baseline-end, not both`);
      return undefined;
    }
    const ms = parseDuration(shift);
    if (ms === undefined || ms % 60_000 !== 0) {
      problems.add(`invalid ${shiftFlag} "${shift}": expected a duration of whole minutes such as 1d, 7d, 1h or P7D (how far back the baseline window is)`);
      return undefined;
    }
    return { kind: 'shift', ms };
  }
  if (baselineStart === undefined && baselineEnd === undefined) return undefined;
  if (baselineStart === undefined || baselineEnd === undefined) {
    problems.add(`--baseline-start and --baseline-end go together: missing ${baselineStart === undefined ? '--baseline-start' : '--baseline-end'}`);
    return undefined;
  }
  const time = (flag: string, text: string): number | undefined => {
    const ms = parseTime(text);
    if (ms === undefined) problems.add(`invalid ${flag} "${text}": expected an ISO 8601 date or time such as 2026-01-07 or 2026-01-07T13:00:00Z`);
    return ms;
  };
  const start = time('--baseline-start', baselineStart);
  const end = time('--baseline-end', baselineEnd);
  if (start === undefined || end === undefined) return undefined;
  if (start >= end) {
    problems.add(`--baseline-start ${baselineStart} is not before --baseline-end ${baselineEnd}`);
    return undefined;
  }
  return { kind: 'window', start, end };
}

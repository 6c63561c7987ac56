/** Durations: ISO 8601 (PT5M, PT1H, P1D, P1DT12H) and short forms (5m, 1h, 7d, 90s, 2w, and az's 1d12h, 1h30m). */

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const UNIT_MS: Readonly<Record<string, number>> = { s: 1000, m: MINUTE, h: HOUR, d: DAY, w: 7 * DAY };

const ISO = /^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/i;
const SHORT = /^(\d+(?:\.\d+)?)\s*(s|m|h|d|w)$/i;
/** Compound short forms, largest unit first, each unit once: 1d12h, 1h30m, 2w3d, 1d2h3m4s. */
const COMPOUND = /^(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/i;

/**
 * The longest duration read: 100,000 years. Any window longer than that is a typo, and counted back
 * from now it would leave the range of a date (`--since 99999999999999999999d` was an internal error).
 */
export const MAX_DURATION_MS = 100_000 * 365 * DAY;

/** Milliseconds of a duration, or undefined when the text is not one (zero, or over MAX_DURATION_MS). */
export function parseDuration(text: string): number | undefined {
  const ms = readDuration(text);
  return ms !== undefined && ms <= MAX_DURATION_MS ? ms : undefined;
}

/** True when the text is a duration, only longer than MAX_DURATION_MS. */
export const isTooLong = (text: string): boolean => (readDuration(text) ?? 0) > MAX_DURATION_MS;

function readDuration(text: string): number | undefined {
  const t = text.trim();
  const short = SHORT.exec(t);
  if (short) {
    const ms = Number(short[1]) * UNIT_MS[short[2]!.toLowerCase()]!;
    return ms > 0 ? Math.round(ms) : undefined;
  }
  const compound = /^\d/.test(t) ? COMPOUND.exec(t) : null;
  if (compound) {
    const [, w, d, h, m, s] = compound;
    const ms = Number(w ?? 0) * 7 * DAY + Number(d ?? 0) * DAY + Number(h ?? 0) * HOUR + Number(m ?? 0) * MINUTE + Number(s ?? 0) * 1000;
    return ms > 0 ? ms : undefined;
  }
  const iso = ISO.exec(t);
  if (!iso || t.toUpperCase() === 'P' || t.toUpperCase().endsWith('T')) return undefined;
  const [, w, d, h, m, s] = iso;
  const ms = Number(w ?? 0) * 7 * DAY + Number(d ?? 0) * DAY + Number(h ?? 0) * HOUR + Number(m ?? 0) * MINUTE + Number(s ?? 0) * 1000;
  return ms > 0 ? Math.round(ms) : undefined;
}

/** The ISO 8601 form of a duration: 300000 -> PT5M, 86400000 -> P1D, 90000000 -> P1DT1H. */
export function toIsoDuration(ms: number): string {
  let rest = Math.round(ms / 1000);
  const days = Math.floor(rest / 86400);
  rest -= days * 86400;
  const hours = Math.floor(rest / 3600);
  rest -= hours * 3600;
  const minutes = Math.floor(rest / 60);
  const seconds = rest - minutes * 60;
  let out = 'P';
  if (days) out += `${days}D`;
  if (hours || minutes || seconds) {
    out += 'T';
    if (hours) out += `${hours}H`;
    if (minutes) out += `${minutes}M`;
    if (seconds) out += `${seconds}S`;
  }
  return out === 'P' ? 'PT0S' : out;
}

/** Human form for messages: 5m, 1h, 1d 12h. */
export function humanDuration(ms: number): string {
  const parts: string[] = [];
  let rest = Math.round(ms / 1000);
  for (const [unit, size] of [
    ['d', 86400],
    ['h', 3600],
    ['m', 60],
    ['s', 1],
  ] as const) {
    const n = Math.floor(rest / size);
    if (n) parts.push(`${n}${unit}`);
    rest -= n * size;
  }
  return parts.length ? parts.join(' ') : '0s';
}

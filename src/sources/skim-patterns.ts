/**
 * The regular expressions skim-document.ts checks JSON text with. V8 runs them as native code: at
 * start-up, before any of our JavaScript is optimised, they check text several times faster than a
 * scanner written in JavaScript, or than JSON.parse builds it.
 */

/** JSON whitespace (not \s, which takes more). */
const WS = '[ \\t\\n\\r]*';
const STRING = '"(?:[^"\\\\\\x00-\\x1f]|\\\\(?:["\\\\/bfnrt]|u[0-9a-fA-F]{4}))*"';
const NUMBER = '-?(?:0|[1-9]\\d*)(?:\\.\\d+)?(?:[eE][+-]?\\d+)?';
const AGGREGATION = `${WS},${WS}"(?:count|total|average|minimum|maximum)"${WS}:${WS}(?:${NUMBER}|null)`;
const POINT = `\\{${WS}"time[sS]tamp"${WS}:${WS}${STRING}(?:${AGGREGATION})*${WS}\\}`;

/** An array of items matched by `item`, compact or spaced (the item written once: no backtracking over it twice). */
const arrayOf = (item: string): string => `\\[${WS}(?:${item}(?:${WS},${WS}(?=[^ \\t\\n\\r\\]])|${WS}(?=\\])))*\\]`;

/**
 * A data array of points as Azure writes them (the timestamp first, then aggregations holding numbers
 * or null), compact or spaced: valid JSON. Others are checked by the scanner. Sticky: it matches at
 * lastIndex or not at all.
 */
export const DATA_ARRAY = new RegExp(arrayOf(POINT), 'y');

// The service's own points, each of which checkPoint (point-check.ts) takes as it is.
const LEAP_YEAR = '(?:\\d\\d(?:0[48]|[2468][048]|[13579][26])|(?:[02468][048]|[13579][26])00)';
const DATE = `(?:\\d{4}-(?:(?:0[1-9]|1[0-2])-(?:0[1-9]|1\\d|2[0-8])|(?:0[13-9]|1[0-2])-(?:29|30)|(?:0[13578]|1[02])-31)|${LEAP_YEAR}-02-29)`;
/** A timestamp in the service's form (2026-01-07T13:00:00Z) of a day that exists. */
export const SERVICE_STAMP = `"${DATE}T(?:[01]\\d|2[0-3]):[0-5]\\d:[0-5]\\dZ"`;
/** A number not below zero and finite (no exponent, under 300 digits), or null. */
const SERVICE_VALUE = '(?:(?:0|[1-9]\\d{0,298})(?:\\.\\d+)?|null)';
const serviceKey = (key: string): string => `(?:${WS},${WS}"${key}"${WS}:${WS}${SERVICE_VALUE})?`;
const SERVICE_POINT = `\\{${WS}"timeStamp"${WS}:${WS}${SERVICE_STAMP}${['count', 'total', 'average', 'minimum', 'maximum'].map(serviceKey).join('')}${WS}\\}`;

/**
 * A data array of points in the service's layout: "timeStamp" (a real day and time, UTC), then the
 * aggregations each at most once and in the service's order, holding numbers not below zero or null.
 * Every point of such an array passes checkPoint, and none holds a key twice. Sticky.
 */
export const SERVICE_DATA_ARRAY = new RegExp(arrayOf(SERVICE_POINT), 'y');

/** A metric's or a dimension's name as Azure writes it: {"value": "...", "localizedValue": "..."}. */
const NAME = `\\{${WS}"value"${WS}:${WS}${STRING}(?:${WS},${WS}"localizedValue"${WS}:${WS}${STRING})?${WS}\\}`;

/**
 * Plain values the scanner would otherwise walk character by character (a series' metadatavalues, a
 * metric's name), in the shapes Azure writes them; valid JSON. Anything else is left to the scanner.
 * Small on purpose: V8 compiles an expression on its first two uses, and one for any JSON nested four
 * deep (7 KB) took 6 ms to compile, more than it saved. Sticky.
 */
export const PLAIN_VALUES: Readonly<Record<string, RegExp>> = {
  name: new RegExp(NAME, 'y'),
  metadatavalues: new RegExp(arrayOf(`\\{${WS}"name"${WS}:${WS}${NAME}${WS},${WS}"value"${WS}:${WS}${STRING}${WS}\\}`), 'y'),
};

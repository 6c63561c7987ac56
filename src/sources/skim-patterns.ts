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

/** A JSON value nested at most `depth` deep (objects and arrays of objects and arrays ...). */
function valueOf(depth: number): string {
  const primitive = `${STRING}|${NUMBER}|true|false|null`;
  if (depth === 0) return `(?:${primitive})`;
  const inner = valueOf(depth - 1);
  const member = `${STRING}${WS}:${WS}${inner}`;
  const object = `\\{${WS}(?:${member}(?:${WS},${WS}(?=")|${WS}(?=\\})))*\\}`;
  return `(?:${primitive}|${object}|${arrayOf(inner)})`;
}

/**
 * Any JSON value nested at most four deep (a series' metadatavalues, a metric's name): valid JSON.
 * Deeper values are left to the scanner. Sticky.
 */
export const PLAIN_VALUE = new RegExp(valueOf(4), 'y');

/**
 * Joins the Metrics - List bodies of consecutive windows of one request group into one body, so that
 * a long range reads (and saves) like a single response: series are matched by their dimension values,
 * their points concatenated in time order.
 */

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
/** String(v), except for an array (which the parser refuses later): String([[[...]]]) recurses and overflows the stack. */
// eslint-disable-next-line @typescript-eslint/no-base-to-string -- an object shows as [object Object]; the parser refuses it later
const text = (v: unknown): string => (Array.isArray(v) ? '[array]' : String(v ?? ''));

function nameOf(metric: Json): string {
  const name = metric.name;
  if (isObject(name) && typeof name.value === 'string') return name.value.toLowerCase();
  return typeof name === 'string' ? name.toLowerCase() : '';
}

/** A series' identity: its dimension names (lower-cased) and values. */
function seriesKey(series: unknown): string {
  const meta = isObject(series) ? list(series.metadatavalues) : [];
  const pairs = meta.filter(isObject).map((m) => {
    const n = isObject(m.name) ? m.name.value : m.name;
    return [text(n).toLowerCase(), text(m.value)] as const;
  });
  pairs.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return JSON.stringify(pairs);
}

function timeOf(point: unknown): string {
  return isObject(point) ? text(point.timeStamp) : '';
}

function spanOf(body: Json): [string, string] | undefined {
  if (typeof body.timespan !== 'string') return undefined;
  const [a, b] = body.timespan.split('/');
  return a !== undefined && b !== undefined ? [a, b] : undefined;
}

function mergeMetric(parts: Json[]): Json {
  const first = parts[0]!;
  const failed = parts.find((p) => typeof p.errorCode === 'string' && p.errorCode !== 'Success');
  const series = new Map<string, { meta: unknown; data: unknown[]; seen: Set<string> }>();
  for (const part of parts) {
    for (const s of list(part.timeseries)) {
      const key = seriesKey(s);
      let entry = series.get(key);
      if (!entry) {
        entry = { meta: isObject(s) ? s.metadatavalues : undefined, data: [], seen: new Set() };
        series.set(key, entry);
      }
      for (const p of isObject(s) ? list(s.data) : []) {
        const t = timeOf(p);
        // Adjacent windows may both carry the point on their common edge: keep the first.
        if (entry.seen.has(t)) continue;
        entry.seen.add(t);
        entry.data.push(p);
      }
    }
  }
  const merged: Json = { ...first, ...(failed ? { errorCode: failed.errorCode, errorMessage: failed.errorMessage } : {}) };
  merged.timeseries = [...series.values()].map((e) => ({ ...(e.meta !== undefined ? { metadatavalues: e.meta } : {}), data: e.data }));
  return merged;
}

/** One body for the windows' bodies (given in time order). A single body is returned as it came. */
export function mergeBodies(bodies: readonly unknown[]): unknown {
  if (bodies.length === 1) return bodies[0];
  const objects = bodies.filter(isObject);
  if (objects.length === 0) return bodies[0];
  const first = objects[0]!;
  const spans = objects.map(spanOf).filter((s): s is [string, string] => s !== undefined);
  const metrics = new Map<string, Json[]>();
  for (const body of objects) {
    for (const m of list(body.value).filter(isObject)) {
      const key = nameOf(m);
      metrics.set(key, [...(metrics.get(key) ?? []), m]);
    }
  }
  const cost = objects.reduce((sum, b) => sum + (typeof b.cost === 'number' ? b.cost : 0), 0);
  const out: Json = { ...first };
  if (typeof first.cost === 'number') out.cost = cost;
  if (spans.length > 0) out.timespan = `${spans[0]![0]}/${spans[spans.length - 1]![1]}`;
  out.value = [...metrics.values()].map(mergeMetric);
  return out;
}

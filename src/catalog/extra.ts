/**
 * Catalog extras: operation-like values a resource emits that the documents do not list yet, as
 * written by `acs-metrics definitions --write-extra FILE` and read back by `--catalog-extra FILE`
 * (query, check). Pure: parsing and lookup; the CLI reads and writes the file.
 *
 *   { "schemaVersion": 1, "kind": "acs-metrics-catalog-extra", "resource": "/subscriptions/...",
 *     "start": "...Z", "end": "...Z",
 *     "metrics": { "<REST name>": { "dimension": "Operation", "values": ["Hold", ...] } } }
 */
import { UsageError } from '../errors.js';
import { METRICS } from './metrics.js';
import { metricByRestName } from './resolve.js';
import type { MetricDef } from './types.js';

export const EXTRA_KIND = 'acs-metrics-catalog-extra';
export const EXTRA_SCHEMA_VERSION = 1;

/** Extra values per metric, keyed by lower-cased REST name. */
export type CatalogExtra = ReadonlyMap<string, readonly string[]>;

export interface ExtraDocument {
  readonly resource: string;
  readonly start: string;
  readonly end: string;
  /** REST name -> the operation-like dimension (user-facing name) and the values not in the catalog. */
  readonly metrics: ReadonlyArray<{ readonly metric: MetricDef; readonly dimension: string; readonly values: readonly string[] }>;
}

export function extraJson(doc: ExtraDocument): string {
  const metrics: Record<string, { dimension: string; values: string[] }> = {};
  for (const m of doc.metrics) metrics[m.metric.rest] = { dimension: m.dimension, values: [...m.values] };
  return `${JSON.stringify({ schemaVersion: EXTRA_SCHEMA_VERSION, kind: EXTRA_KIND, resource: doc.resource, start: doc.start, end: doc.end, metrics }, null, 2)}\n`;
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Parses a catalog extras file's text; a UsageError names the file and the first problem. */
export function parseCatalogExtra(text: string, origin: string): CatalogExtra {
  const bad = (why: string): never => {
    throw new UsageError(`${origin}: not a catalog extras file: ${why} (write one with "acs-metrics definitions --write-extra FILE")`);
  };
  let doc: unknown;
  try {
    doc = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch {
    return bad('not JSON');
  }
  if (!isObj(doc) || doc.kind !== EXTRA_KIND) return bad(`expected "kind": "${EXTRA_KIND}"`);
  if (doc.schemaVersion !== EXTRA_SCHEMA_VERSION)
    return bad(`unsupported schemaVersion ${JSON.stringify(doc.schemaVersion)} (expected ${EXTRA_SCHEMA_VERSION})`);
  if (!isObj(doc.metrics)) return bad('"metrics" must be an object keyed by REST metric name');
  const out = new Map<string, string[]>();
  for (const [rest, entry] of Object.entries(doc.metrics)) {
    const metric = metricByRestName(rest);
    if (!metric) return bad(`unknown metric "${rest}" (known: ${METRICS.map((m) => m.rest).join(', ')})`);
    if (!isObj(entry) || !Array.isArray(entry.values) || !entry.values.every((v) => typeof v === 'string' && v.trim() !== '')) {
      return bad(`metrics.${rest}.values must be a list of non-empty strings`);
    }
    out.set(
      metric.rest.toLowerCase(),
      entry.values.map((v: string) => v.trim()),
    );
  }
  return out;
}

/** The extra values for one metric (empty without extras). */
export function extraFor(extra: CatalogExtra | undefined, metric: MetricDef): readonly string[] {
  return extra?.get(metric.rest.toLowerCase()) ?? [];
}

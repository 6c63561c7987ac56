/**
 * Where the built-in catalog and a resource's live metric definitions differ: metrics missing on
 * either side, dimensions (REST names, ignoring case), aggregations, unit and primary aggregation.
 */
import { aggregationDef } from '../../catalog/aggregations.js';
import type { MetricDef } from '../../catalog/types.js';

/** One metric definition as the service gives it, reduced to what is compared. */
export interface LiveDefinition {
  readonly name: string;
  readonly displayName?: string;
  readonly unit?: string;
  readonly primaryAggregation?: string;
  /** Wire names (Count, Total...), without "None". */
  readonly aggregations: readonly string[];
  /** REST dimension names. */
  readonly dimensions: readonly string[];
  readonly timeGrains: readonly string[];
}

export type ComparisonStatus = 'same' | 'different' | 'catalog-only' | 'resource-only';

export interface Difference<T> {
  readonly catalog: T;
  readonly resource: T;
}

export interface MetricComparison {
  /** REST name as the resource spells it, else as the catalog does. */
  readonly rest: string;
  readonly alias?: string;
  readonly displayName?: string;
  readonly status: ComparisonStatus;
  readonly legacy: boolean;
  /** Dimensions in the catalog but not on the resource (missing) and the other way round (extra). */
  readonly dimensions: { readonly missing: readonly string[]; readonly extra: readonly string[] };
  readonly aggregations: { readonly missing: readonly string[]; readonly extra: readonly string[] };
  readonly unit?: Difference<string>;
  readonly primaryAggregation?: Difference<string>;
  /** The differences as sentences, for people. */
  readonly notes: readonly string[];
}

export interface DefinitionsDiff {
  readonly metrics: readonly MetricComparison[];
  /** Metrics whose status is not "same". */
  readonly differing: number;
}

const lower = (s: string): string => s.toLowerCase();
const minus = (a: readonly string[], b: readonly string[]): string[] => a.filter((x) => !b.some((y) => lower(y) === lower(x)));

function compare(def: MetricDef, live: LiveDefinition): MetricComparison {
  const catalogDims = def.dimensions.map((d) => d.rest);
  const catalogAggs = def.aggregations.map((k) => aggregationDef(k).wire);
  const dimensions = { missing: minus(catalogDims, live.dimensions), extra: minus(live.dimensions, catalogDims) };
  const aggregations = { missing: minus(catalogAggs, live.aggregations), extra: minus(live.aggregations, catalogAggs) };
  const unit = live.unit !== undefined && lower(live.unit) !== lower(def.unit) ? { catalog: def.unit, resource: live.unit } : undefined;
  const primaryWire = aggregationDef(def.primaryAggregation).wire;
  const primaryAggregation =
    live.primaryAggregation !== undefined && lower(live.primaryAggregation) !== lower(primaryWire)
      ? { catalog: primaryWire, resource: live.primaryAggregation }
      : undefined;
  const notes: string[] = [];
  if (dimensions.missing.length) notes.push(`dimensions not on the resource: ${dimensions.missing.join(', ')}`);
  if (dimensions.extra.length) notes.push(`dimensions not in the catalog: ${dimensions.extra.join(', ')}`);
  if (aggregations.missing.length) notes.push(`aggregations not on the resource: ${aggregations.missing.join(', ')}`);
  if (aggregations.extra.length) notes.push(`aggregations not in the catalog: ${aggregations.extra.join(', ')}`);
  if (unit) notes.push(`unit ${unit.resource} (catalog: ${unit.catalog})`);
  if (primaryAggregation) notes.push(`primary aggregation ${primaryAggregation.resource} (catalog: ${primaryAggregation.catalog})`);
  return {
    rest: live.name,
    alias: def.alias,
    displayName: live.displayName ?? def.displayName,
    status: notes.length ? 'different' : 'same',
    legacy: def.legacy,
    dimensions,
    aggregations,
    unit,
    primaryAggregation,
    notes,
  };
}

export function diffDefinitions(catalog: readonly MetricDef[], live: readonly LiveDefinition[]): DefinitionsDiff {
  const out: MetricComparison[] = [];
  for (const def of catalog) {
    const hit = live.find((l) => lower(l.name) === lower(def.rest));
    if (hit) {
      out.push(compare(def, hit));
      continue;
    }
    out.push({
      rest: def.rest,
      alias: def.alias,
      displayName: def.displayName,
      status: 'catalog-only',
      legacy: def.legacy,
      dimensions: { missing: [], extra: [] },
      aggregations: { missing: [], extra: [] },
      notes: [def.legacy ? 'not on the resource (a legacy metric)' : 'not on the resource'],
    });
  }
  const others = live.filter((l) => !catalog.some((def) => lower(def.rest) === lower(l.name)));
  for (const l of [...others].sort((a, b) => a.name.localeCompare(b.name, 'en'))) {
    out.push({
      rest: l.name,
      displayName: l.displayName,
      status: 'resource-only',
      legacy: false,
      dimensions: { missing: [], extra: [...l.dimensions] },
      aggregations: { missing: [], extra: [...l.aggregations] },
      notes: [`not in the catalog${l.dimensions.length ? `; dimensions ${l.dimensions.join(', ')}` : ''}`],
    });
  }
  return { metrics: out, differing: out.filter((m) => m.status !== 'same').length };
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const localized = (v: unknown): string | undefined => (isObj(v) ? str(v.value) : str(v));

/** A definition from the SDK's (or the REST body's) shape; undefined when it has no name. */
export function toLiveDefinition(item: unknown): LiveDefinition | undefined {
  if (!isObj(item)) return undefined;
  const name = localized(item.name);
  if (!name) return undefined;
  const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
  return {
    name,
    displayName: isObj(item.name) ? str(item.name.localizedValue) : undefined,
    unit: str(item.unit),
    primaryAggregation: str(item.primaryAggregationType),
    aggregations: list(item.supportedAggregationTypes)
      .map(str)
      .filter((a): a is string => a !== undefined && lower(a) !== 'none'),
    dimensions: list(item.dimensions)
      .map(localized)
      .filter((d): d is string => d !== undefined),
    timeGrains: list(item.metricAvailabilities)
      .map((a) => (isObj(a) ? str(a.timeGrain) : undefined))
      .filter((g): g is string => g !== undefined),
  };
}

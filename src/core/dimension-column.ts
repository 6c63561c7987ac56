/**
 * One name per dimension wherever acs-metrics writes columns or labels for other engines (the Parquet
 * archive's columns, OpenMetrics labels): the REST name in snake case (StatusCodeClass ->
 * status_code_class), with Job Router's own names mapped so that one `operation` or
 * `status_code_class` works across every channel.
 */
import type { DimensionDef } from '../catalog/types.js';

/** REST dimension names that would otherwise split one idea over two names. */
const SHARED_NAMES: Readonly<Record<string, string>> = { operationname: 'operation', statuscodesubclass: 'status_code_class' };

export function dimensionColumn(dim: Pick<DimensionDef, 'rest'>): string {
  const mapped = SHARED_NAMES[dim.rest.toLowerCase()];
  if (mapped !== undefined) return mapped;
  const snake = dim.rest
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .replace(/[^A-Za-z0-9_]/g, '_')
    .toLowerCase();
  return /^[a-z_]/.test(snake) ? snake : `_${snake}`;
}

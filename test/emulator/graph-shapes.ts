/**
 * Resource Graph as Azure answers it (Azure/azure-rest-api-specs, Microsoft.ResourceGraph 2024-04-01
 * examples; Azure/azure-cli-extensions resource-graph recordings; the facts note §4):
 * - rows carry only the projected columns (`project a, b = expr`); a query without `project` gets the
 *   whole row;
 * - `$skipToken` is opaque base64 with `+`, `/` and `=` in it, valid only when sent back byte for
 *   byte: a token URL-decoded (`+` -> space) or re-encoded (`/` -> `%2F`) is refused;
 * - the older table format `data: {columns: [{name, type}], rows: [[...]]}` (shape `graphTable`);
 * - `resultTruncated` as the string "true"/"false";
 * - a query it cannot run is a 400 whose `error.details[]` say why (`InvalidQuery`).
 */
import type { EstateResource } from './estate-api.js';

export interface GraphShapes {
  /** Answer in the table format (data: {columns, rows}) instead of objectArray. */
  readonly graphTable?: boolean;
}

/** A 400 for a query Resource Graph cannot run, as recorded (ids replaced). */
export const INVALID_QUERY = {
  error: {
    code: 'BadRequest',
    message:
      'Please provide below info when asking for support: timestamp = 2026-01-08T00:00:37.2500000Z, correlationId = 00000000-0000-4000-8000-00000000c0de.',
    details: [
      {
        code: 'InvalidQuery',
        message: 'Query is invalid. Please refer to the documentation for the Azure Resource Graph service and fix the error before retrying.',
      },
      { code: 'UnknownTable', message: "Table 'resourcez' could not be found." },
    ],
  },
} as const;

/** The whole row of a resource, as `resources` holds it. */
function fullRow(r: EstateResource): Record<string, unknown> {
  return {
    id: r.id,
    name: r.name,
    type: 'microsoft.communication/communicationservices',
    tenantId: '00000000-0000-4000-8000-0000000000ee',
    kind: '',
    location: r.location,
    resourceGroup: r.resourceGroup,
    subscriptionId: r.subscription,
    managedBy: '',
    sku: null,
    plan: null,
    properties: {
      provisioningState: 'Succeeded',
      hostName: `${r.name}.communication.azure.com`,
      dataLocation: r.dataLocation,
      immutableResourceId: '00000000-0000-4000-8000-00000000abcd',
    },
    tags: r.tags,
    identity: null,
    zones: null,
    extendedLocation: null,
  };
}

/** The columns of the query's last `project` (name, or name = tostring(properties.x)); undefined: none. */
function projection(query: string): { name: string; path: string[] }[] | undefined {
  const m = /\|\s*project\s+([^|]+)$/i.exec(query);
  if (!m) return undefined;
  return m[1]!.split(',').map((item) => {
    const [name, expr] = item.split('=').map((x) => x.trim());
    const inner = expr ? (/^tostring\((.+)\)$/i.exec(expr)?.[1] ?? expr) : name!;
    return { name: name!, path: inner.split('.') };
  });
}

/** A resource's row as the query projects it. */
export function projectRow(query: string, r: EstateResource): Record<string, unknown> {
  const row = fullRow(r);
  const cols = projection(query);
  if (!cols) return row;
  const pick = (path: string[]): unknown => path.reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined), row);
  return Object.fromEntries(cols.map((c) => [c.name, pick(c.path) ?? null]));
}

// A fixed prefix whose base64 starts "+/7+": every token has "+" and "/"; the length makes the "=" padding.
const PREFIX = Buffer.from([0xfb, 0xfe, 0xfe]);

/** The opaque token of the page starting at `offset`. */
export function skipToken(offset: number): string {
  let payload = Buffer.concat([PREFIX, Buffer.from(`acs-emulator:${offset}`)]);
  if (payload.length % 3 === 0) payload = Buffer.concat([payload, Buffer.from(';')]);
  return payload.toString('base64');
}

/** The offset a token stands for; undefined for a token that is not one of ours byte for byte. */
export function readSkipToken(token: unknown): number | undefined {
  if (typeof token !== 'string') return undefined;
  const bytes = Buffer.from(token, 'base64');
  // Node's decoder skips what is not base64 (a space from a URL-decoded "+"): re-encoding catches it.
  if (bytes.toString('base64') !== token || !bytes.subarray(0, 3).equals(PREFIX)) return undefined;
  const m = /^acs-emulator:(\d+);?$/.exec(bytes.subarray(3).toString('utf8'));
  return m ? Number(m[1]) : undefined;
}

/** A page of rows in the shape asked for. */
export function graphPage(
  shapes: GraphShapes,
  p: { rows: readonly Record<string, unknown>[]; data: Record<string, unknown>[]; offset: number; more: boolean; truncate: boolean },
): unknown {
  const data = shapes.graphTable
    ? {
        columns: Object.keys(p.data[0] ?? p.rows[0] ?? {}).map((name) => ({ name, type: name === 'tags' ? 'object' : 'string' })),
        rows: p.data.map((row) => Object.values(row)),
      }
    : p.data;
  return {
    totalRecords: p.rows.length,
    count: p.data.length,
    resultTruncated: p.truncate && p.more ? 'true' : 'false',
    ...(p.more && !p.truncate ? { $skipToken: skipToken(p.offset + p.data.length) } : {}),
    data,
  };
}

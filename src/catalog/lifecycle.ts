/**
 * Lifecycle facts of ACS channels, as data: Microsoft's "Azure Communication Services retirement and
 * breaking changes guide" (ms.date 2026-08-18). ACS as a standalone offering retires on 2028-09-30;
 * the retiring services take no new customers since 2026-10-23.
 */
import type { Lifecycle } from './types.js';

export const RETIREMENT_GUIDE = 'https://learn.microsoft.com/azure/communication-services/acs-retirement-and-breaking-changes-guide';
const SOURCE = `${RETIREMENT_GUIDE} (2026-08-18)`;
export const RETIREMENT_DATE = '2028-09-30';
export const NO_NEW_CUSTOMERS_SINCE = '2026-10-23';

export const RETIRING: Lifecycle = {
  status: 'retiring',
  date: RETIREMENT_DATE,
  summary: `retires on ${RETIREMENT_DATE} with ACS as a standalone offering; no new customers since ${NO_NEW_CUSTOMERS_SINCE}`,
  source: SOURCE,
};

export const BREAKING: Lifecycle = {
  status: 'breaking',
  date: RETIREMENT_DATE,
  summary: `breaking change on ${RETIREMENT_DATE}: only Teams-aligned scenarios stay supported`,
  source: SOURCE,
};

export const ACTIVE: Lifecycle = {
  status: 'active',
  summary: 'not affected by the ACS retirement (Identity)',
  source: SOURCE,
};

export const LEGACY_NETWORK_TRAVERSAL: Lifecycle = {
  status: 'legacy',
  summary: "SDKs deprecated on 2024-03-31; the metric left Microsoft's generated metric reference in May 2024",
  source:
    'https://learn.microsoft.com/azure/azure-monitor/reference/supported-metrics/microsoft-communication-communicationservices-metrics (generation of 2025-08-28)',
};

/** Short form for tables: "retiring 2028-09-30", "breaking 2028-09-30", "active", "legacy". */
export function lifecycleLabel(l: Lifecycle): string {
  return l.date ? `${l.status} ${l.date}` : l.status;
}

/** Whether traffic on this channel deserves a note: it retires or breaks. */
export function isEndOfLife(l: Lifecycle): boolean {
  return l.status === 'retiring' || l.status === 'breaking';
}

/**
 * The one-line note for a result with traffic on a channel that retires or breaks; undefined for
 * active and legacy metrics. Names the metric, the date and the source.
 */
export function endOfLifeNote(m: { readonly alias: string; readonly rest: string; readonly lifecycle: Lifecycle }): string | undefined {
  const l = m.lifecycle;
  if (!isEndOfLife(l)) return undefined;
  const what =
    l.status === 'retiring'
      ? `retires on ${l.date} (no new customers since ${NO_NEW_CUSTOMERS_SINCE})`
      : `has a breaking change on ${l.date} (only Teams-aligned scenarios stay supported)`;
  return `${m.alias} (${m.rest}) ${what}; see ${RETIREMENT_GUIDE}`;
}

/**
 * Subscription display names (--subscription "Contoso Prod") to ids, with one Resource Graph query at
 * tenant scope listing every subscription the credential can see (paged and quota-aware like discovery:
 * resource-graph.ts). Names are matched here, case-insensitively and exactly, not in the query: no
 * user text ever goes into KQL. Loaded only for a live run that names a subscription by name.
 */
import { type Candidate, didYouMean, suggest } from '../../catalog/names.js';
import { CliError, DataError } from '../../errors.js';
import { safeText } from '../../render/safe.js';
import type { ClientSettings } from './client.js';
import { checkCredential, makeCredential } from './credentials.js';
import { toCliError } from './errors.js';
import { openHttp } from './http.js';
import { queryGraph } from './resource-graph.js';

export const SUBSCRIPTIONS_QUERY = "resourcecontainers | where type =~ 'microsoft.resources/subscriptions' | project subscriptionId, name";

export interface VisibleSubscription {
  readonly subscriptionId: string;
  /** The display name. */
  readonly name: string;
}

const quoted = (name: string): string => `"${safeText(name)}"`;

/** What went wrong for one name, or its id. */
function matchOne(name: string, visible: readonly VisibleSubscription[]): { id: string } | { problem: string } {
  const key = name.toLowerCase();
  const hits = visible.filter((s) => s.name.toLowerCase() === key);
  const ids = [...new Map(hits.map((s) => [s.subscriptionId.toLowerCase(), s.subscriptionId])).values()];
  if (ids.length === 1) return { id: ids[0]! };
  if (ids.length > 1) {
    return { problem: `${ids.length} subscriptions are named ${quoted(name)}: ${ids.join(', ')}; give --subscription the id of the one you mean` };
  }
  if (visible.length === 0)
    return { problem: `no subscription named ${quoted(name)}: the credential sees no subscription at all (check the signed-in account and tenant)` };
  const candidates: Candidate<string>[] = [...new Set(visible.map((s) => s.name))].map((n) => ({ names: [n], label: quoted(n), value: n }));
  const dym = didYouMean(suggest(name, candidates));
  if (dym) return { problem: `no subscription named ${quoted(name)}: ${dym} (or give the subscription id)` };
  const n = visible.length;
  return {
    problem: `no subscription named ${quoted(name)}: the credential sees no subscription of that name (it sees ${n} subscription${n === 1 ? '' : 's'}); check the name, or give the subscription id`,
  };
}

/**
 * The id of each display name (keys: the names in lower case); a DataError with one line per name
 * that matches no subscription, or more than one.
 */
export function matchSubscriptionNames(names: readonly string[], visible: readonly VisibleSubscription[]): Map<string, string> {
  const ids = new Map<string, string>();
  const problems: string[] = [];
  for (const name of names) {
    const m = matchOne(name, visible);
    if ('id' in m) ids.set(name.toLowerCase(), m.id);
    else problems.push(m.problem);
  }
  if (problems.length > 0) throw new DataError(problems);
  return ids;
}

/** A Resource Graph row as a subscription; undefined for a row without both fields. */
function toSubscription(row: unknown): VisibleSubscription | undefined {
  const r = row as Record<string, unknown> | undefined;
  if (typeof r?.subscriptionId !== 'string' || typeof r.name !== 'string') return undefined;
  return { subscriptionId: r.subscriptionId, name: r.name };
}

/** What the lookup needs: the settings of a Metrics client, without its credential seam. */
export type LookupOptions = Omit<ClientSettings, 'credential'> & { readonly onPage?: () => void };

/** The ids of these subscription display names, from one Resource Graph query. */
export async function resolveSubscriptionNames(names: readonly string[], o: LookupOptions): Promise<Map<string, string>> {
  const host = new URL(o.endpoint).host;
  const scope = `${o.endpoint}/.default`;
  const cred = await makeCredential(o.env, o.now);
  const wrap = (err: unknown): never => {
    if (err instanceof CliError) throw err;
    throw toCliError(err, { host, resource: { id: '', subscription: '', resourceGroup: '', name: '' }, tokenKind: cred.kind, signal: o.signal });
  };
  let visible: VisibleSubscription[];
  try {
    await checkCredential(cred, scope, o.signal);
    const http = await openHttp({ credential: cred.credential, scope, timeoutMs: o.timeoutMs, log: o.log, signal: o.signal, retry: o.retry, sleep: o.sleep });
    const rows = await queryGraph(
      { http, endpoint: o.endpoint, log: o.log, signal: o.signal, sleep: o.sleep, onPage: o.onPage },
      { query: SUBSCRIPTIONS_QUERY, rows: 'subscriptions', narrow: 'give --subscription the subscription id instead of its name' },
    );
    visible = rows.map(toSubscription).filter((s) => s !== undefined);
  } catch (err) {
    return wrap(err);
  }
  const ids = matchSubscriptionNames(names, visible);
  for (const name of names)
    o.log.trace(
      `subscription ${quoted(name)} is ${ids.get(name.toLowerCase())} (Resource Graph: ${visible.length} subscription${visible.length === 1 ? '' : 's'} visible)`,
    );
  return ids;
}

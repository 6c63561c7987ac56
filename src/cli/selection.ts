/**
 * Which ACS resources a live command looks at: one resolution path for query, check, status and
 * resources. Parsing here is pure (no Azure packages); discovery (Resource Graph) happens in
 * sources/azure/estate.ts, loaded only for a live run.
 *
 * - --resource ID (repeatable) and --resources-from FILE|- name resources by id;
 * - --subscription S (repeatable) means every ACS resource in S, --all-subscriptions every one the
 *   credential can see; --resource-group, --name (repeatable, * and ? globs) and --tag KEY=VALUE narrow
 *   that set. --subscription, --resource-group and --name of one resource (no glob, no tag) still build
 *   its id without any discovery. S is an id (a GUID) or a display name: parseSelection lists the names
 *   and the caller looks them up (sources/azure/subscription-names.ts) before building the selection;
 * - ACS_METRICS_RESOURCE when nothing else is given.
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { DataError, UsageError } from '../errors.js';
import { safeText } from '../render/safe.js';
import { buildResourceId, checkIdPart, isSubscriptionId, parseResourceId, type ResourceId } from '../sources/azure/resource-id.js';
import type { Discovery, Selection } from '../sources/azure/selection.js';
import type { Io } from './io.js';

export type { Discovery, Selection };

export interface SelectionOptions {
  resource?: string[];
  resourcesFrom?: string;
  subscription?: string[];
  allSubscriptions?: boolean;
  resourceGroup?: string[];
  name?: string[];
  tag?: string[];
}

const isGlob = (s: string): boolean => /[*?]/.test(s);

/** True when any option names live resources (so --fixture cannot go with it). */
export function namedOptions(o: SelectionOptions): string[] {
  const given: [string, unknown][] = [
    ['--resource', o.resource?.length ? o.resource : undefined],
    ['--resources-from', o.resourcesFrom],
    ['--subscription', o.subscription?.length ? o.subscription : undefined],
    ['--all-subscriptions', o.allSubscriptions || undefined],
    ['--resource-group', o.resourceGroup?.length ? o.resourceGroup : undefined],
    ['--name', o.name?.length ? o.name : undefined],
    ['--tag', o.tag?.length ? o.tag : undefined],
  ];
  return given.filter(([, v]) => v !== undefined).map(([k]) => k);
}

function parseTag(text: string): [string, string] {
  const at = text.indexOf('=');
  if (at <= 0 || text.slice(0, at).trim() === '') throw new UsageError(`invalid --tag "${safeText(text)}": expected KEY=VALUE, e.g. --tag env=prod`);
  return [text.slice(0, at).trim(), text.slice(at + 1).trim()];
}

/** What --resource-group and --name take, for the "empty value" message. */
const NARROWING_EXAMPLES: Record<string, string> = {
  '--resource-group': 'a resource group name, e.g. --resource-group my-rg',
  '--name': "a resource name, or a pattern with * and ?, e.g. --name acs-prod or --name 'acs-*'",
};

/** An empty --resource-group or --name never narrows to nothing (a data error): it is a usage error. */
function checkNotEmpty(flag: '--resource-group' | '--name', values: readonly string[]): void {
  if (values.some((v) => v.trim() === '')) throw new UsageError(`${flag} has an empty value: give ${NARROWING_EXAMPLES[flag]}`);
}

/** The ids in a --resources-from text: one per line (# comments, blank lines), or the JSON of `resources -o json`. */
export function parseResourceList(text: string, source: string): ResourceId[] {
  const trimmed = text.trim();
  let entries: string[];
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    let doc: unknown;
    try {
      doc = JSON.parse(trimmed);
    } catch (err) {
      throw new UsageError(
        `${source}: not valid JSON (${(err as Error).message}); give one resource id per line, or the output of "acs-metrics resources -o json"`,
      );
    }
    const list = Array.isArray(doc) ? doc : (doc as { resources?: unknown }).resources;
    if (!Array.isArray(list))
      throw new UsageError(`${source}: expected a list of resources, or an object with "resources" (the output of "acs-metrics resources -o json")`);
    entries = list.map((e, i) => {
      const id = typeof e === 'string' ? e : (e as { id?: unknown })?.id;
      if (typeof id !== 'string') throw new UsageError(`${source}: resources[${i}] has no "id"`);
      return id;
    });
  } else {
    entries = text
      .split(/\r?\n/)
      .map((l) => l.replace(/#.*$/, '').trim())
      .filter((l) => l !== '');
  }
  if (entries.length === 0) throw new UsageError(`${source}: no resource ids in it`);
  return entries.map((e, i) => {
    try {
      return parseResourceId(e);
    } catch (err) {
      throw new UsageError(`${source}: entry ${i + 1}: ${(err as Error).message}`);
    }
  });
}

async function readList(path: string, io: Io): Promise<ResourceId[]> {
  if (path.trim() === '') throw new UsageError('--resources-from needs a file name, or "-" for stdin');
  let text: string;
  if (path === '-') {
    const chunks: Buffer[] = [];
    for await (const c of io.stdin) chunks.push(Buffer.isBuffer(c) ? c : Buffer.from(String(c)));
    text = Buffer.concat(chunks).toString('utf8');
  } else {
    try {
      text = await readFile(resolve(io.cwd, path), 'utf8');
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      throw new DataError(
        `cannot read ${safeText(path)}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : (err as Error).message}`,
      );
    }
  }
  return parseResourceList(text, `--resources-from ${path === '-' ? 'stdin' : safeText(path)}`);
}

/** The ids without repeats (any case), in the order given. */
function unique(ids: readonly ResourceId[]): ResourceId[] {
  const seen = new Set<string>();
  return ids.filter((r) => {
    const k = r.id.toLowerCase();
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/**
 * What parseSelection read: the display names among --subscription (to look up; none when every S is
 * an id), and the selection once their ids are known.
 */
export interface ParsedSelection {
  /** The names given to --subscription that are not GUIDs, without repeats (any case), in the order given. */
  readonly subscriptionNames: readonly string[];
  /** The selection; `ids` maps each of subscriptionNames, in lower case, to its subscription id. */
  build(ids?: ReadonlyMap<string, string>): Selection;
}

/** The display names among --subscription values, without repeats (any case); UsageError for an empty one. */
export function subscriptionNames(subs: readonly string[]): string[] {
  const seen = new Set<string>();
  const names: string[] = [];
  for (const s of subs) {
    if (s.trim() === '') throw new UsageError(`invalid --subscription "${safeText(s)}": expected a subscription id (a GUID) or a subscription name`);
    if (isSubscriptionId(s) || seen.has(s.toLowerCase())) continue;
    seen.add(s.toLowerCase());
    names.push(s);
  }
  return names;
}

/** A --subscription value as an id: itself, or the looked-up id of a name. */
export function subscriptionId(s: string, ids: ReadonlyMap<string, string> = new Map()): string {
  if (isSubscriptionId(s)) return s;
  const id = ids.get(s.toLowerCase());
  if (id === undefined) throw new Error(`subscription name "${s}" was not looked up`);
  return id;
}

const ready = (selection: Selection): ParsedSelection => ({ subscriptionNames: [], build: () => selection });

/** Reads the selection options (and ACS_METRICS_RESOURCE); throws UsageError for contradictions. */
export async function parseSelection(o: SelectionOptions, io: Io): Promise<ParsedSelection> {
  const ids = [...(o.resource ?? []).map((r) => parseResourceId(r))];
  if (o.resourcesFrom !== undefined) ids.push(...(await readList(o.resourcesFrom, io)));
  const subs = o.subscription ?? [];
  const groups = o.resourceGroup ?? [];
  const names = o.name ?? [];
  checkNotEmpty('--resource-group', groups);
  checkNotEmpty('--name', names);
  const tags = (o.tag ?? []).map(parseTag);
  const narrowing = namedOptions({ resourceGroup: o.resourceGroup, name: o.name, tag: o.tag });
  const byId = namedOptions({ resource: o.resource, resourcesFrom: o.resourcesFrom });
  if (ids.length > 0 || byId.length > 0) {
    const other = namedOptions({
      subscription: o.subscription,
      allSubscriptions: o.allSubscriptions,
      resourceGroup: o.resourceGroup,
      name: o.name,
      tag: o.tag,
    });
    if (other.length > 0) throw new UsageError(`give either ${byId.join(' or ')} or ${other.join(', ')}, not both`);
    return ready({ kind: 'ids', ids: unique(ids) });
  }
  if (o.allSubscriptions && subs.length > 0) throw new UsageError('give either --all-subscriptions or --subscription, not both');
  const subscriptionNamesGiven = subscriptionNames(subs);
  if (!o.allSubscriptions && subs.length === 0) {
    if (narrowing.length > 0) {
      throw new UsageError(
        `${narrowing.join(', ')} ${narrowing.length === 1 ? 'narrows' : 'narrow'} a subscription's resources: give --subscription S (or --all-subscriptions) too`,
      );
    }
    const fromEnv = io.env.ACS_METRICS_RESOURCE;
    if (fromEnv === undefined || fromEnv === '') return ready({ kind: 'none' });
    try {
      return ready({ kind: 'ids', ids: [parseResourceId(fromEnv)] });
    } catch (err) {
      if (err instanceof UsageError) throw new UsageError(`ACS_METRICS_RESOURCE: ${err.message}`);
      throw err;
    }
  }
  // One resource by its parts: its id, without asking Resource Graph for resources (a name costs one lookup).
  if (subs.length === 1 && groups.length === 1 && names.length === 1 && tags.length === 0 && !isGlob(names[0]!)) {
    checkIdPart('--resource-group', groups[0]!);
    checkIdPart('--name', names[0]!);
    if (isSubscriptionId(subs[0]!)) buildResourceId(subs[0]!, groups[0]!, names[0]!);
    return {
      subscriptionNames: subscriptionNamesGiven,
      build: (found) => ({ kind: 'ids', ids: [buildResourceId(subscriptionId(subs[0]!, found), groups[0]!, names[0]!)] }),
    };
  }
  return {
    subscriptionNames: subscriptionNamesGiven,
    build: (found) => ({
      kind: 'discover',
      discovery: {
        ...(o.allSubscriptions ? {} : { subscriptions: [...new Set(subs.map((s) => subscriptionId(s, found).toLowerCase()))] }),
        resourceGroups: groups,
        names,
        tags,
      },
    }),
  };
}

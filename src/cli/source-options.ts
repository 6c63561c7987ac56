/**
 * The data-source options shared by `query` and `check`: fixture files, or a live ACS resource in
 * Azure Monitor. openSource picks one; the Azure packages are loaded only for a live source.
 */
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { humanDuration, parseDuration } from '../core/duration.js';
import type { Query } from '../core/model.js';
import { DataError, InterruptedError, UsageError } from '../errors.js';
import { safeText } from '../render/safe.js';
import { CLOUDS, cloudOf, DEFAULT_ENDPOINT } from '../sources/azure/endpoint.js';
import { buildResourceId, checkIdPart, parseResourceId, type ResourceId } from '../sources/azure/resource-id.js';
import { FixtureSource } from '../sources/fixture-source.js';
import { resolveOutputTarget, writeOutputFile } from '../sources/save.js';
import type { MetricsSource, SourceResult } from '../sources/source.js';
import type { Context } from './context.js';
import { namedOptions, parseSelection, type SelectionOptions, subscriptionId, subscriptionNames } from './selection.js';

export interface AzureOptions {
  resource?: string;
  subscription?: string;
  resourceGroup?: string;
  name?: string;
  endpoint?: string;
  timeout?: string;
}

/** The options of commands that take a selection of resources (query, check, status, resources). */
export interface LiveOptions extends SelectionOptions {
  endpoint?: string;
  batchEndpoint?: string;
  timeout?: string;
  concurrency?: string;
  /** false with --no-batch. */
  batch?: boolean;
  /** Hidden: one request per resource and metric (the az CLI's way), for the benchmark's baseline. */
  perMetric?: boolean;
  /** --dry-run: print the plan, send no metrics request (dry-run.ts). */
  dryRun?: boolean;
}

export interface SourceOptions extends LiveOptions {
  fixture?: string[];
  save?: string;
}

export const DEFAULT_TIMEOUT_MS = 30_000;
const MIN_TIMEOUT_MS = 1000;
const MAX_TIMEOUT_MS = 60 * 60_000;

const collect = (value: string, previous: string[] | undefined): string[] => [...(previous ?? []), value];

/** The options that name a live ACS resource and how to reach it (query, check, definitions). */
export function addAzureOptions(cmd: Command): Command {
  return cmd
    .option('--resource <id>', 'the full ACS resource id (env ACS_METRICS_RESOURCE; az communication show --query id)')
    .option(
      '--subscription <id-or-name>',
      'with --resource-group and --name: build the resource id from its parts (the subscription id, or its name: one Resource Graph lookup)',
    )
    .option('-g, --resource-group <name>', 'the resource group of the ACS resource')
    .option('--name <name>', 'the name of the ACS resource')
    .option('--endpoint <url>', `Azure Resource Manager endpoint for sovereign clouds (env ACS_METRICS_ENDPOINT; default ${DEFAULT_ENDPOINT})`)
    .option('--timeout <duration>', `give up on a request after this long, e.g. 30s, 2m, PT30S (default ${humanDuration(DEFAULT_TIMEOUT_MS)})`);
}

/** The options that choose live resources and how to reach them (query, check, status, resources). */
export function addLiveOptions(cmd: Command): Command {
  return cmd
    .option('--resource <id>', 'a full ACS resource id (repeatable; env ACS_METRICS_RESOURCE; az communication show --query id)', collect)
    .option('--resources-from <file>', 'resource ids, one per line, or the JSON of "acs-metrics resources -o json" ("-" for stdin)')
    .option(
      '--subscription <id-or-name>',
      'every ACS resource in this subscription, by id or name (repeatable); with --resource-group and --name: that one resource',
      collect,
    )
    .option('--all-subscriptions', 'every ACS resource the credential can see (Resource Graph, tenant scope)')
    .option('-g, --resource-group <name>', 'only resources in this resource group (repeatable)', collect)
    .option('--name <name>', 'only resources with this name; * and ? match any text and any one character (repeatable)', collect)
    .option('--tag <key=value>', 'only resources with this tag (repeatable: all must match)', collect)
    .option('--endpoint <url>', `Azure Resource Manager endpoint, also for Resource Graph (env ACS_METRICS_ENDPOINT; default ${DEFAULT_ENDPOINT})`)
    .option(
      '--batch-endpoint <url>',
      `metrics batch API endpoint (env ACS_METRICS_BATCH_ENDPOINT; default for the cloud of --endpoint, ${CLOUDS[0]!.batch} in the public cloud)`,
    )
    .option('--no-batch', 'one Metrics - List request per resource instead of the batch API')
    .option('--concurrency <n>', `requests in flight at once (default ${DEFAULT_CONCURRENCY_TEXT})`)
    .option('--timeout <duration>', `give up on a request after this long, e.g. 30s, 2m, PT30S (default ${humanDuration(DEFAULT_TIMEOUT_MS)})`)
    .addOption(
      cmd.createOption('--per-metric', 'with --no-batch: one request per resource and metric (as az monitor metrics list does); for comparisons').hideHelp(),
    );
}

export function addSourceOptions(cmd: Command): Command {
  cmd.option(
    '--fixture <file>',
    'read Azure Monitor responses from a file, or every *.json file in a folder, instead of Azure ("-" for stdin; repeatable)',
    collect,
  );
  addLiveOptions(cmd);
  return cmd.option('--save <file>', 'also write the responses as a fixture file (replayable with --fixture)');
}

const DEFAULT_CONCURRENCY_TEXT = '8';
const MAX_CONCURRENCY = 64;

/** --concurrency: 1 to 64. */
export function parseConcurrency(text: string | undefined): number {
  if (text === undefined) return Number(DEFAULT_CONCURRENCY_TEXT);
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1 || n > MAX_CONCURRENCY)
    throw new UsageError(`invalid --concurrency "${safeText(text)}": expected a whole number from 1 to ${MAX_CONCURRENCY}`);
  return n;
}

/** The batch endpoint: --batch-endpoint, ACS_METRICS_BATCH_ENDPOINT, or the cloud's; undefined with why not. */
export function batchTarget(opts: LiveOptions, arm: string, env: Context['io']['env']): { batchEndpoint?: string; noBatchReason?: string } {
  if (opts.batch === false) return {};
  const given = opts.batchEndpoint ?? env.ACS_METRICS_BATCH_ENDPOINT;
  if (given !== undefined && given.trim() !== '')
    return { batchEndpoint: parseEndpoint(given, '--batch-endpoint', 'https://global.metrics.monitor.azure.com') };
  const cloud = cloudOf(arm);
  if (cloud) return { batchEndpoint: cloud.batch };
  return {
    noBatchReason: `no metrics batch endpoint is known for ${new URL(arm).host}: using one request per resource; give --batch-endpoint (or ACS_METRICS_BATCH_ENDPOINT) for the batch API`,
  };
}

/**
 * The ids of subscription display names given to --subscription (keys in lower case): one Resource
 * Graph query, only when there are names (the Azure packages load only then).
 */
export async function lookUpSubscriptions(
  names: readonly string[],
  endpoint: string,
  timeoutMs: number,
  ctx: Context,
  counter?: { pages: number },
): Promise<ReadonlyMap<string, string>> {
  if (names.length === 0) return new Map();
  const { resolveSubscriptionNames } = await import('../sources/azure/subscription-names.js');
  return resolveSubscriptionNames(names, {
    endpoint,
    timeoutMs,
    env: ctx.io.env,
    now: ctx.io.now().getTime(),
    log: { warn: ctx.warn, note: ctx.note, trace: ctx.trace },
    signal: ctx.io.signal,
    onPage: () => void (counter !== undefined && counter.pages++),
    sleep: ctx.io.sleep,
  });
}

/** Everything the estate source needs, from the options (subscription names looked up last, after every check). */
export async function estateSettings(opts: LiveOptions, ctx: Context) {
  const parsed = await parseSelection(opts, ctx.io);
  const endpoint = parseEndpoint(opts.endpoint ?? ctx.io.env.ACS_METRICS_ENDPOINT);
  const batch = batchTarget(opts, endpoint, ctx.io.env);
  const concurrency = parseConcurrency(opts.concurrency);
  const timeoutMs = parseTimeout(opts.timeout);
  const lookup = { pages: 0 };
  const selection = parsed.build(await lookUpSubscriptions(parsed.subscriptionNames, endpoint, timeoutMs, ctx, lookup));
  return {
    selection,
    lookupPages: lookup.pages,
    endpoint,
    ...batch,
    concurrency,
    metricsPerCall: opts.perMetric ? 1 : undefined,
    timeoutMs,
    env: ctx.io.env,
    now: ctx.io.now().getTime(),
    log: { warn: ctx.warn, note: ctx.note, trace: ctx.trace },
    sleep: ctx.io.sleep,
  };
}

/**
 * The resource from --resource, --subscription/--resource-group/--name, or ACS_METRICS_RESOURCE; a
 * subscription display name is looked up with `ids` (keys in lower case; see subscriptionToLookUp).
 */
export function resolveResource(opts: AzureOptions, env: Context['io']['env'], ids?: ReadonlyMap<string, string>): ResourceId | undefined {
  const parts = { '--subscription': opts.subscription, '--resource-group': opts.resourceGroup, '--name': opts.name };
  const given = Object.entries(parts).filter(([, v]) => v !== undefined);
  if (opts.resource !== undefined && given.length > 0) {
    throw new UsageError(`give either --resource or ${given.map(([k]) => k).join(', ')}, not both`);
  }
  if (opts.resource !== undefined) return parseResourceId(opts.resource);
  if (given.length > 0) {
    const missing = Object.entries(parts)
      .filter(([, v]) => v === undefined)
      .map(([k]) => k);
    if (missing.length > 0) throw new UsageError(`--subscription, --resource-group and --name go together: missing ${missing.join(' and ')}`);
    return buildResourceId(subscriptionId(opts.subscription!, ids), opts.resourceGroup!, opts.name!);
  }
  const fromEnv = env.ACS_METRICS_RESOURCE;
  if (fromEnv === undefined || fromEnv === '') return undefined;
  try {
    return parseResourceId(fromEnv);
  } catch (err) {
    if (err instanceof UsageError) throw new UsageError(`ACS_METRICS_RESOURCE: ${err.message}`);
    throw err;
  }
}

/** The subscription display name resolveResource needs looked up, after checking the options as far as they go without it. */
export function subscriptionToLookUp(opts: AzureOptions, env: Context['io']['env']): string[] {
  const s = opts.subscription;
  if (s === undefined || opts.resource !== undefined || opts.resourceGroup === undefined || opts.name === undefined) {
    resolveResource(opts, env);
    return [];
  }
  const names = subscriptionNames([s]);
  checkIdPart('--resource-group', opts.resourceGroup);
  checkIdPart('--name', opts.name);
  if (names.length === 0) resolveResource(opts, env);
  return names;
}

/** The single-resource options (definitions) as the options of a selection. */
export function selectionOf(opts: AzureOptions): SourceOptions {
  const list = (v: string | undefined): string[] | undefined => (v === undefined ? undefined : [v]);
  return {
    resource: list(opts.resource),
    subscription: list(opts.subscription),
    resourceGroup: list(opts.resourceGroup),
    name: list(opts.name),
    endpoint: opts.endpoint,
    timeout: opts.timeout,
  };
}

/** --endpoint / ACS_METRICS_ENDPOINT as an https origin. */
export function parseEndpoint(text: string | undefined, flag = '--endpoint', example = 'https://management.usgovcloudapi.net'): string {
  if (text === undefined || text.trim() === '') return DEFAULT_ENDPOINT;
  const shown = safeText(text);
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    throw new UsageError(`invalid ${flag} "${shown}": expected an https URL such as ${example}`);
  }
  if (url.protocol !== 'https:') throw new UsageError(`invalid ${flag} "${shown}": it must be an https URL (access tokens are never sent over plain http)`);
  if (url.pathname !== '/' || url.search !== '' || url.hash !== '' || url.username !== '' || url.password !== '') {
    throw new UsageError(
      `invalid ${flag} "${shown}": give only the scheme and host, e.g. ${flag === '--endpoint' ? 'https://management.chinacloudapi.cn' : example}`,
    );
  }
  return url.origin;
}

/** --timeout as milliseconds. */
export function parseTimeout(text: string | undefined): number {
  if (text === undefined) return DEFAULT_TIMEOUT_MS;
  const ms = parseDuration(text);
  if (ms === undefined || ms < MIN_TIMEOUT_MS || ms > MAX_TIMEOUT_MS) {
    throw new UsageError(`invalid --timeout "${safeText(text)}": expected a duration from 1s to 1h, such as 30s, 2m or PT30S`);
  }
  return ms;
}

/** Everything a live command needs to reach the resource; undefined resource when none was named. */
export async function azureTarget(opts: AzureOptions, ctx: Context) {
  const names = subscriptionToLookUp(opts, ctx.io.env);
  const endpoint = parseEndpoint(opts.endpoint ?? ctx.io.env.ACS_METRICS_ENDPOINT);
  const timeoutMs = parseTimeout(opts.timeout);
  return {
    resource: resolveResource(opts, ctx.io.env, await lookUpSubscriptions(names, endpoint, timeoutMs, ctx)),
    endpoint,
    timeoutMs,
  };
}

/** What every live request needs: the resource, endpoint and timeout, the environment, the clock and the log. */
export function liveSettings(target: Awaited<ReturnType<typeof azureTarget>> & { resource: ResourceId }, ctx: Context) {
  return {
    resource: target.resource,
    endpoint: target.endpoint,
    timeoutMs: target.timeoutMs,
    env: ctx.io.env,
    now: ctx.io.now().getTime(),
    log: { warn: ctx.warn, note: ctx.note, trace: ctx.trace },
    sleep: ctx.io.sleep,
  };
}

export async function openSource(opts: SourceOptions, ctx: Context): Promise<MetricsSource> {
  const fixtures = opts.fixture ?? [];
  // An empty name would read the current directory ("is a directory", exit 3): it is a usage problem.
  if (fixtures.some((f) => f.trim() === '')) throw new UsageError('--fixture needs a file name (or - for stdin)');
  if (fixtures.length > 0) {
    const named = namedOptions(opts);
    if (named.length > 0) throw new UsageError(`give either --fixture or ${named.join(', ')}, not both`);
    // --save writes the bodies as parsed, so it reads files whole; otherwise they are streamed.
    return new FixtureSource(fixtures, ctx.io, { keepBodies: opts.save !== undefined });
  }
  const settings = await estateSettings(opts, ctx);
  const { selection } = settings;
  if (selection.kind === 'none') {
    throw new UsageError(
      'no data source: give --fixture FILE, or --resource ID (or set ACS_METRICS_RESOURCE), --subscription S or --all-subscriptions for a live query',
    );
  }
  if (selection.kind === 'ids' && selection.ids.length === 1) {
    // One resource: Metrics - List through @azure/arm-monitor, as always.
    const { AzureSource } = await import('../sources/azure/azure-source.js');
    return new AzureSource({ ...settings, resource: selection.ids[0]! });
  }
  const { EstateSource } = await import('../sources/azure/estate-source.js');
  // Only --save needs the answers as they came: without it each is parsed and let go as it arrives.
  return new EstateSource({ ...settings, keepBodies: opts.save !== undefined });
}

/** --save: checked before anything is fetched (a directory, a missing directory, a symlink loop). */
async function checkSavePath(path: string, cwd: string): Promise<string> {
  if (path.trim() === '') throw new UsageError('--save needs a file name');
  const full = resolve(cwd, path);
  await resolveOutputTarget(full, safeText(path));
  return full;
}

/** The text of a fixture file for the responses: one body, or an array of them. */
export function fixtureText(raw: readonly unknown[]): string {
  try {
    return `${JSON.stringify(raw.length === 1 ? raw[0] : raw, null, 2)}\n`;
  } catch (err) {
    // JSON.stringify recurses (thousands of nested arrays overflow the stack) and V8 strings stop near 512 MiB.
    if (!(err instanceof RangeError)) throw err;
    const why = /call stack/i.test(err.message) ? 'nested too deeply' : 'too large';
    throw new DataError(`--save: the responses are ${why} to write as a JSON file`, { cause: err });
  }
}

/** Opens the source the options name, fetches what the queries need, and honours --save. */
export async function fetchData(opts: SourceOptions, ctx: Context, queries: readonly Query[], opened?: MetricsSource): Promise<SourceResult> {
  return (await fetchWindows(opts, ctx, queries, undefined, opened)).data;
}

/** A usage error about the baseline's window (beyond the retention, empty) says it is the baseline's. */
async function asBaseline<T>(fetch: () => Promise<T>): Promise<T> {
  try {
    return await fetch();
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    throw new UsageError(
      /^the (time )?window /.test(err.message) ? err.message.replace(/^the (time )?window /, 'the baseline window ') : `the baseline window: ${err.message}`,
    );
  }
}

/**
 * fetchData for a comparison: files hold both windows (the baseline data is the same data); a live
 * source fetches the baseline queries (made from "now") separately. --save writes every response.
 */
export async function fetchWindows(
  opts: SourceOptions,
  ctx: Context,
  queries: readonly Query[],
  baselineQueries?: (now: number) => readonly Query[],
  opened?: MetricsSource,
): Promise<{ data: SourceResult; baseline?: SourceResult }> {
  const source = opened ?? (await openSource(opts, ctx));
  const savePath = opts.save !== undefined ? await checkSavePath(opts.save, ctx.io.cwd) : undefined;
  const data = await source.fetch(queries, ctx.io.signal);
  let baseline: SourceResult | undefined;
  if (baselineQueries !== undefined) {
    baseline =
      source instanceof FixtureSource ? data : await asBaseline(() => source.fetch(baselineQueries(data.anchor ?? ctx.io.now().getTime()), ctx.io.signal));
  }
  if (savePath !== undefined) {
    if (ctx.io.signal?.aborted) throw new InterruptedError();
    const raw = baseline !== undefined && baseline !== data ? [...data.raw, ...baseline.raw] : data.raw;
    if (raw.length === 0) throw new DataError('--save: there are no responses to save');
    await writeOutputFile(savePath, fixtureText(raw), { signal: ctx.io.signal, shown: safeText(opts.save!), streams: ctx.io });
    ctx.note(`saved ${raw.length === 1 ? 'the response' : `${raw.length} responses`} to ${safeText(opts.save!)}`);
  }
  return { data, ...(baseline !== undefined ? { baseline } : {}) };
}

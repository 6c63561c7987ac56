/**
 * The data-source options shared by `query` and `check`: fixture files, or a live ACS resource in
 * Azure Monitor. openSource picks one; the Azure packages are loaded only for a live source.
 */
import { stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { Command } from 'commander';
import { humanDuration, parseDuration } from '../core/duration.js';
import type { Query } from '../core/model.js';
import { DataError, InterruptedError, UsageError } from '../errors.js';
import { safeText } from '../render/safe.js';
import { DEFAULT_ENDPOINT } from '../sources/azure/endpoint.js';
import { buildResourceId, parseResourceId, type ResourceId } from '../sources/azure/resource-id.js';
import { FixtureSource } from '../sources/fixture-source.js';
import { writeFileAtomic } from '../sources/save.js';
import type { MetricsSource, SourceResult } from '../sources/source.js';
import type { Context } from './context.js';

export interface AzureOptions {
  resource?: string;
  subscription?: string;
  resourceGroup?: string;
  name?: string;
  endpoint?: string;
  timeout?: string;
}

export interface SourceOptions extends AzureOptions {
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
    .option('--subscription <guid>', 'with --resource-group and --name: build the resource id from its parts')
    .option('--resource-group <name>', 'the resource group of the ACS resource')
    .option('--name <name>', 'the name of the ACS resource')
    .option('--endpoint <url>', `Azure Resource Manager endpoint for sovereign clouds (env ACS_METRICS_ENDPOINT; default ${DEFAULT_ENDPOINT})`)
    .option('--timeout <duration>', `give up on a request after this long, e.g. 30s, 2m, PT30S (default ${humanDuration(DEFAULT_TIMEOUT_MS)})`);
}

export function addSourceOptions(cmd: Command): Command {
  cmd.option('--fixture <file>', 'read Azure Monitor responses from a file, or every *.json file in a folder, instead of Azure ("-" for stdin; repeatable)', collect);
  addAzureOptions(cmd);
  return cmd.option('--save <file>', 'also write the responses as a fixture file (replayable with --fixture)');
}

/** The resource from --resource, --subscription/--resource-group/--name, or ACS_METRICS_RESOURCE. */
export function resolveResource(opts: AzureOptions, env: Context['io']['env']): ResourceId | undefined {
  const parts = { '--subscription': opts.subscription, '--resource-group': opts.resourceGroup, '--name': opts.name };
  const given = Object.entries(parts).filter(([, v]) => v !== undefined);
  if (opts.resource !== undefined && given.length > 0) {
    throw new UsageError(`give either --resource or ${given.map(([k]) => k).join(', ')}, not both`);
  }
  if (opts.resource !== undefined) return parseResourceId(opts.resource);
  if (given.length > 0) {
    const missing = Object.entries(parts).filter(([, v]) => v === undefined).map(([k]) => k);
    if (missing.length > 0) throw new UsageError(`--subscription, --resource-group and --name go together: missing ${missing.join(' and ')}`);
    return buildResourceId(opts.subscription!, opts.resourceGroup!, opts.name!);
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

/** --endpoint / ACS_METRICS_ENDPOINT as an https origin. */
export function parseEndpoint(text: string | undefined): string {
  if (text === undefined || text.trim() === '') return DEFAULT_ENDPOINT;
  const shown = safeText(text);
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    throw new UsageError(`invalid --endpoint "${shown}": expected an https URL such as https://management.usgovcloudapi.net`);
  }
  if (url.protocol !== 'https:') throw new UsageError(`invalid --endpoint "${shown}": it must be an https URL (access tokens are never sent over plain http)`);
  if (url.pathname !== '/' || url.search !== '' || url.hash !== '' || url.username !== '' || url.password !== '') {
    throw new UsageError(`invalid --endpoint "${shown}": give only the scheme and host, e.g. https://management.chinacloudapi.cn`);
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
export function azureTarget(opts: AzureOptions, ctx: Context) {
  return {
    resource: resolveResource(opts, ctx.io.env),
    endpoint: parseEndpoint(opts.endpoint ?? ctx.io.env.ACS_METRICS_ENDPOINT),
    timeoutMs: parseTimeout(opts.timeout),
  };
}

/** What every live request needs: the resource, endpoint and timeout, the environment, the clock and the log. */
export function liveSettings(target: ReturnType<typeof azureTarget> & { resource: ResourceId }, ctx: Context) {
  return {
    resource: target.resource,
    endpoint: target.endpoint,
    timeoutMs: target.timeoutMs,
    env: ctx.io.env,
    now: ctx.io.now().getTime(),
    log: { warn: ctx.warn, note: ctx.note, trace: ctx.trace },
  };
}

export async function openSource(opts: SourceOptions, ctx: Context): Promise<MetricsSource> {
  const fixtures = opts.fixture ?? [];
  if (fixtures.length > 0) {
    const live = [['--resource', opts.resource], ['--subscription', opts.subscription], ['--resource-group', opts.resourceGroup], ['--name', opts.name]];
    const named = live.filter(([, v]) => v !== undefined).map(([k]) => k);
    if (named.length > 0) throw new UsageError(`give either --fixture or ${named.join(', ')}, not both`);
    // --save writes the bodies as parsed, so it reads files whole; otherwise they are streamed.
    return new FixtureSource(fixtures, ctx.io, { keepBodies: opts.save !== undefined });
  }
  const target = azureTarget(opts, ctx);
  if (target.resource === undefined) {
    throw new UsageError('no data source: give --fixture FILE, or --resource ID (or set ACS_METRICS_RESOURCE) for a live query');
  }
  const { AzureSource } = await import('../sources/azure/azure-source.js');
  return new AzureSource(liveSettings({ ...target, resource: target.resource }, ctx));
}

/** --save: the directory must exist before anything is fetched. */
async function checkSavePath(path: string, cwd: string): Promise<string> {
  if (path.trim() === '') throw new UsageError('--save needs a file name');
  const full = resolve(cwd, path);
  const dir = await stat(dirname(full)).catch(() => undefined);
  if (!dir?.isDirectory()) throw new DataError(`cannot write ${safeText(path)}: no such directory`);
  const existing = await stat(full).catch(() => undefined);
  if (existing?.isDirectory()) throw new DataError(`cannot write ${safeText(path)}: is a directory`);
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
export async function fetchData(opts: SourceOptions, ctx: Context, queries: readonly Query[]): Promise<SourceResult> {
  const source = await openSource(opts, ctx);
  const savePath = opts.save !== undefined ? await checkSavePath(opts.save, ctx.io.cwd) : undefined;
  const result = await source.fetch(queries, ctx.io.signal);
  if (savePath !== undefined) {
    if (ctx.io.signal?.aborted) throw new InterruptedError();
    if (result.raw.length === 0) throw new DataError('--save: there are no responses to save');
    await writeFileAtomic(savePath, fixtureText(result.raw), ctx.io.signal);
    ctx.note(`saved ${result.raw.length === 1 ? 'the response' : `${result.raw.length} responses`} to ${safeText(opts.save!)}`);
  }
  return result;
}

/**
 * The data-source options shared by `query` and `check`: fixture files, or a live ACS resource in
 * Azure Monitor. openSource picks one; the Azure packages are loaded only for a live source.
 */
import type { Command } from 'commander';
import { UsageError } from '../errors.js';
import { FixtureSource } from '../sources/fixture-source.js';
import type { Query } from '../core/model.js';
import type { MetricsSource, SourceResult } from '../sources/source.js';
import type { Context } from './context.js';

export interface SourceOptions {
  fixture?: string[];
  resource?: string;
  subscription?: string;
  resourceGroup?: string;
  name?: string;
  endpoint?: string;
  timeout?: string;
  save?: string;
}

const collect = (value: string, previous: string[] | undefined): string[] => [...(previous ?? []), value];

export function addSourceOptions(cmd: Command): Command {
  return cmd
    .option('--fixture <file>', 'read Azure Monitor responses from a file instead of Azure ("-" for stdin; repeatable)', collect)
    .option('--resource <id>', 'the ACS resource id (env ACS_METRICS_RESOURCE)');
}

export async function openSource(opts: SourceOptions, ctx: Context): Promise<MetricsSource> {
  const fixtures = opts.fixture ?? [];
  if (fixtures.length > 0) {
    if (opts.resource !== undefined) throw new UsageError('give either --fixture or --resource, not both');
    return new FixtureSource(fixtures, ctx.io);
  }
  const resource = opts.resource ?? ctx.io.env.ACS_METRICS_RESOURCE;
  if (resource === undefined || resource === '') {
    throw new UsageError('no data source: give --fixture FILE, or --resource ID (or set ACS_METRICS_RESOURCE) for a live query');
  }
  throw new UsageError('live queries are not available yet');
}

/** Opens the source the options name, fetches what the queries need, and honours --save. */
export async function fetchData(opts: SourceOptions, ctx: Context, queries: readonly Query[]): Promise<SourceResult> {
  const source = await openSource(opts, ctx);
  return source.fetch(queries, ctx.io.signal);
}

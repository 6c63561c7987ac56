/** Fetching a resource's metric definitions (Metric Definitions - List) for `acs-metrics definitions`. */
import { METRIC_NAMESPACE } from '../../catalog/metrics.js';
import { CliError, DataError } from '../../errors.js';
import { type ClientSettings, openClient } from './client.js';
import { type LiveDefinition, toLiveDefinition } from './definitions-diff.js';
import { toCliError } from './errors.js';
import type { ResourceId } from './resource-id.js';

/** More than any resource type has: the paging loop stops here. */
const MAX_DEFINITIONS = 2000;

export async function fetchDefinitions(settings: ClientSettings & { readonly resource: ResourceId }): Promise<LiveDefinition[]> {
  const host = new URL(settings.endpoint).host;
  let tokenKind: 'env-token' | 'default' = 'default';
  try {
    const open = await openClient(settings);
    tokenKind = open.tokenKind;
    const out: LiveDefinition[] = [];
    for await (const item of open.client.metricDefinitions.list(settings.resource.id, {
      metricnamespace: METRIC_NAMESPACE,
      abortSignal: settings.signal,
    })) {
      const def = toLiveDefinition(item);
      if (def) out.push(def);
      if (out.length >= MAX_DEFINITIONS) break;
    }
    return out;
  } catch (err) {
    if (err instanceof CliError) throw err;
    if (err instanceof TypeError) {
      throw new DataError(`the answer from ${host} is not a Metric Definitions response`, { cause: err });
    }
    throw toCliError(err, { host, resource: settings.resource, tokenKind, signal: settings.signal });
  }
}

/** The command modules, each loaded only when needed (completion lists them too). */
import type { Register } from './register.js';

/**
 * The commands, in the order help lists them, each with how to load its module. Only the module of the
 * command being run is loaded (start-up time: `catalog` does not load the query engine, renderers or
 * the rules-file reader); help, no command or an unknown one load them all.
 */
export const COMMAND_LOADERS: readonly (readonly [name: string, load: () => Promise<Register>])[] = [
  ['catalog', async () => (await import('./catalog.js')).registerCatalog],
  ['query', async () => (await import('./query.js')).registerQuery],
  ['check', async () => (await import('./check.js')).registerCheck],
  ['alerts', async () => (await import('./alerts.js')).registerAlerts],
  ['definitions', async () => (await import('./definitions.js')).registerDefinitions],
  ['usage', async () => (await import('./usage.js')).registerUsage],
  ['export', async () => (await import('./export.js')).registerExport],
  ['status', async () => (await import('./status.js')).registerStatus],
  ['resources', async () => (await import('./resources.js')).registerResources],
];

/** --workspace: a Log Analytics workspace, by its full resource id. */
import { UsageError } from '../errors.js';
import { safeText } from '../render/safe.js';

const WORKSPACE_ID = /^\/subscriptions\/[0-9a-f-]{36}\/resourceGroups\/[^/]+\/providers\/Microsoft\.OperationalInsights\/workspaces\/[^/]+$/i;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const SHAPE = '/subscriptions/<guid>/resourceGroups/<group>/providers/Microsoft.OperationalInsights/workspaces/<name>';
const HOW = 'az monitor log-analytics workspace show -g GROUP -n NAME --query id';

/** The workspace's resource id as given (trimmed); a UsageError naming the expected shape otherwise. */
export function parseWorkspace(text: string): string {
  const t = text.trim();
  if (WORKSPACE_ID.test(t)) return t;
  if (GUID.test(t)) {
    throw new UsageError(`--workspace ${safeText(t)} looks like a workspace's customer id (a GUID): give its resource id, ${SHAPE} (${HOW})`);
  }
  throw new UsageError(`invalid --workspace "${safeText(t)}": expected a workspace resource id, ${SHAPE} (${HOW})`);
}

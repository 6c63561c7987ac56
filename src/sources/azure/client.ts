/** The @azure/arm-monitor client with acs-metrics' own retry, timeout and --debug policies. */
import type { MonitorClient } from '@azure/arm-monitor';
import type { TokenCredential } from '@azure/identity';
import { version } from '../../version.js';
import { checkCredential, type Credential, makeCredential } from './credentials.js';
import { debugPolicy, DEFAULT_RETRY, retryNotice, retryPolicy, type RetrySettings } from './pipeline.js';

export { DEFAULT_ENDPOINT } from './endpoint.js';

export interface Log {
  readonly warn: (message: string) => void;
  readonly note: (message: string) => void;
  readonly trace: (message: string) => void;
}

export interface ClientSettings {
  /** https origin of Azure Resource Manager (sovereign clouds have their own). */
  readonly endpoint: string;
  readonly timeoutMs: number;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly now: number;
  readonly log: Log;
  readonly signal?: AbortSignal;
  /** Seams for tests of the source itself; the CLI never sets them. */
  readonly credential?: TokenCredential;
  readonly retry?: Partial<RetrySettings>;
  /** Waits between retries (tests scale them). */
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

export interface OpenClient {
  readonly client: MonitorClient;
  readonly host: string;
  readonly tokenKind: Credential['kind'];
}

/** Sets up credentials (checked with one token request) and the client. */
export async function openClient(s: ClientSettings): Promise<OpenClient> {
  const cred: Credential = s.credential ? { credential: s.credential, kind: 'env-token' } : await makeCredential(s.env, s.now);
  const scope = `${s.endpoint}/.default`;
  await checkCredential(cred, scope, s.signal);
  const { MonitorClient } = await import('@azure/arm-monitor');
  const client = new MonitorClient(cred.credential, {
    endpoint: s.endpoint,
    credentials: { scopes: [scope] },
    // Replaced below; zero retries in case it were not.
    retryOptions: { maxRetries: 0 },
    userAgentOptions: { userAgentPrefix: `acs-metrics/${version()}` },
  });
  const retry = { ...DEFAULT_RETRY, ...s.retry };
  client.pipeline.removePolicy({ name: 'defaultRetryPolicy' });
  client.pipeline.addPolicy(
    retryPolicy({
      retry,
      timeoutMs: s.timeoutMs,
      runSignal: s.signal,
      onRetry: retryNotice(s.log),
      sleep: s.sleep,
    }),
    { phase: 'Retry' },
  );
  client.pipeline.addPolicy(debugPolicy(s.log.trace), { afterPhase: 'Sign' });
  return { client, host: new URL(s.endpoint).host, tokenKind: cred.kind };
}

/**
 * Azure credentials: a ready bearer token from ACS_METRICS_ACCESS_TOKEN, else @azure/identity's
 * DefaultAzureCredential (az login, AZURE_* environment variables, workload or managed identity),
 * loaded only here and only when needed. The token is never written anywhere.
 */
import type { AccessToken, GetTokenOptions, TokenCredential } from '@azure/identity';
import { DataError, InterruptedError, UsageError } from '../../errors.js';

export const TOKEN_ENV = 'ACS_METRICS_ACCESS_TOKEN';

export const NO_CREDENTIALS =
  'no Azure credentials found: run `az login`, or set AZURE_TENANT_ID/AZURE_CLIENT_ID/AZURE_CLIENT_SECRET, or ACS_METRICS_ACCESS_TOKEN';

export interface Credential {
  readonly credential: TokenCredential;
  /** Where the token comes from, for messages. */
  readonly kind: 'env-token' | 'default';
}

/** A credential that always gives the same token (from the environment). */
export function staticTokenCredential(token: string, expiresOnTimestamp: number): TokenCredential {
  return { getToken: async () => ({ token, expiresOnTimestamp }) };
}

/** Remembers the last token per scope until shortly before it expires. */
export function cachingCredential(inner: TokenCredential): TokenCredential {
  const cache = new Map<string, AccessToken>();
  return {
    async getToken(scopes: string | string[], options?: GetTokenOptions): Promise<AccessToken | null> {
      const key = ([] as string[]).concat(scopes).join(' ');
      const hit = cache.get(key);
      if (hit && hit.expiresOnTimestamp - Date.now() > 2 * 60_000) return hit;
      const token = await inner.getToken(scopes, options);
      if (token) cache.set(key, token);
      return token;
    },
  };
}

/**
 * One DefaultAzureCredential (and its token cache) per run, keyed by the run's environment object:
 * the subscription-name lookup, discovery and the metrics requests of a run (every tick of a --watch)
 * share it, so `az login` is asked for a token once per scope rather than once per step.
 */
const defaults = new WeakMap<object, Credential>();

/** The credential for a run: the env token when set, else DefaultAzureCredential (one per run). */
export async function makeCredential(env: Readonly<Record<string, string | undefined>>, now: number): Promise<Credential> {
  const raw = env[TOKEN_ENV];
  if (raw !== undefined && raw.trim() !== '') {
    const token = raw.trim().replace(/^Bearer\s+/i, '');
    // eslint-disable-next-line no-control-regex
    if (/[\s\u0000-\u001f\u007f]/.test(token) || token === '') {
      throw new UsageError(`${TOKEN_ENV} is not a usable bearer token: it contains spaces or control characters`);
    }
    // The real expiry is unknown; the service says 401 when it has passed.
    return { credential: staticTokenCredential(token, now + 60 * 60_000), kind: 'env-token' };
  }
  const known = defaults.get(env);
  if (known) return known;
  try {
    const { DefaultAzureCredential } = await import('@azure/identity');
    const made: Credential = { credential: cachingCredential(new DefaultAzureCredential()), kind: 'default' };
    defaults.set(env, made);
    return made;
  } catch (err) {
    // For example AZURE_TOKEN_CREDENTIALS set to a value @azure/identity does not know.
    throw new DataError(`cannot set up Azure credentials: ${oneLine(err instanceof Error ? err.message : String(err))}`, { cause: err });
  }
}

/** A credential failure as one line, or undefined when the error is not one. */
export function credentialError(err: unknown, signal?: AbortSignal): Error | undefined {
  const name = (err as { name?: unknown })?.name;
  if (name === 'CredentialUnavailableError' || name === 'AggregateAuthenticationError' || name === 'AuthenticationRequiredError') {
    return new DataError(NO_CREDENTIALS, { cause: err });
  }
  if (name === 'AuthenticationError') {
    return new DataError(`Azure sign-in failed: ${oneLine((err as Error).message)}`, { cause: err });
  }
  if (name === 'AbortError' && signal?.aborted) return new InterruptedError();
  return undefined;
}

/** Gets a token once up front, so that credential problems are reported before any request. */
export async function checkCredential(cred: Credential, scope: string, signal?: AbortSignal): Promise<void> {
  try {
    const token = await cred.credential.getToken(scope, { abortSignal: signal });
    if (!token) throw new DataError(NO_CREDENTIALS);
  } catch (err) {
    if (signal?.aborted) throw new InterruptedError();
    throw credentialError(err, signal) ?? err;
  }
}

/** The first line of a message, shortened. */
export function oneLine(text: string, max = 300): string {
  const line = (text.split(/\r?\n/).find((l) => l.trim() !== '') ?? '').replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max - 3)}...` : line;
}

/** One-line messages for failures the emulator cannot produce: DNS, TLS, credentials. */
import { describe, expect, it } from 'vitest';
import { resolveMetric } from '../src/catalog/resolve.js';
import { makeCredential, NO_CREDENTIALS } from '../src/sources/azure/credentials.js';
import { type ErrorContext, toCliError } from '../src/sources/azure/errors.js';
import { parseResourceId } from '../src/sources/azure/resource-id.js';

const ID = '/subscriptions/00000000-0000-4000-8000-000000000001/resourceGroups/rg/providers/Microsoft.Communication/CommunicationServices/acs';
const ctx: ErrorContext = { host: 'management.azure.com', resource: parseResourceId(ID), metric: resolveMetric('chat'), tokenKind: 'default' };

const restError = (message: string, props: Record<string, unknown>) => Object.assign(new Error(message), { name: 'RestError', ...props });
const named = (name: string, message: string) => Object.assign(new Error(message), { name });

describe('toCliError', () => {
  const cases: [string, unknown, string][] = [
    [
      'an unknown host',
      restError('getaddrinfo ENOTFOUND management.azure.com', { code: 'ENOTFOUND' }),
      'cannot reach management.azure.com: host name not found (ENOTFOUND); check --endpoint and your network',
    ],
    [
      'a DNS failure',
      restError('getaddrinfo EAI_AGAIN', { code: 'EAI_AGAIN' }),
      'cannot reach management.azure.com: host name not found (EAI_AGAIN); check --endpoint and your network',
    ],
    [
      'a refused connection',
      restError('connect ECONNREFUSED', { code: 'ECONNREFUSED' }),
      'cannot reach management.azure.com: connection refused (ECONNREFUSED); check --endpoint and your network',
    ],
    [
      'an untrusted certificate',
      restError('unable to get local issuer certificate', { code: 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY' }),
      'cannot reach management.azure.com: TLS problem (UNABLE_TO_GET_ISSUER_CERT_LOCALLY): unable to get local issuer certificate',
    ],
    [
      'an expired certificate',
      restError('certificate has expired', { code: 'CERT_HAS_EXPIRED' }),
      'cannot reach management.azure.com: TLS problem (CERT_HAS_EXPIRED): certificate has expired',
    ],
    [
      'a 401 with a signed-in identity',
      restError('The access token is invalid.', { statusCode: 401, code: 'InvalidAuthenticationToken' }),
      'Azure rejected the access token (HTTP 401 InvalidAuthenticationToken): it has expired or is for another tenant or cloud; sign in again (az login)',
    ],
    [
      'a 400 naming a dimension',
      restError("Dimension 'Foo' is not valid\nfor this metric", { statusCode: 400, code: 'BadRequest' }),
      "Azure Monitor rejected the request for APIRequestChat (HTTP 400 BadRequest): Dimension 'Foo' is not valid; the catalog's dimensions for chat are Operation, StatusCode, StatusCodeClass: run \"acs-metrics definitions\" with the same --resource to compare",
    ],
    ['another status', restError('Conflict', { statusCode: 409, code: 'Conflict' }), 'Azure Monitor failed for APIRequestChat (HTTP 409 Conflict): Conflict'],
    [
      'no credentials (the whole chain unavailable)',
      named('AggregateAuthenticationError', 'ChainedTokenCredential authentication failed.\nCredentialUnavailableError: ...'),
      NO_CREDENTIALS,
    ],
    ['no credentials (one unavailable)', named('CredentialUnavailableError', 'EnvironmentCredential is unavailable.'), NO_CREDENTIALS],
    [
      'a rejected sign-in',
      named('AuthenticationError', 'ClientSecretCredential authentication failed: AADSTS7000215: Invalid client secret provided.\nTrace ID: x'),
      'Azure sign-in failed: ClientSecretCredential authentication failed: AADSTS7000215: Invalid client secret provided.',
    ],
  ];
  for (const [label, err, message] of cases) {
    it(`reports ${label}`, () => {
      const e = toCliError(err, ctx);
      expect([e.name, e.exitCode, e.message]).toEqual(['DataError', 3, message]);
    });
  }

  it('reports an interrupt as such, whatever the error', () => {
    const controller = new AbortController();
    controller.abort();
    expect(toCliError(named('AbortError', 'aborted'), { ...ctx, signal: controller.signal }).exitCode).toBe(130);
  });

  it('lets anything else through as a bug', () => {
    expect(() => toCliError(new TypeError('x is undefined'), ctx)).toThrow(TypeError);
  });
});

describe('credentials from the environment', () => {
  it('uses ACS_METRICS_ACCESS_TOKEN as is, trimmed, with or without "Bearer "', async () => {
    for (const value of ['abc.def', '  abc.def\n', 'Bearer abc.def']) {
      const c = await makeCredential({ ACS_METRICS_ACCESS_TOKEN: value }, 0);
      expect(c.kind).toBe('env-token');
      expect((await c.credential.getToken('https://management.azure.com/.default'))!.token).toBe('abc.def');
    }
  });

  it('makes one DefaultAzureCredential per run (per environment object), shared by every step of it', async () => {
    const run1 = { HOME: '/nowhere' };
    const run2 = { HOME: '/nowhere' };
    const a = await makeCredential(run1, 0);
    expect(a.kind).toBe('default');
    // The subscription lookup, discovery and the metrics client of one run get the same credential
    // (one token cache); another run gets its own.
    expect(await makeCredential(run1, 0)).toBe(a);
    expect(await makeCredential(run2, 0)).not.toBe(a);
  });

  it('refuses a token with spaces or control characters without showing it', async () => {
    await expect(makeCredential({ ACS_METRICS_ACCESS_TOKEN: 'abc def' }, 0)).rejects.toThrow(
      'ACS_METRICS_ACCESS_TOKEN is not a usable bearer token: it contains spaces or control characters',
    );
  });
});

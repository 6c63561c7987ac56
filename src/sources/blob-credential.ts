/**
 * How requests to a blob archive are signed: AZURE_STORAGE_CONNECTION_STRING (an account key or a
 * SAS in it; Azurite's well-known one with UseDevelopmentStorage=true), else AZURE_STORAGE_SAS_TOKEN,
 * else the same DefaultAzureCredential as the metrics requests (az login, AZURE_* variables, workload
 * or managed identity). The URL always says where; these only say how to sign.
 */
import type { TokenCredential } from '@azure/identity';
import { UsageError } from '../errors.js';
import type { BlobLocation } from './blob-url.js';
import { makeCredential, TOKEN_ENV } from './azure/credentials.js';

export const CONNECTION_ENV = 'AZURE_STORAGE_CONNECTION_STRING';
export const SAS_ENV = 'AZURE_STORAGE_SAS_TOKEN';

/** Azurite's documented development account and key. */
const DEV_ACCOUNT = 'devstoreaccount1';
const DEV_KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

export type BlobSigning =
  | { readonly kind: 'key'; readonly account: string; readonly key: string }
  | { readonly kind: 'sas'; readonly sas: string }
  | { readonly kind: 'token'; readonly credential: TokenCredential };

export async function blobSigning(loc: BlobLocation, env: Readonly<Record<string, string | undefined>>): Promise<BlobSigning> {
  const cs = env[CONNECTION_ENV]?.trim();
  if (cs) return fromConnectionString(cs, loc);
  const sas = env[SAS_ENV]?.trim().replace(/^\?/, '');
  if (sas) {
    if (!/(^|&)sig=/.test(sas)) throw new UsageError(`${SAS_ENV} is not a SAS token (no sig=): give the query string of a SAS, e.g. sv=...&sig=...`);
    return { kind: 'sas', sas };
  }
  if (loc.service.startsWith('http:')) {
    throw new UsageError(`no credentials for ${loc.shown}: plain http (Azurite) needs ${CONNECTION_ENV} (e.g. UseDevelopmentStorage=true) or ${SAS_ENV}`);
  }
  // A ready ACS_METRICS_ACCESS_TOKEN is for Azure Resource Manager, not Storage: sign in for Storage.
  const { credential } = await makeCredential(env[TOKEN_ENV] === undefined ? env : { ...env, [TOKEN_ENV]: undefined }, Date.now());
  return { kind: 'token', credential };
}

function fromConnectionString(cs: string, loc: BlobLocation): BlobSigning {
  const parts = new Map<string, string>();
  for (const piece of cs.split(';')) {
    const at = piece.indexOf('=');
    if (at > 0) parts.set(piece.slice(0, at).trim().toLowerCase(), piece.slice(at + 1).trim());
  }
  const dev = parts.get('usedevelopmentstorage')?.toLowerCase() === 'true';
  const account = dev ? DEV_ACCOUNT : parts.get('accountname');
  const sas = parts.get('sharedaccesssignature');
  if (account !== undefined && account !== loc.account) {
    throw new UsageError(`${CONNECTION_ENV} is for the account ${account}, not ${loc.account} (${loc.shown}): give that account's connection string`);
  }
  if (sas) return { kind: 'sas', sas: sas.replace(/^\?/, '') };
  const key = dev ? DEV_KEY : parts.get('accountkey');
  if (account === undefined || key === undefined || key === '') {
    throw new UsageError(
      `${CONNECTION_ENV} has no AccountName and AccountKey (nor SharedAccessSignature): copy it from the portal (Access keys) or az storage account show-connection-string`,
    );
  }
  return { kind: 'key', account, key };
}

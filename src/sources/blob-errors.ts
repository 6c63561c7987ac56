/** Failures of Blob Storage requests as one line each, with the fix where there is one. */
import { DataError, InterruptedError } from '../errors.js';
import { safeText } from '../render/safe.js';
import { credentialError, NO_CREDENTIALS, oneLine } from './azure/credentials.js';
import { CONNECTION_ENV, SAS_ENV } from './blob-credential.js';
import type { BlobLocation } from './blob-url.js';

interface RestLike {
  readonly statusCode?: number;
  readonly code?: string;
  readonly name?: string;
  readonly message?: string;
}

/** Whether a request failed with this HTTP status (and this error code, when given). */
export function isStatus(err: unknown, status: number, code?: string): boolean {
  const e = err as RestLike;
  return e?.statusCode === status && (code === undefined || e.code === code);
}

const NETWORK = new Set(['ENOTFOUND', 'EAI_AGAIN', 'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH']);

export function blobError(err: unknown, loc: BlobLocation, what: string, signal?: AbortSignal): Error {
  if (err instanceof DataError || err instanceof InterruptedError) return err;
  const e = err as RestLike;
  if (signal?.aborted || e?.name === 'AbortError') return new InterruptedError();
  const cred = credentialError(err, signal);
  if (cred !== undefined) {
    return cred.message === NO_CREDENTIALS ? new DataError(`${NO_CREDENTIALS} (or, for ${loc.shown}, ${CONNECTION_ENV} or ${SAS_ENV})`, { cause: err }) : cred;
  }
  const account = loc.account;
  if (isStatus(err, 404, 'ContainerNotFound')) {
    return new DataError(
      `${what}: the container ${safeText(loc.container)} does not exist in the account ${account}: create it (az storage container create --account-name ${account} --name ${safeText(loc.container)} --auth-mode login)`,
      { cause: err },
    );
  }
  if (e?.statusCode === 403) {
    return new DataError(
      `${what}: access denied (${e.code ?? 403}): give the signed-in identity the "Storage Blob Data Contributor" role on the account or container ("Storage Blob Data Reader" to read), or a SAS in ${SAS_ENV}`,
      { cause: err },
    );
  }
  if (e?.statusCode === 401)
    return new DataError(`${what}: the credentials were refused (${e.code ?? 401}): check ${CONNECTION_ENV} or ${SAS_ENV}, or sign in again (az login)`, {
      cause: err,
    });
  if (e?.code !== undefined && NETWORK.has(e.code))
    return new DataError(`${what}: cannot reach ${loc.service} (${e.code}): check the account name and the network`, { cause: err });
  return new DataError(`${what}: ${e?.statusCode ? `HTTP ${e.statusCode} ` : ''}${oneLine(safeText(String(e?.message ?? err)))}`, { cause: err });
}

/**
 * An archive in Azure Blob Storage or ADLS Gen2, as `export DIR` and `--fixture DIR` take it:
 * - `https://ACCOUNT.blob.core.windows.net/CONTAINER/PREFIX` (the prefix may be empty or several levels);
 * - `https://ACCOUNT.dfs.core.windows.net/CONTAINER/PREFIX` (ADLS Gen2): the same data through the
 *   blob endpoint, which serves accounts with a hierarchical namespace too;
 * - path-style on a loopback host, as the Azurite emulator serves it:
 *   `http://127.0.0.1:10000/devstoreaccount1/CONTAINER/PREFIX`.
 * Sovereign clouds (core.chinacloudapi.cn, core.usgovcloudapi.net) are accepted as well.
 */
import { UsageError } from '../errors.js';
import { safeText } from '../render/safe.js';

export interface BlobLocation {
  /** The blob service endpoint, without a trailing slash (path-style: with the account). */
  readonly service: string;
  readonly account: string;
  readonly container: string;
  /** Blob name prefix of the archive's files, without slashes at either end ('' for the container's root). */
  readonly prefix: string;
  /** The location as the user gave it, for messages. */
  readonly shown: string;
}

/** Whether an argument names a blob location rather than a local path. */
export const isBlobUrl = (text: string): boolean => /^https?:\/\//i.test(text.trim());

const FORMS = 'give https://ACCOUNT.blob.core.windows.net/CONTAINER/PREFIX (or ACCOUNT.dfs.core.windows.net for ADLS Gen2)';
const SUFFIXES = ['core.windows.net', 'core.chinacloudapi.cn', 'core.usgovcloudapi.net'];
const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])$/i;

export function parseBlobUrl(text: string): BlobLocation {
  const shown = safeText(text.trim()).replace(/\/+$/, '');
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    throw new UsageError(`${shown}: not a valid URL: ${FORMS}`);
  }
  // URL() folds "a/../b" into "b": refused rather than writing elsewhere than asked.
  if (
    text
      .trim()
      .split(/[?#]/)[0]!
      .split('/')
      .slice(3)
      .some((s) => /^(\.|%2e){1,2}$/i.test(s))
  )
    throw new UsageError(`${shown}: no . or .. in the path`);
  if (url.search !== '' || url.hash !== '') throw new UsageError(`${shown}: no ?query or #fragment in the location (a SAS goes in AZURE_STORAGE_SAS_TOKEN)`);
  if (url.username !== '' || url.password !== '') throw new UsageError(`${shown}: no user or password in the location: see "Credentials" in docs/archive.md`);
  const segments = url.pathname
    .split('/')
    .filter((s) => s !== '')
    .map(decode(shown));
  const host = url.hostname.toLowerCase();
  let service: string;
  let account: string;
  if (LOOPBACK.test(host)) {
    // Path-style (Azurite): the account is the first segment of the path.
    account = segments.shift() ?? '';
    if (account === '') throw new UsageError(`${shown}: no account: a loopback location is path-style, http://127.0.0.1:10000/ACCOUNT/CONTAINER/PREFIX`);
    service = `${url.protocol}//${url.host}/${account}`;
  } else {
    const suffix = SUFFIXES.find((s) => host.endsWith(`.${s}`));
    const m = suffix === undefined ? null : /^([a-z0-9]{3,24})\.(blob|dfs)$/.exec(host.slice(0, -suffix.length - 1));
    if (!m) throw new UsageError(`${shown}: not a Blob Storage or ADLS Gen2 location: ${FORMS}`);
    if (url.protocol !== 'https:') throw new UsageError(`${shown}: use https:// (plain http only for the Azurite emulator on a loopback address)`);
    if (url.port !== '') throw new UsageError(`${shown}: no port in a Blob Storage location: ${FORMS}`);
    account = m[1]!;
    service = `https://${account}.blob.${suffix}`;
  }
  const container = segments.shift() ?? '';
  if (container === '') throw new UsageError(`${shown}: no container: ${FORMS}`);
  if (!/^(?=.{3,63}$)[a-z0-9]+(-[a-z0-9]+)*$/.test(container) && container !== '$root') {
    throw new UsageError(`${shown}: "${safeText(container)}" is not a valid container name (3 to 63 lowercase letters, digits and single hyphens)`);
  }
  if (segments.some((s) => s === '.' || s === '..' || s.includes('/'))) throw new UsageError(`${shown}: no . or .. (nor an escaped /) in the path`);
  return { service, account, container, prefix: segments.join('/'), shown };
}

const decode =
  (shown: string) =>
  (segment: string): string => {
    try {
      return decodeURIComponent(segment);
    } catch {
      throw new UsageError(`${shown}: a bad %-escape in the path`);
    }
  };

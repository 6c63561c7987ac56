/** Blob Storage and ADLS Gen2 locations as `export DIR` and `--fixture DIR` take them (src/sources/blob-url.ts). */
import { describe, expect, it } from 'vitest';
import { isBlobUrl, parseBlobUrl } from '../src/sources/blob-url.js';

describe('blob locations', () => {
  it('virtual-hosted, ADLS Gen2 (through the blob endpoint), sovereign clouds and Azurite path-style', () => {
    expect(parseBlobUrl('https://myacsarchive.blob.core.windows.net/acs-telemetry/parquet')).toEqual({
      service: 'https://myacsarchive.blob.core.windows.net',
      account: 'myacsarchive',
      container: 'acs-telemetry',
      prefix: 'parquet',
      shown: 'https://myacsarchive.blob.core.windows.net/acs-telemetry/parquet',
    });
    expect(parseBlobUrl('https://lake01.dfs.core.windows.net/raw/acs/metrics/')).toMatchObject({
      service: 'https://lake01.blob.core.windows.net',
      container: 'raw',
      prefix: 'acs/metrics',
      shown: 'https://lake01.dfs.core.windows.net/raw/acs/metrics',
    });
    expect(parseBlobUrl('https://acct.blob.core.chinacloudapi.cn/c1c')).toMatchObject({
      service: 'https://acct.blob.core.chinacloudapi.cn',
      container: 'c1c',
      prefix: '',
    });
    expect(parseBlobUrl('HTTPS://Acct.Blob.Core.Windows.Net/box/a%20b')).toMatchObject({
      service: 'https://acct.blob.core.windows.net',
      container: 'box',
      prefix: 'a b',
    });
    expect(parseBlobUrl('http://127.0.0.1:10000/devstoreaccount1/archive/x/y')).toEqual({
      service: 'http://127.0.0.1:10000/devstoreaccount1',
      account: 'devstoreaccount1',
      container: 'archive',
      prefix: 'x/y',
      shown: 'http://127.0.0.1:10000/devstoreaccount1/archive/x/y',
    });
    expect(parseBlobUrl('http://localhost:10000/devstoreaccount1/archive')).toMatchObject({ service: 'http://localhost:10000/devstoreaccount1', prefix: '' });
    expect(isBlobUrl('https://a.blob.core.windows.net/c')).toBe(true);
    expect(isBlobUrl('./https-archive')).toBe(false);
    expect(isBlobUrl('https-archive')).toBe(false);
  });

  it('refuses what is not one, in one line', () => {
    const refused: [string, string][] = [
      [
        'https://example.com/c/p',
        'https://example.com/c/p: not a Blob Storage or ADLS Gen2 location: give https://ACCOUNT.blob.core.windows.net/CONTAINER/PREFIX (or ACCOUNT.dfs.core.windows.net for ADLS Gen2)',
      ],
      [
        'https://acct.queue.core.windows.net/c',
        'https://acct.queue.core.windows.net/c: not a Blob Storage or ADLS Gen2 location: give https://ACCOUNT.blob.core.windows.net/CONTAINER/PREFIX (or ACCOUNT.dfs.core.windows.net for ADLS Gen2)',
      ],
      [
        'https://acct.blob.core.windows.net:8443/c',
        'https://acct.blob.core.windows.net:8443/c: no port in a Blob Storage location: give https://ACCOUNT.blob.core.windows.net/CONTAINER/PREFIX (or ACCOUNT.dfs.core.windows.net for ADLS Gen2)',
      ],
      [
        'https://acct.blob.core.windows.net/Big_Box',
        'https://acct.blob.core.windows.net/Big_Box: "Big_Box" is not a valid container name (3 to 63 lowercase letters, digits and single hyphens)',
      ],
      ['https://acct.blob.core.windows.net/box/a/../b', 'https://acct.blob.core.windows.net/box/a/../b: no . or .. in the path'],
      ['https://acct.blob.core.windows.net/box/%2e%2e/b', 'https://acct.blob.core.windows.net/box/%2e%2e/b: no . or .. in the path'],
      ['https://acct.blob.core.windows.net/box/a%2Fb', 'https://acct.blob.core.windows.net/box/a%2Fb: no . or .. (nor an escaped /) in the path'],
      [
        'https://acct.blob.core.windows.net/box#x',
        'https://acct.blob.core.windows.net/box#x: no ?query or #fragment in the location (a SAS goes in AZURE_STORAGE_SAS_TOKEN)',
      ],
      ['http://127.0.0.1:10000/', 'http://127.0.0.1:10000: no account: a loopback location is path-style, http://127.0.0.1:10000/ACCOUNT/CONTAINER/PREFIX'],
      ['https://', 'https:: not a valid URL: give https://ACCOUNT.blob.core.windows.net/CONTAINER/PREFIX (or ACCOUNT.dfs.core.windows.net for ADLS Gen2)'],
    ];
    for (const [text, message] of refused) expect(() => parseBlobUrl(text), text).toThrow(message);
  });
});

/**
 * An export to Azure Blob Storage (issue 20, "Beyond one machine"), against Azurite started here on a
 * loopback port: the same files as a local export, byte for byte, in json and Parquet; extended by a
 * later run; one run at a time (a blob lease); an interrupted run leaves no half blob and resumes;
 * --verify; `--fixture URL` gives the answers of the local copy; one-line errors with the fix.
 */
import { readFileSync } from 'node:fs';
import { join, sep } from 'node:path';
import { type ContainerClient, BlobServiceClient, StorageSharedKeyCredential } from '@azure/storage-blob';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DAY, type Harness, HOUR, liveEnv, NOW, openHarness, RESOURCE } from './emulator/harness.js';
import { type Azurite, DEV_ACCOUNT, DEV_KEY, startAzurite } from './helpers/azurite.js';
import { run } from './helpers/io.js';
import { readTree, tempDir } from './helpers/temp.js';

const MANIFEST = 'acs-metrics-export.manifest';
const LOCK = 'acs-metrics-export.lock';

let h: Harness;
let az: Azurite;
let container: ContainerClient;

beforeAll(async () => {
  [h, az] = await Promise.all([openHarness(), startAzurite()]);
  const service = new BlobServiceClient(az.endpoint, new StorageSharedKeyCredential(DEV_ACCOUNT, DEV_KEY));
  container = service.getContainerClient('archive');
  await container.create();
}, 90_000);
afterAll(async () => {
  await Promise.all([h?.close(), az?.stop()]);
}, 60_000);

const url = (prefix: string) => `http://127.0.0.1:${az.port}/${DEV_ACCOUNT}/archive/${prefix}`;
const env = () => liveEnv(h, { AZURE_STORAGE_CONNECTION_STRING: az.connectionString });
const at = (clock: number, argv: string[], signal?: AbortSignal) => {
  h.emulator.clock = clock;
  return run(argv, { env: env(), now: new Date(clock), signal });
};
const args = ['--resource', RESOURCE, '-m', 'chat,rooms', '--interval', 'PT1H', '--since', '40d'];

/** The blobs under a prefix: name relative to it, to its bytes. */
async function blobs(prefix: string): Promise<Map<string, Buffer>> {
  const out = new Map<string, Buffer>();
  for await (const b of container.listBlobsFlat({ prefix: `${prefix}/` }))
    out.set(b.name.slice(prefix.length + 1), await container.getBlobClient(b.name).downloadToBuffer());
  return out;
}

/** The local tree as bytes. */
const tree = (dir: string) => new Map([...readTree(dir).keys()].map((k) => [k.split(sep).join('/'), readFileSync(join(dir, k))]));

async function sameAnswers(blobUrl: string, local: string): Promise<void> {
  for (const argv of [
    ['query', '-m', 'chat', '--split-by', 'operation', '-o', 'json'],
    ['query', '-m', 'rooms', '--since', '30d', '--interval', '1d', '-o', 'csv'],
    ['usage', '--since', '40d', '-o', 'json'],
  ]) {
    const mine = await at(NOW, [...argv, '--fixture', blobUrl]);
    const theirs = await at(NOW, [...argv, '--fixture', local]);
    expect(mine.stdout, argv.join(' ')).toBe(theirs.stdout);
    expect(mine.code).toBe(theirs.code);
    expect(mine.stdout.length).toBeGreaterThan(100);
  }
}

describe.each(['json', 'parquet'])('export to Blob Storage (%s)', (format) => {
  const fmt = format === 'parquet' ? ['--format', 'parquet'] : [];
  it('writes the files of a local export, byte for byte; --verify; a later run extends both alike; --fixture URL answers as the local copy', async () => {
    const local = join(tempDir(), format);
    const blobUrl = url(`exports/${format}`);
    const first = await at(NOW, ['export', blobUrl, ...args, ...fmt]);
    expect(first).toMatchObject({ code: 0, stdout: '' });
    expect(first.stderr).toMatch(new RegExp(`^note: exported \\d+ files \\(.*\\) to ${blobUrl.replace(/[.]/g, '\\.')}, up to 2026-01-08T00:00:00Z\\n$`));
    expect((await at(NOW, ['export', local, ...args, ...fmt])).code).toBe(0);
    const stored = await blobs(`exports/${format}`);
    expect([...stored.keys()].sort()).toEqual([...tree(local).keys()].sort());
    for (const [file, bytes] of tree(local)) expect(stored.get(file)!.equals(bytes), file).toBe(true);
    expect(stored.has(LOCK)).toBe(false); // released
    expect(stored.size).toBeGreaterThan(format === 'json' ? 4 : 3);

    const verify = await at(NOW, ['export', '--verify', blobUrl]);
    expect(verify).toMatchObject({ code: 0, stderr: '' });
    expect(verify.stdout).toBe((await at(NOW, ['export', '--verify', local])).stdout);
    expect(verify.stdout).toMatch(/^OK: (\d+) of \1 files match their sha256; 1 resource, 2 metrics, /);

    // A day and 5 hours later: both extended alike.
    const later = NOW + DAY + 5 * HOUR;
    const again = await at(later, ['export', blobUrl]);
    expect(again.code).toBe(0);
    expect(again.stderr).toMatch(/^note: exported \d+ files/);
    expect((await at(later, ['export', local])).code).toBe(0);
    const extended = await blobs(`exports/${format}`);
    expect([...extended.keys()].sort()).toEqual([...tree(local).keys()].sort());
    for (const [file, bytes] of tree(local)) expect(extended.get(file)!.equals(bytes), file).toBe(true);
    expect([...extended.keys()].filter((f) => !stored.has(f)).length).toBeGreaterThan(0);

    await sameAnswers(blobUrl, local);
  }, 120_000);
});

describe('one run at a time, an interrupted run, errors', () => {
  it('a run holding the lease refuses a second one (exit 3, one line); released, the export goes on', async () => {
    const blobUrl = url('locked');
    const lockBlob = container.getBlockBlobClient(`locked/${LOCK}`);
    await lockBlob.upload('', 0);
    const lease = lockBlob.getBlobLeaseClient();
    await lease.acquireLease(60);
    await lockBlob.setMetadata({ pid: '4242', host: 'build-7', started: '2026-01-08T00:00:00.000Z' }, { conditions: { leaseId: lease.leaseId } });
    const refused = await at(NOW, ['export', blobUrl, ...args]);
    expect(refused).toEqual({
      code: 3,
      stdout: '',
      stderr: `error: ${blobUrl} is being exported by another run (pid 4242 on build-7, since 2026-01-08T00:00:00.000Z): wait for it to end (a run that is gone lets go of its lease on ${LOCK} within 60 s)\n`,
    });
    expect((await blobs('locked')).has(MANIFEST)).toBe(false);
    await lease.releaseLease();
    expect((await at(NOW, ['export', blobUrl, ...args])).code).toBe(0);
    expect((await blobs('locked')).has(LOCK)).toBe(false);
  }, 60_000);

  it('a run whose lease was broken, or not renewed in time, writes nothing more: one line, with the fix', async () => {
    const { openBlobStore } = await import('../src/sources/blob-store.js');
    let clock = Date.parse('2026-01-08T00:00:00Z');
    const timing = { seconds: 15, renewEveryMs: 50, marginMs: 5_000, now: () => clock };
    const blobUrl = url('lost');
    const connection = { AZURE_STORAGE_CONNECTION_STRING: az.connectionString };
    const store = await openBlobStore(blobUrl, connection, timing);
    const release = await store.lock({ now: new Date(clock) });
    await store.write('a.json', '{}');
    // Not renewed for 11 s (the renewals fail unseen, as a network down would): 15 s less the 5 s margin is past.
    const broken = store as unknown as { held: { renew(): Promise<void> } };
    const renew = broken.held.renew;
    broken.held.renew = async () => undefined;
    clock += 11_000;
    await expect(store.write('b.json', '{}')).rejects.toThrow(
      `${blobUrl}: the export's lease was not renewed for 11s: stopped before writing ${blobUrl}/b.json; another run may hold it now; run the export again to resume`,
    );
    // Renewed again: writes go on.
    broken.held.renew = renew;
    await broken.held.renew();
    await store.write('b.json', '{}');
    // Broken by someone else (az storage blob lease break): the next renew is refused, and no write follows.
    await container.getBlobClient(`lost/${LOCK}`).getBlobLeaseClient().breakLease(0);
    await broken.held.renew();
    await expect(store.remove('a.json')).rejects.toThrow(
      `${blobUrl}: the export's lease was taken or broken (LeaseIsBrokenAndCannotBeRenewed): stopped before removing ${blobUrl}/a.json; another run may hold it now; run the export again to resume`,
    );
    await release();
    const left = await blobs('lost');
    expect([...left.keys()].sort()).toEqual(['a.json', 'b.json', LOCK].sort()); // the lock blob stays (its lease not ours to delete)
  }, 60_000);

  it('a file of a blob archive that cannot be read is named by its blob, not by the temp folder it was copied to', async () => {
    const blobUrl = url('named');
    expect((await at(NOW, ['export', blobUrl, ...args])).code).toBe(0);
    const { FixtureSource } = await import('../src/sources/fixture-source.js');
    const { testIo } = await import('./helpers/io.js');
    const { io } = testIo({ env: { AZURE_STORAGE_CONNECTION_STRING: az.connectionString } });
    const err = await new FixtureSource([blobUrl], io, { maxBytes: 100 }).fetch([]).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(err?.message).toMatch(new RegExp(`^${blobUrl.replace(/[.]/g, '\\.')}/[^ ]+\\.json: too large \\(\\d+ bytes; the limit is 100 bytes\\)$`));
  }, 60_000);

  it('an interrupted run leaves no half blob (its blocks uncommitted); the next run completes it, byte for byte', async () => {
    const blobUrl = url('cut');
    const local = join(tempDir(), 'whole');
    expect((await at(NOW, ['export', local, ...args, '--concurrency', '1'])).code).toBe(0);
    const stop = new AbortController();
    h.emulator.reset();
    const watcher = setInterval(() => {
      if (h.emulator.batchRequests.length >= 1) stop.abort();
    }, 1);
    const first = await at(NOW, ['export', blobUrl, ...args, '--concurrency', '1'], stop.signal);
    clearInterval(watcher);
    expect(first.code).toBe(130);
    // Every blob there is whole: the manifest, and files it lists as done with their sha256.
    const after = await blobs('cut');
    const manifest = JSON.parse(after.get(MANIFEST)!.toString('utf8'));
    const pending = manifest.items.filter((i: { status: string }) => i.status !== 'done');
    expect(pending.length).toBeGreaterThan(0);
    const { createHash } = await import('node:crypto');
    for (const [file, bytes] of after) {
      if (file === MANIFEST) continue;
      const item = manifest.items.find((i: { file: string }) => i.file === file);
      expect(item?.status, file).toBe('done');
      expect(createHash('sha256').update(bytes).digest('hex')).toBe(item.sha256);
    }
    // A killed upload of a pending file: blocks staged, never committed, so never a blob.
    const half = container.getBlockBlobClient(`cut/${pending[0].file}`);
    await half.stageBlock(Buffer.from('AAAA').toString('base64'), Buffer.from('{"values": [half'), 16);
    expect(await half.exists()).toBe(false);
    const resumed = await at(NOW, ['export', blobUrl, ...args, '--concurrency', '1']);
    expect(resumed.code).toBe(0);
    expect(resumed.stderr).toMatch(/^note: .*: continuing the export: \d+ of \d+ files already done\n/);
    const done = await blobs('cut');
    expect([...done.keys()].sort()).toEqual([...tree(local).keys()].sort());
    for (const [file, bytes] of tree(local)) if (file !== MANIFEST) expect(done.get(file)!.equals(bytes), file).toBe(true);
    expect((await at(NOW, ['export', '--verify', blobUrl])).code).toBe(0);
  }, 60_000);

  it('a bad location, a missing container, no credentials: one line each, with the fix', async () => {
    const cases: [string[], Record<string, string | undefined>, number, string][] = [
      [
        ['export', 'https://example.com/archive/x', ...args],
        env(),
        2,
        'error: https://example.com/archive/x: not a Blob Storage or ADLS Gen2 location: give https://ACCOUNT.blob.core.windows.net/CONTAINER/PREFIX (or ACCOUNT.dfs.core.windows.net for ADLS Gen2)\n',
      ],
      [
        ['export', 'http://acct.blob.core.windows.net/archive', ...args],
        env(),
        2,
        'error: http://acct.blob.core.windows.net/archive: use https:// (plain http only for the Azurite emulator on a loopback address)\n',
      ],
      [
        ['query', '-m', 'chat', '--fixture', 'https://acct.blob.core.windows.net/'],
        env(),
        2,
        'error: https://acct.blob.core.windows.net: no container: give https://ACCOUNT.blob.core.windows.net/CONTAINER/PREFIX (or ACCOUNT.dfs.core.windows.net for ADLS Gen2)\n',
      ],
      [
        ['export', `${url('')}x?sv=1`, ...args],
        env(),
        2,
        `error: ${url('')}x?sv=1: no ?query or #fragment in the location (a SAS goes in AZURE_STORAGE_SAS_TOKEN)\n`,
      ],
      [
        ['export', url('x').replace('/archive/', '/nope/'), ...args],
        env(),
        3,
        `error: cannot read ${url('x').replace('/archive/', '/nope/')}/${MANIFEST}: the container nope does not exist in the account ${DEV_ACCOUNT}: create it (az storage container create --account-name ${DEV_ACCOUNT} --name nope --auth-mode login)\n`,
      ],
      [
        ['query', '-m', 'chat', '--fixture', url('x')],
        {},
        2,
        `error: no credentials for ${url('x')}: plain http (Azurite) needs AZURE_STORAGE_CONNECTION_STRING (e.g. UseDevelopmentStorage=true) or AZURE_STORAGE_SAS_TOKEN\n`,
      ],
      [
        ['query', '-m', 'chat', '--fixture', url('x')],
        { AZURE_STORAGE_CONNECTION_STRING: 'AccountName=other;AccountKey=abc' },
        2,
        `error: AZURE_STORAGE_CONNECTION_STRING is for the account other, not ${DEV_ACCOUNT} (${url('x')}): give that account's connection string\n`,
      ],
      [
        ['query', '-m', 'chat', '--fixture', url('empty')],
        env(),
        3,
        `error: ${url('empty')}: no acs-metrics archive here (no ${MANIFEST} and no .parquet files)\n`,
      ],
    ];
    for (const [argv, e, code, stderr] of cases) {
      const r = await run(argv, { env: e, now: new Date(NOW) });
      expect(r, argv.join(' ')).toEqual({ code, stdout: '', stderr });
    }
  }, 60_000);
});

describe("the manual's Blob Storage section (docs/archive.md)", () => {
  const page = readFileSync(join(__dirname, '..', 'docs', 'archive.md'), 'utf8');
  const section = page.slice(page.indexOf('## Blob Storage and ADLS Gen2'));
  const block = (lang: string, k = 0) => [...section.matchAll(new RegExp('```' + lang + '\\n([\\s\\S]*?)```', 'g'))][k]![1]!;
  const README_URL = 'https://myacsarchive.blob.core.windows.net/acs-telemetry/parquet';

  it('its commands run against Azurite (the URL replaced); its DuckDB query gives the totals of acs-metrics; its Spark table reads the same place', async () => {
    const lines = block('sh').trim().split('\n');
    expect(lines).toHaveLength(3);
    const blobUrl = url('readme');
    for (const line of lines) {
      expect(line).toContain(README_URL);
      const argv = line.replace(README_URL, blobUrl).replace('"$ACS_RESOURCE_ID"', RESOURCE).split(' ').slice(1);
      const r = await at(NOW, argv);
      expect(r.code, line).toBe(0);
      expect(r.stderr).not.toMatch(/^error/m);
    }
    // DuckDB's query (without the azure extension's lines) over a copy of the blobs: the totals acs-metrics gives.
    const copy = tempDir();
    const { mkdirSync, writeFileSync } = await import('node:fs');
    for (const [file, bytes] of await blobs('readme')) {
      mkdirSync(join(copy, ...file.split('/').slice(0, -1)), { recursive: true });
      writeFileSync(join(copy, ...file.split('/')), bytes);
    }
    const sql = block('sql', 0);
    expect(sql).toContain("'az://acs-telemetry/parquet/**/*.parquet'");
    const { DuckDBInstance } = await import('@duckdb/node-api');
    const db = await DuckDBInstance.create(':memory:');
    const conn = await db.connect();
    try {
      const select = sql.slice(sql.indexOf('SELECT')).replace("'az://acs-telemetry/parquet/", `'${copy}/`);
      const top = (await conn.runAndReadAll(select)).getRowObjectsJson()[0]!;
      const chat = JSON.parse((await at(NOW, ['query', '--fixture', blobUrl, '-m', 'chat', '--split-by', 'operation', '--since', '7d', '-o', 'json'])).stdout);
      const send = chat.series.find((s: { dimensions: { Operation: string } }) => s.dimensions.Operation === 'SendChatMessage');
      expect(top).toEqual({ resource_name: 'acs-test', metric: 'APIRequestChat', operation: 'SendChatMessage', requests: send.total });
      expect(send.total).toBe(8928);
    } finally {
      conn.closeSync();
      db.closeSync();
    }
    // Spark's table is over the same account, container and prefix (abfss://CONTAINER@ACCOUNT.dfs...).
    expect(block('sql', 1)).toContain("path 'abfss://acs-telemetry@myacsarchive.dfs.core.windows.net/parquet'");
  }, 120_000);
});

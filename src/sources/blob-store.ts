/**
 * An archive in Azure Blob Storage (or ADLS Gen2, through its blob endpoint), written and read with
 * @azure/storage-blob, which loads only here. Each file is one block blob under the prefix, named as
 * in a local archive (`metric=.../month=.../part-....parquet`), so that Spark, Fabric, Synapse,
 * Azure Data Explorer and DuckDB read the Hive layout as it is.
 * - Atomic: a file is one Put Blob, or (above 4 MiB) blocks staged then committed as a list; either
 *   way a blob appears whole or not at all, and blocks of a killed upload are never a blob (Azure
 *   discards uncommitted blocks after 7 days).
 * - The lock: a 60-second lease on `PREFIX/acs-metrics-export.lock`, renewed while the run lasts and
 *   released at its end; a run that is killed lets go of it within 60 s. A write happens only while
 *   the lease is surely held (blob-lease.ts).
 */
import { hostname } from 'node:os';
import type { BlobLeaseClient, ContainerClient } from '@azure/storage-blob';
import { DEFAULT_LEASE, HeldLease, type LeaseTiming } from './blob-lease.js';
import { DataError, InterruptedError } from '../errors.js';
import { safeText } from '../render/safe.js';
import { type BlobSigning, blobSigning } from './blob-credential.js';
import { type BlobLocation, parseBlobUrl } from './blob-url.js';
import type { ArchiveStore } from './archive-store.js';
import { LOCK, type LockOptions } from './export-lock.js';
import { blobError, isStatus } from './blob-errors.js';

const SINGLE_SHOT = 4 * 1024 * 1024;

export async function openBlobStore(url: string, env: Readonly<Record<string, string | undefined>>, lease = DEFAULT_LEASE): Promise<BlobStore> {
  const loc = parseBlobUrl(url);
  const signing = await blobSigning(loc, env);
  return new BlobStore(loc, await containerClient(loc, signing), lease);
}

async function containerClient(loc: BlobLocation, signing: BlobSigning): Promise<ContainerClient> {
  const { AnonymousCredential, BlobServiceClient, StorageSharedKeyCredential } = await import('@azure/storage-blob');
  const options = { retryOptions: { maxTries: 4, retryDelayInMs: 500, maxRetryDelayInMs: 8000 }, userAgentOptions: { userAgentPrefix: 'acs-metrics' } };
  const service =
    signing.kind === 'key'
      ? new BlobServiceClient(loc.service, new StorageSharedKeyCredential(signing.account, signing.key), options)
      : signing.kind === 'sas'
        ? new BlobServiceClient(`${loc.service}?${signing.sas}`, new AnonymousCredential(), options)
        : new BlobServiceClient(loc.service, signing.credential, options);
  return service.getContainerClient(loc.container);
}

export class BlobStore implements ArchiveStore {
  readonly shown: string;
  readonly location: string;
  /** The lock's lease while this run holds it. */
  private held: HeldLease | undefined;

  constructor(
    private readonly loc: BlobLocation,
    private readonly container: ContainerClient,
    private readonly leaseTiming: LeaseTiming = DEFAULT_LEASE,
  ) {
    this.shown = loc.shown;
    this.location = `${loc.container}/${loc.prefix}`;
  }

  private blobName(file: string): string {
    return this.loc.prefix === '' ? file : `${this.loc.prefix}/${file}`;
  }

  name(file: string): string {
    return `${this.shown}/${file}`;
  }

  private fail(err: unknown, what: string, signal?: AbortSignal): Error {
    return blobError(err, this.loc, what, signal);
  }

  async read(file: string, signal?: AbortSignal): Promise<Uint8Array | undefined> {
    try {
      const res = await this.container.getBlobClient(this.blobName(file)).download(0, undefined, { abortSignal: signal });
      const chunks: Buffer[] = [];
      for await (const chunk of res.readableStreamBody!) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks);
    } catch (err) {
      if (isStatus(err, 404, 'BlobNotFound')) return undefined;
      throw this.fail(err, `cannot read ${this.name(file)}`, signal);
    }
  }

  async write(file: string, data: string | Uint8Array, signal?: AbortSignal): Promise<void> {
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
    const type = file.endsWith('.parquet') ? 'application/vnd.apache.parquet' : 'application/json';
    this.held?.check(`writing ${this.name(file)}`);
    try {
      await this.container.getBlockBlobClient(this.blobName(file)).uploadData(bytes, {
        abortSignal: signal,
        maxSingleShotSize: SINGLE_SHOT,
        blockSize: SINGLE_SHOT,
        concurrency: 2,
        blobHTTPHeaders: { blobContentType: type },
      });
    } catch (err) {
      throw this.fail(err, `cannot write ${this.name(file)}`, signal);
    }
  }

  async remove(file: string): Promise<void> {
    this.held?.check(`removing ${this.name(file)}`);
    try {
      await this.container.getBlobClient(this.blobName(file)).deleteIfExists();
    } catch (err) {
      throw this.fail(err, `cannot remove ${this.name(file)}`);
    }
  }

  async list(signal?: AbortSignal): Promise<string[]> {
    const out: string[] = [];
    const skip = this.loc.prefix === '' ? 0 : this.loc.prefix.length + 1;
    try {
      for await (const blob of this.container.listBlobsFlat({
        prefix: this.loc.prefix === '' ? undefined : `${this.loc.prefix}/`,
        includeMetadata: true,
        abortSignal: signal,
      })) {
        // ADLS Gen2 lists its folders as empty blobs marked hdi_isfolder.
        if (blob.metadata?.hdi_isfolder === 'true') continue;
        const file = blob.name.slice(skip);
        if (file.split('/').some((p) => p.startsWith('.') || p === '')) continue;
        out.push(file);
      }
    } catch (err) {
      throw this.fail(err, `cannot list ${this.shown}`, signal);
    }
    return out.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  }

  async isEmpty(): Promise<boolean> {
    return (await this.list()).every((f) => f === LOCK);
  }

  async prepare(): Promise<void> {
    try {
      await this.container.getProperties();
    } catch (err) {
      throw this.fail(err, `cannot export to ${this.shown}`);
    }
  }

  async removeStaleTemps(): Promise<number> {
    return 0;
  }

  async lock(options: LockOptions): Promise<() => Promise<void>> {
    const blob = this.container.getBlockBlobClient(this.blobName(LOCK));
    const deadline = Date.now() + (options.waitMs ?? 5000);
    for (;;) {
      if (options.signal?.aborted) throw new InterruptedError();
      const sentAt = this.leaseTiming.now();
      const lease = await this.tryLease(options.now);
      if (lease !== undefined) return this.holding(lease, sentAt);
      if (Date.now() >= deadline) {
        const owner: Record<string, string> = await blob.getProperties().then(
          (p) => p.metadata ?? {},
          () => ({}),
        );
        const who = owner.pid ? `pid ${safeText(owner.pid)} on ${safeText(owner.host ?? '?')}, since ${safeText(owner.started ?? '?')}` : 'its owner unknown';
        throw new DataError(
          `${this.shown} is being exported by another run (${who}): wait for it to end (a run that is gone lets go of its lease on ${LOCK} within ${this.leaseTiming.seconds} s)`,
        );
      }
      await new Promise((r) => setTimeout(r, 250));
    }
  }

  /** The lease of the lock blob (made if missing), with its owner in the metadata; undefined when another run holds it. */
  private async tryLease(now: Date): Promise<BlobLeaseClient | undefined> {
    const blob = this.container.getBlockBlobClient(this.blobName(LOCK));
    try {
      await blob.upload('', 0, { conditions: { ifNoneMatch: '*' } });
    } catch (err) {
      // There already (and perhaps leased): fine.
      if (!isStatus(err, 409) && !isStatus(err, 412)) throw this.fail(err, `cannot lock ${this.shown}`);
    }
    const lease = blob.getBlobLeaseClient();
    try {
      await lease.acquireLease(this.leaseTiming.seconds);
    } catch (err) {
      if (isStatus(err, 409) || isStatus(err, 404)) return undefined; // leased by another run, or removed meanwhile
      throw this.fail(err, `cannot lock ${this.shown}`);
    }
    await blob
      .setMetadata({ pid: String(process.pid), host: hostname(), started: now.toISOString() }, { conditions: { leaseId: lease.leaseId } })
      .catch(() => undefined);
    return lease;
  }

  /** Renews the lease while the run lasts; the release removes the lock blob and lets go of the lease. */
  private holding(lease: BlobLeaseClient, acquiredAt: number): () => Promise<void> {
    const held = new HeldLease(lease, acquiredAt, this.leaseTiming, this.shown);
    this.held = held;
    return async () => {
      held.stop();
      this.held = undefined;
      const blob = this.container.getBlockBlobClient(this.blobName(LOCK));
      await blob.delete({ conditions: { leaseId: lease.leaseId } }).catch(() => lease.releaseLease().catch(() => undefined));
    };
  }
}

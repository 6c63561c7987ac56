/**
 * The lease that makes one export run the only writer of a Blob Storage archive, held while the run
 * lasts. Azure lets go of a lease that is not renewed in time, and another run may then take it: so
 * a write is allowed only while the lease is surely ours. It counts from the start of the last renew
 * that succeeded (Azure's own count starts later), less a margin for the write itself; a renew that
 * Azure refuses (the lease broken or taken) ends it at once. A write past that stops the run with a
 * one-line error; every file is atomic and the export resumes, so stopping loses nothing.
 */
import type { BlobLeaseClient } from '@azure/storage-blob';
import { DataError } from '../errors.js';
import { humanDuration } from '../core/duration.js';
import { isStatus } from './blob-errors.js';

export interface LeaseTiming {
  /** The lease's length (Azure allows 15 to 60 s). */
  readonly seconds: number;
  /** How often it is renewed. */
  readonly renewEveryMs: number;
  /** Writes stop this long before the lease could run out. */
  readonly marginMs: number;
  /** The clock (tests move it). */
  readonly now: () => number;
}

export const DEFAULT_LEASE: LeaseTiming = { seconds: 60, renewEveryMs: 15_000, marginMs: 10_000, now: () => Date.now() };

export class HeldLease {
  private validUntil: number;
  private lost: string | undefined;
  private lastRenewed: number;
  private readonly timer: ReturnType<typeof setInterval>;

  /** `acquiredAt`: when the request that acquired the lease was sent. */
  constructor(
    private readonly lease: BlobLeaseClient,
    acquiredAt: number,
    private readonly timing: LeaseTiming,
    private readonly where: string,
  ) {
    this.lastRenewed = acquiredAt;
    this.validUntil = acquiredAt + timing.seconds * 1000;
    this.timer = setInterval(() => void this.renew(), timing.renewEveryMs);
    this.timer.unref();
  }

  get leaseId(): string {
    return this.lease.leaseId;
  }

  /** Renews the lease; a refusal (broken, taken, the lock blob gone) means it is no longer ours. */
  async renew(): Promise<void> {
    const sentAt = this.timing.now();
    try {
      await this.lease.renewLease();
      if (this.lost === undefined) {
        this.lastRenewed = sentAt;
        this.validUntil = sentAt + this.timing.seconds * 1000;
      }
    } catch (err) {
      // Anything else (the network, a 5xx) may pass: the next renew tries again while time is left.
      if (isStatus(err, 409) || isStatus(err, 412) || isStatus(err, 404)) this.lost = (err as { code?: string }).code ?? 'refused';
    }
  }

  /** Throws unless the lease is surely still ours, before `doing` ("writing FILE"). */
  check(doing: string): void {
    const now = this.timing.now();
    const fix = 'another run may hold it now; run the export again to resume';
    if (this.lost !== undefined) throw new DataError(`${this.where}: the export's lease was taken or broken (${this.lost}): stopped before ${doing}; ${fix}`);
    if (now > this.validUntil - this.timing.marginMs)
      throw new DataError(`${this.where}: the export's lease was not renewed for ${humanDuration(now - this.lastRenewed)}: stopped before ${doing}; ${fix}`);
  }

  stop(): void {
    clearInterval(this.timer);
  }
}

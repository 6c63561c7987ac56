/**
 * Resource Manager's read quota, kept on the client side so that the per-resource calls (Metrics -
 * List, where the batch API cannot be used) never send a read that the service would refuse: a token
 * bucket per subscription mirroring Azure's (250 reads, refilled at 25 per second, per subscription
 * and principal). A read waits until its subscription's bucket holds one; ARM counts a read when it
 * arrives, after it was taken here, so its bucket holds at least what this one does.
 *
 * The service's own count (`x-ms-ratelimit-remaining-subscription-reads` on each answer) is compared
 * with what this bucket held when the same read was taken: fewer left there means another client of
 * the same principal reads too, and this bucket gives up the difference.
 */
import { ARM_READS } from '../../core/dry-run.js';
import { InterruptedError } from '../../errors.js';

export interface ReadLimits {
  readonly bucket: number;
  readonly refillPerSecond: number;
}

export const REMAINING_READS_HEADER = 'x-ms-ratelimit-remaining-subscription-reads';

/** A taken read: what the bucket held just after (compare with the service's count of the same read). */
export interface Taken {
  readonly subscription: string;
  readonly left: number;
}

function defaultSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new InterruptedError());
    const onAbort = (): void => {
      clearTimeout(t);
      reject(new InterruptedError());
    };
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export class ReadPacer {
  private readonly subs = new Map<string, { tokens: number; at: number }>();
  /** Milliseconds reads spent waiting, added up over every read (several wait at once), for --debug. */
  waitedMs = 0;

  constructor(
    readonly limits: ReadLimits = ARM_READS,
    private readonly clock: () => number = Date.now,
    private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void> = defaultSleep,
  ) {}

  private state(subscription: string): { tokens: number; at: number } {
    const key = subscription.toLowerCase();
    const now = this.clock();
    const s = this.subs.get(key) ?? { tokens: this.limits.bucket, at: now };
    s.tokens = Math.min(this.limits.bucket, s.tokens + ((now - s.at) / 1000) * this.limits.refillPerSecond);
    s.at = now;
    this.subs.set(key, s);
    return s;
  }

  /** Takes a read of the subscription's bucket, waiting until it holds one (the bucket is worked out as the service does). */
  async take(subscription: string, signal?: AbortSignal): Promise<Taken> {
    for (;;) {
      const s = this.state(subscription);
      if (s.tokens >= 1) {
        s.tokens -= 1;
        return { subscription, left: s.tokens };
      }
      // A millisecond more than the refill needs: the service adds up its bucket in floating point too.
      const ms = Math.ceil(((1 - s.tokens) / this.limits.refillPerSecond) * 1000) + 1;
      this.waitedMs += ms;
      await this.sleep(ms, signal);
    }
  }

  /** The service's count of reads left after this read (the header's text): fewer than here, and the bucket follows. */
  observe(taken: Taken, header: string | undefined): void {
    const remaining = Number(header);
    if (header === undefined || header.trim() === '' || !Number.isFinite(remaining)) return;
    const behind = Math.floor(taken.left) - remaining;
    if (behind <= 0) return;
    const s = this.state(taken.subscription);
    s.tokens = Math.max(0, s.tokens - behind);
  }
}

/**
 * The service limits the emulator enforces when asked (facts note §4; Azure's throttling documents),
 * counted when a request arrives, before the emulator's latency, as a front door would:
 * - Resource Manager reads (Metrics - List, metric definitions): a token bucket per subscription
 *   (and principal: the emulator knows one) of 250 reads refilled at 25 per second. Every answer
 *   carries `x-ms-ratelimit-remaining-subscription-reads`; an empty bucket answers 429
 *   `SubscriptionRequestsThrottled` with `Retry-After` in whole seconds (at least 1);
 * - Resource Graph: 15 queries per 5 s window per user (the window opens with its first query);
 *   answers carry `x-ms-user-quota-remaining` and `x-ms-user-quota-resets-after` (hh:mm:ss), and a
 *   query past the quota is a 429 `RateLimiting` with `Retry-After` (see estate-api.ts answerGraph).
 * The metrics batch API's limit is per call (50 ids, estate-api.ts), not per second.
 */
import { mulberry32 } from '../../scripts/prng.mjs';

export interface BucketSettings {
  /** Reads the bucket holds (Azure: 250). */
  readonly bucket: number;
  /** Reads added back per second (Azure: 25). */
  readonly refillPerSecond: number;
}

export const ARM_READ_BUCKET: BucketSettings = { bucket: 250, refillPerSecond: 25 };

/** The principal the emulator names in its throttling messages. */
const ACTOR = '00000000-0000-4000-8000-0000000000ac';

export type Admission = { readonly ok: true; readonly remaining: number } | { readonly ok: false; readonly retryAfterMs: number };

/** ARM's read buckets, one per subscription. */
export class ReadBuckets {
  private readonly subs = new Map<string, { tokens: number; at: number }>();
  constructor(readonly settings: BucketSettings) {}

  /** Takes one read of the subscription's bucket at `now`: what remains, or how long until a read is there. */
  take(subscription: string, now: number): Admission {
    const key = subscription.toLowerCase();
    const { bucket, refillPerSecond } = this.settings;
    const s = this.subs.get(key) ?? { tokens: bucket, at: now };
    s.tokens = Math.min(bucket, s.tokens + ((now - s.at) / 1000) * refillPerSecond);
    s.at = now;
    this.subs.set(key, s);
    if (s.tokens < 1) return { ok: false, retryAfterMs: Math.ceil(((1 - s.tokens) / refillPerSecond) * 1000) };
    s.tokens -= 1;
    return { ok: true, remaining: Math.floor(s.tokens) };
  }

  reset(): void {
    this.subs.clear();
  }
}

/** The header every Resource Manager read answer carries when the buckets are on. */
export const remainingReadsHeader = (remaining: number): Record<string, string> => ({ 'x-ms-ratelimit-remaining-subscription-reads': String(remaining) });

/** A read refused by the bucket: 429, Retry-After in whole seconds (at least 1), ARM's error body. */
export function readsThrottled(subscription: string, retryAfterMs: number): { status: number; body: unknown; headers: Record<string, string> } {
  const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
  return {
    status: 429,
    headers: { 'retry-after': String(seconds), ...remainingReadsHeader(0) },
    body: {
      error: {
        code: 'SubscriptionRequestsThrottled',
        message: `Number of 'read' requests for subscription '${subscription}' actor '${ACTOR}' exceeded. Please try again after '${seconds}' seconds after the last request. Please see https://aka.ms/ARMThrottling for more information.`,
      },
    },
  };
}

/** A seeded random latency in [min, max] ms (mulberry32), the same sequence for the same seed. */
export function latencies(minMs: number, maxMs: number, seed = 22): () => number {
  const random = mulberry32(seed);
  return () => Math.round(minMs + random() * (maxMs - minMs));
}

/**
 * The service limits: the emulator enforces ARM's read bucket and Resource Graph's quota the way Azure
 * answers (429, Retry-After, the quota headers), and the estate source paces its per-resource reads
 * by the bucket so that none is refused; without pacing, the retries absorb the refusals or the
 * resource is named as throttled out. Buckets are small and fast here (milliseconds, not minutes).
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveMetric } from '../src/catalog/resolve.js';
import type { MetricData, Query } from '../src/core/model.js';
import { perResourceQuery } from '../src/core/usage.js';
import { EstateSource } from '../src/sources/azure/estate-source.js';
import { parseResourceId } from '../src/sources/azure/resource-id.js';
import { ReadPacer } from '../src/sources/azure/read-pacer.js';
import { type Harness, liveEnv, NOW, openEstateHarness, TOKEN } from './emulator/harness.js';
import { chatErrorsPerHour, chatPerHour, makeEstate, SUBS } from './emulator/estate.js';
import { ReadBuckets } from './emulator/quotas.js';

const estate = makeEstate(24);
let h: Harness;
beforeAll(async () => {
  h = await openEstateHarness(estate, [SUBS[0]]);
});
afterAll(async () => h.close());

const quiet = { warn: () => {}, note: () => {}, trace: () => {} };
const metricsUrl = (id: string): string =>
  `${h.emulator.endpoint}${id}/providers/Microsoft.Insights/metrics?api-version=2024-02-01&metricnamespace=Microsoft.Communication/CommunicationServices&metricnames=APIRequestChat&timespan=2026-01-07T00:00:00Z/2026-01-07T02:00:00Z&interval=PT1H&aggregation=Count`;
const get = async (id: string) => {
  const r = await fetch(metricsUrl(id), { headers: { authorization: `Bearer ${TOKEN}` } });
  return {
    status: r.status,
    remaining: r.headers.get('x-ms-ratelimit-remaining-subscription-reads'),
    retryAfter: r.headers.get('retry-after'),
    body: (await r.json()) as any,
  };
};

describe('the emulator enforces the quotas', () => {
  it("ARM's read bucket per subscription: remaining reads counted down, then 429 SubscriptionRequestsThrottled with Retry-After", async () => {
    h.emulator.reset();
    // Refilled at one read in 20 s, so that a loaded machine's pauses between requests do not refill it.
    h.emulator.limitReads({ bucket: 3, refillPerSecond: 0.05 });
    try {
      const id = estate[0]!.id;
      const answers = [];
      for (let i = 0; i < 4; i++) answers.push(await get(id));
      expect(answers.map((a) => [a.status, a.remaining])).toEqual([
        [200, '2'],
        [200, '1'],
        [200, '0'],
        [429, '0'],
      ]);
      // Azure says whole seconds: the time until the bucket holds a read again (at most 20 s).
      const seconds = Number(answers[3]!.retryAfter);
      expect(seconds >= 1 && seconds <= 20).toBe(true);
      expect(answers[3]!.body).toEqual({
        error: {
          code: 'SubscriptionRequestsThrottled',
          message: `Number of 'read' requests for subscription '${SUBS[0]}' actor '00000000-0000-4000-8000-0000000000ac' exceeded. Please try again after '${seconds}' seconds after the last request. Please see https://aka.ms/ARMThrottling for more information.`,
        },
      });
      // Another subscription has its own bucket.
      const other = await get(estate[1]!.id);
      expect([other.status, other.remaining]).toEqual([200, '2']);
      expect(h.emulator.throttled).toHaveLength(1);
    } finally {
      h.emulator.limitReads(undefined);
    }
  });

  it("Resource Graph's per-user quota: x-ms-user-quota-remaining counts down, then 429 RateLimiting with Retry-After", async () => {
    h.emulator.reset();
    h.emulator.estate.quota = 2;
    try {
      const q = { query: "resources | where type =~ 'microsoft.communication/communicationservices' | project id", options: { $top: 1000 } };
      const statuses = [];
      for (let i = 0; i < 3; i++) {
        const r = await fetch(`${h.emulator.endpoint}/providers/Microsoft.ResourceGraph/resources?api-version=2024-04-01`, {
          method: 'POST',
          headers: { authorization: `Bearer ${TOKEN}` },
          body: JSON.stringify(q),
        });
        const body = (await r.json()) as any;
        statuses.push([
          r.status,
          r.headers.get('x-ms-user-quota-remaining'),
          r.headers.get('x-ms-user-quota-resets-after'),
          r.headers.get('retry-after'),
          body.error?.code ?? body.count,
        ]);
      }
      expect(statuses).toEqual([
        [200, '1', '00:00:05', null, 24],
        [200, '0', '00:00:05', null, 24],
        [429, '0', '00:00:05', '5', 'RateLimiting'],
      ]);
    } finally {
      h.emulator.estate.quota = 15;
    }
  });
});

/** Chat of every resource, the last two hours, split by resource and operation. */
const queries: Query[] = [perResourceQuery(resolveMetric('chat'), { sinceMs: 2 * 3_600_000 }, { kind: 'auto' }, false)];

function source(o: {
  readLimits?: { bucket: number; refillPerSecond: number } | 'off';
  batch?: boolean;
  concurrency?: number;
  sleep?: (ms: number) => Promise<void>;
}) {
  return new EstateSource({
    selection: { kind: 'ids', ids: estate.map((r) => parseResourceId(r.id)) },
    endpoint: h.emulator.endpoint,
    ...(o.batch ? { batchEndpoint: h.emulator.endpoint } : {}),
    concurrency: o.concurrency ?? 4,
    timeoutMs: 10_000,
    env: liveEnv(h),
    now: NOW,
    log: quiet,
    ...(o.readLimits ? { readLimits: o.readLimits } : {}),
    ...(o.sleep ? { sleep: o.sleep } : {}),
    keepBodies: false,
  });
}

/** Requests per resource (lower-case id) in the answer, and the resources that failed, with why. */
function perResource(metrics: readonly MetricData[]): { requests: Map<string, number>; failed: Map<string, string> } {
  const requests = new Map<string, number>();
  const failed = new Map<string, string>();
  for (const m of metrics) {
    const id = (m.resourceId ?? '').toLowerCase();
    if (m.errorCode !== undefined) failed.set(id, `${m.errorCode}: ${m.errorMessage}`);
    else
      requests.set(
        id,
        m.series.reduce((n, s) => n + s.points.reduce((k, p) => k + (p.count ?? 0), 0), 0),
      );
  }
  return { requests, failed };
}

// Two hours ending at NOW (off the minute): the buckets of 22:00 and 23:00 (and the minute-floored start's), 2 a resource.
const expected = (i: number): number => 2 * (chatPerHour(i) + chatErrorsPerHour(i));

describe('the estate source under the read bucket', () => {
  it('paced: every read admitted (no 429 at the emulator), every resource exact, and the pace is the bucket', async () => {
    h.emulator.reset();
    h.emulator.limitReads({ bucket: 4, refillPerSecond: 40 });
    try {
      const t0 = Date.now();
      const r = await source({ readLimits: { bucket: 4, refillPerSecond: 40 }, concurrency: 8 }).fetch(queries);
      const ms = Date.now() - t0;
      expect(h.emulator.metricRequests).toHaveLength(24);
      expect(h.emulator.throttled).toHaveLength(0);
      // 24 reads over 3 subscriptions of 8: each past its 4 reads waits for 4 more at 40/s (100 ms).
      expect(ms).toBeGreaterThanOrEqual(95);
      const { requests, failed } = perResource(r.metrics);
      expect(failed.size).toBe(0);
      expect(estate.map((e) => requests.get(e.id.toLowerCase()))).toEqual(estate.map((_, i) => expected(i)));
    } finally {
      h.emulator.limitReads(undefined);
    }
  });

  it('not paced: the emulator refuses reads (429), and each resource is exact or named as throttled out', async () => {
    h.emulator.reset();
    h.emulator.limitReads({ bucket: 2, refillPerSecond: 1 });
    try {
      // Retry-After is a whole second: waited as 60 ms here, so that most retries come too early.
      const r = await source({ readLimits: 'off', concurrency: 8, sleep: (ms) => new Promise((res) => setTimeout(res, ms / 16)) }).fetch(queries);
      expect(h.emulator.throttled.length).toBeGreaterThan(0);
      expect(h.emulator.throttled.every((q) => q.path.toLowerCase().endsWith('/providers/microsoft.insights/metrics'))).toBe(true);
      const { requests, failed } = perResource(r.metrics);
      estate.forEach((e, i) => {
        const id = e.id.toLowerCase();
        if (failed.has(id)) expect(failed.get(id)).toBe('TooManyRequests: throttled out (HTTP 429), still after 3 retries');
        else expect(requests.get(id)).toBe(expected(i));
      });
      expect(requests.size + failed.size).toBe(24);
      // Each subscription's first two reads at least were answered.
      expect(requests.size).toBeGreaterThanOrEqual(6);
      expect(failed.size).toBeGreaterThan(0);
    } finally {
      h.emulator.limitReads(undefined);
    }
  });

  it('a subscription the batch API refuses is read one resource at a time while the batch calls still run', async () => {
    h.emulator.reset();
    h.emulator.limitReads({ bucket: 250, refillPerSecond: 25 });
    h.emulator.latencyMs = 20;
    try {
      const r = await source({ batch: true, concurrency: 1 }).fetch(queries);
      const batch = h.emulator.batchRequests;
      const reads = h.emulator.metricRequests;
      // SUBS[0] (8 resources) refused: its reads begin before the last batch call (SUBS[1], SUBS[2]) is sent.
      expect([batch.length, reads.length, h.emulator.throttled.length]).toEqual([3, 8, 0]);
      expect(Math.min(...reads.map((q) => q.at))).toBeLessThan(Math.max(...batch.map((q) => q.at)));
      const { requests, failed } = perResource(r.metrics);
      expect(failed.size).toBe(0);
      expect(estate.map((e) => requests.get(e.id.toLowerCase()))).toEqual(estate.map((_, i) => expected(i)));
    } finally {
      h.emulator.limitReads(undefined);
      h.emulator.latencyMs = 0;
    }
  });
});

describe('ReadPacer', () => {
  it('never takes a read that the service bucket (the emulator oracle) would refuse, whatever the gaps between reads', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.nat(120), { minLength: 1, maxLength: 60 }),
        fc.integer({ min: 1, max: 8 }),
        fc.integer({ min: 1, max: 50 }),
        async (gaps, bucket, rate) => {
          let now = 1_000;
          const pacer = new ReadPacer(
            { bucket, refillPerSecond: rate },
            () => now,
            async (ms) => void (now += ms),
          );
          const service = new ReadBuckets({ bucket, refillPerSecond: rate });
          for (const gap of gaps) {
            now += gap;
            await pacer.take('sub');
            expect(service.take('sub', now).ok).toBe(true);
          }
        },
      ),
    );
  });

  it('waits for the refill (and a millisecond): 5 reads of a bucket of 2 at 10/s end at 301 ms', async () => {
    let now = 0;
    const waits: number[] = [];
    const pacer = new ReadPacer(
      { bucket: 2, refillPerSecond: 10 },
      () => now,
      async (ms) => void (waits.push(ms), (now += ms)),
    );
    for (let i = 0; i < 5; i++) await pacer.take('s');
    // 101 ms to 1.01 reads, then 100 ms from 0.01 to 1.01, twice.
    expect([waits, now]).toEqual([[101, 100, 100], 301]);
  });

  it('gives up what the service says another client took (x-ms-ratelimit-remaining-subscription-reads lower than here)', async () => {
    let now = 0;
    const waits: number[] = [];
    const pacer = new ReadPacer(
      { bucket: 10, refillPerSecond: 10 },
      () => now,
      async (ms) => void (waits.push(ms), (now += ms)),
    );
    const taken = await pacer.take('s');
    expect(taken.left).toBe(9);
    // The service counts 3 left after this read: 6 reads went elsewhere; 3 remain here, then a wait.
    pacer.observe(taken, '3');
    for (let i = 0; i < 4; i++) await pacer.take('s');
    expect(waits).toEqual([101]);
    pacer.observe(await pacer.take('s'), 'not a number');
    expect(waits).toEqual([101, 100]);
  });
});

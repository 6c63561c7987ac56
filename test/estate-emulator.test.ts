/** The emulator's getBatch and Resource Graph enforce the documented limits (tests of the test double). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, openEstateHarness, TOKEN } from './emulator/harness.js';
import { makeEstate, SUBS } from './emulator/estate.js';

let h: Harness;
const estate = makeEstate(180);
beforeAll(async () => {
  h = await openEstateHarness(estate, [SUBS[2]]);
});
afterAll(async () => h.close());

const inSub = (s: string) => estate.filter((r) => r.subscription === s).map((r) => r.id);
const params =
  'api-version=2024-02-01&metricnamespace=Microsoft.Communication/CommunicationServices&metricnames=APIRequestChat&starttime=2026-01-07T00:00:37Z&endtime=2026-01-07T02:00:00Z&interval=PT1H&aggregation=Count';

async function post(path: string, body: unknown, token = TOKEN): Promise<{ status: number; body: any }> {
  const r = await fetch(`${h.emulator.endpoint}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: r.status, body: await r.json() };
}

describe('emulated getBatch', () => {
  it('answers each resource, minute-floored, at most 50 ids', async () => {
    const ids = inSub(SUBS[0]).slice(0, 50);
    const r = await post(`/subscriptions/${SUBS[0]}/metrics:getBatch?${params}`, { resourceids: ids });
    expect(r.status).toBe(200);
    expect(r.body.values).toHaveLength(50);
    const first = r.body.values[0];
    // Resource 0: 1 chat request an hour; buckets from 00:00 (the start floored to the minute).
    expect(first.resourceid).toBe(ids[0]);
    expect(first.value[0].timeseries[0].data).toEqual([
      { timeStamp: '2026-01-07T00:00:00Z', count: 1 },
      { timeStamp: '2026-01-07T01:00:00Z', count: 1 },
    ]);
  });

  it('refuses 51 ids, ids of another subscription, and a caller without subscription access', async () => {
    const ids = inSub(SUBS[0]);
    expect(ids.length).toBeGreaterThan(50);
    const tooMany = await post(`/subscriptions/${SUBS[0]}/metrics:getBatch?${params}`, { resourceids: ids.slice(0, 51) });
    expect([tooMany.status, tooMany.body.error.message]).toEqual([400, 'Too many resource ids: 51; at most 50 per request']);
    const mixed = await post(`/subscriptions/${SUBS[0]}/metrics:getBatch?${params}`, { resourceids: [ids[0], inSub(SUBS[1])[0]] });
    expect(mixed.status).toBe(400);
    expect(mixed.body.error.message).toContain(`is not in subscription ${SUBS[0]}`);
    const forbidden = await post(`/subscriptions/${SUBS[2]}/metrics:getBatch?${params}`, { resourceids: inSub(SUBS[2]).slice(0, 2) });
    expect([forbidden.status, forbidden.body.error.code]).toEqual([403, 'AuthorizationFailed']);
    const noToken = await post(`/subscriptions/${SUBS[0]}/metrics:getBatch?${params}`, { resourceids: [ids[0]] }, 'other');
    expect(noToken.status).toBe(401);
  });

  it('reports a missing resource inside a 200', async () => {
    const missing = `/subscriptions/${SUBS[0]}/resourceGroups/rg-0/providers/Microsoft.Communication/CommunicationServices/nope`;
    const r = await post(`/subscriptions/${SUBS[0]}/metrics:getBatch?${params}`, { resourceids: [inSub(SUBS[0])[0], missing] });
    expect(r.status).toBe(200);
    expect(r.body.values[1]).toEqual({ resourceid: missing, error: { code: 'ResourceNotFound', message: `The Resource '${missing}' was not found.` } });
  });
});

describe('emulated Resource Graph', () => {
  it('pages with $skipToken and counts the quota down', async () => {
    h.emulator.reset();
    h.emulator.estate.pageSize = 100;
    try {
      const q = { query: "resources | where type =~ 'microsoft.communication/communicationservices'", options: { $top: 1000 } };
      const r1 = await fetch(`${h.emulator.endpoint}/providers/Microsoft.ResourceGraph/resources?api-version=2024-04-01`, {
        method: 'POST',
        headers: { authorization: `Bearer ${TOKEN}` },
        body: JSON.stringify(q),
      });
      const b1 = (await r1.json()) as any;
      expect([b1.totalRecords, b1.count, b1.data.length, typeof b1.$skipToken]).toEqual([180, 100, 100, 'string']);
      expect(r1.headers.get('x-ms-user-quota-remaining')).toBe('14');
      expect(r1.headers.get('x-ms-user-quota-resets-after')).toBe('00:00:05');
      const r2 = await post('/providers/Microsoft.ResourceGraph/resources?api-version=2024-04-01', {
        ...q,
        options: { $top: 1000, $skipToken: b1.$skipToken },
      });
      expect([r2.body.count, r2.body.$skipToken]).toEqual([80, undefined]);
    } finally {
      h.emulator.estate.pageSize = 1000;
    }
  });
});

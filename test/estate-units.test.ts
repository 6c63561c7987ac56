/** The pure parts of the estate: batching, metric grouping, endpoints, globs, lists, quota headers, status. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { METRICS } from '../src/catalog/metrics.js';
import { operationDimension, resolveMetric } from '../src/catalog/resolve.js';
import { RESOURCE_DIMENSION } from '../src/catalog/resource.js';
import { aggregationDef } from '../src/catalog/aggregations.js';
import { defaultErrors } from '../src/core/classify.js';
import type { Query, QueryResult } from '../src/core/model.js';
import { buildStatus } from '../src/core/status.js';
import { batchResources, groupPlans, MAX_IDS_PER_BATCH } from '../src/sources/azure/batch-plan.js';
import { parseResetsAfter } from '../src/sources/azure/discovery.js';
import { batchScopeFor, cloudOf } from '../src/sources/azure/endpoint.js';
import { planRequests } from '../src/sources/azure/request-plan.js';
import { parseResourceId } from '../src/sources/azure/resource-id.js';
import { infoOf } from '../src/sources/azure/resource-info.js';
import { globTest } from '../src/sources/azure/selection.js';
import { parseResourceList } from '../src/cli/selection.js';

const NOW = Date.parse('2026-01-08T00:00:37.250Z');
const guid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const id = (sub: number, name: string) =>
  parseResourceId(`/subscriptions/${guid(sub)}/resourceGroups/rg/providers/Microsoft.Communication/CommunicationServices/${name}`);

const statusQuery = (alias: string): Query => {
  const metric = resolveMetric(alias);
  const op = operationDimension(metric);
  return {
    metric,
    aggregation: aggregationDef('count'),
    filters: [],
    splitBy: op ? [RESOURCE_DIMENSION, op] : [RESOURCE_DIMENSION],
    defaultSplit: false,
    interval: { kind: 'auto' },
    range: { sinceMs: 86_400_000 },
    errors: defaultErrors(metric),
  };
};

describe('batches of resources', () => {
  it('never mixes subscriptions or regions, never exceeds 50, and keeps every resource once (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 3 }), fc.constantFrom('global', 'westeurope')), { maxLength: 400 }), (spec) => {
        const resources = spec.map(([sub, loc], i) => ({ ...infoOf(id(sub, `acs-${i}`)), location: loc }));
        const batches = batchResources(resources);
        for (const b of batches) {
          expect(b.resources.length).toBeGreaterThan(0);
          expect(b.resources.length).toBeLessThanOrEqual(MAX_IDS_PER_BATCH);
          expect(b.resources.every((r) => r.resource.subscription === b.subscription && r.location === b.location)).toBe(true);
        }
        expect(batches.flatMap((b) => b.resources.map((r) => r.resource.name)).sort()).toEqual(resources.map((r) => r.resource.name).sort());
        // The fewest calls: per subscription and region, ceil(n / 50).
        const groups = new Map<string, number>();
        for (const [sub, loc] of spec) groups.set(`${sub}${loc}`, (groups.get(`${sub}${loc}`) ?? 0) + 1);
        expect(batches).toHaveLength([...groups.values()].reduce((n, c) => n + Math.ceil(c / 50), 0));
      }),
    );
  });

  it('120 resources of one subscription are 50 + 50 + 20', () => {
    const list = Array.from({ length: 120 }, (_, i) => infoOf(id(1, `acs-${i}`)));
    expect(batchResources(list).map((b) => b.resources.length)).toEqual([50, 50, 20]);
  });
});

describe('metrics per request', () => {
  it('puts metrics whose $filter agrees in one request, with the largest top, and the others apart', () => {
    const groups = groupPlans(
      planRequests(
        METRICS.map((m) => statusQuery(m.alias)),
        NOW,
      ),
    );
    const names = groups.map((g) => g.metricnames.split(','));
    // The ten request metrics split by Operation and StatusCodeClass share one request; router
    // (OperationName, StatusCodeSubClass), callbacks, email delivery and engagement have their own.
    expect(names).toHaveLength(5);
    expect(names[0]).toHaveLength(9);
    expect(names.flat().sort()).toEqual(METRICS.map((m) => m.rest).sort());
    for (const g of groups) {
      expect(g.top).toBe(Math.max(...g.plans.map((p) => p.top)));
      expect(new Set(g.plans.map((p) => p.filter))).toEqual(new Set([g.filter]));
    }
    expect(groups.find((g) => g.metricnames === 'ApiRequestRouter')!.filter).toBe("OperationName eq '*' and StatusCodeSubClass eq '*'");
  });

  it('chunks by 20 names, or 1 for the baseline', () => {
    const plans = planRequests([statusQuery('chat')], NOW);
    const many = Array.from({ length: 45 }, () => plans[0]!);
    expect(groupPlans(many).map((g) => g.plans.length)).toEqual([20, 20, 5]);
    expect(
      groupPlans(
        planRequests(
          METRICS.map((m) => statusQuery(m.alias)),
          NOW,
        ),
        1,
      ),
    ).toHaveLength(METRICS.length);
  });
});

describe('endpoints', () => {
  it("knows each cloud's batch endpoint and scope", () => {
    expect(cloudOf('https://management.azure.com')?.batch).toBe('https://global.metrics.monitor.azure.com');
    expect(cloudOf('https://management.usgovcloudapi.net')?.batch).toBe('https://global.metrics.monitor.azure.us');
    expect(cloudOf('https://management.chinacloudapi.cn')?.batch).toBe('https://global.metrics.monitor.azure.cn');
    expect(cloudOf('https://127.0.0.1:4443')).toBeUndefined();
    expect(batchScopeFor('https://global.metrics.monitor.azure.com')).toBe('https://metrics.monitor.azure.com/.default');
    expect(batchScopeFor('https://global.metrics.monitor.azure.us')).toBe('https://metrics.monitor.azure.us/.default');
    expect(batchScopeFor('https://global.metrics.monitor.azure.cn')).toBe('https://metrics.monitor.azure.cn/.default');
    expect(batchScopeFor('https://127.0.0.1:4443')).toBe('https://metrics.monitor.azure.com/.default');
  });
});

describe('selection helpers', () => {
  it('globs match like a shell, any case (property against an oracle on literal names)', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[a-z0-9-]{1,12}$/), fc.stringMatching(/^[a-z0-9-]{0,6}$/), (name, other) => {
        expect(globTest(name)(name.toUpperCase())).toBe(true);
        expect(globTest(`${name}*`)(`${name}${other}`)).toBe(true);
        expect(globTest(`*${name}`)(`${other}${name}`)).toBe(true);
        expect(globTest(name.replace(/./, '?'))(name)).toBe(true);
        expect(globTest(name)(`${name}${other}`)).toBe(other === '');
      }),
    );
    expect(globTest('acs.prod')('acsXprod')).toBe(false);
    expect(globTest('acs-(1)')('acs-(1)')).toBe(true);
  });

  it('reads lists of ids as lines or JSON', () => {
    const a = '/subscriptions/00000000-0000-4000-8000-000000000001/resourceGroups/rg/providers/Microsoft.Communication/CommunicationServices/a';
    expect(parseResourceList(`# x\n${a}  # the first\n\n`, 'f').map((r) => r.name)).toEqual(['a']);
    expect(parseResourceList(JSON.stringify([a]), 'f').map((r) => r.name)).toEqual(['a']);
    expect(parseResourceList(JSON.stringify({ resources: [{ id: a }] }), 'f').map((r) => r.name)).toEqual(['a']);
    expect(() => parseResourceList('{"resources": [{}]}', 'f')).toThrow('f: resources[0] has no "id"');
    expect(() => parseResourceList('\n# nothing\n', 'f')).toThrow('f: no resource ids in it');
  });

  it('reads x-ms-user-quota-resets-after', () => {
    expect(parseResetsAfter('00:00:05')).toBe(5000);
    expect(parseResetsAfter('00:01:02.5')).toBe(62_500);
    expect(parseResetsAfter('soon')).toBeUndefined();
    expect(parseResetsAfter(undefined)).toBeUndefined();
  });
});

describe('status report', () => {
  const A = '/subscriptions/x/resourceGroups/rg/providers/Microsoft.Communication/CommunicationServices/acs-a';
  const B = '/subscriptions/x/resourceGroups/rg/providers/Microsoft.Communication/CommunicationServices/acs-b';
  const C = '/subscriptions/x/resourceGroups/rg/providers/Microsoft.Communication/CommunicationServices/acs-c';
  const op = resolveMetric('chat').dimensions.find((d) => d.name === 'Operation')!;
  const series = (res: string, operation: string, requests: number, errors: number, last: number) => ({
    dimensions: { Resource: res, Operation: operation },
    points: [
      { timestamp: 0, value: requests - last },
      { timestamp: 3_600_000, value: last },
    ],
    total: requests,
    requests,
    errors,
  });
  const chat = {
    query: { ...statusQuery('chat'), splitBy: [RESOURCE_DIMENSION, op] },
    start: 0,
    end: 7_200_000,
    series: [series(A, 'Send', 100, 0, 0), series(A, 'Get', 50, 5, 10), series(B, 'Send', 10, 0, 5), series(B, 'Get', 10, 5, 5)],
  } as unknown as QueryResult;

  it('puts failures first, then the highest error rate, with totals and the worst operation', () => {
    const report = buildStatus({
      resources: [A, B, C],
      results: [chat],
      failedMetrics: [],
      failures: [{ resourceId: C, metric: 'APIRequestChat', message: 'ResourceNotFound: resource not found' }],
      everyMetric: false,
      window: { start: 0, end: 7_200_000 },
    });
    expect(report.partial).toBe(true);
    expect(report.resources.map((r) => [r.name, r.requests, r.errors, r.errorRate, r.failed])).toEqual([
      ['acs-c', 0, 0, null, 1],
      // B: 5 of 20 = 25%; A: 5 of 150.
      ['acs-b', 20, 5, 0.25, 0],
      ['acs-a', 150, 5, 5 / 150, 0],
    ]);
    expect(report.resources[2]!.rows[0]).toMatchObject({ worstOperation: { name: 'Get', errors: 5, errorRate: 0.1 }, latest: 3_600_000 });
    // A's "Send" had nothing in the last bucket, "Get" 10: the latest data is the second bucket.
    expect(report.resources[0]!.rows[0]!.error).toBe('ResourceNotFound: resource not found');
  });

  it('lists namesakes with the same numbers by id, whatever order they came in', () => {
    const other = A.replace('/resourceGroups/rg/', '/resourceGroups/rg.x/');
    const twin = { ...chat, series: [series(A, 'Send', 10, 0, 5), series(other, 'Send', 10, 0, 5)] } as unknown as QueryResult;
    for (const resources of [
      [A, other],
      [other, A],
    ]) {
      const report = buildStatus({ resources, results: [twin], failedMetrics: [], failures: [], everyMetric: false, window: { start: 0, end: 7_200_000 } });
      expect(report.resources.map((r) => [r.id, r.requests])).toEqual([
        [other, 10],
        [A, 10],
      ]);
    }
  });
});

describe('the batch endpoint of a run', () => {
  it('follows --batch-endpoint, then ACS_METRICS_BATCH_ENDPOINT, then the cloud of --endpoint', async () => {
    const { batchTarget } = await import('../src/cli/source-options.js');
    expect(batchTarget({}, 'https://management.azure.com', {})).toEqual({ batchEndpoint: 'https://global.metrics.monitor.azure.com' });
    expect(batchTarget({}, 'https://management.usgovcloudapi.net', {})).toEqual({ batchEndpoint: 'https://global.metrics.monitor.azure.us' });
    expect(batchTarget({}, 'https://management.chinacloudapi.cn', {})).toEqual({ batchEndpoint: 'https://global.metrics.monitor.azure.cn' });
    expect(batchTarget({}, 'https://management.azure.com', { ACS_METRICS_BATCH_ENDPOINT: 'https://westeurope.metrics.monitor.azure.com/' })).toEqual({
      batchEndpoint: 'https://westeurope.metrics.monitor.azure.com',
    });
    expect(batchTarget({ batchEndpoint: 'https://a.example' }, 'https://management.azure.com', { ACS_METRICS_BATCH_ENDPOINT: 'https://b.example' })).toEqual({
      batchEndpoint: 'https://a.example',
    });
    expect(batchTarget({ batch: false }, 'https://management.azure.com', {})).toEqual({});
    expect(batchTarget({}, 'https://127.0.0.1:4443', {})).toEqual({
      noBatchReason:
        'no metrics batch endpoint is known for 127.0.0.1:4443: using one request per resource; give --batch-endpoint (or ACS_METRICS_BATCH_ENDPOINT) for the batch API',
    });
  });
});

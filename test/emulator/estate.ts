/**
 * A test estate: ACS resources in three subscriptions with hourly data worked out by hand.
 * Resource i has, every hour of the two days ending at NOW_MINUTE (or the end given):
 * - chat: SendChatMessage 201 x (i % 5 + 1); GetChatThread 500 x 2 when i % 10 === 3;
 * - sms: SendMessage 202 x 1 when i % 4 === 0;
 * and no series for the other ten current metrics (each answers "timeseries": []). Like today's
 * resources (facts note §2), they define the 12 current metrics, not the legacy Network Traversal one:
 * a request naming it gets Azure's 400 "Failed to find metric configuration".
 */
import { METRICS } from '../../src/catalog/metrics.js';
import { resolveMetric } from '../../src/catalog/resolve.js';
import { buildMetric, type Dataset } from './dataset.js';
import type { EstateResource } from './estate-api.js';
import { DAY, HOUR, NOW_MINUTE } from './harness.js';

export const SUBS = ['00000000-0000-4000-8000-0000000000a1', '00000000-0000-4000-8000-0000000000b2', '00000000-0000-4000-8000-0000000000c3'] as const;

export const chatPerHour = (i: number): number => (i % 5) + 1;
export const chatErrorsPerHour = (i: number): number => (i % 10 === 3 ? 2 : 0);
export const smsPerHour = (i: number): number => (i % 4 === 0 ? 1 : 0);

export function resourceDataset(i: number, end = NOW_MINUTE): Dataset {
  const start = end - 2 * DAY;
  const chat = resolveMetric('chat');
  const sms = resolveMetric('sms');
  return {
    metrics: METRICS.filter((m) => !m.legacy).map((m) => {
      if (m === chat) {
        const specs = [{ dims: { Operation: 'SendChatMessage', StatusCode: '201', StatusSubClass: '2xx' }, count: chatPerHour(i) }];
        if (chatErrorsPerHour(i) > 0)
          specs.push({ dims: { Operation: 'GetChatThread', StatusCode: '500', StatusSubClass: '5xx' }, count: chatErrorsPerHour(i) });
        return buildMetric(m, start, end, HOUR, specs);
      }
      if (m === sms && smsPerHour(i) > 0) {
        return buildMetric(m, start, end, HOUR, [{ dims: { Operation: 'SendMessage', StatusCode: '202', StatusSubClass: '2xx' }, count: smsPerHour(i) }]);
      }
      return buildMetric(m, start, end, HOUR, []);
    }),
  };
}

export const resourceName = (i: number): string => `acs-${String(i).padStart(3, '0')}`;

/** `n` subscription ids for large estates: 00000000-0000-4000-8000-00000000e001, ... */
export const subscriptionIds = (n: number): string[] =>
  Array.from({ length: n }, (_, i) => `00000000-0000-4000-8000-${(0xe001 + i).toString(16).padStart(12, '0')}`);

/**
 * `count` resources spread over the subscriptions (default SUBS) in turn (resource i in subs[i % subs.length]), resource group rg-<i % 2>,
 * tag env=prod for even i and env=dev for odd i. Datasets are shared between resources with the same
 * data (i % 20) to keep memory small.
 */
export function makeEstate(count: number, end = NOW_MINUTE, subs: readonly string[] = SUBS, first = 0): EstateResource[] {
  const datasets = new Map<number, Dataset>();
  return Array.from({ length: count }, (_, n) => {
    const i = first + n;
    const sub = subs[i % subs.length]!;
    const rg = `rg-${i % 2}`;
    const name = resourceName(i);
    const key = i % 20;
    let dataset = datasets.get(key);
    if (!dataset) {
      dataset = resourceDataset(i, end);
      datasets.set(key, dataset);
    }
    return {
      id: `/subscriptions/${sub}/resourceGroups/${rg}/providers/Microsoft.Communication/CommunicationServices/${name}`,
      subscription: sub,
      resourceGroup: rg,
      name,
      location: 'global',
      dataLocation: i % 3 === 0 ? 'United States' : 'Europe',
      tags: { env: i % 2 === 0 ? 'prod' : 'dev' },
      dataset,
    };
  });
}

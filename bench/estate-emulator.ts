/**
 * The benchmark's estate: the test emulator (test/emulator) serving ACS resources with a latency per
 * request, run as a child of bench/estate.mjs (bundled by esbuild at bench time). Its one argument is
 * a JSON object: {resources, subscriptions (0: the three of test/emulator/estate.ts), forbidden
 * (resources in one more subscription where getBatch answers 403), latencyMs | [minMs, maxMs],
 * quotas (enforce ARM's read bucket; Resource Graph's quota is always on)}. Prints one JSON line
 * {endpoint, caFile, statsPort, token, forbidden (its subscription id)} on stdout; a plain http server on statsPort answers GET /stats
 * (request counts, 429s) and POST /reset. Ends on SIGTERM.
 */
import { createServer } from 'node:http';
import { makeTestCert } from '../test/emulator/certs.js';
import { makeEstate, SUBS, subscriptionIds } from '../test/emulator/estate.js';
import { testDataset, TOKEN, RESOURCE } from '../test/emulator/harness.js';
import { ARM_READ_BUCKET } from '../test/emulator/quotas.js';
import { startEmulator } from '../test/emulator/server.js';

interface Config {
  resources: number;
  subscriptions?: number;
  forbidden?: number;
  latencyMs?: number | [number, number];
  quotas?: boolean;
}

const config = JSON.parse(process.argv[2] ?? '{"resources": 200, "latencyMs": 100}') as Config;
const cert = makeTestCert();
// Data ends half an hour after start-up, so that every run in the next half hour sees the same 24 hourly points.
const end = Math.floor(Date.now() / 60_000) * 60_000 + 30 * 60_000;
const subs = config.subscriptions ? subscriptionIds(config.subscriptions + 1) : [...SUBS];
const forbiddenSub = config.subscriptions ? subs.pop()! : undefined;
const estate = makeEstate(config.resources, end, subs);
if (config.forbidden && forbiddenSub) estate.push(...makeEstate(config.forbidden, end, [forbiddenSub], config.resources));
const emulator = await startEmulator({
  cert,
  dataset: testDataset(),
  resource: RESOURCE,
  token: TOKEN,
  now: Date.now(),
  estate,
  batchForbidden: config.forbidden && forbiddenSub ? [forbiddenSub] : [],
});
if (Array.isArray(config.latencyMs)) emulator.setLatency(config.latencyMs[0], config.latencyMs[1]);
else emulator.latencyMs = config.latencyMs ?? 100;
if (config.quotas) emulator.limitReads(ARM_READ_BUCKET);
const stats = createServer((req, res) => {
  if (req.method === 'POST') emulator.reset();
  res.writeHead(200, { 'content-type': 'application/json' });
  const count = (list: readonly { status: number }[]): { requests: number; throttled: number } => ({
    requests: list.length,
    throttled: list.filter((r) => r.status === 429).length,
  });
  res.end(
    JSON.stringify({
      requests: emulator.requests.length,
      throttled: emulator.throttled.length,
      graph: count(emulator.graphRequests),
      batch: count(emulator.batchRequests),
      metrics: count(emulator.metricRequests),
      maxInFlight: emulator.maxInFlight,
      // Arrival times (ms after the first request) of the first and last request to each API.
      spans: Object.fromEntries(
        (['graph', 'batch', 'metrics'] as const).map((api) => {
          const list = api === 'graph' ? emulator.graphRequests : api === 'batch' ? emulator.batchRequests : emulator.metricRequests;
          const t0 = emulator.requests[0]?.at ?? 0;
          return [api, list.length === 0 ? null : [list[0]!.at - t0, list[list.length - 1]!.at - t0]];
        }),
      ),
    }),
  );
});
await new Promise<void>((r) => stats.listen(0, '127.0.0.1', r));
process.stdout.write(
  `${JSON.stringify({ endpoint: emulator.endpoint, caFile: cert.caFile, statsPort: (stats.address() as { port: number }).port, token: TOKEN, forbidden: config.forbidden ? forbiddenSub : undefined })}\n`,
);
process.on('SIGTERM', async () => {
  stats.close();
  await emulator.stop();
  cert.remove();
  process.exit(0);
});

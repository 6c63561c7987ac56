/**
 * The benchmark's estate: the test emulator (test/emulator) serving 200 ACS resources in three
 * subscriptions with a fixed latency per request, run as a child of bench/estate.mjs (bundled by
 * esbuild at bench time). Prints one JSON line {endpoint, caFile, statsPort, token} on stdout; a plain
 * http server on statsPort answers GET /stats (request counts) and POST /reset. Ends on SIGTERM.
 */
import { createServer } from 'node:http';
import { makeTestCert } from '../test/emulator/certs.js';
import { makeEstate } from '../test/emulator/estate.js';
import { testDataset, TOKEN, RESOURCE } from '../test/emulator/harness.js';
import { startEmulator } from '../test/emulator/server.js';

const count = Number(process.argv[2] ?? 200);
const latencyMs = Number(process.argv[3] ?? 100);
const cert = makeTestCert();
const emulator = await startEmulator({ cert, dataset: testDataset(), resource: RESOURCE, token: TOKEN, now: Date.now(), // Data ends half an hour after start-up, so that every run in the next half hour sees the same 24 hourly points.
  estate: makeEstate(count, Math.floor(Date.now() / 60_000) * 60_000 + 30 * 60_000),
});
emulator.latencyMs = latencyMs;
const stats = createServer((req, res) => {
  if (req.method === 'POST') emulator.reset();
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ requests: emulator.requests.length, graph: emulator.graphRequests.length, batch: emulator.batchRequests.length, metrics: emulator.metricRequests.length }));
});
await new Promise<void>((r) => stats.listen(0, '127.0.0.1', r));
process.stdout.write(`${JSON.stringify({ endpoint: emulator.endpoint, caFile: cert.caFile, statsPort: (stats.address() as { port: number }).port, token: TOKEN })}\n`);
process.on('SIGTERM', async () => {
  stats.close();
  await emulator.stop();
  cert.remove();
  process.exit(0);
});

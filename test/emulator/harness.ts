/** Shared test set-up: a resource, a token, a clock, datasets, and an emulator started per test file. */
import { resolveMetric } from '../../src/catalog/resolve.js';
import { buildMetric, type Dataset } from './dataset.js';
import { makeTestCert, type TestCert } from './certs.js';
import { type Emulator, startEmulator } from './server.js';
import { trustInProcess } from './trust.js';
import type { EstateResource } from './estate-api.js';

export const SUBSCRIPTION = '00000000-0000-4000-8000-000000000001';
export const RESOURCE = `/subscriptions/${SUBSCRIPTION}/resourceGroups/rg-test/providers/Microsoft.Communication/CommunicationServices/acs-test`;
/** Distinctive, so that tests can look for it in every output. */
export const TOKEN = 'tok-SECRET-5a1f0c9e7d';
/**
 * The clock of test/helpers/io.ts: deliberately off the minute, as every real clock is, so that live
 * tests see Azure's minute-floored buckets (the data below ends at the minute, 2026-01-08T00:00:00Z).
 */
export const NOW = Date.parse('2026-01-08T00:00:37.250Z');
/** NOW floored to the minute: where the test data ends and live windows end. */
export const NOW_MINUTE = Date.parse('2026-01-08T00:00:00Z');
export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;

/**
 * Two days of Chat and Job Router traffic at PT1M ending at `now` (default NOW), and 92 days of
 * Rooms at PT1H:
 * - chat: SendChatMessage 200 (3/min), SendChatMessage 429 (1 per 10 min), GetChatThread 200 (2/min),
 *   GetChatThread 500 (1/h), Bad Route 404 (1 per 30 min), and an operation with a quote in its name;
 * - router: UpsertJob 200 and 409;
 * - rooms: CreateRoom 201 (1/h), GetRoom 200 (2/h).
 */
export function testDataset(clock = NOW): Dataset {
  const now = Math.floor(clock / 60_000) * 60_000;
  const chat = resolveMetric('chat');
  const router = resolveMetric('router');
  const rooms = resolveMetric('rooms');
  const start = now - 2 * DAY;
  const every = (n: number) => (t: number) => (Math.floor(t / 60_000) % n === 0 ? 1 : 0);
  return {
    metrics: [
      buildMetric(chat, start, now, 60_000, [
        { dims: { Operation: 'SendChatMessage', StatusCode: '200', StatusSubClass: '2xx' }, count: 3 },
        { dims: { Operation: 'SendChatMessage', StatusCode: '429', StatusSubClass: '4xx' }, count: every(10) },
        { dims: { Operation: 'GetChatThread', StatusCode: '200', StatusSubClass: '2xx' }, count: 2 },
        { dims: { Operation: 'GetChatThread', StatusCode: '500', StatusSubClass: '5xx' }, count: every(60) },
        { dims: { Operation: 'Bad Route', StatusCode: '404', StatusSubClass: '4xx' }, count: every(30) },
        { dims: { Operation: "O'Brien", StatusCode: '200', StatusSubClass: '2xx' }, count: every(120) },
      ]),
      buildMetric(router, start, now, 60_000, [
        { dims: { OperationName: 'UpsertJob', StatusCode: '200', StatusCodeSubClass: '2xx', ApiVersion: '2024-01-18' }, count: 1 },
        { dims: { OperationName: 'UpsertJob', StatusCode: '409', StatusCodeSubClass: '4xx', ApiVersion: '2024-01-18' }, count: every(15) },
      ]),
      buildMetric(rooms, now - 92 * DAY, now, HOUR, [
        { dims: { Operation: 'CreateRoom', StatusCode: '201', StatusSubClass: '2xx' }, count: 1 },
        { dims: { Operation: 'GetRoom', StatusCode: '200', StatusSubClass: '2xx' }, count: 2 },
      ]),
    ],
  };
}

export interface Harness {
  emulator: Emulator;
  cert: TestCert;
  /** Stops the emulator, removes the certificate and undoes the in-process trust. */
  close(): Promise<void>;
}

/** Starts an emulator over HTTPS with these options and trusts its certificate in this process. */
async function open(options: Omit<Parameters<typeof startEmulator>[0], 'cert' | 'resource' | 'token' | 'now'>): Promise<Harness> {
  const cert = makeTestCert();
  const untrust = trustInProcess(cert.cert);
  const emulator = await startEmulator({ ...options, cert, resource: RESOURCE, token: TOKEN, now: NOW });
  return {
    emulator,
    cert,
    close: async () => {
      await emulator.stop();
      untrust();
      cert.remove();
    },
  };
}

/** An emulator of one resource (a one-resource estate too, when `estate` is given). */
export function openHarness(dataset: Dataset = testDataset(), definitions?: readonly unknown[], estate?: readonly EstateResource[]): Promise<Harness> {
  return open({ dataset, definitions, estate });
}

/** An emulator serving an estate (Resource Graph, getBatch and Metrics - List for each resource). */
export function openEstateHarness(estate: readonly EstateResource[], batchForbidden: readonly string[] = []): Promise<Harness> {
  return open({ dataset: testDataset(), estate, batchForbidden });
}

/** The environment of a live run against the emulator. */
export function liveEnv(h: Harness, extra: Record<string, string | undefined> = {}): Record<string, string | undefined> {
  return {
    ACS_METRICS_ACCESS_TOKEN: TOKEN,
    ACS_METRICS_ENDPOINT: h.emulator.endpoint,
    ACS_METRICS_BATCH_ENDPOINT: h.emulator.endpoint,
    NO_COLOR: '1',
    ...extra,
  };
}

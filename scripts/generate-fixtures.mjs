#!/usr/bin/env node
/**
 * Writes fixtures/sample-week.json: one Azure Monitor Metrics - List response body (as the REST API
 * returns it) for a made-up ACS resource, one week at PT1H: every ACS request metric split by
 * operation, status code and status class; Call Automation callback events by event type, code and
 * code class; email delivery status updates by message status, result and hard bounce; email user
 * engagement by engagement type. Deterministic: a seeded PRNG per series, no clock.
 *
 *   node scripts/generate-fixtures.mjs [OUTPUT_DIR]     (default: the repository's fixtures/)
 *
 * See fixtures/README.md for what the data shows (daily rhythm, the Chat incident...).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { mulberry32 } from './prng.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const OUT_DIR = process.argv[2] ? resolve(process.argv[2]) : join(ROOT, 'fixtures');
const FILE = 'sample-week.json';

const HOUR = 3_600_000;
const START = Date.UTC(2026, 0, 1); // Thursday, New Year's Day
const END = Date.UTC(2026, 0, 8);
const BUCKETS = (END - START) / HOUR; // 168
const RESOURCE = '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/acs-demo/providers/Microsoft.Communication/CommunicationServices/acs-demo';
const NAMESPACE = 'Microsoft.Communication/CommunicationServices';

// ---------------------------------------------------------------------------------------------------
// Events

const at = (day, hour) => Date.UTC(2026, 0, day, hour);
const within = (t, from, to) => t >= from && t < to;

/** Chat outage, 2026-01-06 13:00-16:00Z: 503/500 from the service, 429 as clients retry. */
const CHAT_INCIDENT = { from: at(6, 13), to: at(6, 16), ops: ['SendChatMessage', 'CreateChatThread'] };
const CHAT_INCIDENT_RATES = {
  [at(6, 13)]: { 503: 0.12, 500: 0.03, 429: 0.05 },
  [at(6, 14)]: { 503: 0.26, 500: 0.05, 429: 0.14 },
  [at(6, 15)]: { 503: 0.08, 500: 0.02, 429: 0.09 },
};
/** SMS campaign, 2026-01-05 09:00-11:00Z: SMSMessageSent throttled (429). */
const SMS_BURST = { from: at(5, 9), to: at(5, 11), op: 'SMSMessageSent', rates: { [at(5, 9)]: 0.22, [at(5, 10)]: 0.14 } };
/**
 * Call Automation callbacks fail during the Chat incident (same backend outage): PlayFailed,
 * RecognizeFailed and CreateCallFailed events with 5xx codes, this many extra per hour at peak.
 */
const CALLBACK_INCIDENT = {
  from: at(6, 13),
  to: at(6, 16),
  extra: { 'Microsoft.Communication.PlayFailed': 40, 'Microsoft.Communication.RecognizeFailed': 25, 'Microsoft.Communication.CreateCallFailed': 12 },
};
/** Email bounce spike, 2026-01-07 10:00-12:00Z: a stale mailing list, hard bounces at this share of updates. */
const BOUNCE_SPIKE = { from: at(7, 10), to: at(7, 12), share: 0.15 };
/** Email metrics missing (no aggregation keys) 2026-01-05 02:00-05:00Z: an ingestion gap. */
const EMAIL_GAP = { from: at(5, 2), to: at(5, 5) };

// ---------------------------------------------------------------------------------------------------
// Traffic: [operation, peak requests per hour on a weekday, success code, {error code: share of requests}]

const CHAT = [
  ['GetChatMessage', 250, 200, { 404: 0.01 }],
  ['ListChatMessages', 1400, 200, { 401: 0.001, 403: 0.002 }],
  ['SendChatMessage', 1800, 201, { 400: 0.004, 401: 0.002, 403: 0.003, 429: 0.0015, 500: 0.0004 }],
  ['UpdateChatMessage', 60, 200, { 400: 0.01, 404: 0.005 }],
  ['DeleteChatMessage', 25, 204, { 404: 0.01 }],
  ['GetChatThread', 300, 200, { 404: 0.005 }],
  ['ListChatThreads', 220, 200, { 401: 0.003 }],
  ['UpdateChatThread', 15, 200, {}],
  ['CreateChatThread', 140, 201, { 400: 0.006, 401: 0.003, 500: 0.0008 }],
  ['DeleteChatThread', 8, 204, { 404: 0.02 }],
  ['GetReadReceipts', 160, 200, {}],
  ['SendReadReceipt', 900, 200, { 403: 0.001 }],
  ['SendTypingIndicator', 1100, 200, { 429: 0.001 }],
  ['ListChatThreadParticipants', 280, 200, {}],
  ['AddChatThreadParticipants', 70, 201, { 400: 0.01 }],
  ['RemoveChatThreadParticipant', 30, 204, { 404: 0.01 }],
];

const SMS = [
  ['SMSMessageSent', 420, 202, { 400: 0.01, 401: 0.002, 429: 0.002, 500: 0.0005 }],
  ['SMSDeliveryReportsReceived', 380, 200, {}],
  ['SMSMessagesReceived', 45, 200, {}],
];

const AUTH = [
  ['CreateIdentity', 160, 201, { 400: 0.003, 401: 0.004 }],
  ['DeleteIdentity', 12, 204, { 404: 0.02 }],
  ['CreateToken', 620, 200, { 401: 0.004, 403: 0.001, 429: 0.0005 }],
  ['RevokeToken', 10, 204, {}],
  ['ExchangeTeamsUserAccessToken', 35, 200, { 400: 0.02, 401: 0.03 }],
];

const CALL_AUTOMATION = [
  ['Create Call', 90, 201, { 400: 0.01, 403: 0.004, 429: 0.001, 503: 0.0008 }],
  ['Answer Call', 140, 200, { 400: 0.006, 404: 0.004 }],
  ['Redirect Call', 8, 204, {}],
  ['Reject Call', 6, 204, {}],
  ['Transfer Call To Participant', 18, 202, { 400: 0.01 }],
  ['Play', 160, 202, { 400: 0.004 }],
  ['PlayPrompt', 20, 202, {}],
  ['Recognize', 110, 202, { 400: 0.006 }],
  ['Add Participants', 30, 202, { 400: 0.01 }],
  ['Remove Participants', 10, 202, {}],
  ['HangUp Call', 120, 204, { 404: 0.01 }],
  ['Terminate Call', 40, 204, { 404: 0.01 }],
  ['Get Call', 60, 200, { 404: 0.02 }],
  ['Get Participant', 20, 200, { 404: 0.02 }],
  ['Get Participants', 30, 200, {}],
  ['Delete Call', 3, 204, {}],
  ['Cancel All Media Operations', 12, 202, {}],
];

const ROUTER = [
  ['UpsertClassificationPolicy', 0.1, 200, {}],
  ['GetClassificationPolicy', 4, 200, {}],
  ['ListClassificationPolicies', 0.8, 200, {}],
  ['DeleteClassificationPolicy', 0.02, 204, {}],
  ['UpsertDistributionPolicy', 0.1, 200, {}],
  ['GetDistributionPolicy', 4, 200, {}],
  ['ListDistributionPolicies', 0.8, 200, {}],
  ['DeleteDistributionPolicy', 0.02, 204, {}],
  ['UpsertExceptionPolicy', 0.1, 200, {}],
  ['GetExceptionPolicy', 3, 200, {}],
  ['ListExceptionPolicies', 0.6, 200, {}],
  ['DeleteExceptionPolicy', 0.02, 204, {}],
  ['UpsertQueue', 0.2, 200, {}],
  ['GetQueue', 25, 200, { 404: 0.01 }],
  ['GetQueues', 10, 200, {}],
  ['DeleteQueue', 0.02, 204, {}],
  ['GetQueueStatistics', 80, 200, {}],
  ['UpsertJob', 260, 201, { 400: 0.006, 429: 0.001 }],
  ['GetJob', 300, 200, { 404: 0.004 }],
  ['GetJobs', 40, 200, {}],
  ['DeleteJob', 8, 204, {}],
  ['ReclassifyJob', 4, 200, {}],
  ['CancelJob', 12, 200, { 409: 0.02 }],
  ['CompleteJob', 220, 200, { 400: 0.003 }],
  ['CloseJob', 215, 200, {}],
  ['AcceptJobOffer', 230, 200, { 409: 0.03, 404: 0.005 }],
  ['DeclineJobOffer', 20, 200, {}],
  ['UpsertWorker', 70, 200, { 400: 0.005 }],
  ['GetWorker', 90, 200, { 404: 0.01 }],
  ['GetWorkers', 30, 200, {}],
  ['DeleteWorker', 0.5, 204, {}],
];

const NETWORK_TRAVERSAL = [['IssueRelayConfiguration', 240, 200, { 401: 0.004, 429: 0.001 }]];

const ROOMS = [
  ['CreateRoom', 45, 201, { 400: 0.008, 401: 0.002 }],
  ['DeleteRoom', 12, 204, { 404: 0.01 }],
  ['GetRoom', 120, 200, { 404: 0.01, 403: 0.002 }],
  ['PatchRoom', 15, 200, {}],
  ['ListRooms', 6, 200, {}],
  ['AddParticipants', 40, 200, { 400: 0.01 }],
  ['RemoveParticipants', 8, 200, {}],
  ['GetParticipants', 70, 200, {}],
  ['UpdateParticipants', 25, 200, { 400: 0.01 }],
];

const EMAIL = [
  ['SendMail', 380, 202, { 400: 0.008, 401: 0.002, 429: 0.004 }],
  ['GetMessageStatus', 300, 200, { 404: 0.004 }],
  // A client still calling a retired route: "Bad Route" 404s, a few a day on weekdays.
  ['Bad Route', 0.4, 404, {}],
];

const MESSAGING = [
  ['DownloadMedia', 20, 200, { 404: 0.02 }],
  ['ListTemplates', 4, 200, {}],
  ['ReceiveMessage', 110, 200, {}],
  ['SendMessage', 150, 202, { 400: 0.01, 401: 0.002, 429: 0.002 }],
  ['SendMessageDeliveryStatus', 290, 200, {}],
];

/** Call Recording has no documented operation list: these names are made up. */
const RECORDING = [
  ['StartRecording', 20, 200, { 400: 0.01 }],
  ['GetRecordingState', 15, 200, { 404: 0.03 }],
  ['StopRecording', 18, 204, {}],
  ['PauseRecording', 4, 202, {}],
  ['ResumeRecording', 4, 202, {}],
];

/** Callback events: [event type, peak events per hour on a weekday, code]. Failed events carry a 4xx/5xx code. */
const EVENT = (name) => `Microsoft.Communication.${name}`;
const CALLBACKS = [
  [EVENT('CallConnected'), 220, 200],
  [EVENT('CallDisconnected'), 215, 200],
  [EVENT('PlayCompleted'), 150, 200],
  [EVENT('PlayFailed'), 2, 400],
  [EVENT('RecognizeCompleted'), 100, 200],
  [EVENT('RecognizeFailed'), 6, 408],
  [EVENT('AddParticipantSucceeded'), 28, 200],
  [EVENT('AddParticipantFailed'), 1.5, 403],
  [EVENT('CreateCallFailed'), 1, 400],
];

/** Delivery status updates: [MessageStatus, Result, IsHardBounce, share of the sent mails]. */
const DELIVERY_PEAK = 360;
const DELIVERY = [
  ['Delivered', 'Success', 'false', 0.975],
  ['Failed', 'Failure', 'true', 0.012],
  ['Failed', 'Failure', 'false', 0.005],
  ['Suppressed', 'Failure', 'false', 0.008],
];

/** User engagement: [EngagementType, peak per hour]. */
const ENGAGEMENT = [
  ['view', 120],
  ['click', 22],
];

const STANDARD = { op: 'operation', code: 'statuscode', cls: 'statuscodeclass' };
const METRICS = [
  ['APIRequestChat', 'Chat API Requests', 'Chat', CHAT, STANDARD],
  ['APIRequestSMS', 'SMS API Requests', 'SMS', SMS, STANDARD],
  ['APIRequestAuthentication', 'Authentication API Requests', 'Authentication', AUTH, STANDARD],
  ['APIRequestCallAutomation', 'Call Automation API Requests', 'Call Automation', CALL_AUTOMATION, STANDARD],
  ['ApiRequestRouter', 'Job Router API Requests', 'Job Router', ROUTER, { op: 'operationname', code: 'statuscode', cls: 'statuscodesubclass' }],
  ['APIRequestNetworkTraversal', 'Network Traversal API Requests', 'Network Traversal', NETWORK_TRAVERSAL, STANDARD],
  ['ApiRequestRooms', 'Rooms API Requests', 'Rooms', ROOMS, STANDARD],
  ['ApiRequests', 'Email Service API Requests', 'Email Service', EMAIL, STANDARD],
  ['APIRequestsAdvancedMessaging', 'Advanced Messaging API Requests', 'Advanced Messaging', MESSAGING, STANDARD],
  ['APIRequestCallRecording', 'Call Recording API Requests', 'Call Recording', RECORDING, STANDARD],
];

/** The metrics that are not requests, after the request metrics (catalog order). */
const EVENT_METRICS = [
  ['AcsCallAutomationCallbackEvent', 'Call Automation Callback Event', 'Count of Call Automation callback events.', () => callbackSeries()],
  ['DeliveryStatusUpdate', 'Email Service Delivery Status Updates', 'Count of email delivery status updates.', () => deliverySeries()],
  ['UserEngagement', 'Email Service User Engagement', 'Count of email user engagement events.', () => engagementSeries()],
];

// ---------------------------------------------------------------------------------------------------
// Randomness: mulberry32, seeded per series from its name, so that one change does not move the rest.

function seedOf(text) {
  let h = 0x811c9dc5; // FNV-1a
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** A Poisson draw: Knuth's method for small means, a rounded normal (Irwin-Hall) above 30. */
function poisson(rand, mean) {
  if (mean <= 0) return 0;
  if (mean < 30) {
    const limit = Math.exp(-mean);
    let k = 0;
    let p = rand();
    while (p > limit) {
      k++;
      p *= rand();
    }
    return k;
  }
  let z = -6;
  for (let i = 0; i < 12; i++) z += rand();
  return Math.max(0, Math.round(mean + Math.sqrt(mean) * z));
}

/** Share of the weekday peak at the start of an hour: business hours around 13:30Z, night trough, quiet weekend and New Year's Day. */
function rhythm(t) {
  const d = new Date(t);
  const hour = d.getUTCHours() + 0.5;
  const daily = 0.08 + 0.92 * Math.exp(-(((hour - 13.5) / 4.2) ** 2));
  const dow = d.getUTCDay();
  const weekly = dow === 0 || dow === 6 ? 0.35 : 1;
  const holiday = d.getUTCDate() === 1 ? 0.45 : 1;
  return daily * weekly * holiday;
}

// ---------------------------------------------------------------------------------------------------
// Series

const classOf = (code) => `${String(code)[0]}xx`;
const stamp = (t) => new Date(t).toISOString().replace('.000Z', 'Z');

function metricSeries(rest, ops, dims) {
  const series = [];
  for (const [op, peak, okCode, errors] of ops) {
    const opRand = mulberry32(seedOf(`${rest}/${op}`));
    // Expected requests per hour: the rhythm, a day-to-day wobble and an hour-to-hour one.
    const dayWobble = Array.from({ length: 7 }, () => 0.85 + 0.3 * opRand());
    const expected = [];
    for (let b = 0; b < BUCKETS; b++) {
      const t = START + b * HOUR;
      const wobble = 0.9 + 0.2 * opRand();
      const businessOnly = op === 'Bad Route' ? (new Date(t).getUTCDay() % 6 === 0 ? 0 : 1) : 1;
      expected.push(peak * rhythm(t) * dayWobble[Math.floor(b / 24)] * wobble * businessOnly);
    }

    const shares = { ...errors };
    const burst = (t) => {
      const extra = {};
      if (rest === 'APIRequestChat' && CHAT_INCIDENT.ops.includes(op) && within(t, CHAT_INCIDENT.from, CHAT_INCIDENT.to)) {
        Object.assign(extra, CHAT_INCIDENT_RATES[t]);
      }
      if (rest === 'APIRequestSMS' && op === SMS_BURST.op && within(t, SMS_BURST.from, SMS_BURST.to)) {
        extra[429] = SMS_BURST.rates[t];
      }
      return extra;
    };
    const codes = new Set(Object.keys(shares).map(Number));
    for (let b = 0; b < BUCKETS; b++) for (const c of Object.keys(burst(START + b * HOUR))) codes.add(Number(c));

    for (const code of [okCode, ...[...codes].sort((a, b) => a - b)]) {
      const rand = mulberry32(seedOf(`${rest}/${op}/${code}`));
      const counts = [];
      for (let b = 0; b < BUCKETS; b++) {
        const t = START + b * HOUR;
        const extra = burst(t);
        const failing = Object.values(extra).reduce((a, x) => a + x, 0);
        const share = code === okCode ? 1 - failing : (shares[code] ?? 0) + (extra[code] ?? 0);
        counts.push(poisson(rand, expected[b] * share));
      }
      if (counts.every((c) => c === 0)) continue; // the service leaves out series without data
      series.push({
        metadatavalues: [
          { name: { value: dims.op, localizedValue: dims.op }, value: op },
          { name: { value: dims.code, localizedValue: dims.code }, value: String(code) },
          { name: { value: dims.cls, localizedValue: dims.cls }, value: classOf(code) },
        ],
        data: counts.map((count, b) => {
          const t = START + b * HOUR;
          if (rest === 'ApiRequests' && within(t, EMAIL_GAP.from, EMAIL_GAP.to)) return { timeStamp: stamp(t) };
          return count > 0 ? { timeStamp: stamp(t), count, total: count, average: 1, minimum: 1, maximum: 1 } : { timeStamp: stamp(t), count: 0, total: 0 };
        }),
      });
    }
  }
  return series;
}

// Series of the metrics that are not requests: one per combination of dimension values.

const dimsOf = (pairs) => pairs.map(([name, value]) => ({ name: { value: name, localizedValue: name }, value }));
const pointsOf = (counts) =>
  counts.map((count, b) => {
    const t = START + b * HOUR;
    return count > 0 ? { timeStamp: stamp(t), count, total: count, average: 1, minimum: 1, maximum: 1 } : { timeStamp: stamp(t), count: 0, total: 0 };
  });

/** Hourly Poisson counts around peak * rhythm (with a daily wobble), plus extra(t) when given. */
function drawCounts(seed, peak, extra = () => 0) {
  const rand = mulberry32(seedOf(seed));
  const dayWobble = Array.from({ length: 7 }, () => 0.85 + 0.3 * rand());
  const counts = [];
  for (let b = 0; b < BUCKETS; b++) {
    const t = START + b * HOUR;
    counts.push(poisson(rand, peak * rhythm(t) * dayWobble[Math.floor(b / 24)] * (0.9 + 0.2 * rand()) + extra(t)));
  }
  return counts;
}

function callbackSeries() {
  const series = [];
  for (const [event, peak, code] of CALLBACKS) {
    series.push({
      dims: [
        ['eventtypename', event],
        ['code', String(code)],
        ['codeclass', classOf(code)],
      ],
      counts: drawCounts(`callbacks/${event}`, peak),
    });
    const extra = CALLBACK_INCIDENT.extra[event];
    if (extra !== undefined) {
      // The outage's failures carry 500 (PlayFailed, RecognizeFailed) or 503 (CreateCallFailed).
      const failCode = event.endsWith('CreateCallFailed') ? 503 : 500;
      const counts = drawCounts(`callbacks/${event}/${failCode}`, 0, (t) => (within(t, CALLBACK_INCIDENT.from, CALLBACK_INCIDENT.to) ? extra : 0));
      series.push({
        dims: [
          ['eventtypename', event],
          ['code', String(failCode)],
          ['codeclass', classOf(failCode)],
        ],
        counts,
      });
    }
  }
  return series.filter((s) => s.counts.some((c) => c > 0)).map((s) => ({ metadatavalues: dimsOf(s.dims), data: pointsOf(s.counts) }));
}

function deliverySeries() {
  return DELIVERY.map(([status, result, hard, share]) => {
    const bounce = hard === 'true';
    const extra = (t) => (bounce && within(t, BOUNCE_SPIKE.from, BOUNCE_SPIKE.to) ? DELIVERY_PEAK * rhythm(t) * BOUNCE_SPIKE.share : 0);
    const counts = drawCounts(`delivery/${status}/${result}/${hard}`, DELIVERY_PEAK * share, extra);
    return {
      metadatavalues: dimsOf([
        ['messagestatus', status],
        ['result', result],
        ['ishardbounce', hard],
      ]),
      data: pointsOf(counts),
    };
  });
}

function engagementSeries() {
  return ENGAGEMENT.map(([type, peak]) => ({ metadatavalues: dimsOf([['engagementtype', type]]), data: pointsOf(drawCounts(`engagement/${type}`, peak)) }));
}

// ---------------------------------------------------------------------------------------------------
// The response body, one line per time series

const metrics = METRICS.map(([rest, display, area, ops, dims]) => ({
  head: {
    id: `${RESOURCE}/providers/Microsoft.Insights/metrics/${rest}`,
    type: 'Microsoft.Insights/metrics',
    name: { value: rest, localizedValue: display },
    displayDescription: `Count of all requests against the Communication Services ${area} endpoint.`,
    unit: 'Count',
  },
  series: metricSeries(rest, ops, dims),
}));
for (const [rest, display, description, make] of EVENT_METRICS) {
  metrics.push({
    head: {
      id: `${RESOURCE}/providers/Microsoft.Insights/metrics/${rest}`,
      type: 'Microsoft.Insights/metrics',
      name: { value: rest, localizedValue: display },
      displayDescription: description,
      unit: 'Count',
    },
    series: make(),
  });
}

const seriesCount = metrics.reduce((n, m) => n + m.series.length, 0);
const pointCount = seriesCount * BUCKETS;
const head = { cost: pointCount, timespan: `${stamp(START)}/${stamp(END)}`, interval: 'PT1H' };
const tail = { namespace: NAMESPACE, resourceregion: 'global' };

const lines = [`${JSON.stringify(head).slice(0, -1)},"value":[`];
metrics.forEach((m, i) => {
  lines.push(`${JSON.stringify(m.head).slice(0, -1)},"timeseries":[`);
  m.series.forEach((s, j) => lines.push(JSON.stringify(s) + (j < m.series.length - 1 ? ',' : '')));
  lines.push(`],"errorCode":"Success"}${i < metrics.length - 1 ? ',' : ''}`);
});
lines.push(`],${JSON.stringify(tail).slice(1)}`);
const text = `${lines.join('\n')}\n`;

mkdirSync(OUT_DIR, { recursive: true });
const file = join(OUT_DIR, FILE);
writeFileSync(file, text);
const shown = relative(process.cwd(), file) || file;
process.stderr.write(
  `wrote ${shown}: ${metrics.length} metrics, ${seriesCount} series, ${pointCount} points, ${(Buffer.byteLength(text) / 1024 / 1024).toFixed(2)} MiB\n`,
);

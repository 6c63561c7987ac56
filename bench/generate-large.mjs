#!/usr/bin/env node
/**
 * Writes a large Metrics - List response body for the benchmark: 30 days at PT1M of Chat API Requests
 * (APIRequestChat), split by operation, status code and status class into 40 series: 43,200 points a
 * series, 1,728,000 in all (about 130 MiB). Deterministic (a seeded PRNG), written in chunks so that
 * the generator itself stays small.
 *
 * With { days, startDay } it writes another span of the same series (the scaling inputs: 75 to 600
 * days, up to 2 GiB, and a folder of consecutive 30-day files).
 *
 *   node bench/generate-large.mjs [OUTPUT_FILE] [DAYS] [START_DAY]    (default: .bench/large-30d-pt1m.json 30 0)
 */
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { mulberry32 } from '../scripts/prng.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const FILE = process.argv[2] ? resolve(process.argv[2]) : join(ROOT, '.bench', 'large-30d-pt1m.json');

export const DAYS = 30;
const MINUTE = 60_000;
const START = Date.UTC(2026, 0, 1);

/** [operation, peak requests a minute, success code, error codes]: 16 + 24 = 40 series. */
const OPS = [
  ['GetChatMessage', 4, 200, [404]],
  ['ListChatMessages', 23, 200, [401, 403]],
  ['SendChatMessage', 30, 201, [400, 401, 403, 429, 500, 503]],
  ['UpdateChatMessage', 1, 200, [400, 404]],
  ['DeleteChatMessage', 0.4, 204, [404]],
  ['GetChatThread', 5, 200, [404, 429]],
  ['ListChatThreads', 3.7, 200, [401]],
  ['UpdateChatThread', 0.25, 200, []],
  ['CreateChatThread', 2.3, 201, [400, 401, 500]],
  ['DeleteChatThread', 0.13, 204, [404]],
  ['GetReadReceipts', 2.7, 200, [401]],
  ['SendReadReceipt', 15, 200, [403]],
  ['SendTypingIndicator', 18, 200, [429]],
  ['ListChatThreadParticipants', 4.7, 200, []],
  ['AddChatThreadParticipants', 1.2, 201, [400]],
  ['RemoveChatThreadParticipant', 0.5, 204, [404]],
];

const stamp = (t) => new Date(t).toISOString().replace('.000Z', 'Z');

/** Share of the peak at a minute: a daily rhythm around 13:30Z, quiet weekends. */
function rhythm(t) {
  const d = new Date(t);
  const hour = d.getUTCHours() + d.getUTCMinutes() / 60;
  const daily = 0.08 + 0.92 * Math.exp(-(((hour - 13.5) / 4.2) ** 2));
  const dow = d.getUTCDay();
  return daily * (dow === 0 || dow === 6 ? 0.35 : 1);
}

export function generateLarge(file = FILE, { days = DAYS, startDay = 0 } = {}) {
  const POINTS = days * 1440;
  const from = START + startDay * 1440 * MINUTE;
  // One day of stamps at a time (600 days of them would be 864,000 strings).
  let dayStamps = [];
  let stampDay = -1;
  const stampAt = (i) => {
    const day = Math.floor(i / 1440);
    if (day !== stampDay) {
      stampDay = day;
      dayStamps = Array.from({ length: 1440 }, (_, m) => stamp(from + (day * 1440 + m) * MINUTE));
    }
    return dayStamps[i % 1440];
  };
  mkdirSync(dirname(file), { recursive: true });
  const fd = openSync(file, 'w');
  let bytes = 0;
  let buf = '';
  const put = (s) => {
    buf += s;
    if (buf.length > 1 << 20) flush();
  };
  const flush = () => {
    bytes += writeSync(fd, buf);
    buf = '';
  };
  const series = OPS.flatMap(([op, peak, ok, errors]) => [[op, peak, ok, 0.97], ...errors.map((c) => [op, peak, c, 0.03 / errors.length])]);
  const rand = mulberry32(20260101);
  put(`{"cost":${series.length * POINTS},"timespan":"${stamp(from)}/${stamp(from + POINTS * MINUTE)}","interval":"PT1M","value":[`);
  put(
    '{"id":"/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/acs-demo/providers/Microsoft.Communication/CommunicationServices/acs-demo/providers/Microsoft.Insights/metrics/APIRequestChat",' +
      '"type":"Microsoft.Insights/metrics","name":{"value":"APIRequestChat","localizedValue":"Chat API Requests"},"unit":"Count","timeseries":[',
  );
  series.forEach(([op, peak, code, share], s) => {
    const meta = [
      ['operation', op],
      ['statuscode', String(code)],
      ['statuscodeclass', `${String(code)[0]}xx`],
    ].map(([n, v]) => `{"name":{"value":"${n}","localizedValue":"${n}"},"value":"${v}"}`);
    put(`${s > 0 ? ',' : ''}\n{"metadatavalues":[${meta.join(',')}],"data":[`);
    for (let i = 0; i < POINTS; i++) {
      const mean = peak * share * rhythm(from + i * MINUTE);
      // A cheap Poisson-like draw: the mean, rounded at random.
      const count = Math.floor(mean * (0.8 + 0.4 * rand()) + rand());
      const sep = i > 0 ? ',' : '';
      put(
        count > 0
          ? `${sep}{"timeStamp":"${stampAt(i)}","count":${count},"total":${count},"average":1,"minimum":1,"maximum":1}`
          : `${sep}{"timeStamp":"${stampAt(i)}","count":0,"total":0}`,
      );
    }
    put(']}');
  });
  put('\n],"errorCode":"Success"}],"namespace":"Microsoft.Communication/CommunicationServices","resourceregion":"global"}\n');
  flush();
  closeSync(fd);
  return { file, series: series.length, points: series.length * POINTS, bytes };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const r = generateLarge(FILE, { days: Number(process.argv[3] ?? DAYS), startDay: Number(process.argv[4] ?? 0) });
  process.stderr.write(`wrote ${r.file}: ${r.series} series, ${r.points} points, ${(r.bytes / 1024 / 1024).toFixed(1)} MiB\n`);
}

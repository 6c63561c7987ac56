#!/usr/bin/env node
/**
 * Writes the archive benchmark's inputs: a year (2025) of PT1H data of 100 ACS resources x 12 catalog
 * metrics, two series each (a success and an error series: 8,760 points a series, 21 million in all),
 * deterministic (a seeded PRNG), with the project's own writers (the built dist/), twice:
 *
 * - OUT/json: the json export's layout and bodies, a Metrics - List body per resource, metric and
 *   30-day request (`<sub>/<group>/<name>/<metric>/<start>-<end>-PT1H.json`, 14,600 files);
 * - OUT/parquet: the Parquet archive's layout after compaction, one file per metric and month
 *   holding each resource as a part (`metric=<m>/month=<YYYY-MM>/part-compact-<YYYY-MM>-100.parquet`,
 *   144 files), written by toColumns and encodeParquet as `export --format parquet` writes them.
 *
 *   node bench/generate-archive.mjs [OUT]     (default .bench/archive-1y)
 *
 * BENCH_ARCHIVE_RESOURCES=n writes n resources instead of 100 (a quick look; archive.mjs then uses
 * .bench/archive-1y-<n>).
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { mulberry32 } from '../scripts/prng.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const ARCHIVE = {
  resources: Number(process.env.BENCH_ARCHIVE_RESOURCES) || 100,
  metrics: 12,
  seriesPerMetric: 2,
  start: Date.UTC(2025, 0, 1),
  end: Date.UTC(2026, 0, 1),
};
const HOUR = 3_600_000;
const WINDOW = 30 * 24 * HOUR;

const dist = (p) => import(pathToFileURL(join(ROOT, 'dist', p)).href);
const stamp = (t) => new Date(t).toISOString().replace('.000Z', 'Z');
const fileStamp = (t) => new Date(t).toISOString().slice(0, 16).replace(/[-:]/g, '') + 'Z';

function resources() {
  return Array.from({ length: ARCHIVE.resources }, (_, i) => {
    const subscription = `00000000-0000-0000-0000-${String(i % 4).padStart(12, '0')}`;
    const resourceGroup = `rg-archive-${i % 7}`;
    const name = `acs-archive-${String(i).padStart(3, '0')}`;
    return {
      id: `/subscriptions/${subscription}/resourceGroups/${resourceGroup}/providers/Microsoft.Communication/CommunicationServices/${name}`,
      subscription,
      resourceGroup,
      name,
    };
  });
}

/** A dimension's value in the success (0) or error (1) series. */
function dimValue(def, dim, k) {
  if (/class/i.test(dim.name)) return k === 0 ? '2xx' : '4xx';
  if (/code$/i.test(dim.name)) return k === 0 ? '200' : '429';
  if (/^(operation|eventtypename|engagementtype|messagestatus)$/i.test(dim.name)) return def.operations?.[k]?.name ?? `Operation${k}`;
  return 'x';
}

/** Requests in an hour: a daily rhythm, quiet weekends, a per-resource scale; errors about 2%. */
function hourly(rand, scale, t, k) {
  const d = new Date(t);
  const daily = 0.08 + 0.92 * Math.exp(-(((d.getUTCHours() + 0.5 - 13.5) / 4.2) ** 2));
  const weekend = d.getUTCDay() === 0 || d.getUTCDay() === 6 ? 0.35 : 1;
  const mean = scale * daily * weekend * (k === 0 ? 1 : 0.02);
  return Math.floor(mean * (0.6 + 0.8 * rand()));
}

/** The series of one resource and metric, for every hour of the year: [{dims, counts}]. */
function seriesOf(def, r) {
  const rand = mulberry32(r * 131 + def.rest.length * 7919);
  const scale = 5 + Math.floor(rand() * 400);
  const hours = (ARCHIVE.end - ARCHIVE.start) / HOUR;
  return Array.from({ length: ARCHIVE.seriesPerMetric }, (_, k) => ({
    metadatavalues: def.dimensions.map((d) => ({ name: { value: d.rest, localizedValue: d.rest }, value: dimValue(def, d, k) })),
    counts: Int32Array.from({ length: hours }, (_, h) => hourly(rand, scale, ARCHIVE.start + h * HOUR, k)),
  }));
}

/** The Metrics - List metric of a series set within [start, end), as Azure gives it (count 0: no average). */
function metricOf(def, resource, series, start, end) {
  const from = (start - ARCHIVE.start) / HOUR;
  const to = (end - ARCHIVE.start) / HOUR;
  return {
    id: `${resource.id}/providers/Microsoft.Insights/metrics/${def.rest}`,
    type: 'Microsoft.Insights/metrics',
    name: { value: def.rest, localizedValue: def.displayName },
    displayDescription: def.displayName,
    unit: def.unit,
    timeseries: series.map((s) => {
      const data = [];
      for (let h = from; h < to; h++) {
        const c = s.counts[h];
        const timeStamp = stamp(ARCHIVE.start + h * HOUR);
        data.push(c === 0 ? { timeStamp, count: 0, total: 0 } : { timeStamp, count: c, total: c, average: 1, minimum: 1, maximum: 1 });
      }
      return { metadatavalues: s.metadatavalues, data };
    }),
    errorCode: 'Success',
  };
}

export async function generateArchive(out = join(ROOT, '.bench', ARCHIVE.resources === 100 ? 'archive-1y' : `archive-1y-${ARCHIVE.resources}`)) {
  const { METRICS } = await dist('catalog/metrics.js');
  const { toColumns, ARCHIVE_COLUMNS } = await dist('core/archive-rows.js');
  const { encodeParquet } = await dist('sources/parquet-archive.js');
  rmSync(out, { recursive: true, force: true });
  const metrics = METRICS.slice(0, ARCHIVE.metrics);
  const all = resources();
  for (const def of metrics) {
    const series = all.map((r, i) => seriesOf(def, i));
    // json: the 30-day requests of a first export and its monthly re-runs, one body each.
    for (const [i, resource] of all.entries()) {
      const folder = join(out, 'json', resource.subscription, resource.resourceGroup, resource.name, def.rest);
      mkdirSync(folder, { recursive: true });
      for (let start = ARCHIVE.start; start < ARCHIVE.end; start += WINDOW) {
        const end = Math.min(ARCHIVE.end, start + WINDOW);
        const body = {
          cost: 0,
          timespan: `${stamp(start)}/${stamp(end)}`,
          interval: 'PT1H',
          value: [metricOf(def, resource, series[i], start, end)],
          namespace: 'Microsoft.Communication/CommunicationServices',
          resourceregion: 'global',
        };
        writeFileSync(join(folder, `${fileStamp(start)}-${fileStamp(end)}-PT1H.json`), JSON.stringify(body));
      }
    }
    // Parquet: each month compacted, every resource a part.
    for (let m = 0; m < 12; m++) {
      const start = Date.UTC(2025, m, 1);
      const end = Date.UTC(2025, m + 1, 1);
      const month = stamp(start).slice(0, 7);
      const columns = ARCHIVE_COLUMNS.map((c) => ({ ...c, data: [] }));
      const parts = [];
      for (const [i, resource] of all.entries()) {
        const own = toColumns(def, metricOf(def, resource, series[i], start, end), resource, 'PT1H', { start, end });
        own.forEach((c, k) => columns[k].data.push(...c.data));
        parts.push({ resource: resource.id, start: stamp(start), end: stamp(end), interval: 'PT1H' });
      }
      const folder = join(out, 'parquet', `metric=${def.rest}`, `month=${month}`);
      mkdirSync(folder, { recursive: true });
      writeFileSync(join(folder, `part-compact-${month}-${parts.length}.parquet`), await encodeParquet(columns, parts, 'acs-metrics bench'));
    }
    process.stderr.write(`bench: archive: ${def.rest} written\n`);
  }
  return { json: join(out, 'json'), parquet: join(out, 'parquet') };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await generateArchive(process.argv[2] ? resolve(process.argv[2]) : undefined);
}

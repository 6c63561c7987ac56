#!/usr/bin/env node
/**
 * A floor for `usage --since 365d` from the Parquet archive (measured by hand, not part of
 * `npm run bench`; BENCHMARKS.md, "Archive"): decode, with the project's own page decoder, the six
 * columns usage needs of every file of .bench/archive-1y/parquet (made by bench/archive.mjs) and add up
 * the counts in one loop, nothing else: no windows, duplicates, groups, days or trend. After
 * `npm run build`:
 *
 *   node bench/floors/parquet-usage.mjs [DIR]
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = resolve(fileURLToPath(import.meta.url), '..', '..', '..');
const DIR = process.argv[2] ?? join(ROOT, '.bench', 'archive-1y', 'parquet');
const { parquetMetadata, snappyUncompress } = await import('hyparquet');
const { decodeColumn, releaseCodes } = await import(pathToFileURL(join(ROOT, 'dist', 'sources', 'parquet-pages.js')).href);

const t0 = performance.now();
const spent = { metadata: 0, decode: 0, loop: 0 };
let rows = 0;
let sum = 0;
for (const metric of readdirSync(DIR)) {
  for (const month of readdirSync(join(DIR, metric))) {
    for (const file of readdirSync(join(DIR, metric, month))) {
      const buf = readFileSync(join(DIR, metric, month, file));
      let t = performance.now();
      const bytes = new Uint8Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
      const metadata = parquetMetadata(bytes.buffer);
      spent.metadata += performance.now() - t;
      t = performance.now();
      const names = ['timestamp', 'resource_id', 'operation', 'status_code_class', 'count', 'total'];
      const columns = names.map((n) => decodeColumn(bytes, metadata, n, snappyUncompress)).filter(Boolean);
      spent.decode += performance.now() - t;
      t = performance.now();
      const count = columns[names.indexOf('count')];
      const values = Float64Array.from(count.dict, (v) => v ?? Number.NaN);
      const n = Number(metadata.num_rows);
      for (let r = 0; r < n; r++) {
        const v = values[count.codes[r]];
        if (v === v) sum += v;
      }
      rows += n;
      spent.loop += performance.now() - t;
      releaseCodes(columns);
    }
  }
}
const ms = (x) => `${Math.round(x)} ms`;
process.stdout.write(
  `${rows} rows, counts ${sum}: ${ms(performance.now() - t0)} (metadata ${ms(spent.metadata)}, pages ${ms(spent.decode)}, the loop ${ms(spent.loop)})\n`,
);

// simdjson (native binding): the whole text parsed to a tree, aggregated.
const simdjson = require('simdjson');
const fs = require('fs');
const doc = simdjson.parse(fs.readFileSync(process.argv[2], 'utf8'));
const out = {};
for (const m of doc.value) for (const s of m.timeseries) {
  const dims = Object.fromEntries(s.metadatavalues.map((d) => [d.name.value, d.value]));
  const hours = {};
  for (const p of s.data) { const h = p.timeStamp.slice(0, 13); hours[h] = (hours[h] ?? 0) + (p.count ?? 0); }
  out[`${dims.operation}|${dims.statuscode}`] = hours;
}
process.stdout.write(`${Object.keys(out).length} series\n`);

// @streamparser/json: each time series emitted as an object (paths $.value.*.timeseries.*), aggregated.
import { JSONParser } from '@streamparser/json';
import fs from 'node:fs';
const out = {};
const parser = new JSONParser({ paths: ['$.value.*.timeseries.*'], keepStack: false });
parser.onValue = ({ value }) => {
  const dims = Object.fromEntries(value.metadatavalues.map((d) => [d.name.value, d.value]));
  const hours = {};
  for (const p of value.data) {
    const h = p.timeStamp.slice(0, 13);
    hours[h] = (hours[h] ?? 0) + (p.count ?? 0);
  }
  out[`${dims.operation}|${dims.statuscode}`] = hours;
};
const s = fs.createReadStream(process.argv[2]);
s.on('data', (c) => parser.write(c));
s.on('end', () => process.stdout.write(`${Object.keys(out).length} series\n`));

// stream-json: the token stream of the file, aggregated (hourly count per operation|statuscode).
import { parser } from 'stream-json';
import chain from 'stream-chain';
import fs from 'node:fs';
const out = {};
let key = '',
  nameValue = false,
  op = '',
  code = '',
  pendingName = '',
  hours = null,
  hour = '',
  inName = false;
const p = chain([fs.createReadStream(process.argv[2]), parser({ packValues: true, streamValues: false, packKeys: true, streamKeys: false })]);
let depthName = 0;
p.on('data', (t) => {
  switch (t.name) {
    case 'keyValue':
      key = t.value;
      if (key === 'data') {
        hours = {};
        out[`${op}|${code}`] = hours;
      }
      break;
    case 'stringValue':
      if (key === 'value' && pendingName === 'operation') {
        op = t.value;
        pendingName = '';
      } else if (key === 'value' && pendingName === 'statuscode') {
        code = t.value;
        pendingName = '';
      } else if (key === 'value' && inName) {
        pendingName = t.value;
      } else if (key === 'timeStamp') hour = t.value.slice(0, 13);
      break;
    case 'startObject':
      if (key === 'name') inName = true;
      break;
    case 'endObject':
      inName = false;
      break;
    case 'numberValue':
      if (key === 'count' && hours) hours[hour] = (hours[hour] ?? 0) + Number(t.value);
      break;
  }
});
p.on('end', () => process.stdout.write(`${Object.keys(out).length} series\n`));

"""The large query's aggregation with Python's json.load: for each (operation, statuscode) series of
APIRequestChat, the count summed per hour, in time order, as {"Operation|StatusCode": [sum, ...]}."""
import json
import sys

with open(sys.argv[1], 'rb') as f:
    doc = json.load(f)
out = {}
for metric in doc['value']:
    if metric['name']['value'] != 'APIRequestChat':
        continue
    for series in metric['timeseries']:
        dims = {d['name']['value']: d['value'] for d in series['metadatavalues']}
        hours = {}
        for p in series['data']:
            h = p['timeStamp'][:13]
            hours[h] = hours.get(h, 0) + (p.get('count') or 0)
        out[f"{dims['operation']}|{dims['statuscode']}"] = [hours[h] for h in sorted(hours)]
json.dump(out, sys.stdout)

# The large query's aggregation in jq: for each (operation, statuscode) series of APIRequestChat,
# the count summed per hour, in time order, as {"Operation|StatusCode": [sum, ...]}.
[ .value[] | select(.name.value == "APIRequestChat") | .timeseries[]
  | { key: ([.metadatavalues[] | select(.name.value == "operation" or .name.value == "statuscode") | .value] | join("|")),
      value: (reduce .data[] as $p ({}; .[$p.timeStamp[0:13]] += ($p.count // 0)) | to_entries | sort_by(.key) | map(.value)) } ]
| from_entries

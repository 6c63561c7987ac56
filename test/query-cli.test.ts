import { describe, expect, it } from 'vitest';
import { run } from './helpers/io.js';
import { chatBody, metricsBody, writeFixture } from './helpers/fixture.js';

const chat = writeFixture(chatBody());

describe('acs-metrics query on fixtures', () => {
  it('prints JSON with totals and error rates worked out by hand', async () => {
    const r = await run(['query', '--fixture', chat, '--output', 'json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.schemaVersion).toBe(1);
    expect(doc.query).toMatchObject({
      metric: 'APIRequestChat',
      aggregation: 'count',
      interval: 'PT1H',
      start: '2026-01-01T00:00:00Z',
      end: '2026-01-01T04:00:00Z',
    });
    // SendChatMessage: 100 ok + 5 failed; GetChatMessage: 28 ok + 4 throttled (4xx counts as an error by default).
    expect(
      doc.series.map((s: { dimensions: object; total: number; errors: number; errorRate: number }) => [s.dimensions, s.total, s.errors, s.errorRate]),
    ).toEqual([
      [{ Operation: 'SendChatMessage' }, 105, 5, 5 / 105],
      [{ Operation: 'GetChatMessage' }, 32, 4, 4 / 32],
    ]);
    expect(doc.series[0].points.map((p: { value: number | null }) => p.value)).toEqual([10, 25, 30, 40]);
    expect(doc.total).toBe(137);
    expect(doc.errors).toBe(9);
  });

  it('keeps a bucket without data as null in JSON', async () => {
    const r = await run(['query', '--fixture', chat, '-m', 'chat', '--status-code', '503', '--split-by', 'statuscode', '-o', 'json']);
    const doc = JSON.parse(r.stdout);
    expect(doc.series[0].points.map((p: { value: number | null }) => p.value)).toEqual([0, 5, null, 0]);
  });

  it('prints a table with one row per operation and a totals row', async () => {
    const r = await run(['query', '--fixture', chat]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('SendChatMessage');
    expect(r.stdout).toContain('GetChatMessage');
    expect(r.stdout).toContain('137');
    expect(r.stdout).not.toMatch(/\u001b\[/);
  });

  it('prints CSV rows per series and timestamp', async () => {
    const r = await run(['query', '--fixture', chat, '--split-by', 'none', '-o', 'csv']);
    expect(r.stdout).toBe('timestamp,value\r\n2026-01-01T00:00:00Z,18\r\n2026-01-01T01:00:00Z,32\r\n2026-01-01T02:00:00Z,37\r\n2026-01-01T03:00:00Z,50\r\n');
  });

  it('charts without throwing and notes nothing unexpected', async () => {
    const r = await run(['query', '--fixture', chat, '-o', 'chart', '--width', '60', '--height', '6']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('SendChatMessage');
    for (const line of r.stdout.split('\n')) expect(line.length).toBeLessThanOrEqual(60);
  });

  it('reads the fixture from stdin', async () => {
    const r = await run(['query', '--fixture', '-', '--split-by', 'none', '-o', 'json'], { stdin: JSON.stringify(chatBody()) });
    expect(JSON.parse(r.stdout).total).toBe(137);
  });

  it('re-buckets to two hours and counts --since back from the end of the data', async () => {
    const r = await run(['query', '--fixture', chat, '--split-by', 'none', '--interval', '2h', '--since', '4h', '-o', 'json']);
    const doc = JSON.parse(r.stdout);
    expect(doc.query.interval).toBe('PT2H');
    expect(doc.series[0].points).toEqual([
      { timestamp: '2026-01-01T00:00:00Z', value: 50 },
      { timestamp: '2026-01-01T02:00:00Z', value: 87 },
    ]);
  });

  it('notes on stderr how many series --top left out', async () => {
    const r = await run(['query', '--fixture', chat, '--split-by', 'statuscode', '--top', '1', '-o', 'json']);
    expect(JSON.parse(r.stdout).series).toHaveLength(1);
    expect(r.stderr).toBe('note: 3 series left out by --top 1 (the totals include them)\n');
  });

  it('reports every bad name at once, with suggestions, before reading data', async () => {
    const r = await run(['query', '--fixture', '/nonexistent.json', '-m', 'chat', '--operation', 'SendChatMesage', '--split-by', 'stauscode', '-a', 'avrage']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      [
        'error: unknown operation "SendChatMesage" for chat (APIRequestChat): did you mean SendChatMessage? (run "acs-metrics catalog chat" to list them)',
        'error: unknown dimension "stauscode" for chat: did you mean StatusCode? Valid dimensions: Operation, StatusCode, StatusSubClass, Resource',
        'error: unknown aggregation "avrage": did you mean average? Valid aggregations: count, sum, average, min, max',
        '',
      ].join('\n'),
    );
  });

  it('says which metrics share an operation name when no metric is given', async () => {
    const r = await run(['query', '--fixture', chat, '--operation', 'add participants']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      'error: operation "add participants" exists in several metrics: callautomation ("Add Participants"), rooms ("AddParticipants"); choose one with --metric\n',
    );
  });

  it('infers the metric from an operation name', async () => {
    const r = await run(['query', '--fixture', chat, '--operation', 'sendchatmessage', '-o', 'json']);
    expect(JSON.parse(r.stdout).total).toBe(105);
  });

  it('asks for --metric when the data holds several metrics', async () => {
    const two = writeFixture(
      metricsBody([
        { name: 'APIRequestChat', series: [{ dims: { operation: 'GetChatMessage' }, counts: [1] }] },
        { name: 'APIRequestSMS', series: [{ dims: { operation: 'SMSMessageSent' }, counts: [2] }] },
      ]),
    );
    const r = await run(['query', '--fixture', two]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('error: the data holds 2 metrics (chat, sms): choose one with --metric\n');
  });

  it('says when the data lacks a dimension the query needs (exit 3)', async () => {
    const bare = writeFixture(metricsBody([{ name: 'APIRequestChat', series: [{ dims: { operation: 'GetChatMessage' }, counts: [1] }] }]));
    const r = await run(['query', '--fixture', bare, '--split-by', 'statussubclass']);
    expect(r.code).toBe(3);
    expect(r.stderr).toBe(
      `error: ${bare}: the APIRequestChat data is not split by StatusSubClass, so the query cannot filter or split by it (the data's dimensions: Operation)\n`,
    );
  });

  it('rejects a file that is not JSON with its name (exit 3)', async () => {
    const bad = writeFixture('{"value": [', 'broken.json');
    const r = await run(['query', '--fixture', bad]);
    expect(r.code).toBe(3);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(new RegExp(`^error: ${bad.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: not valid JSON: .+\n$`));
  });

  it('rejects bad values of --since, --interval, --top and --output together', async () => {
    const r = await run(['query', '--fixture', chat, '--since', 'yesterday', '--interval', '7x', '--top', '0', '-o', 'xml']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toEqual([
      'error: invalid --since "yesterday": expected a duration such as 30m, 24h, 7d, 1d12h or PT6H',
      'error: invalid --interval "7x": expected auto, FULL, or a duration of a minute or more such as 5m, 1h, 1d or PT15M',
      'error: invalid --top "0": expected a whole number of at least 1',
      'error: invalid --output "xml": expected one of table, chart, json, csv, tsv, yaml, openmetrics',
    ]);
  });

  it('needs a data source', async () => {
    const r = await run(['query', '-m', 'chat']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      'error: no data source: give --fixture FILE, or --resource ID (or set ACS_METRICS_RESOURCE), --subscription S or --all-subscriptions for a live query\n',
    );
  });
});

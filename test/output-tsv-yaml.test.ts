/** -o tsv (az-style, no header) and -o yaml (the JSON document) for query and check. */
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { run } from './helpers/io.js';

const SAMPLE = join(resolve(import.meta.dirname, '..'), 'fixtures', 'sample-week.json');
const sms = ['query', '--fixture', SAMPLE, '-m', 'sms', '--interval', '1d'];

describe('-o yaml', () => {
  it('query: the same document as -o json', async () => {
    const [y, j] = await Promise.all([run([...sms, '-o', 'yaml']), run([...sms, '-o', 'json'])]);
    expect(y.code).toBe(0);
    expect(parse(y.stdout)).toEqual(JSON.parse(j.stdout));
  });
  it('check: the same document as -o json, same exit code', async () => {
    const args = ['check', '--fixture', SAMPLE, '-m', 'chat', '--max-error-rate', '0.1%'];
    const [y, j] = await Promise.all([run([...args, '-o', 'yaml']), run([...args, '-o', 'json'])]);
    expect(y.code).toBe(1);
    expect(y.code).toBe(j.code);
    expect(parse(y.stdout)).toEqual(JSON.parse(j.stdout));
  });
});

describe('-o tsv', () => {
  it('one line per series and bucket, no header, the values of CSV', async () => {
    const t = await run([...sms, '--split-by', 'none', '-o', 'tsv']);
    const c = await run([...sms, '--split-by', 'none', '-o', 'csv']);
    expect(t.code).toBe(0);
    const lines = t.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(7);
    expect(lines[0]).toBe('2026-01-01T00:00:00Z\t3479');
    // The daily totals add up to the table's 39,955.
    expect(lines.reduce((sum, l) => sum + Number(l.split('\t')[1]), 0)).toBe(39_955);
    expect(
      c.stdout
        .split('\r\n')
        .slice(1, -1)
        .map((l) => l.replace(',', '\t')),
    ).toEqual(lines);
  });
  it('dimension values first; every line has the same fields', async () => {
    const t = await run([...sms, '--split-by', 'operation,statuscode', '-o', 'tsv']);
    for (const line of t.stdout.trimEnd().split('\n')) expect(line.split('\t')).toHaveLength(4);
    expect(t.stdout).toMatch(/^SMSMessageSent\t202\t2026-01-01T00:00:00Z\t\d+$/m);
  });
  it('an unknown output names the choices', async () => {
    const r = await run([...sms, '-o', 'xml']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('error: invalid --output "xml": expected one of table, chart, json, csv, tsv, yaml, openmetrics\n');
  });
});

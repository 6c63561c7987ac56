/**
 * The Parquet writer marks a nullable column required in a file where it holds no null (no
 * definition levels: readers skip assembling them), and keeps it optional where it holds one; both
 * read back as written.
 */
import { parquetMetadataAsync, parquetReadObjects } from 'hyparquet';
import { describe, expect, it } from 'vitest';
import { ARCHIVE_COLUMNS, type Column } from '../src/core/archive-rows.js';
import { encodeParquet } from '../src/sources/parquet-archive.js';

const T = Date.UTC(2026, 0, 1);
const INFO = {
  resource: '/subscriptions/s/resourceGroups/g/providers/Microsoft.Communication/CommunicationServices/a',
  start: '2026-01-01T00:00:00Z',
  end: '2026-01-01T02:00:00Z',
  interval: 'PT1H',
};

function columns(): Column[] {
  const values: Record<string, unknown[]> = {
    resource_id: [INFO.resource, INFO.resource],
    subscription_id: ['s', 's'],
    resource_group: ['g', 'g'],
    resource_name: ['a', 'a'],
    timestamp: [new Date(T), new Date(T + 3_600_000)],
    interval: ['PT1H', 'PT1H'],
    operation: ['SendChatMessage', ''],
    count: [3, 0],
    total: [3, 0],
    average: [1, null],
  };
  return ARCHIVE_COLUMNS.map((c) => ({ ...c, data: (values[c.name] ?? [null, null]) as Column['data'] }));
}

describe('Parquet columns without nulls', () => {
  it('are written required, columns with a null optional, and both read back as written', async () => {
    const bytes = await encodeParquet(columns(), INFO, 'test');
    const file = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
    const metadata = await parquetMetadataAsync(file);
    const kinds = Object.fromEntries(metadata.schema.slice(1).map((s) => [s.name, s.repetition_type]));
    expect([kinds.operation, kinds.count, kinds.total, kinds.timestamp]).toEqual(['REQUIRED', 'REQUIRED', 'REQUIRED', 'REQUIRED']);
    expect([kinds.average, kinds.minimum, kinds.status_code]).toEqual(['OPTIONAL', 'OPTIONAL', 'OPTIONAL']);
    const rows = await parquetReadObjects({ file, metadata, columns: ['operation', 'count', 'average', 'status_code'], utf8: true });
    expect(rows).toEqual([
      { operation: 'SendChatMessage', count: 3, average: 1, status_code: null },
      { operation: '', count: 0, average: null, status_code: null },
    ]);
  });
});

import { describe, expect, it } from 'vitest';
import { csvText, renderCsv } from '../src/render/csv.js';
import { result } from './render-result.js';

describe('renderCsv', () => {
  it('writes a header and one CRLF row per series and timestamp, empty for no data', () => {
    const r = result({
      splitBy: ['Operation', 'StatusSubClass'],
      series: [
        { dims: { Operation: 'SendChatMessage', StatusSubClass: '2xx' }, values: [5, null] },
        { dims: { Operation: 'GetChatMessage', StatusSubClass: '5xx' }, values: [0, 1.5] },
      ],
    });
    expect(renderCsv(r)).toBe(
      'Operation,StatusSubClass,timestamp,value\r\n' +
        'SendChatMessage,2xx,2026-01-07T00:00:00Z,5\r\n' +
        'SendChatMessage,2xx,2026-01-07T01:00:00Z,\r\n' +
        'GetChatMessage,5xx,2026-01-07T00:00:00Z,0\r\n' +
        'GetChatMessage,5xx,2026-01-07T01:00:00Z,1.5\r\n',
    );
  });

  it('has only timestamp and value without a split, and just the header without series', () => {
    expect(renderCsv(result({ series: [{ values: [-3] }] }))).toBe('timestamp,value\r\n2026-01-07T00:00:00Z,-3\r\n');
    expect(renderCsv(result({ splitBy: ['Operation'], series: [] }))).toBe('Operation,timestamp,value\r\n');
  });

  it('quotes commas, quotes and line breaks and guards against formulas', () => {
    const ops = ['a,b', 'say "hi"', 'line\nbreak', '=HYPERLINK("x")', '+1', '-2', '@SUM(A1)', '\tx', '\rx', 'Bad Route'];
    const r = result({ splitBy: ['Operation'], series: ops.map((o) => ({ dims: { Operation: o }, values: [1] })) });
    const cells = renderCsv(r)
      .split('\r\n')
      .slice(1, -1)
      .map((row) => row.slice(0, -',2026-01-07T00:00:00Z,1'.length));
    expect(cells).toEqual(['"a,b"', '"say ""hi"""', '"line\nbreak"', `"'=HYPERLINK(""x"")"`, "'+1", "'-2", "'@SUM(A1)", "'\tx", `"'\rx"`, 'Bad Route']);
    expect(csvText('')).toBe('');
  });
});

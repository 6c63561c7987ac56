/** The short form of a failure in a table (status's Problem column): code and first sentence, cut with …. */
import { describe, expect, it } from 'vitest';
import { shortProblem } from '../src/render/problem-text.js';

describe('shortProblem', () => {
  it('keeps a short failure as it is', () => {
    expect(shortProblem('ResourceNotFound: resource not found (HTTP 404 ResourceNotFound)', 72)).toBe(
      'ResourceNotFound: resource not found (HTTP 404 ResourceNotFound)',
    );
    expect(shortProblem('InternalError: metric store unavailable', 72)).toBe('InternalError: metric store unavailable');
  });

  it("says the code once, and ends at the first sentence or Azure's TraceId", () => {
    expect(
      shortProblem(
        'BadRequest: Azure Monitor answered HTTP 400 BadRequest: The metric namespace is invalid. Valid namespaces are: microsoft.communication/communicationservices.',
        72,
      ),
    ).toBe('BadRequest: The metric namespace is invalid.');
    expect(shortProblem('BadRequest: Metric: X does not support requested dimension combination: a, supported ones are: , TraceId: {4732ea53}', 100)).toBe(
      'BadRequest: Metric: X does not support requested dimension combination: a, supported ones are:',
    );
    expect(shortProblem('Throttled: slow down; try again in 10 s', 72)).toBe('Throttled: slow down');
    expect(shortProblem('Azure Monitor: APIRequestChat failed: first line\nsecond line', 72)).toBe('Azure Monitor: APIRequestChat failed: first line');
  });

  it('cuts what is still too wide with …, to exactly the width', () => {
    const long = `BadRequest: Metric: APIRequestChat does not support requested dimension combination: ${'operationname,'.repeat(20)}`;
    const short = shortProblem(long, 72);
    expect(short).toBe('BadRequest: Metric: APIRequestChat does not support requested dimension…');
    expect(short).toHaveLength(72);
  });
});

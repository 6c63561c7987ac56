/**
 * Issue 19 item 6: Ctrl-C during `export` printed "internal error: The operation was aborted", a stack
 * trace and "This is a bug". An abort of the run's signal that surfaces as an AbortError (from a
 * request, a read, a write: anywhere, in any command) is an interrupt: exit 130, one line.
 */
import { describe, expect, it } from 'vitest';
import { reportError } from '../src/cli/main.js';
import { testIo } from './helpers/io.js';

const aborted = (): AbortSignal => {
  const c = new AbortController();
  c.abort();
  return c.signal;
};
const report = (err: unknown, signal?: AbortSignal, argv: string[] = ['export', 'dir']) => {
  const t = testIo({ ...(signal ? { signal } : {}) });
  const code = reportError(err, t.io, argv);
  return { code, stderr: t.err() };
};

describe('an abort after Ctrl-C is an interrupt', () => {
  it("DOMException AbortError (fetch, timers), Node's ABORT_ERR (fs, streams) and the signal's own reason", () => {
    const signal = aborted();
    const nodeAbort = Object.assign(new Error('The operation was aborted'), { name: 'AbortError', code: 'ABORT_ERR' });
    for (const err of [new DOMException('This operation was aborted', 'AbortError'), nodeAbort, signal.reason]) {
      expect(report(err, signal)).toEqual({ code: 130, stderr: 'error: interrupted\n' });
    }
  });

  it('an error caused by the abort (a wrapped fetch failure) is the interrupt too', () => {
    const err = new TypeError('fetch failed', { cause: new DOMException('This operation was aborted', 'AbortError') });
    expect(report(err, aborted())).toEqual({ code: 130, stderr: 'error: interrupted\n' });
  });

  it('with --debug it is still the interrupt (exit 130), not "internal error"', () => {
    const r = report(new DOMException('aborted', 'AbortError'), aborted(), ['export', 'dir', '--debug']);
    expect(r.code).toBe(130);
    expect(r.stderr).toMatch(/^error: interrupted\n/);
    expect(r.stderr).not.toContain('internal error');
  });

  it('an AbortError without Ctrl-C (the signal not aborted) stays a bug (exit 70)', () => {
    const r = report(new DOMException('This operation was aborted', 'AbortError'), new AbortController().signal);
    expect(r.code).toBe(70);
    expect(r.stderr).toContain('internal error: This operation was aborted');
  });

  it('another error after Ctrl-C is not hidden as an interrupt', () => {
    const r = report(new RangeError('Invalid array length'), aborted());
    expect(r.code).toBe(70);
  });
});

/**
 * Thresholds finer than check can compare and show, or with an absurd exponent, are usage errors
 * (exit 2) naming the accepted range; `1e-400` used to end in an internal error (exit 70), and
 * `1e-99999999` would compute 10^99999999.
 */
import fc from 'fast-check';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatObservedRate, formatRateThreshold, isRate, parseRate } from '../src/core/gate.js';
import { chatBody, writeFixture } from './helpers/fixture.js';
import { run } from './helpers/io.js';

const RANGE = 'use 0% to 100% with at most 6 decimal places (0.000001%), or a fraction with at most 8 (0.00000001)';
const TOO_FINE = `finer than check can compare: ${RANGE}`;
const EXPONENT = `exponent out of range: ${RANGE}`;

describe('parseRate: the finest threshold and absurd exponents', () => {
  it('accepts up to 0.000001% (8 decimal places of the fraction)', () => {
    expect(parseRate('0.000001%')).toEqual({ ratio: 1e-8, num: 1n, scale: 8 });
    expect(parseRate('0.00000001')).toEqual({ ratio: 1e-8, num: 1n, scale: 8 });
    expect(parseRate('1e-8')).toEqual({ ratio: 1e-8, num: 1n, scale: 8 });
    expect(parseRate('99.999999%')).toEqual({ ratio: 0.99999999, num: 99999999n, scale: 8 });
    // Trailing zeros do not make a threshold finer.
    expect(parseRate('1.000000000000%')).toEqual({ ratio: 0.01, num: 1n, scale: 2 });
  });

  it('refuses finer thresholds', () => {
    expect(parseRate('0.0000001%')).toEqual({ error: TOO_FINE });
    expect(parseRate('0.000000015')).toEqual({ error: TOO_FINE });
    expect(parseRate('1e-9')).toEqual({ error: TOO_FINE });
    expect(parseRate('1e-50%')).toEqual({ error: TOO_FINE });
    expect(parseRate(1.5e-8)).toEqual({ error: TOO_FINE });
  });

  it('refuses absurd exponents at once, without computing 10^n', () => {
    const started = Date.now();
    expect(parseRate('1e-400')).toEqual({ error: EXPONENT });
    expect(parseRate('0e-400')).toEqual({ error: EXPONENT });
    expect(parseRate('1e-99999999')).toEqual({ error: EXPONENT });
    expect(parseRate('1e99999999')).toEqual({ error: EXPONENT });
    expect(parseRate('1e-99999999999999999999999%')).toEqual({ error: EXPONENT });
    expect(Date.now() - started).toBeLessThan(100);
  });

  it('for any accepted rate text, formatting never throws and shows the threshold exactly', () => {
    // num / 10^scale for every scale the tool accepts, written three ways.
    const decimal = fc.integer({ min: 0, max: 8 }).chain((scale) => fc.tuple(fc.bigInt({ min: 0n, max: 10n ** BigInt(scale) }), fc.constant(scale)));
    fc.assert(
      fc.property(decimal, fc.double({ min: 0, max: 1, noNaN: true }), ([num, scale], observed) => {
        const digits = num.toString().padStart(scale + 1, '0');
        const fraction = `${digits.slice(0, digits.length - scale)}${scale ? `.${digits.slice(digits.length - scale)}` : ''}`;
        const texts = [shiftPercent(fraction), `${num}e-${scale}`, fraction];
        for (const text of texts) {
          const r = parseRate(text);
          if (num === 10n ** BigInt(scale) && !text.endsWith('%')) {
            expect(isRate(r)).toBe(false); // a bare number of 1 or more is refused
            continue;
          }
          if (!isRate(r)) throw new Error(`${text}: ${r.error}`);
          // The oracle: the same value as num / 10^scale, exactly.
          expect(r.num * 10n ** BigInt(scale)).toBe(num * 10n ** BigInt(r.scale));
          expect(() => formatObservedRate(observed, r)).not.toThrow();
          expect(formatObservedRate(r.ratio, r)).toBe(formatRateThreshold(r));
        }
      }),
      { numRuns: 500 },
    );
  });

  it('for random rejected texts the reason is one line', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc
            .tuple(fc.integer({ min: 0, max: 999 }), fc.integer({ min: -1_000_000_000, max: 1_000_000_000 }), fc.boolean())
            .map(([n, e, p]) => `${n}e${e}${p ? '%' : ''}`),
          fc.tuple(fc.nat({ max: 99 }), fc.stringMatching(/^\d{7,30}$/)).map(([w, f]) => `${w}.${f}%`),
        ),
        (text) => {
          const r = parseRate(text);
          if (isRate(r)) {
            expect(() => formatObservedRate(0.5, r)).not.toThrow();
            return;
          }
          expect(r.error).not.toContain('\n');
          expect(r.error.length).toBeGreaterThan(0);
        },
      ),
      { numRuns: 500 },
    );
  });
});

/** 0.00001234 -> "0.001234%" (the fraction as a percent, by moving the point two places). */
function shiftPercent(fraction: string): string {
  const [w, f = ''] = fraction.split('.');
  const frac = f.padEnd(2, '0');
  const whole = `${w}${frac.slice(0, 2)}`.replace(/^0+(?=\d)/, '');
  return frac.length > 2 ? `${whole}.${frac.slice(2)}%` : `${whole}%`;
}

describe('check with out-of-range thresholds: exit 2, one line', () => {
  const chat = writeFixture(chatBody());

  for (const [value, reason] of [
    ['1e-400', EXPONENT],
    ['1e-9', TOO_FINE],
    ['0.0000001%', TOO_FINE],
    ['1e-99999999', EXPONENT],
    ['1e99999999%', EXPONENT],
  ] as const) {
    it(`--max-error-rate ${value}`, async () => {
      const r = await run(['check', '--fixture', chat, '-m', 'chat', '--max-error-rate', value]);
      expect(r).toEqual({ code: 2, stdout: '', stderr: `error: invalid --max-error-rate "${value}": ${reason}\n` });
    });
  }

  it('maxErrorRate in a rules file, as a string and as a number', async () => {
    const path = join(dirname(chat), 'fine-rules.json');
    writeFileSync(path, '{"rules": [{"name": "a", "metric": "chat", "maxErrorRate": "1e-400"}, {"name": "b", "metric": "chat", "maxErrorRate": 1.5e-9}]}');
    const r = await run(['check', '--fixture', chat, '--config', path]);
    expect(r).toEqual({
      code: 2,
      stdout: '',
      stderr: `error: ${path}: rules[0].maxErrorRate: invalid error rate "1e-400": ${EXPONENT}\nerror: ${path}: rules[1].maxErrorRate: invalid error rate 1.5e-9: ${TOO_FINE}\n`,
    });
  });

  it('a JSON or YAML number that underflows to 0 (1e-400) is refused as the string is, not a 0% gate', async () => {
    for (const [name, text] of [
      ['under.json', '{"rules": [{"name": "a", "metric": "chat", "maxErrorRate": 1e-400}, {"name": "b", "metric": "chat", "maxErrorRate": -1E-400}]}'],
      ['under.yaml', 'rules:\n  - name: a\n    metric: chat\n    maxErrorRate: 1e-400\n  - name: b\n    metric: chat\n    maxErrorRate: -1E-400\n'],
    ]) {
      const path = join(dirname(chat), name!);
      writeFileSync(path, text!);
      const r = await run(['check', '--fixture', chat, '--config', path]);
      expect(r).toEqual({
        code: 2,
        stdout: '',
        stderr: `error: ${path}: rules[0].maxErrorRate: invalid error rate 1e-400: ${EXPONENT}\nerror: ${path}: rules[1].maxErrorRate: invalid error rate -1E-400: ${EXPONENT}\n`,
      });
    }
  });

  it('the other numeric keys: a number that reads as 0 or Infinity is refused with its place', async () => {
    const path = join(dirname(chat), 'numbers.json');
    const zeros = '0.' + '0'.repeat(400) + '1';
    writeFileSync(
      path,
      `{"defaults": {"minRequests": 1e400}, "rules": [{"name": "a", "metric": "chat", "minTotal": ${zeros}, "maxTotal": 1${'0'.repeat(400)},` +
        ' "baseline": "1d", "maxTrafficDrop": 1e-400, "maxErrorRateRatio": 1e999, "maxErrorRateIncrease": 5e-324, "confidence": 1e-999}]}',
    );
    const r = await run(['check', '--fixture', chat, '--config', path]);
    expect([r.code, r.stdout]).toEqual([2, '']);
    expect(r.stderr.split('\n')).toEqual([
      `error: ${path}: defaults.minRequests: 1e400 is too large for a number: it would read as Infinity; give a value in range`,
      `error: ${path}: rules[0].minTotal: ${zeros} is too small for a number: it would read as 0; give a value in range`,
      `error: ${path}: rules[0].maxTotal: 1${'0'.repeat(400)} is too large for a number: it would read as Infinity; give a value in range`,
      `error: ${path}: rules[0].maxTrafficDrop: 1e-400 is too small for a number: it would read as 0; give a value in range`,
      `error: ${path}: rules[0].maxErrorRateRatio: 1e999 is too large for a number: it would read as Infinity; give a value in range`,
      `error: ${path}: rules[0].confidence: 1e-999 is too small for a number: it would read as 0; give a value in range`,
      '',
    ]);
    // 5e-324 is the smallest double, not 0: it reads as written, so it is not in the list.
  });

  it('zero written as zero stays a valid number (0, 0.0, 0e5)', async () => {
    const path = join(dirname(chat), 'zeros.json');
    writeFileSync(path, '{"rules": [{"name": "a", "metric": "chat", "maxErrorRate": 0.0, "minTotal": 0e5}]}');
    const r = await run(['check', '--fixture', chat, '--config', path]);
    expect(r.code).toBe(1);
    expect(r.stdout.split('\n')[0]).toMatch(/^FAIL  a  error rate 6\.57% > 0\.00% /);
  });

  it('flags: --min-total 1e-400 (read as 0) and other non-digit counts are refused', async () => {
    for (const value of ['1e-400', '1e2', '0x10', '1.0']) {
      const r = await run(['check', '--fixture', chat, '-m', 'chat', '--min-total', value]);
      expect(r).toEqual({ code: 2, stdout: '', stderr: `error: invalid --min-total "${value}": expected a whole number of at least 0\n` });
    }
  });

  it('a duration beyond 100,000 years is refused (exit 2), never an internal error on an invalid date', async () => {
    const message = (flag: string, v: string) =>
      `error: invalid ${flag} "${v}": expected a duration such as 30m, 24h, 7d, 1d12h or PT6H (at most 100,000 years)\n`;
    for (const v of ['99999999999999999999d', 'P99999999999D', '36500001d']) {
      for (const command of [['query', '-m', 'chat'], ['check', '-m', 'chat', '--max-error-rate', '1%'], ['status'], ['usage']]) {
        const r = await run([...command, '--fixture', chat, '--since', v]);
        expect([r.code, r.stdout, r.stderr]).toEqual([2, '', message('--since', v)]);
      }
    }
    // 100,000 years is still a window (of all the data).
    expect((await run(['query', '--fixture', chat, '-m', 'chat', '--since', '36500000d', '-o', 'json'])).code).toBe(0);
    const compare = await run(['query', '--fixture', chat, '-m', 'chat', '--compare', '99999999999999999999d']);
    expect(compare.code).toBe(2);
  });

  it('the finest accepted threshold works end to end: 0.000001%', async () => {
    // Chat: 9 errors in 137 requests.
    const r = await run(['check', '--fixture', chat, '-m', 'chat', '--max-error-rate', '0.000001%']);
    expect(r.code).toBe(1);
    expect(r.stdout.split('\n')[0]).toMatch(/^FAIL  chat  error rate 6\.569343% > 0\.000001%  requests 137  errors 9 /);
  });
});

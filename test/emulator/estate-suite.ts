/**
 * The emulator over an estate for a whole test file: opened before its tests, reset after each, closed
 * (and a temporary folder removed) after all. `h` stands for the harness once it is open.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { type Harness, openEstateHarness } from './harness.js';
import type { EstateResource } from './estate-api.js';

export function estateSuite(estate: readonly EstateResource[], batchForbidden: readonly string[], prefix: string): { h: Harness; dir: string } {
  let open: Harness | undefined;
  const dir = mkdtempSync(join(tmpdir(), prefix));
  beforeAll(async () => {
    open = await openEstateHarness(estate, batchForbidden);
  });
  afterAll(async () => {
    await open?.close();
    rmSync(dir, { recursive: true, force: true });
  });
  afterEach(() => open?.emulator.reset());
  const h = new Proxy({} as Harness, {
    get: (_, key) => {
      if (open === undefined) throw new Error('the estate harness is not open yet (use it inside a test)');
      return Reflect.get(open, key) as unknown;
    },
  });
  return { h, dir };
}

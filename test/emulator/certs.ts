/**
 * A throwaway self-signed certificate for 127.0.0.1 and localhost, made with openssl at test time
 * (no key is committed, nothing expires in the repository).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestCert {
  readonly key: string;
  readonly cert: string;
  /** The certificate's path: give it to a child process as NODE_EXTRA_CA_CERTS. */
  readonly caFile: string;
  readonly dir: string;
  remove(): void;
}

export function makeTestCert(): TestCert {
  const dir = mkdtempSync(join(tmpdir(), 'acs-metrics-emulator-'));
  const keyFile = join(dir, 'key.pem');
  const certFile = join(dir, 'cert.pem');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-keyout',
      keyFile,
      '-out',
      certFile,
      '-days',
      '2',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1,DNS:localhost',
    ],
    { stdio: 'pipe', timeout: 20_000 },
  );
  return {
    key: readFileSync(keyFile, 'utf8'),
    cert: readFileSync(certFile, 'utf8'),
    caFile: certFile,
    dir,
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

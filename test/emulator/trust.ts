/**
 * In-process trust for the emulator's certificate. NODE_EXTRA_CA_CERTS is read only when a process
 * starts, so the spawned-binary tests use it and in-process tests use this instead: every TLS
 * connection to 127.0.0.1 or localhost made while it is active also trusts the test certificate.
 * Test support only; the product has no switch for it. Returns a function that undoes it.
 */
import tls from 'node:tls';

export function trustInProcess(caPem: string): () => void {
  const original = tls.connect;
  const patched = function (this: unknown, ...args: unknown[]) {
    const options = args.find((a): a is tls.ConnectionOptions => typeof a === 'object' && a !== null && !Array.isArray(a));
    const host = options?.host ?? options?.servername;
    if (options && (host === '127.0.0.1' || host === 'localhost') && options.ca === undefined) {
      options.ca = [...tls.rootCertificates, caPem];
    }
    return (original as (...a: unknown[]) => tls.TLSSocket).apply(this, args);
  };
  tls.connect = patched as typeof tls.connect;
  return () => {
    tls.connect = original;
  };
}

/**
 * Azurite's Blob service (the npm devDependency, no Docker) for tests: started on a free loopback
 * port, in memory, with telemetry off (no request leaves the machine), and stopped after.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { tempDir } from './temp.js';

/** Azurite's documented development account. */
export const DEV_ACCOUNT = 'devstoreaccount1';
export const DEV_KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

export interface Azurite {
  readonly port: number;
  /** http://127.0.0.1:PORT/devstoreaccount1 */
  readonly endpoint: string;
  /** A connection string of the development account at this port. */
  readonly connectionString: string;
  stop(): Promise<void>;
}

export async function startAzurite(): Promise<Azurite> {
  const dir = tempDir('acs-metrics-azurite-');
  const main = join(__dirname, '..', '..', 'node_modules', 'azurite', 'dist', 'src', 'blob', 'main.js');
  const args = [
    '--inMemoryPersistence',
    '--extentMemoryLimit',
    '256',
    '--blobHost',
    '127.0.0.1',
    '--blobPort',
    '0',
    '--skipApiVersionCheck',
    '--loose',
    '--disableTelemetry',
  ];
  const child = spawn(process.execPath, [main, ...args], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  const port = await listening(child);
  const endpoint = `http://127.0.0.1:${port}/${DEV_ACCOUNT}`;
  return {
    port,
    endpoint,
    connectionString: `DefaultEndpointsProtocol=http;AccountName=${DEV_ACCOUNT};AccountKey=${DEV_KEY};BlobEndpoint=${endpoint};`,
    stop: () =>
      new Promise<void>((done) => {
        if (child.exitCode !== null) return done();
        child.once('exit', () => done());
        child.kill('SIGTERM');
      }),
  };
}

/** The port Azurite says it listens on (it prints its URL), within 60 s. */
function listening(child: ChildProcess): Promise<number> {
  return new Promise((done, fail) => {
    let out = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      fail(new Error(`Azurite did not start within 60 s: ${out}`));
    }, 60_000);
    const seen = (chunk: Buffer) => {
      out += chunk.toString('utf8');
      const m = /listens on http:\/\/127\.0\.0\.1:(\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        done(Number(m[1]));
      }
    };
    child.stdout!.on('data', seen);
    child.stderr!.on('data', seen);
    child.once('exit', (code) => {
      clearTimeout(timer);
      fail(new Error(`Azurite exited (${code}): ${out}`));
    });
  });
}

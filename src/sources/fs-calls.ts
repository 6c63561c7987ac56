/**
 * stat and readFile for the common path of reading files: node:fs's synchronous calls (the same
 * errors, codes and results as node:fs/promises'), given as promises. Synchronous, because a file
 * read whole is one a command waits for anyway (below 16 MiB, larger ones are streamed, unless --save
 * keeps the bodies): one read of the whole file instead of node:fs's 512 KiB pieces, each a round trip
 * through libuv's thread pool (which a run then never starts: four threads; on a busy machine each
 * round trip waits for a thread to be scheduled). The price: Ctrl-C waits for a stat or read that
 * hangs (a dead network mount) to return. Not node:fs/promises, which costs a query's start-up about
 * 3 ms (it loads readline, directory and watcher modules with it); fs/promises stays for the rest (the
 * bundles load it on first use, see scripts/bundle-commands.mjs).
 */
import { readFileSync, statSync, type Stats } from 'node:fs';

export async function stat(path: string): Promise<Stats> {
  return statSync(path);
}

export async function readFile(path: string): Promise<Buffer> {
  return readFileSync(path);
}

/**
 * stat and readFile as promises over node:fs's callbacks: the same calls as node:fs/promises' (the
 * same errors, codes and results), without loading node:fs/promises, which costs a query's start-up
 * about 3 ms (it loads readline, directory and watcher modules with it). Files are read this way on
 * the common path; fs/promises stays for the rest (the bundles load it on first use, see
 * scripts/bundle-commands.mjs).
 */
import { readFile as readFileCallback, stat as statCallback, type Stats } from 'node:fs';

export function stat(path: string): Promise<Stats> {
  return new Promise((done, fail) => statCallback(path, (err, st) => (err ? fail(err) : done(st))));
}

export function readFile(path: string): Promise<Buffer> {
  return new Promise((done, fail) => readFileCallback(path, (err, data) => (err ? fail(err) : done(data))));
}

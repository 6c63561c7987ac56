#!/usr/bin/env node
/**
 * A peer in the benchmark: reads a file's bytes (or every file's in a folder), 1 MiB at a time, and
 * nothing else: the floor for any reader of it, in constant memory and for inputs of any size.
 *
 *   node bench/read-bytes.mjs FILE_OR_FOLDER
 */
import { closeSync, openSync, readdirSync, readSync, statSync } from 'node:fs';
import { join } from 'node:path';

const buf = Buffer.allocUnsafe(1024 * 1024);
function read(path) {
  if (statSync(path).isDirectory())
    return readdirSync(path)
      .sort()
      .reduce((sum, name) => sum + read(join(path, name)), 0);
  const fd = openSync(path, 'r');
  let total = 0;
  for (let n; (n = readSync(fd, buf, 0, buf.length, null)) > 0;) total += n;
  closeSync(fd);
  return total;
}
process.stdout.write(`${read(process.argv[2])}\n`);

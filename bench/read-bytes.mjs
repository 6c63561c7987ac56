#!/usr/bin/env node
/**
 * A peer in the benchmark: reads a file's bytes, 1 MiB at a time, and nothing else (the floor for
 * any reader of it, in constant memory and for files of any size).
 *
 *   node bench/read-bytes.mjs FILE
 */
import { closeSync, openSync, readSync } from 'node:fs';

const fd = openSync(process.argv[2], 'r');
const buf = Buffer.allocUnsafe(1024 * 1024);
let total = 0;
for (let n; (n = readSync(fd, buf, 0, buf.length, null)) > 0; ) total += n;
closeSync(fd);
process.stdout.write(`${total}\n`);

#!/usr/bin/env node
/**
 * The benchmark's baseline for a fixture query: read a file and JSON.parse it, nothing else. The
 * fastest way Node 20 has (readFileSync with an encoding decodes in C++ without a Buffer).
 *
 *   node bench/read-parse.mjs FILE
 */
import { readFileSync } from 'node:fs';

const body = JSON.parse(readFileSync(process.argv[2], 'utf8'));
// Use the result, so that nothing can be skipped.
process.stdout.write(`${typeof body === 'object' && body !== null ? Object.keys(body).length : 0}\n`);

#!/usr/bin/env node
/**
 * A floor for the README query's start-up (reported beside it, no target): what any reader of the
 * sample week must do at least, and nothing else. Read the file's bytes, make them one-byte text (to
 * check the whole file is JSON, as the reference reader does, text is needed) and JSON.parse the first
 * metric's series (Chat's, 0.5 MiB of the 2.4 MiB), then write one line. No checking, no query, no
 * table, no code of ours to load: CommonJS, as the command bundles are.
 *
 *   node bench/read-chat.cjs FILE
 */
'use strict';
const { readFileSync } = require('node:fs');

const text = readFileSync(process.argv[2]).toString('latin1');
const from = text.indexOf('"timeseries"');
const to = text.lastIndexOf(']', text.indexOf('"errorCode"', from)) + 1;
const series = JSON.parse(text.slice(text.indexOf('[', from), to));
process.stdout.write(`${series.length}\n`);

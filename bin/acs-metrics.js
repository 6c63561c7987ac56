#!/usr/bin/env node
// CommonJS (bin/package.json): the command named on the command line, and --version, run from their
// bundle, dist/run-<command>.cjs (scripts/bundle-commands.mjs); help, no command or an unknown one
// from the ES modules, dist/cli/entry.js, as they do when the bundles were not built (no esbuild).
'use strict';
const argv = process.argv.slice(2);
const at = argv.findIndex((a) => !a.startsWith('-'));
const dashDash = argv.indexOf('--');
const named = at >= 0 && (dashDash === -1 || dashDash > at) ? argv[at] : undefined;
const version = argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V');
const bundle = version ? 'version' : ['catalog', 'query', 'check', 'definitions'].includes(named) ? named : undefined;
let ran = false;
if (bundle !== undefined) {
  const path = `../dist/run-${bundle}.cjs`;
  try {
    require(path);
    ran = true;
  } catch (err) {
    if (err?.code !== 'MODULE_NOT_FOUND' || !String(err.message).includes(`run-${bundle}.cjs`)) throw err;
  }
}
if (!ran) import('../dist/cli/entry.js');

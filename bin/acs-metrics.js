#!/usr/bin/env node
// CommonJS (bin/package.json): the command named on the command line, and --version, run from their
// bundle, dist/run-<command>.cjs (scripts/bundle-commands.mjs), compiled with V8's code cache from
// the build (dist/run-<command>.cjs.cache) when there is one; help, no command or an unknown one
// from the ES modules, dist/cli/entry.js, as do all commands when the bundles were not built.
'use strict';
const argv = process.argv.slice(2);
const at = argv.findIndex((a) => !a.startsWith('-'));
const dashDash = argv.indexOf('--');
const named = at >= 0 && (dashDash === -1 || dashDash > at) ? argv[at] : undefined;
const version = argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V');
const bundle = version ? 'version' : ['catalog', 'query', 'check', 'definitions'].includes(named) ? named : undefined;

/**
 * Runs a bundle as require() would, but compiled with the code cache (the functions the build's run
 * of the command compiled, so they are not compiled again); false when the bundle is not there.
 * ACS_METRICS_WRITE_CODE_CACHE=1 (the build) writes the cache when the process exits.
 */
function runBundle(file) {
  const fs = require('node:fs');
  let source;
  try {
    // ASCII, and wrapped as Module.wrap does (scripts/bundle-commands.mjs): compiled as read.
    source = fs.readFileSync(file).toString('latin1');
  } catch {
    return false;
  }
  const vm = require('node:vm');
  const Module = require('node:module');
  const path = require('node:path');
  // The bundle's import() of what stays outside it (other commands' modules, the Azure SDK, yaml),
  // made here: a script compiled by vm cannot import() itself.
  const dist = require('node:url').pathToFileURL(`${path.dirname(file)}/`);
  globalThis.__acsImport = (specifier) => import(specifier.startsWith('.') ? new URL(specifier, dist).href : specifier);
  let cachedData;
  try {
    cachedData = fs.readFileSync(`${file}.cache`);
  } catch {
    // built without a cache
  }
  // (A bundle from a build before the wrapped ones is wrapped here.)
  const script = new vm.Script(source.startsWith('(function') ? source : Module.wrap(source), { filename: file, cachedData });
  if (process.env.ACS_METRICS_WRITE_CODE_CACHE === '1') process.once('exit', () => fs.writeFileSync(`${file}.cache`, script.createCachedData()));
  const mod = new Module(file, module);
  mod.filename = file;
  mod.paths = Module._nodeModulePaths(path.dirname(file));
  script.runInThisContext().call(mod.exports, mod.exports, Module.createRequire(file), mod, file, path.dirname(file));
  return true;
}

if (bundle === undefined || !runBundle(require('node:path').join(__dirname, '..', 'dist', `run-${bundle}.cjs`))) import('../dist/cli/entry.js');

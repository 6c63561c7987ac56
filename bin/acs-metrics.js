#!/usr/bin/env node
// The command named on the command line runs from its bundle (dist/run-<command>.js, see
// scripts/bundle-commands.mjs); help, --version, no command or an unknown one from dist/cli/entry.js.
const argv = process.argv.slice(2);
const at = argv.findIndex((a) => !a.startsWith('-'));
const dashDash = argv.indexOf('--');
const command = at >= 0 && (dashDash === -1 || dashDash > at) ? argv[at] : undefined;
if (command === 'catalog' || command === 'query' || command === 'check' || command === 'definitions') {
  try {
    await import(`../dist/run-${command}.js`);
  } catch (err) {
    if (err?.code !== 'ERR_MODULE_NOT_FOUND' || !String(err.message).includes(`run-${command}.js`)) throw err;
    await import('../dist/cli/entry.js'); // built without esbuild
  }
} else {
  await import('../dist/cli/entry.js');
}

#!/usr/bin/env node
/**
 * A step of `npm run build` after inline-deps.mjs: one bundled file per command, dist/run-<command>.js,
 * made with esbuild from dist/ as tsc wrote it. bin/acs-metrics.js runs the bundle of the command
 * named on the command line, so that a run loads one module of our code instead of 20 to 50 (the ES
 * module loader's resolving, reading and linking of each module cost more than compiling them).
 *
 * A bundle holds the entry point, the command line wiring and its one command module, with everything
 * they import (commander and chalk are already inlined by inline-deps.mjs). Packages from
 * node_modules stay external (the Azure SDK, yaml, cli-table3 and asciichart load only when used),
 * and so do the other command modules: help and unknown commands run dist/cli/entry.js as before.
 * Without esbuild the step is skipped: bin/ then runs dist/cli/entry.js.
 *
 *   node scripts/bundle-commands.mjs [DIST_DIR]     (default: dist/)
 */
import { existsSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const DIST = process.argv[2] ? resolve(process.argv[2]) : join(ROOT, 'dist');
/** The commands (as main.ts names them) and their modules under dist/cli/. */
export const COMMANDS = ['catalog', 'query', 'check', 'definitions'];

let esbuild;
try {
  esbuild = await import('esbuild');
} catch {
  process.stderr.write('bundle-commands: esbuild is not installed; bin/ runs dist/cli/entry.js (slower start-up)\n');
  for (const c of COMMANDS) rmSync(join(DIST, `run-${c}.js`), { force: true });
  process.exit(0);
}

/** Packages and the other commands' modules stay outside the bundle. */
const externals = (command) => ({
  name: 'externals',
  setup(build) {
    build.onResolve({ filter: /.*/ }, (args) => {
      if (args.kind === 'entry-point') return undefined;
      if (args.kind === 'import-statement' && BUILTIN.test(args.path)) return { path: args.path.replace(/^node:/, ''), namespace: 'builtin' };
      if (!args.path.startsWith('.') && !args.path.startsWith('/')) return { path: args.path, external: true };
      const full = resolve(args.resolveDir, args.path);
      const other = COMMANDS.find((c) => c !== command && full === join(DIST, 'cli', `${c}.js`));
      if (other) return { path: `./cli/${other}.js`, external: true };
      return undefined;
    });
  },
});

/**
 * Node's own modules, imported statically, are taken from process.getBuiltinModule (Node 20.16+) or
 * require: the ES module facade of a built-in reads every export, and node:fs's then loads its
 * streams (~4 ms) for a program that reads one file.
 */
const BUILTIN = /^(node:)?(fs|fs\/promises|os|tty|path|url|util|module|v8|crypto|events|stream|readline|net|child_process)$/;
const builtins = {
  name: 'builtins',
  setup(build) {
    build.onLoad({ filter: /.*/, namespace: 'builtin' }, (args) => ({
      contents: `module.exports = globalThis.process.getBuiltinModule?.('node:${args.path}') ?? __acsRequire('node:${args.path}');`,
      loader: 'js',
    }));
  },
};

for (const command of COMMANDS) {
  const outfile = join(DIST, `run-${command}.js`);
  if (!existsSync(join(DIST, 'cli', `${command}.js`))) throw new Error(`bundle-commands: no dist/cli/${command}.js`);
  await esbuild.build({
    entryPoints: [join(DIST, 'cli', 'entry.js')],
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    outfile,
    plugins: [externals(command), builtins],
    banner: { js: "import { createRequire as __acsCreateRequire } from 'node:module';\nconst __acsRequire = __acsCreateRequire(import.meta.url);" },
    logLevel: 'warning',
    legalComments: 'none',
  });
}
process.stderr.write(`bundle-commands: ${COMMANDS.map((c) => `dist/run-${c}.js`).join(', ')}\n`);

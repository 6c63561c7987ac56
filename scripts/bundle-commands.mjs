#!/usr/bin/env node
/**
 * A step of `npm run build` after inline-deps.mjs: one bundled file per command, dist/run-<command>.cjs
 * (and dist/run-version.cjs for --version), made with esbuild from dist/ as tsc wrote it.
 * bin/acs-metrics.js (CommonJS, see bin/package.json) requires the bundle of the command named on the
 * command line, so that a run loads one CommonJS file of our code instead of 20 to 50 ES modules: the
 * ES module loader's set-up and its resolving, reading and linking of each module cost more than
 * compiling them (an empty .mjs file starts ~13% slower than an empty .cjs one on Node 20).
 *
 * A bundle holds the entry point, the command line wiring and its one command module, with everything
 * they import statically (commander and chalk are already inlined by inline-deps.mjs). Packages from
 * node_modules stay external (the Azure SDK, yaml, cli-table3 and asciichart load only when used), and
 * so do the other command modules: help and unknown commands run dist/cli/entry.js as before.
 * Without esbuild the step is skipped: bin/ then runs dist/cli/entry.js.
 *
 *   node scripts/bundle-commands.mjs [DIST_DIR]     (default: dist/)
 */
import { spawnSync } from 'node:child_process';
import Module from 'node:module';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const DIST = process.argv[2] ? resolve(process.argv[2]) : join(ROOT, 'dist');
/** The commands (as main.ts names them) and their modules under dist/cli/. */
export const COMMANDS = ['catalog', 'query', 'check', 'definitions'];
/** The bundles: one per command, and one for --version (every command module left out). */
const BUNDLES = [...COMMANDS, 'version'];

let esbuild;
try {
  esbuild = await import('esbuild');
} catch {
  process.stderr.write('bundle-commands: esbuild is not installed; bin/ runs dist/cli/entry.js (slower start-up)\n');
  for (const c of BUNDLES) rmSync(join(DIST, `run-${c}.cjs`), { force: true });
  process.exit(0);
}

/**
 * Every command module (cli/commands.ts's COMMAND_LOADERS) and YAML output are loaded apart. Modules that
 * throw or catch our error classes (the live sources) stay in: a second copy of errors.js outside
 * the bundle would make its errors fail `instanceof` inside it.
 */
const ALL_COMMANDS = ['catalog', 'query', 'check', 'alerts', 'definitions', 'usage', 'export', 'status', 'resources', 'completion'];
const loadedApart = (full) => ALL_COMMANDS.some((c) => full === join(DIST, 'cli', `${c}.js`)) || full === join(DIST, 'render', 'yaml.js');

/**
 * node:fs/promises, loaded on first use: it costs a start-up about 3 ms (readline, directory and
 * watcher modules come with it), and the common paths read files with node:fs's callbacks
 * (src/sources/fs-calls.ts). A getter per export (their names taken from this Node) keeps esbuild's
 * import interop working: `import { readFile } from 'node:fs/promises'` reads the getter at the call.
 */
const FS_PROMISES_KEYS = Object.keys(await import('node:fs/promises')).filter((k) => k !== 'default');
const LAZY_FS_PROMISES = `let m; const load = () => (m ??= require('node:fs/promises'));
for (const k of ${JSON.stringify(FS_PROMISES_KEYS)}) Object.defineProperty(module.exports, k, { enumerable: true, get: () => load()[k] });`;

/** Packages and the other commands' modules stay outside the bundle. */
const externals = (command) => ({
  name: 'externals',
  setup(build) {
    build.onLoad({ filter: /^lazy-fs-promises$/, namespace: 'bundle-commands' }, () => ({ contents: LAZY_FS_PROMISES, loader: 'js' }));
    build.onResolve({ filter: /.*/ }, (args) => {
      if (args.kind === 'entry-point') return undefined;
      if ((args.path === 'node:fs/promises' || args.path === 'fs/promises') && args.namespace !== 'bundle-commands') {
        return { path: 'lazy-fs-promises', namespace: 'bundle-commands' };
      }
      if (!args.path.startsWith('.') && !args.path.startsWith('/')) return { path: args.path, external: true };
      const full = resolve(args.resolveDir, args.path);
      // Other command modules and yaml output, loaded with import(), stay outside.
      if (args.kind === 'dynamic-import' && full !== join(DIST, 'cli', `${command}.js`) && loadedApart(full)) {
        return {
          path: `./${full
            .slice(DIST.length + 1)
            .split('\\')
            .join('/')}`,
          external: true,
        };
      }
      return undefined;
    });
  },
});

for (const bundle of BUNDLES) {
  const outfile = join(DIST, `run-${bundle}.cjs`);
  if (bundle !== 'version' && !existsSync(join(DIST, 'cli', `${bundle}.js`))) throw new Error(`bundle-commands: no dist/cli/${bundle}.js`);
  await esbuild.build({
    stdin: { contents: "import { start } from './cli/start.js';\nstart();\n", resolveDir: DIST, sourcefile: `run-${bundle}.js` },
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    outfile,
    plugins: [externals(bundle)],
    // import.meta.url (package.json beside dist/, createRequire) as the bundle's own URL.
    define: { 'import.meta.url': '__acsImportMetaUrl' },
    banner: {
      js: "'use strict';\nconst __acsImportMetaUrl = require('node:url').pathToFileURL(__filename).href;\nconst __acsImport = globalThis.__acsImport ?? ((specifier) => import(specifier));",
    },
    logLevel: 'warning',
    legalComments: 'none',
    minifyWhitespace: true,
    minifySyntax: true,
  });
  // import() of what stays outside (other commands, the Azure SDK, yaml) goes through the bin's
  // __acsImport: a script compiled by vm with a code cache cannot import() itself.
  const text = readFileSync(outfile, 'utf8').replace(/(?<![\w$.])import\((["'])/g, (m, q, offset) => (offset < 400 ? m : `__acsImport(${q}`));
  // Written as the function bin/ compiles (Module.wrap's text), in ASCII (esbuild escapes the rest),
  // so that bin/ reads it as one-byte text and compiles it as read: a wrapper added at run time makes
  // a joined string that V8 copies whole (the 400 KB query bundle) before compiling it.
  if (!/^[\x00-\x7f]*$/.test(text)) throw new Error(`bundle-commands: ${outfile} is not ASCII`);
  writeFileSync(outfile, Module.wrap(text));
}

/**
 * V8's code cache of each bundle, written by a run of a typical command (bin/acs-metrics.js with
 * ACS_METRICS_WRITE_CODE_CACHE=1): it holds the functions that run compiled, so a later run does not
 * compile them again. A cache V8 does not accept (another Node, other flags) is ignored.
 */
const SAMPLE = join(ROOT, 'fixtures', 'sample-week.json');
const TYPICAL = {
  version: ['--version'],
  catalog: ['catalog'],
  query: ['query', '--fixture', SAMPLE, '--metric', 'chat', '--since', '24h'],
  check: ['check', '--fixture', SAMPLE, '--metric', 'chat', '--since', '1h', '--max-error-rate', '1%'],
  definitions: ['definitions', '--fixture', SAMPLE],
};
for (const bundle of BUNDLES) {
  rmSync(join(DIST, `run-${bundle}.cjs.cache`), { force: true });
  if (DIST !== join(ROOT, 'dist')) continue; // bin/ runs dist/ only
  spawnSync(process.execPath, [join(ROOT, 'bin', 'acs-metrics.js'), ...TYPICAL[bundle]], {
    env: { ...process.env, ACS_METRICS_WRITE_CODE_CACHE: '1', NO_COLOR: '1' },
    stdio: 'ignore',
  });
}
process.stderr.write(`bundle-commands: ${BUNDLES.map((c) => `dist/run-${c}.cjs`).join(', ')}, with code caches\n`);

#!/usr/bin/env node
/**
 * The last step of `npm run build`: inlines the two packages that every command loads at start-up,
 * commander and chalk, into the dist/ modules that import them (dist/cli/main.js, dist/cli/color.js),
 * with esbuild. Importing them from node_modules costs about 25 ms a run: commander is CommonJS, so
 * the ESM loader runs it through the CJS loader and cjs-module-lexer, and chalk is six files resolved
 * through package.json "imports". Inlined, they cost about a third of that (see BENCHMARKS.md).
 *
 * Everything else stays as tsc wrote it: our modules keep their files (stack traces, NODE_DEBUG=esm
 * and lazy loading see the same modules), and the other packages (the Azure SDK, yaml, asciichart,
 * cli-table3) are still loaded from node_modules, and only when needed. Two imports of the inlined
 * packages are made cheaper: commander's node:child_process (used only for executable subcommands,
 * which acs-metrics has none of) is loaded on first use, and chalk's `import process from
 * 'node:process'` becomes the global process (the ES module namespace of node:process reads every
 * property of process, creating the stdout and stderr streams and process.report at start-up).
 *
 * Without esbuild (a production install that builds), the step is skipped with a note: dist/ then
 * works as tsc wrote it, only slower to start.
 *
 *   node scripts/inline-deps.mjs [DIST_DIR]     (default: dist/)
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const DIST = process.argv[2] ? resolve(process.argv[2]) : join(ROOT, 'dist');
/** Packages inlined into the modules that import them. */
const INLINE = ['commander', 'chalk'];
const IMPORTS_INLINED = new RegExp(`^\\s*import\\s[^;]*?\\sfrom\\s+['"](${INLINE.join('|')})['"]`, 'm');

let esbuild;
try {
  esbuild = await import('esbuild');
} catch {
  process.stderr.write('inline-deps: esbuild is not installed; dist/ keeps importing commander and chalk from node_modules (slower start-up)\n');
  process.exit(0);
}

function* jsFiles(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* jsFiles(path);
    else if (entry.name.endsWith('.js')) yield path;
  }
}

/** Keeps every import external except the inlined packages and what they import themselves. */
const onlyInline = {
  name: 'only-inline',
  setup(build) {
    build.onResolve({ filter: /.*/ }, (args) => {
      if (args.kind === 'entry-point') return undefined;
      const fromPackage = args.importer.includes(`${join('node_modules', '')}`);
      if (fromPackage && /^(node:)?child_process$/.test(args.path)) return { path: 'lazy-child-process', namespace: 'inline-deps' };
      if (fromPackage && /^(node:)?process$/.test(args.path)) return { path: 'global-process', namespace: 'inline-deps' };
      if (fromPackage && /^(node:)?tty$/.test(args.path)) return { path: 'stream-tty', namespace: 'inline-deps' };
      if (fromPackage || INLINE.includes(args.path)) return undefined;
      return { path: args.path, external: true };
    });
    build.onLoad({ filter: /^global-process$/, namespace: 'inline-deps' }, () => ({
      // `import process from 'node:process'` (chalk) makes Node build the module's namespace, which reads
      // every property of process: stdout, stderr and process.report are created at start-up for nothing.
      contents: 'module.exports = process;',
      loader: 'js',
    }));
    build.onLoad({ filter: /^stream-tty$/, namespace: 'inline-deps' }, () => ({
      // chalk asks tty.isatty(1) and (2) at start-up, for the level of its default instances, which
      // acs-metrics never uses (cli/color.ts makes each Chalk with the level its Io stream calls for).
      // Answered without node:tty (~2.5 ms) and without touching process.stdout and process.stderr
      // (~3 ms: Node's stream modules; cli/std-stream.ts writes files and pipes without them).
      contents: "module.exports = { isatty: (fd) => (fd === 1 || fd === 2 ? false : require('node:tty').isatty(fd)) };",
      loader: 'js',
    }));
    build.onLoad({ filter: /^lazy-child-process$/, namespace: 'inline-deps' }, () => ({
      // A stand-in for node:child_process that loads it on first use.
      contents: "let m; module.exports = new Proxy({}, { get: (_, k) => (m ??= require('node:child_process'))[k] });",
      loader: 'js',
    }));
  },
};

let count = 0;
for (const file of jsFiles(DIST)) {
  const text = readFileSync(file, 'utf8');
  if (!IMPORTS_INLINED.test(text)) continue;
  const result = await esbuild.build({
    entryPoints: [file],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    outfile: file,
    allowOverwrite: true,
    plugins: [onlyInline],
    logLevel: 'warning',
    legalComments: 'inline',
    // CommonJS code inlined into an ES module still calls require() for Node's built-in modules.
    banner: { js: "import { createRequire as __inlineDepsCreateRequire } from 'node:module';\nconst require = __inlineDepsCreateRequire(import.meta.url);" },
  });
  writeFileSync(file, result.outputFiles[0].text);
  count++;
  process.stderr.write(`inline-deps: ${relative(ROOT, file)}: inlined ${INLINE.filter((p) => new RegExp(`from\\s+['"]${p}['"]`).test(text)).join(', ')}\n`);
}
if (count === 0) process.stderr.write('inline-deps: no module imports commander or chalk (already inlined?)\n');

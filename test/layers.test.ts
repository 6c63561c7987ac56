/**
 * The architecture's rule about imports (docs/development.md): lower layers never import upper ones. core
 * imports neither sources, render nor cli; sources and render do not import cli; the catalog (data)
 * imports none of them. Type-only imports count too: they tie a layer to another's shapes.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = join(dirname(new URL(import.meta.url).pathname), '..', 'src');

/** Layers each layer must not import. */
const FORBIDDEN: Record<string, readonly string[]> = {
  core: ['cli', 'sources', 'render'],
  catalog: ['cli', 'sources', 'render'],
  render: ['cli', 'sources'],
  sources: ['cli'],
};

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

/** Every relative import of a file (static, type-only and dynamic). */
function importSpecs(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/(?:^|\n)\s*(?:import|export)\b[^'"]*?from\s+['"](\.[^'"]+)['"]|import\(\s*['"](\.[^'"]+)['"]\s*\)/g)].map((m) => m[1] ?? m[2]!);
}

/** The layer (first folder under src/) of every relative import of a file. */
function importedLayers(file: string): { spec: string; layer: string }[] {
  return importSpecs(file).map((spec) => ({ spec, layer: relative(SRC, resolve(dirname(file), spec)).split(/[\\/]/)[0]! }));
}

/** The import cycles among src/ files (each as a path of files back to its start), type-only imports included. */
function cycles(): string[] {
  const graph = new Map(
    files(SRC).map((f) => [relative(SRC, f), importSpecs(f).map((spec) => relative(SRC, resolve(dirname(f), spec)).replace(/\.js$/, '.ts'))]),
  );
  const found: string[] = [];
  const state = new Map<string, 'open' | 'done'>();
  const visit = (file: string, path: string[]): void => {
    if (state.get(file) === 'done') return;
    if (state.get(file) === 'open') {
      found.push([...path.slice(path.indexOf(file)), file].join(' -> '));
      return;
    }
    state.set(file, 'open');
    for (const next of graph.get(file) ?? []) visit(next, [...path, file]);
    state.set(file, 'done');
  };
  for (const file of graph.keys()) visit(file, []);
  return found;
}

describe('layers', () => {
  it('has no import cycle, type-only and dynamic imports included', () => {
    expect(cycles()).toEqual([]);
  });

  it('finds imports at all (the scan works)', () => {
    const layers = importedLayers(join(SRC, 'cli', 'query.ts')).map((i) => i.layer);
    expect(layers).toEqual(expect.arrayContaining(['catalog', 'core', 'render', 'cli']));
  });

  for (const [layer, forbidden] of Object.entries(FORBIDDEN)) {
    it(`${layer} imports none of ${forbidden.join(', ')}`, () => {
      const bad = files(join(SRC, layer)).flatMap((f) =>
        importedLayers(f)
          .filter((i) => forbidden.includes(i.layer))
          .map((i) => `${relative(SRC, f)} imports ${i.spec}`),
      );
      expect(bad).toEqual([]);
    });
  }
});

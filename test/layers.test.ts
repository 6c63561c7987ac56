/**
 * The architecture's rule about imports (README, Development): lower layers never import upper ones. core
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
  render: ['cli'],
  sources: ['cli'],
};

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
}

/** The layer (first folder under src/) of every relative import of a file. */
function importedLayers(file: string): { spec: string; layer: string }[] {
  const text = readFileSync(file, 'utf8');
  const specs = [...text.matchAll(/(?:^|\n)\s*(?:import|export)\b[^'"]*?from\s+['"](\.[^'"]+)['"]|import\(\s*['"](\.[^'"]+)['"]\s*\)/g)].map((m) => m[1] ?? m[2]!);
  return specs.map((spec) => ({ spec, layer: relative(SRC, resolve(dirname(file), spec)).split(/[\\/]/)[0]! }));
}

describe('layers', () => {
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

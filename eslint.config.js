// ESLint flat config: typescript-eslint's type-aware recommended rules, plus the house rules.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import importX from 'eslint-plugin-import-x';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', '.bench/', 'coverage/'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  importX.flatConfigs.typescript,
  {
    files: ['src/**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    settings: { 'import-x/resolver-next': [createTypeScriptImportResolver()] },
    rules: {
      // No import cycles (import-x follows value and dynamic imports; test/layers.test.ts checks
      // type-only imports too, which tie modules together as much).
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      // The layers (docs/development.md): lower layers never import upper ones.
      'import-x/no-restricted-paths': [
        'error',
        {
          zones: [
            { target: './src/core', from: ['./src/cli', './src/sources', './src/render'], message: 'core is pure logic: it imports no upper layer' },
            {
              target: './src/catalog',
              from: ['./src/cli', './src/sources', './src/render', './src/core'],
              message: 'the catalog is data: it imports no other layer',
            },
            { target: './src/render', from: ['./src/cli', './src/sources'], message: 'render takes plain data: it imports neither cli nor sources' },
            { target: './src/sources', from: ['./src/cli'], message: 'sources do not import cli' },
          ],
        },
      ],
      // `throw error` of an unknown caught value re-throws it as it came; parse-response's Stop is a
      // cheap non-Error marker for a position (no stack trace to build while scanning bad JSON).
      '@typescript-eslint/only-throw-error': ['error', { allowThrowingUnknown: true, allow: [{ from: 'file', name: 'Stop' }] }],
      // Command handlers and credentials implement async interfaces: an async function without await
      // is how they return a promise.
      '@typescript-eslint/require-await': 'off',
      // A function reads in one screen, a file holds one idea.
      'max-lines-per-function': ['error', { max: 80, skipBlankLines: true, skipComments: true }],
      'max-lines': ['error', { max: 400, skipBlankLines: true, skipComments: true }],
    },
  },
  {
    // The request pool and its workers re-throw the first error a worker caught, unchanged: it is
    // whatever the SDK or the network threw, typed unknown.
    files: ['src/sources/azure/**/*.ts'],
    rules: { '@typescript-eslint/only-throw-error': 'off' },
  },
);

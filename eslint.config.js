// @ts-check
/**
 * ESLint flat config. Besides the usual recommended rules it enforces the layer rules of
 * docs/design.md §1 with one local rule, `airlock/layers` (tools/eslint-rules/layers.js): it resolves
 * every import specifier (static, type-only, export-from, import(), require(), import types) against
 * the importing file and checks where it lands against the table below. test/unit/lint/layer-rules.test.ts
 * proves every boundary.
 */
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import { layersRule } from './tools/eslint-rules/layers.js';

const EXT = '{ts,tsx,mts,cts,js,jsx,mjs,cjs}';
const ROOT = dirname(fileURLToPath(import.meta.url));

/** The core facade: electron/core, electron/core/index(.js|.ts); nothing else in core. */
const CORE_FACADE = 'electron/core/index';
/** A worker entry as a path for worker_threads/utilityProcess (electron-vite ?modulePath / ?nodeWorker). */
const WORKER_ENTRY = 'electron/worker/**?modulePath|nodeWorker';
const ENGINE_PACKAGES = ['better-sqlite3', 'tar', 'openpgp', 'commander', 'tsx'];
const UI_PACKAGES = ['react', 'react-dom'];

/**
 * The allow table: what each layer may import besides files in its own directory (tools/eslint-rules/layers.js
 * explains the entries). Anything not listed is refused with the layer's message.
 * @type {(import('./tools/eslint-rules/layers.js').Layer & { globals: Record<string, boolean | 'readonly' | 'writable' | 'off'> })[]}
 */
const LAYERS = [
  {
    dir: 'shared',
    message: 'shared/ is pure TypeScript: it may import only zod and other files in shared/ (docs/design.md §1).',
    packages: ['zod'],
    forbidComputed: true,
    globals: {},
  },
  {
    dir: 'electron/core',
    message:
      'electron/core is the engine: it may import shared/, node:* and npm libraries, never electron, main, preload, cli, worker or renderer (docs/design.md §1).',
    paths: ['shared/**'],
    packages: ['node:*', '*'],
    forbidPackages: ['electron', ...UI_PACKAGES],
    globals: globals.node,
  },
  {
    dir: 'electron/cli',
    message:
      'electron/cli may import core only through its facade electron/core/index.ts, plus shared/, node:* and npm libraries; never electron, main, preload, worker or renderer (docs/design.md §1).',
    paths: ['shared/**', CORE_FACADE],
    packages: ['node:*', '*'],
    forbidPackages: ['electron', ...UI_PACKAGES],
    globals: globals.node,
  },
  {
    dir: 'electron/worker',
    message:
      'electron/worker may import core only through its facade electron/core/index.ts, plus shared/, node:* and npm libraries; never electron, main, preload, cli or renderer (docs/design.md §1).',
    paths: ['shared/**', CORE_FACADE],
    packages: ['node:*', '*'],
    forbidPackages: ['electron', ...UI_PACKAGES],
    globals: globals.node,
  },
  {
    dir: 'electron/main',
    message:
      'electron/main may import core only through its facade electron/core/index.ts, plus shared/, electron and node:*; a worker only as an entry path (?modulePath); never renderer, preload or cli (docs/design.md §1).',
    paths: ['shared/**', CORE_FACADE, WORKER_ENTRY],
    packages: ['node:*', '*'],
    forbidPackages: UI_PACKAGES,
    globals: globals.node,
  },
  {
    dir: 'electron/preload',
    message:
      'electron/preload may import only contextBridge/ipcRenderer (and webUtils, for dropped files) from electron and the contracts in shared/ (docs/design.md §1).',
    paths: ['shared/**'],
    packages: ['electron'],
    // webUtils.getPathForFile is the only way to learn a dropped file's path under context isolation.
    importNames: { electron: ['contextBridge', 'ipcRenderer', 'webUtils'] },
    forbidComputed: true,
    globals: globals.browser,
  },
  {
    dir: 'renderer',
    message: 'renderer/ may import only shared/ and npm UI libraries: no node:* or Node builtins, no electron, nothing from electron/ (docs/design.md §1).',
    paths: ['shared/**'],
    packages: ['*'],
    forbidPackages: ['electron', ...ENGINE_PACKAGES],
    forbidComputed: true,
    globals: globals.browser,
  },
];

const layerBlocks = [
  {
    name: 'airlock/layers',
    files: LAYERS.map((layer) => `${layer.dir}/**/*.${EXT}`),
    rules: {
      // The rule gets the table without the globals (which belong to languageOptions, below).
      'airlock/layers': /** @type {import('eslint').Linter.RuleEntry} */ ([
        'error',
        { root: ROOT, layers: LAYERS.map((layer) => Object.fromEntries(Object.entries(layer).filter(([key]) => key !== 'globals'))) },
      ]),
    },
  },
  ...LAYERS.map((layer) => ({
    name: `airlock/layers/${layer.dir}/globals`,
    files: [`${layer.dir}/**/*.${EXT}`],
    languageOptions: { globals: layer.globals },
  })),
];

const airlockPlugin = { rules: { layers: layersRule } };

export default defineConfig(
  globalIgnores(['out/', 'dist/', 'node_modules/', 'coverage/', 'test-results/', 'bench-results/']),
  {
    name: 'airlock/plugin',
    plugins: { airlock: airlockPlugin },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
  },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    name: 'airlock/ts',
    files: ['**/*.{ts,tsx,mts,cts}'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
  {
    // Type-aware rules (typescript-eslint's project service reads tsconfig.json, the all-inclusive view):
    // a promise nobody awaits loses its error, a switch over a union must say what each member does,
    // and a cast TypeScript does not need hides the type it would otherwise check.
    name: 'airlock/type-aware',
    files: ['**/*.{ts,tsx,mts,cts}'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: ROOT } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/no-unnecessary-type-assertion': 'error',
    },
  },
  {
    // The engine rejects control characters in paths and names on purpose (SECURITY-NOTES);
    // regexes matching \x00-\x1f are its job there, not a mistake.
    name: 'airlock/control-regex',
    files: [`{shared,electron}/**/*.${EXT}`],
    rules: { 'no-control-regex': 'off' },
  },
  {
    // electron-builder hooks are CommonJS: electron-builder require()s them. So is the CLI's
    // loader, which runs the CommonJS bundle with its code cache (scripts/cli-loader.cjs).
    name: 'airlock/packaging-hooks',
    files: ['build/**/*.cjs', 'scripts/**/*.cjs', 'bin/**/*.cjs'],
    languageOptions: { globals: globals.node, sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    name: 'airlock/node-tooling',
    files: [`{scripts,bin,test,bench,tools}/**/*.${EXT}`, `*.${EXT}`],
    languageOptions: { globals: globals.node },
  },
  ...layerBlocks,
);

// @ts-check
/**
 * ESLint flat config. Besides the usual recommended rules it enforces the layer rules of
 * docs/design.md §1 with `no-restricted-imports`, one config block per layer and per directory depth:
 * a relative import such as `../../shared/x.js` is checked against where it actually lands, so
 * each file may reach only its own layer and the targets its layer is allowed (shared/, the core
 * facade electron/core/index.ts, ...). test/unit/lint/layer-rules.test.ts proves every rule.
 *
 * `no-restricted-imports` does not look at import() or require(); the local rule
 * `airlock/no-restricted-dynamic-imports` applies the same restrictions to those.
 */
import { builtinModules } from 'node:module';
import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const EXT = '{ts,tsx,mts,cts,js,jsx,mjs,cjs}';
/** Files nested deeper than this below a layer root may not use `..` at all. */
const MAX_DEPTH = 12;

/** @param {string} text */
const esc = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const NODE_BUILTINS = [...new Set(builtinModules.map((m) => m.replace(/^node:/, '').split('/')[0] ?? m))];
/** `node:anything`, or a bare Node builtin such as `fs`, `fs/promises`, `path`, `child_process`. */
const NODE_BUILTIN_RE = `^(?:node:|(?:${NODE_BUILTINS.map(esc).join('|')})(?:/|$))`;

/**
 * Import targets outside a layer's own directory, as a base directory (from the repo root)
 * plus a regex for the rest of the specifier after that base.
 * @typedef {{ base: string, tail: string }} Target
 */
/** @type {Target} any file in shared/ */
const SHARED = { base: 'shared', tail: '/.+' };
/** @type {Target} the core facade only: electron/core, electron/core/index(.js|.ts) */
const CORE_FACADE = { base: 'electron/core', tail: '(?:/index(?:\\.[cm]?[jt]s)?)?' };
/** @type {Target} a worker entry as a path for worker_threads/utilityProcess (electron-vite ?modulePath / ?nodeWorker) */
const WORKER_ENTRY = { base: 'electron/worker', tail: '(?:/[^?]+)?\\?(?:modulePath|nodeWorker)' };

/**
 * @typedef {{ regex: string, message: string }} RegexPattern
 * @typedef {{ name: string, message: string, allowImportNames?: string[] }} PathRestriction
 * @typedef {{
 *   name: string,
 *   dir: string,
 *   message: string,
 *   targets: Target[],
 *   bare: RegexPattern[],
 *   paths?: PathRestriction[],
 *   forbidComputed?: boolean,
 *   globals: Record<string, boolean | 'readonly' | 'writable' | 'off'>,
 * }} Layer
 */

const ELECTRON_RE = '^electron(?:/|$)';
const REACT_RE = '^(?:react|react-dom)(?:/|$)';
/** URL-ish specifiers (file:, data:, http:, ...) other than node: */
const NON_NODE_SCHEME_RE = '^(?!node:)[A-Za-z][A-Za-z0-9+.-]*:';
/** Engine-side npm packages that have no business in the page. */
const SERVER_PACKAGES_RE = '^(?:better-sqlite3|tar|openpgp|commander|tsx)(?:/|$)';

/** @type {Layer[]} */
const LAYERS = [
  {
    name: 'shared',
    dir: 'shared',
    message: 'shared/ is pure TypeScript: it may import only zod and other files in shared/ (docs/design.md §1).',
    targets: [],
    bare: [{ regex: '^(?![./])(?!zod(?:/|$))', message: '' }],
    forbidComputed: true,
    globals: {},
  },
  {
    name: 'core',
    dir: 'electron/core',
    message:
      'electron/core is the engine: it may import shared/, node:* and npm libraries, never electron, main, preload, cli, worker or renderer (docs/design.md §1).',
    targets: [SHARED],
    bare: [
      { regex: ELECTRON_RE, message: '' },
      { regex: REACT_RE, message: '' },
      { regex: NON_NODE_SCHEME_RE, message: '' },
    ],
    globals: globals.node,
  },
  {
    name: 'cli',
    dir: 'electron/cli',
    message:
      'electron/cli may import core only through its facade electron/core/index.ts, plus shared/, node:* and npm libraries; never electron, main, preload, worker or renderer (docs/design.md §1).',
    targets: [SHARED, CORE_FACADE],
    bare: [
      { regex: ELECTRON_RE, message: '' },
      { regex: REACT_RE, message: '' },
      { regex: NON_NODE_SCHEME_RE, message: '' },
    ],
    globals: globals.node,
  },
  {
    name: 'worker',
    dir: 'electron/worker',
    message:
      'electron/worker may import core only through its facade electron/core/index.ts, plus shared/, node:* and npm libraries; never electron, main, preload, cli or renderer (docs/design.md §1).',
    targets: [SHARED, CORE_FACADE],
    bare: [
      { regex: ELECTRON_RE, message: '' },
      { regex: REACT_RE, message: '' },
      { regex: NON_NODE_SCHEME_RE, message: '' },
    ],
    globals: globals.node,
  },
  {
    name: 'main',
    dir: 'electron/main',
    message:
      'electron/main may import core only through its facade electron/core/index.ts, plus shared/, electron and node:*; a worker only as an entry path (?modulePath); never renderer, preload or cli (docs/design.md §1).',
    targets: [SHARED, CORE_FACADE, WORKER_ENTRY],
    bare: [
      { regex: REACT_RE, message: '' },
      { regex: NON_NODE_SCHEME_RE, message: '' },
    ],
    globals: globals.node,
  },
  {
    name: 'preload',
    dir: 'electron/preload',
    message:
      'electron/preload may import only contextBridge/ipcRenderer (and webUtils, for dropped files) from electron and the contracts in shared/ (docs/design.md §1).',
    targets: [SHARED],
    bare: [{ regex: '^(?![./])(?!electron$)', message: '' }],
    // webUtils.getPathForFile is the only way to learn a dropped file's path under context isolation.
    paths: [{ name: 'electron', allowImportNames: ['contextBridge', 'ipcRenderer', 'webUtils'], message: '' }],
    forbidComputed: true,
    globals: globals.browser,
  },
  {
    name: 'renderer',
    dir: 'renderer',
    message:
      'renderer/ may import only shared/ and npm UI libraries: no node:* or Node builtins, no electron, nothing from electron/ (docs/design.md §1).',
    targets: [SHARED],
    bare: [
      { regex: NODE_BUILTIN_RE, message: '' },
      { regex: ELECTRON_RE, message: '' },
      { regex: SERVER_PACKAGES_RE, message: '' },
      { regex: '^[A-Za-z][A-Za-z0-9+.-]*:', message: '' },
    ],
    forbidComputed: true,
    globals: globals.browser,
  },
];

/** Relative specifiers must be canonical (`./x`, `../x`; no `a/../b`, `./../x`, `x/./y`) so the depth rules below see where they land. */
const NON_CANONICAL_RE = '/\\.(?:/|$)|(?:^|/)(?!\\.\\.(?:/|$))[^/]+/\\.\\.(?:/|$)';

/**
 * Patterns for a file `depth` directories below the layer root.
 * @param {Layer} layer
 * @param {number | null} depth null: deeper than MAX_DEPTH, no `..` at all
 * @returns {RegexPattern[]}
 */
function layerPatterns(layer, depth) {
  const message = layer.message;
  /** @type {RegexPattern[]} */
  const patterns = layer.bare.map((p) => ({ regex: p.regex, message: p.message || message }));
  patterns.push({ regex: '^/', message: `Absolute import paths are not allowed. ${message}` });
  patterns.push({
    regex: NON_CANONICAL_RE,
    message: `Write relative imports in canonical form (no "./.." or "a/../b") so layer rules can check them. ${message}`,
  });
  if (depth === null) {
    patterns.push({ regex: '^\\.\\.(?:/|$)', message: `Files nested this deep may not use "..". ${message}` });
    return patterns;
  }
  const segments = layer.dir.split('/');
  const toRoot = depth + segments.length;
  for (let ups = depth + 1; ups <= toRoot; ups++) {
    // After `ups` times "..", the import is relative to this ancestor of the layer root.
    const ancestor = segments.slice(0, segments.length - (ups - depth)).join('/');
    const allowed = layer.targets
      .filter((t) => ancestor === '' || t.base.startsWith(`${ancestor}/`))
      .map((t) => esc(ancestor === '' ? t.base : t.base.slice(ancestor.length + 1)) + t.tail);
    let regex = `^(?:\\.\\./){${ups - 1}}\\.\\.(?!/\\.\\.(?:/|$))`;
    if (allowed.length > 0) regex += `(?!/(?:${allowed.join('|')})$)`;
    patterns.push({ regex, message });
  }
  patterns.push({ regex: `^(?:\\.\\./){${toRoot}}\\.\\.(?:/|$)`, message: `This path leaves the repository. ${message}` });
  return patterns;
}

/** @param {Layer} layer */
function layerPaths(layer) {
  return (layer.paths ?? []).map((p) => ({ ...p, message: p.message || layer.message }));
}

/** import(), require() and `typeof import('x')` get the same restrictions as static imports. */
const dynamicImportsRule = {
  meta: {
    type: /** @type {const} */ ('problem'),
    docs: { description: 'Apply the layer import restrictions to import(), require() and import types.' },
    schema: false,
    messages: {
      restricted: "'{{source}}' import is restricted from being used. {{message}}",
      computed: 'A computed import()/require() specifier cannot be checked against the layer rules. {{message}}',
    },
  },
  /** @param {import('eslint').Rule.RuleContext} context */
  create(context) {
    /** @type {{ message: string, paths: PathRestriction[], patterns: RegexPattern[], forbidComputed?: boolean }} */
    const options = context.options[0];
    const patterns = options.patterns.map((p) => ({ re: new RegExp(p.regex), message: p.message }));
    /**
     * @param {import('estree').Node} node
     * @param {any} source
     */
    const check = (node, source) => {
      let specifier = null;
      if (source?.type === 'Literal' && typeof source.value === 'string') specifier = source.value;
      else if (source?.type === 'TemplateLiteral' && source.expressions.length === 0) specifier = source.quasis[0]?.value.cooked ?? null;
      if (specifier === null) {
        if (options.forbidComputed) context.report({ node, messageId: 'computed', data: { message: options.message } });
        return;
      }
      const hit =
        options.paths.find((p) => p.name === specifier) ?? patterns.find((p) => p.re.test(/** @type {string} */ (specifier)));
      if (hit) context.report({ node, messageId: 'restricted', data: { source: specifier, message: hit.message } });
    };
    return {
      /** @param {any} node */
      ImportExpression: (node) => check(node, node.source),
      /** @param {any} node */
      'CallExpression[callee.type="Identifier"][callee.name="require"]': (node) => check(node, node.arguments[0]),
      /** @param {any} node */
      'CallExpression[callee.type="MemberExpression"][callee.object.name="require"][callee.property.name="resolve"]': (node) =>
        check(node, node.arguments[0]),
      /** @param {any} node */
      TSImportType: (node) => check(node, node.source ?? node.argument?.literal),
    };
  },
};

const airlockPlugin = { rules: { 'no-restricted-dynamic-imports': dynamicImportsRule } };

/**
 * @param {Layer} layer
 * @param {string[]} files
 * @param {number | null} depth
 */
function layerBlock(layer, files, depth) {
  const patterns = layerPatterns(layer, depth);
  const paths = layerPaths(layer);
  return {
    name: `airlock/layers/${layer.name}/${depth === null ? 'deep' : `depth-${depth}`}`,
    files,
    rules: {
      'no-restricted-imports': ['error', { paths, patterns }],
      'airlock/no-restricted-dynamic-imports': [
        'error',
        { message: layer.message, paths, patterns, forbidComputed: layer.forbidComputed ?? false },
      ],
    },
  };
}

const layerBlocks = LAYERS.flatMap((layer) => [
  {
    name: `airlock/layers/${layer.name}/globals`,
    files: [`${layer.dir}/**/*.${EXT}`],
    languageOptions: { globals: layer.globals },
  },
  // Catch-all first, then one block per depth (a later block replaces the rule options).
  layerBlock(layer, [`${layer.dir}/**/*.${EXT}`], null),
  ...Array.from({ length: MAX_DEPTH + 1 }, (_, depth) =>
    layerBlock(layer, [`${layer.dir}/${'*/'.repeat(depth)}*.${EXT}`], depth),
  ),
]);

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
    files: ['build/**/*.cjs', 'scripts/**/*.cjs'],
    languageOptions: { globals: globals.node, sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    name: 'airlock/node-tooling',
    files: [`{scripts,bin,test,bench}/**/*.${EXT}`, `*.${EXT}`],
    languageOptions: { globals: globals.node },
  },
  ...layerBlocks,
);

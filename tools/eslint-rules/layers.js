// @ts-check
/**
 * ESLint rule `airlock/layers`: the layer rules of docs/design.md §1 as one check over resolved paths
 * (VS Code's `code-layering` / `code-import-patterns` is the model). Every import specifier of a file
 * in a layer (static import, import type, export-from, import(), require(), require.resolve(),
 * `typeof import('x')`, `import x = require('x')`) is classified and checked against the allow table
 * in eslint.config.js:
 *
 * - a relative specifier is resolved against the importing file, so `../../shared/x.js`,
 *   `./ipc/../../electron/core/x.js` and `..` are judged by where they land, not how they are spelled;
 *   it may reach its own layer, or a target its layer lists (`shared/**`, the core facade, ...);
 * - a bare specifier is a Node builtin (`node:fs`, `fs/promises`) or an npm package (`zod/mini` is `zod`),
 *   allowed when its layer lists it and does not forbid it;
 * - absolute paths and URLs (`file:`, `data:` ...) are never allowed; a computed import()/require()
 *   is refused where the layer says it must be checkable.
 *
 * test/unit/lint/layer-rules.test.ts proves each boundary.
 */
import { builtinModules } from 'node:module';
import { posix } from 'node:path';

/**
 * @typedef {{
 *   dir: string,
 *   message: string,
 *   paths?: string[],
 *   packages?: string[],
 *   forbidPackages?: string[],
 *   importNames?: Record<string, string[]>,
 *   forbidComputed?: boolean,
 * }} Layer
 * paths: repo targets besides the layer's own directory: `dir/**` (anything below dir), a module
 *   (`electron/core/index` also matches `electron/core`, `electron/core/index.js` and `.ts`), and an
 *   optional `?query|query` the specifier must carry (`electron/worker/**?modulePath|nodeWorker`).
 * packages: `node:*` (Node builtins), `*` (any npm package) or package names.
 * forbidPackages: package names refused even when `*` allows them.
 * importNames: for a package, the only named imports allowed (no default, namespace or dynamic import).
 * @typedef {{ root: string, layers: Layer[] }} Options
 */

const NODE_BUILTINS = new Set(builtinModules.map((m) => m.replace(/^node:/, '').split('/')[0] ?? m));
const SCHEME_RE = /^[A-Za-z][A-Za-z0-9+.-]*:/;
const EXTENSION_RE = /\.[cm]?[jt]sx?$/;

/** @param {string} spec */
const isRelative = (spec) => spec === '.' || spec === '..' || spec.startsWith('./') || spec.startsWith('../');

/** `@scope/name/sub` → `@scope/name`; `zod/mini` → `zod`. @param {string} spec */
function packageName(spec) {
  const parts = spec.split('/');
  return spec.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? spec);
}

/** A module path without extension and `/index`, so `x`, `x/index`, `x/index.js` compare equal. @param {string} path */
const moduleId = (path) => path.replace(EXTENSION_RE, '').replace(/\/index$/, '');

/**
 * Whether a repo-relative path (with its query, if any) is one of the layer's allowed targets.
 * @param {string} target
 * @param {string} query
 * @param {string[]} allowed
 */
function pathAllowed(target, query, allowed) {
  return allowed.some((entry) => {
    const [path = '', queries] = entry.split('?');
    if (queries !== undefined && !queries.split('|').includes(query)) return false;
    if (path.endsWith('/**')) return target === path.slice(0, -3) || target.startsWith(path.slice(0, -2));
    return moduleId(target) === moduleId(path);
  });
}

/**
 * Why `spec` may not be imported from `file` (repo-relative), or null when it may.
 * @param {Layer} layer
 * @param {string} file
 * @param {string} spec
 * @returns {string | null}
 */
function violation(layer, file, spec) {
  if (spec.startsWith('/') || spec.startsWith('\\')) return `Absolute import paths are not allowed. ${layer.message}`;
  if (isRelative(spec)) {
    const [path = '', query = ''] = spec.split('?');
    const target = posix.normalize(posix.join(posix.dirname(file), path));
    if (target === '..' || target.startsWith('../')) return `This path leaves the repository. ${layer.message}`;
    if (target === layer.dir || target.startsWith(`${layer.dir}/`)) return null;
    return pathAllowed(target, query, layer.paths ?? []) ? null : layer.message;
  }
  const packages = layer.packages ?? [];
  if (spec.startsWith('node:') || NODE_BUILTINS.has(spec.split('/')[0] ?? spec)) {
    return packages.includes('node:*') ? null : layer.message;
  }
  if (SCHEME_RE.test(spec)) return layer.message;
  const name = packageName(spec);
  if ((layer.forbidPackages ?? []).includes(name)) return layer.message;
  return packages.includes('*') || packages.includes(name) ? null : layer.message;
}

/** The string value of a literal or expression-free template literal, or null. @param {any} node */
function staticString(node) {
  if (node?.type === 'Literal' && typeof node.value === 'string') return node.value;
  if (node?.type === 'TemplateLiteral' && node.expressions.length === 0) return node.quasis[0]?.value.cooked ?? null;
  return null;
}

/** Imported names of an import/export declaration; '*' for a namespace, default or whole-module import. @param {any} node */
function importedNames(node) {
  if (node.type === 'ExportAllDeclaration') return ['*'];
  const specifiers = node.specifiers ?? [];
  if (specifiers.length === 0) return ['*'];
  return specifiers.map((/** @type {any} */ s) => {
    if (s.type === 'ImportSpecifier') return s.imported.name ?? s.imported.value;
    if (s.type === 'ExportSpecifier') return s.local.name ?? s.local.value;
    return '*';
  });
}

/** @type {import('eslint').Rule.RuleModule} */
export const layersRule = {
  meta: {
    type: 'problem',
    docs: { description: 'Each layer imports only what docs/design.md §1 allows it, judged by resolved paths.' },
    schema: false,
    messages: {
      restricted: "'{{source}}' import is restricted from being used. {{message}}",
      restrictedName: "'{{name}}' import from '{{source}}' is restricted. {{message}}",
      computed: 'A computed import()/require() specifier cannot be checked against the layer rules. {{message}}',
    },
  },
  create(context) {
    /** @type {Options} */
    const options = context.options[0];
    const file = posix.normalize(posix.relative(options.root.replaceAll('\\', '/'), context.filename.replaceAll('\\', '/')));
    const layer = options.layers.find((l) => file.startsWith(`${l.dir}/`));
    if (!layer) return {};

    /**
     * @param {any} node
     * @param {any} source
     * @param {string[] | null} names imported names, or null for import()/require()
     */
    const check = (node, source, names) => {
      const spec = staticString(source);
      if (spec === null) {
        if (layer.forbidComputed) context.report({ node, messageId: 'computed', data: { message: layer.message } });
        return;
      }
      const why = violation(layer, file, spec);
      if (why !== null) {
        context.report({ node, messageId: 'restricted', data: { source: spec, message: why } });
        return;
      }
      const allowedNames = isRelative(spec) ? undefined : layer.importNames?.[packageName(spec)];
      if (!allowedNames) return;
      for (const name of names ?? ['*']) {
        if (!allowedNames.includes(name)) {
          context.report({ node, messageId: 'restrictedName', data: { name, source: spec, message: layer.message } });
        }
      }
    };

    return {
      /** @param {any} node */
      ImportDeclaration: (node) => check(node, node.source, importedNames(node)),
      /** @param {any} node */
      ExportNamedDeclaration: (node) => node.source && check(node, node.source, importedNames(node)),
      /** @param {any} node */
      ExportAllDeclaration: (node) => check(node, node.source, importedNames(node)),
      /** @param {any} node */
      ImportExpression: (node) => check(node, node.source, null),
      /** @param {any} node */
      'CallExpression[callee.type="Identifier"][callee.name="require"]': (node) => check(node, node.arguments[0], null),
      /** @param {any} node */
      'CallExpression[callee.type="MemberExpression"][callee.object.name="require"][callee.property.name="resolve"]': (node) =>
        check(node, node.arguments[0], null),
      /** @param {any} node */
      TSImportType: (node) => check(node, node.source ?? node.argument?.literal, null),
      /** @param {any} node */
      TSExternalModuleReference: (node) => check(node, node.expression, null),
    };
  },
};

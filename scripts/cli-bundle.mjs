// Where the prebuilt CLI bundle lives and how it is built. When it may be used (only while no
// source file it was built from has changed) is scripts/cli-fresh.cjs, which bin/airlock.cjs asks
// on every start; the build and the bench reach it through here.
import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import cliFresh from './cli-fresh.cjs';

export const { buildStamp, snapshotSources, stampPath } = cliFresh;

export const repoRoot = fileURLToPath(new URL('..', import.meta.url));
export const cliBundlePath = join(repoRoot, 'dist', 'cli', 'airlock.cjs');
export const cliCodeCachePath = `${cliBundlePath}.cache`;
/** Core's worker-thread entries (electron/core/workers/*-worker.ts), bundled beside airlock.cjs where core looks for them. */
export const workerEntryDir = join(repoRoot, 'electron', 'core', 'workers');
export const workerEntryNames = readdirSync(workerEntryDir)
  .filter((name) => name.endsWith('-worker.ts'))
  .map((name) => name.slice(0, -'.ts'.length));
/**
 * The large libraries only some commands use, each bundled into a file of its own beside
 * airlock.cjs (vendor-<name>.cjs, with its own code cache) instead of into it: reading and
 * compiling them is most of what start-up spent before the first line of a command ran.
 * openpgp.js and undici are imported dynamically, on first use (crypto/openpgp-lazy.ts,
 * oci/registry/registry-http.ts); the rest through stand-ins (LAZY_VENDOR_LIBRARIES).
 */
export const VENDOR_LIBRARIES = ['openpgp', 'undici', 'zod', 'tar', 'yaml', 'yauzl'];
export const vendorBundleName = (library) => `vendor-${library}`;
/**
 * Vendor libraries that modules of ours import statically but call only inside functions: zod
 * (the schemas of files most commands never read are built on first use, electron/core/on-first-use.ts),
 * tar (the bundle format), yaml and yauzl (content inspection). A static import would require the
 * bundle where the importing module is initialised, so each is served by a stand-in whose exports
 * are getters that require the bundle when first read, as LAZY_BUILTINS does for node's modules:
 * `keys list` on a valid trust store, `--version` and `--help` read none of their 1.2 MB
 * (docs/design-notes.md, "CLI start-up, round 4"). A library here must load with require() on
 * the node that builds (the stand-in's names are its exports there): not an ES-module-only one.
 */
export const LAZY_VENDOR_LIBRARIES = ['zod', 'tar', 'yaml', 'yauzl'];

/** Every import of a vendor library from our code becomes a require() of its own bundle (loaded where the import() runs). */
const vendorBundles = {
  name: 'airlock-vendor-bundles',
  setup(build) {
    const eager = VENDOR_LIBRARIES.filter((library) => !LAZY_VENDOR_LIBRARIES.includes(library));
    const filter = new RegExp(`^(?:${eager.join('|')})$`);
    build.onResolve({ filter }, (args) => {
      if (args.kind === 'entry-point' || args.importer.includes('/node_modules/')) return undefined;
      return { path: `./${vendorBundleName(args.path)}.cjs`, external: true };
    });
  },
};

/**
 * A stand-in's exports (LAZY_VENDOR_LIBRARIES, LAZY_BUILTINS): for each name, a getter that
 * require()s `target` when first read and gives its export. The getters sit on the exports'
 * prototype, not on the exports: esbuild's interop (`__toESM(require_x(), 1)`, run where each
 * importing module is initialised) makes a new object inheriting from that prototype and copies
 * every *own* property onto it as one more getter. With the getters on the object itself, that
 * was 70-300 getters per import (crypto is imported by 26 modules, zod by 14): about 3 ms of
 * `keys list`'s start-up and much of its garbage ("CLI start-up, round 5" in docs/design-notes.md).
 * Reading a name works the same through the prototype; the names are not own keys of the stand-in.
 */
function standInExports(target, names) {
  const getters = names.map((name) => `  ${JSON.stringify(name)}: { enumerable: true, get: () => load()[${JSON.stringify(name)}] },`);
  return [
    'let real;',
    `const load = () => (real ??= require(${JSON.stringify(target)}));`,
    `module.exports = Object.create(Object.defineProperties({}, {\n${getters.join('\n')}\n}));`,
  ].join('\n');
}

const LAZY_VENDOR_NAMESPACE = 'airlock-lazy-vendor';
const requireFromRepo = createRequire(fileURLToPath(import.meta.url));

/** Every import of a LAZY_VENDOR_LIBRARIES library from our code: a stand-in requiring its bundle when an export is first read. */
const lazyVendorBundles = {
  name: 'airlock-lazy-vendor-bundles',
  setup(build) {
    const filter = new RegExp(`^(?:${LAZY_VENDOR_LIBRARIES.join('|')})$`);
    build.onResolve({ filter }, (args) => {
      if (args.kind === 'entry-point' || args.importer.includes('/node_modules/')) return undefined;
      return { path: args.path, namespace: LAZY_VENDOR_NAMESPACE };
    });
    // The stand-in's own require() is of the bundle beside airlock.cjs (scripts/cli-loader.cjs serves it from its code cache).
    // esbuild's filters are Go regular expressions: no flags.
    build.onResolve({ filter: /^\.\/vendor-[a-z0-9-]+\.cjs$/, namespace: LAZY_VENDOR_NAMESPACE }, (args) => ({ path: args.path, external: true }));
    build.onLoad({ filter: /^/, namespace: LAZY_VENDOR_NAMESPACE }, (args) => {
      // The library's exports as node loads it where the build runs: the names the stand-in forwards.
      const real = requireFromRepo(args.path);
      const names = Object.getOwnPropertyNames(real).filter((name) => name !== '__esModule');
      return {
        loader: 'js',
        contents: [
          `// ${args.path}, required from its own bundle when one of its exports is first read (scripts/cli-bundle.mjs, LAZY_VENDOR_LIBRARIES).`,
          standInExports(`./${vendorBundleName(args.path)}.cjs`, names),
          // A plain value, not a getter: esbuild's interop reads __esModule when the module is imported, which must not load the bundle.
          `Object.defineProperty(module.exports, "__esModule", { value: ${real.__esModule === true ? 'true' : 'false'} });`,
        ].join('\n'),
      };
    });
  },
};

/**
 * Node's built-in modules that only some commands use, loaded by the bundle on first use instead
 * of where a module of ours or a library imports them. esbuild hoists every import to the top of
 * its module's initialiser, so `keys list` loaded crypto, child_process, worker_threads, net and
 * more because modules it evaluates import them for functions it never calls (a tenth of its
 * start-up; "CLI start-up, round 3" in docs/design-notes.md). Each of these imports is served by a
 * small module whose exports are getters that require() the real one when first read: the same
 * values, functions and classes, a moment later. Not in the list: what node or every command loads
 * anyway (fs, fs/promises, path, url, events, util, stream, buffer, os, process, module, vm, v8).
 */
export const LAZY_BUILTINS = [
  'child_process',
  'crypto',
  'dgram',
  'dns',
  'http',
  'http2',
  'https',
  'net',
  'perf_hooks',
  'readline',
  'stream/promises',
  'string_decoder',
  'timers/promises',
  'tls',
  'tty',
  'worker_threads',
  'zlib',
];
const LAZY_NAMESPACE = 'airlock-lazy-builtin';

const lazyBuiltins = {
  name: 'airlock-lazy-builtins',
  setup(build) {
    // esbuild's filters are Go regular expressions: no flags.
    const filter = new RegExp(`^(?:node:)?(?:${LAZY_BUILTINS.join('|')})$`);
    build.onResolve({ filter }, (args) => {
      const name = args.path.replace(/^node:/u, '');
      // The stand-in's own require() is of the real module.
      if (args.namespace === LAZY_NAMESPACE) return { path: `node:${name}`, external: true };
      return { path: name, namespace: LAZY_NAMESPACE };
    });
    build.onLoad({ filter: /^/, namespace: LAZY_NAMESPACE }, (args) => {
      const real = process.getBuiltinModule(`node:${args.path}`);
      // A stand-in is an object of getters: a module that is itself a function (node:assert) would stop
      // being callable (undici calls assert(...) everywhere; every push failed as a network error).
      if (typeof real !== 'object' || real === null)
        throw new Error(`LAZY_BUILTINS: node:${args.path} is a ${typeof real}, not an object of exports; it cannot be loaded lazily`);
      // Every export the module has on the node that builds (the CLI runs on the node it was installed with).
      return {
        loader: 'js',
        contents: [
          `// node:${args.path}, required when one of its exports is first read (scripts/cli-bundle.mjs, LAZY_BUILTINS).`,
          standInExports(`node:${args.path}`, Object.getOwnPropertyNames(real)),
        ].join('\n'),
      };
    });
  },
};

/**
 * esbuild's options for the CLI bundle written into `outdir` (scripts/build-cli.mjs; a test builds
 * one into a temp folder): the CLI as airlock.cjs, and beside it each of core's worker-thread
 * entries as <entry>.cjs, where electron/core/workers/worker-script.ts looks for them.
 */
export function cliBuildOptions(outdir) {
  return {
    absWorkingDir: repoRoot,
    entryPoints: {
      [basename(cliBundlePath, '.cjs')]: 'electron/cli/index.ts',
      ...Object.fromEntries(workerEntryNames.map((name) => [name, join(workerEntryDir, `${name}.ts`)])),
      ...Object.fromEntries(VENDOR_LIBRARIES.map((library) => [vendorBundleName(library), library])),
    },
    plugins: [vendorBundles, lazyVendorBundles, lazyBuiltins],
    // import() of a vendor bundle as require(): scripts/cli-loader.cjs serves the bundle's require() from the code cache.
    supported: { 'dynamic-import': false },
    outdir,
    outExtension: { '.js': '.cjs' },
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    // pdfkit reads its ICC profile (PDF/A output intent) and font metrics from files beside its own code: loaded from node_modules.
    external: ['better-sqlite3', 'pdfkit'],
    // import.meta does not exist in CommonJS: its uses (finding a helper or a worker beside the program) get the bundle's own URL.
    define: { 'import.meta.url': '__airlockBundleUrl' },
    banner: { js: "const __airlockBundleUrl = require('node:url').pathToFileURL(__filename).href;" },
    sourcemap: 'linked',
    logLevel: 'warning',
  };
}

/** 'fresh', 'stale' (sources edited since the build) or 'missing' (scripts/cli-fresh.cjs). */
export function cliBundleState(root = repoRoot) {
  return cliFresh.cliBundleState(root);
}

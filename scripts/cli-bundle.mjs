// Where the prebuilt CLI bundle lives and how it is built. When it may be used (only while no
// source file it was built from has changed) is scripts/cli-fresh.cjs, which bin/airlock.cjs asks
// on every start; the build and the bench reach it through here.
import { readdirSync } from 'node:fs';
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
 * compiling their 1.9 MB is most of what start-up spent before the first line of a command ran,
 * and core loads both on first use only (crypto/openpgp-lazy.ts, oci/registry/registry-http.ts).
 */
export const VENDOR_LIBRARIES = ['openpgp', 'undici'];
export const vendorBundleName = (library) => `vendor-${library}`;

/** Every import of a vendor library from our code becomes a require() of its own bundle (loaded where the import() runs). */
const vendorBundles = {
  name: 'airlock-vendor-bundles',
  setup(build) {
    const filter = new RegExp(`^(?:${VENDOR_LIBRARIES.join('|')})$`);
    build.onResolve({ filter }, (args) => {
      if (args.kind === 'entry-point' || args.importer.includes('/node_modules/')) return undefined;
      return { path: `./${vendorBundleName(args.path)}.cjs`, external: true };
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
    plugins: [vendorBundles],
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

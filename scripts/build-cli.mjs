// Bundles the CLI (electron/cli + core + shared) into dist/cli/airlock.cjs so `npx airlock`
// starts in a fraction of the time the TypeScript loader needs, and stores V8's compiled code for
// it beside it (airlock.cjs.cache), so a command does not spend its first tenth of a second
// compiling JavaScript. scripts/cli-loader.cjs runs the bundle with that cache.
//
// CommonJS, not an ES module, because Node 20 can reuse compiled code only for scripts
// (vm.Script cachedData); ES modules get no code cache before Node 22. The pure-JavaScript
// dependencies are bundled (commander, zod, tar, and openpgp's CommonJS build); better-sqlite3 is
// native and loads from node_modules. Runs on `npm install` (prepare) and `npm run build:cli`.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { basename, dirname, join } from 'node:path';
import { cliBundlePath, workerEntryDir, workerEntryNames } from './cli-bundle.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
await build({
  absWorkingDir: root,
  // The CLI, and beside it each of core's worker-thread entries (electron/core/workers/worker-script.ts
  // looks for dist/cli/<entry>.cjs next to the code that starts it).
  entryPoints: {
    [basename(cliBundlePath, '.cjs')]: 'electron/cli/index.ts',
    ...Object.fromEntries(workerEntryNames.map((name) => [name, join(workerEntryDir, `${name}.ts`)])),
  },
  outdir: dirname(cliBundlePath),
  outExtension: { '.js': '.cjs' },
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  external: ['better-sqlite3'],
  // import.meta does not exist in CommonJS: its uses (finding a helper or a worker beside the program) get the bundle's own URL.
  define: { 'import.meta.url': '__airlockBundleUrl' },
  banner: { js: "const __airlockBundleUrl = require('node:url').pathToFileURL(__filename).href;" },
  sourcemap: 'linked',
  logLevel: 'warning',
});

// Compile everything eagerly once, in a separate process (V8 flags are per process), and keep the code.
const cache = spawnSync(process.execPath, [fileURLToPath(new URL('./cli-loader.cjs', import.meta.url)), '--write-code-cache'], { stdio: 'inherit' });
if (cache.status !== 0) process.exit(cache.status ?? 1);

// The man page and shell completions, from the same commander definitions (installed by the packages).
const { buildCliDocs } = await import('./build-cli-docs.mjs');
await buildCliDocs();

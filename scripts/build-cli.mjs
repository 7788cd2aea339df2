// Bundles the CLI (electron/cli + core + shared) into dist/cli/airlock.mjs so `npx airlock`
// starts in a fraction of the time the TypeScript loader needs. The small pure-JavaScript
// dependencies (commander, zod, tar) are bundled too: loaded from node_modules they are a hundred
// or more little ES modules, which took a quarter of the CLI's start-up. better-sqlite3 (native)
// and openpgp (one prebuilt file already) load from node_modules as usual.
// Runs on `npm install` (prepare) and `npm run build:cli`.
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
await build({
  absWorkingDir: root,
  entryPoints: ['electron/cli/index.ts'],
  outfile: 'dist/cli/airlock.mjs',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  external: ['better-sqlite3', 'openpgp'],
  // Bundled CommonJS dependencies call require(); an ES module has none of its own.
  banner: { js: "import { createRequire as __airlockCreateRequire } from 'node:module'; const require = __airlockCreateRequire(import.meta.url);" },
  sourcemap: 'linked',
  logLevel: 'warning',
});

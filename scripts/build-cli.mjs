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
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cliBuildOptions, cliBundlePath } from './cli-bundle.mjs';

await build(cliBuildOptions(dirname(cliBundlePath)));

// Compile everything eagerly once, in a separate process (V8 flags are per process), and keep the code.
const cache = spawnSync(process.execPath, [fileURLToPath(new URL('./cli-loader.cjs', import.meta.url)), '--write-code-cache'], { stdio: 'inherit' });
if (cache.status !== 0) process.exit(cache.status ?? 1);

// The man page and shell completions, from the same commander definitions (installed by the packages).
const { buildCliDocs } = await import('./build-cli-docs.mjs');
await buildCliDocs();

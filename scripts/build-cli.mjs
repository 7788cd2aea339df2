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
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildStamp, cliBuildOptions, cliBundlePath, repoRoot, snapshotSources, stampPath, VENDOR_LIBRARIES, vendorBundleName } from './cli-bundle.mjs';

// The stamp says "this build is complete and made from these sources" (scripts/cli-fresh.cjs):
// removed first, so an interrupted build leaves none; the sources' mtimes taken before esbuild
// reads them, so a file saved while the build runs makes the result stale, not silently old.
const stamp = stampPath(repoRoot);
rmSync(stamp, { force: true });
const sources = snapshotSources(repoRoot);

const result = await build({ ...cliBuildOptions(dirname(cliBundlePath)), metafile: true });

// Pure ASCII, so scripts/cli-loader.cjs can take the file's bytes as a one-byte string as they
// are instead of decoding UTF-8 into a two-byte string (twice the memory, and the slowest part
// of reading the bundle). esbuild escapes strings already; what is left is in comments and one
// regular expression, where a \u escape means the same character.
for (const name of [cliBundlePath, ...VENDOR_LIBRARIES.map((library) => join(dirname(cliBundlePath), `${vendorBundleName(library)}.cjs`))]) {
  const source = readFileSync(name, 'utf8');
  // Per UTF-16 code unit: a character outside the BMP becomes its surrogate pair, which a /u regular expression reads as one.
  const ascii = source.replace(/[^\p{ASCII}]/gu, (c) => Array.from(c.split(''), (unit) => `\\u${unit.charCodeAt(0).toString(16).padStart(4, '0')}`).join(''));
  if (ascii !== source) writeFileSync(name, ascii);
}

// Compile once and run a light command, in a separate process (V8 flags are per process), and keep the code (its stdout is that command's JSON).
const cache = spawnSync(process.execPath, [fileURLToPath(new URL('./cli-loader.cjs', import.meta.url)), '--write-code-cache'], {
  stdio: ['ignore', 'ignore', 'inherit'],
});
if (cache.status !== 0) process.exit(cache.status ?? 1);

// Last: the stamp, naming the JavaScript files written (every one must still be there for the bundle to run).
const outputs = Object.keys(result.metafile.outputs)
  .filter((output) => output.endsWith('.cjs'))
  .map((output) => relative(repoRoot, join(repoRoot, output)).split('\\').join('/'));
writeFileSync(`${stamp}.partial`, buildStamp(sources, outputs));
renameSync(`${stamp}.partial`, stamp);

// The man page and shell completions, from the same commander definitions (installed by the packages).
const { buildCliDocs } = await import('./build-cli-docs.mjs');
await buildCliDocs();

// Bundles the CLI (electron/cli + core + shared) into dist/cli/airlock.mjs so `npx airlock`
// starts in a fraction of the time the TypeScript loader needs. Dependencies stay external:
// they load from node_modules as usual. Runs on `npm install` (prepare) and `npm run build:cli`.
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
  packages: 'external',
  sourcemap: 'inline',
  logLevel: 'warning',
});

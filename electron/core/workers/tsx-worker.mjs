// Runs a worker entry for code that runs from source (tests, a checkout's bin/airlock.cjs when its
// bundle is stale): a worker thread does not inherit the TypeScript loader of the thread that
// started it. worker-script.ts passes the entry's URL (electron/core/workers/<entry>.ts) as the
// last argument. Built code never comes here.
//
// The test suite builds the entries once per run from the same sources (test/helpers/built-workers.global.ts)
// and names that folder in AIRLOCK_TEST_BUILT_WORKERS: the built twin <entry>.cjs there runs
// instead of tsx, whose loader compiles and links the entry's modules again in every new thread
// (0.8-1.4 s of wall and ~0.3 s more CPU a worker on the test machine: docs/design-notes.md,
// "Test suite wall time, round 3 (ci22)").
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const entryUrl = process.argv.at(-1);
const builtDir = process.env.AIRLOCK_TEST_BUILT_WORKERS;
const built = builtDir ? join(builtDir, `${basename(fileURLToPath(entryUrl), '.ts')}.cjs`) : null;

if (built !== null && existsSync(built)) {
  createRequire(import.meta.url)(built);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import(entryUrl);
}

// The TypeScript job worker under plain Node (tests, the end-to-end harness): the app runs the
// electron-vite build of electron/worker/job-worker.ts instead. Inside the test suite, the build of
// it made once per run from the same sources (test/helpers/built-workers.global.ts, the folder in
// AIRLOCK_TEST_BUILT_WORKERS) runs instead of registering tsx in every job's thread.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const builtDir = process.env.AIRLOCK_TEST_BUILT_WORKERS;
const built = builtDir ? join(builtDir, 'job-worker.cjs') : null;

if (built !== null && existsSync(built)) {
  createRequire(import.meta.url)(built);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../../electron/worker/job-worker.ts');
}

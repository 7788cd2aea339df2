/**
 * Global setup of every project (vitest.config.ts): builds the worker threads that tests start
 * from source, once per test run, the way the CLI bundle builds them (scripts/cli-bundle.mjs's
 * esbuild options): the app's job worker (electron/worker/job-worker.ts) and core's worker entries
 * (electron/core/workers/*-worker.ts), into a temp folder under dist/ (where the CLI bundle lives,
 * so what the code finds beside or above itself is the same: node_modules, resources/fonts, the
 * checkout's own disk), named by AIRLOCK_TEST_BUILT_WORKERS for the test workers and the threads
 * they start. The source shims (electron/core/workers/tsx-worker.mjs,
 * test/helpers/job-worker-tsx.mjs) run these when the variable names a folder holding them. Without
 * it every such thread registered tsx and compiled and linked its modules through tsx's loader:
 * 0.8-1.4 s of wall and ~0.3 s more CPU for each of the suite's thousands of lane, receipt and job
 * workers (docs/design-notes.md, "Test suite wall time, round 3 (ci22)").
 *
 * Built from the sources as they are when the run starts, so never stale for that run (a watch
 * mode rerun after an edit keeps the first build: restart the watch after editing core).
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { build } from 'esbuild';
import { cliBuildOptions, repoRoot, VENDOR_LIBRARIES, vendorBundleName, workerEntryDir, workerEntryNames } from '../../scripts/cli-bundle.mjs';

export const BUILT_WORKERS_ENV = 'AIRLOCK_TEST_BUILT_WORKERS';

/** esbuild's options: the CLI bundle's, with the job worker as the entry instead of the CLI. */
export function builtWorkersOptions(outdir: string): Parameters<typeof build>[0] {
  return {
    ...cliBuildOptions(outdir),
    entryPoints: {
      'job-worker': join(repoRoot, 'electron', 'worker', 'job-worker.ts'),
      ...Object.fromEntries(workerEntryNames.map((name: string) => [name, join(workerEntryDir, `${name}.ts`)])),
      ...Object.fromEntries(VENDOR_LIBRARIES.map((library: string) => [vendorBundleName(library), library])),
    },
    // Stack traces name the TypeScript lines (node --enable-source-maps, or a debugger).
    sourcemap: 'linked',
  };
}

/** How many projects' setups use the folder now: the last teardown removes it (vitest may tear a group down before the next sets up). */
const USERS = Symbol.for('airlock.builtWorkers.users');
type Shared = typeof globalThis & { [USERS]?: number };

export default async function setup(): Promise<() => Promise<void>> {
  const shared = globalThis as Shared;
  // Every project's setup runs in the one main process: the first one builds, the others find its folder.
  if (process.env[BUILT_WORKERS_ENV] === undefined) {
    await mkdir(join(repoRoot, 'dist'), { recursive: true });
    const dir = await mkdtemp(join(repoRoot, 'dist', 'test-workers-'));
    try {
      await build(builtWorkersOptions(dir));
    } catch (error) {
      await rm(dir, { recursive: true, force: true });
      throw error;
    }
    process.env[BUILT_WORKERS_ENV] = dir;
  }
  shared[USERS] = (shared[USERS] ?? 0) + 1;
  return async () => {
    shared[USERS] = (shared[USERS] ?? 1) - 1;
    const dir = process.env[BUILT_WORKERS_ENV];
    if (shared[USERS] > 0 || dir === undefined) return;
    delete process.env[BUILT_WORKERS_ENV];
    await rm(dir, { recursive: true, force: true });
  };
}

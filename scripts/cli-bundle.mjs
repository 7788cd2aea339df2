// Where the prebuilt CLI bundle lives and when it may be used: only when it is newer than every
// source file it was built from, so nobody ever runs stale code. bin/airlock.mjs and the bench share it.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('..', import.meta.url));
export const cliBundlePath = join(repoRoot, 'dist', 'cli', 'airlock.cjs');
export const cliCodeCachePath = `${cliBundlePath}.cache`;
/** Core's worker-thread entries (electron/core/workers/*-worker.ts), bundled beside airlock.cjs where core looks for them. */
export const workerEntryDir = join(repoRoot, 'electron', 'core', 'workers');
export const workerEntryNames = readdirSync(workerEntryDir)
  .filter((name) => name.endsWith('-worker.ts'))
  .map((name) => name.slice(0, -'.ts'.length));
const workerBundlePaths = workerEntryNames.map((name) => join(repoRoot, 'dist', 'cli', `${name}.cjs`));
const SOURCE_DIRS = ['electron/core', 'electron/cli', 'shared'];

function newestSource(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(path));
    else if (entry.name.endsWith('.ts')) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

/** 'fresh', 'stale' (sources edited since the build) or 'missing'. */
export function cliBundleState() {
  if (!existsSync(cliBundlePath) || !workerBundlePaths.every((path) => existsSync(path))) return 'missing';
  const built = statSync(cliBundlePath).mtimeMs;
  return SOURCE_DIRS.every((dir) => newestSource(join(repoRoot, dir)) <= built) ? 'fresh' : 'stale';
}

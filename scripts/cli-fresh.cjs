// Whether the prebuilt CLI bundle (dist/cli) may run: only when no source file it was built from has
// changed since, so nobody ever runs stale code. Every `airlock` command from a checkout asks this
// first (bin/airlock.cjs), so it must cost next to nothing: CommonJS (no ES module loader to start),
// and no walk of the source tree. scripts/build-cli.mjs records the tree as it was before esbuild
// read it (build-stamp.json: the mtime of every source file and of every folder holding one); the
// check stats exactly those paths. A file edited in place changes its own mtime; a file added,
// removed or renamed (editors that save by rename, git checkout) changes its folder's; either one
// makes the bundle stale, as the walk over every .ts file did before, without reading a folder.
'use strict';
const { readFileSync, readdirSync, statSync } = require('node:fs');
const path = require('node:path');

/** The folders whose TypeScript makes up the CLI (electron/cli, the engine it runs, shared/). */
const SOURCE_DIRS = ['electron/core', 'electron/cli', 'shared'];
const STAMP_NAME = 'build-stamp.json';
const STAMP_VERSION = 1;

const defaultRoot = path.join(__dirname, '..');

/**
 * Every source folder and `.ts` file under SOURCE_DIRS, as `/`-separated paths relative to `root`,
 * with its mtimeMs: what the stamp records at build time and what the check compares with.
 */
function snapshotSources(root = defaultRoot) {
  const entries = {};
  const walk = (rel) => {
    entries[`${rel}/`] = statSync(path.join(root, rel)).mtimeMs;
    for (const entry of readdirSync(path.join(root, rel), { withFileTypes: true })) {
      const child = `${rel}/${entry.name}`;
      if (entry.isDirectory()) walk(child);
      else if (entry.name.endsWith('.ts')) entries[child] = statSync(path.join(root, child)).mtimeMs;
    }
  };
  for (const dir of SOURCE_DIRS) walk(dir);
  return entries;
}

/** The stamp's text: the source snapshot taken before the build, and the files the build wrote that a command may need. */
function buildStamp(sources, outputs) {
  return `${JSON.stringify({ version: STAMP_VERSION, sources, outputs })}\n`;
}

const stampPath = (root) => path.join(root, 'dist', 'cli', STAMP_NAME);

/**
 * 'fresh' (run the bundle), 'stale' (a source changed since the build: run the TypeScript) or
 * 'missing' (no complete build: no stamp, which the build writes last, or a file it wrote is gone).
 */
function cliBundleState(root = defaultRoot) {
  let stamp;
  try {
    stamp = JSON.parse(readFileSync(stampPath(root), 'latin1'));
  } catch {
    return 'missing';
  }
  if (stamp === null || typeof stamp !== 'object' || stamp.version !== STAMP_VERSION) return 'missing';
  const { sources, outputs } = stamp;
  if (!Array.isArray(outputs) || sources === null || typeof sources !== 'object') return 'missing';
  const prefix = `${root}${path.sep}`;
  for (const output of outputs) if (statSync(`${prefix}${output}`, { throwIfNoEntry: false }) === undefined) return 'missing';
  let count = 0;
  for (const rel in sources) {
    const stats = statSync(`${prefix}${rel}`, { throwIfNoEntry: false });
    if (stats === undefined || stats.mtimeMs !== sources[rel]) return 'stale';
    count += 1;
  }
  // A stamp that records no source proves nothing.
  return count > 0 ? 'fresh' : 'missing';
}

module.exports = { SOURCE_DIRS, STAMP_NAME, snapshotSources, buildStamp, stampPath, cliBundleState };

/**
 * The CLI from a checkout never runs stale code (docs/design-notes.md §10): bin/airlock.cjs runs
 * the prebuilt bundle only while scripts/cli-fresh.cjs finds every source file and folder with the
 * mtime the build recorded, so an edit in place, a file added, removed or renamed, and an
 * incomplete build each send it to the TypeScript instead. Checked on a small source tree of its
 * own in a temp folder, with mtimes set explicitly so the file system's clock resolution cannot
 * make a change invisible.
 */
import { mkdirSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildStamp, cliBundleState, snapshotSources, stampPath } from '../../../scripts/cli-bundle.mjs';

const PAST = new Date('2026-01-02T03:04:05Z');
const OUTPUTS = ['dist/cli/airlock.cjs', 'dist/cli/sha256-worker.cjs'];
const FILES = [
  'electron/core/station.ts',
  'electron/core/keys/trust-store.ts',
  'electron/cli/main.ts',
  'shared/problems.ts',
  'electron/core/workers/tsx-worker.mjs',
];
const FOLDERS = ['electron/core', 'electron/core/keys', 'electron/core/workers', 'electron/cli', 'shared'];

let root = '';
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'airlock-cli-fresh-'));
  for (const folder of [...FOLDERS, 'dist/cli']) mkdirSync(join(root, folder), { recursive: true });
  for (const file of [...FILES, ...OUTPUTS]) writeFileSync(join(root, file), `// ${file}\n`);
  // Everything dated well before the stamp: a change made now differs from it at any clock resolution.
  for (const path of [...FILES, ...FOLDERS]) utimesSync(join(root, path), PAST, PAST);
});
afterEach(async () => {
  if (root) await rm(root, { recursive: true, force: true });
});

function stamp(): void {
  writeFileSync(stampPath(root), buildStamp(snapshotSources(root), OUTPUTS));
}

describe('when the prebuilt CLI bundle may run (scripts/cli-fresh.cjs)', () => {
  it('records every source folder and .ts file under electron/core, electron/cli and shared, and nothing else', () => {
    expect(Object.keys(snapshotSources(root)).sort()).toEqual(
      [...FOLDERS.map((folder) => `${folder}/`), ...FILES.filter((file) => file.endsWith('.ts'))].sort(),
    );
  });

  it('is missing without a stamp, fresh with one, and missing when a file the build wrote is gone', () => {
    expect(cliBundleState(root)).toBe('missing');
    stamp();
    expect(cliBundleState(root)).toBe('fresh');
    rmSync(join(root, OUTPUTS[1] as string));
    expect(cliBundleState(root)).toBe('missing');
  });

  it('is stale after a file is edited in place, and fresh again only with the recorded mtime', () => {
    stamp();
    const file = join(root, 'electron/core/keys/trust-store.ts');
    writeFileSync(file, '// edited\n'); // in place: the folder's mtime stays
    utimesSync(join(root, 'electron/core/keys'), PAST, PAST);
    expect(cliBundleState(root)).toBe('stale');
    utimesSync(file, PAST, PAST);
    expect(cliBundleState(root)).toBe('fresh');
    // Older is a change too (a checkout of an earlier commit, a restored backup).
    utimesSync(file, new Date(PAST.getTime() - 60_000), new Date(PAST.getTime() - 60_000));
    expect(cliBundleState(root)).toBe('stale');
  });

  it('is stale after a source file is added, removed or renamed, or a folder added', () => {
    for (const change of [
      () => writeFileSync(join(root, 'electron/core/keys/new-module.ts'), 'export {};\n'),
      () => rmSync(join(root, 'shared/problems.ts')),
      () => renameSync(join(root, 'electron/cli/main.ts'), join(root, 'electron/cli/main2.ts')),
      () => mkdirSync(join(root, 'electron/core/keys/more')),
    ]) {
      stamp();
      expect(cliBundleState(root)).toBe('fresh');
      change();
      expect(cliBundleState(root)).toBe('stale');
      // Back to a tree the next stamp describes.
      for (const folder of FOLDERS) utimesSync(join(root, folder), PAST, PAST);
    }
  });

  it('does not count a file the CLI is not built from', () => {
    stamp();
    writeFileSync(join(root, 'electron/core/workers/tsx-worker.mjs'), '// edited\n');
    utimesSync(join(root, 'electron/core/workers'), PAST, PAST);
    expect(statSync(join(root, 'electron/core/workers/tsx-worker.mjs')).mtimeMs).toBeGreaterThan(PAST.getTime());
    expect(cliBundleState(root)).toBe('fresh');
  });

  it('takes a damaged, foreign or empty stamp as no build', () => {
    for (const text of ['{"version":1,"sources":', '{"version":2,"sources":{"shared/":1},"outputs":[]}', 'null', buildStamp({}, OUTPUTS)]) {
      writeFileSync(stampPath(root), text);
      expect(cliBundleState(root), text).toBe('missing');
    }
  });
});

/**
 * kill -9 during a two-person prepare with images, at points the test observes (the staged folder
 * made; its oci/ layout laid out while the hashing pass reads it): what is left is listed by
 * `--list-staged` and can never be approved into a bundle with a damaged layout; `--discard-staged`
 * removes it, and the name can be prepared again (a clean staged folder, signed by the preparer).
 */
import { spawnSync } from 'node:child_process';
import { access, mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../helpers/cli-runner.js';
import { killWhen, startChild, untilKilled } from '../../helpers/kill-points.js';
import { buildTestLayout, defaultTestImages, type BuiltLayout } from '../../helpers/oci-test-image.js';
import { useTempDirs } from '../../helpers/temp-dirs.js';

const CLI = join(REPO_ROOT, 'bin', 'airlock.mjs');
const tempDir = useTempDirs();
let home: string;
let reviewerHome: string;
let pass: string;
let built: BuiltLayout;
let counter = 0;

function airlock(args: readonly string[], at = home) {
  const run = spawnSync(process.execPath, [CLI, '--home', at, ...args], { encoding: 'utf8' });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr, json: () => JSON.parse(run.stdout || '{}') as Record<string, unknown> };
}

const exists = (path: string) =>
  access(path).then(
    () => true,
    () => false,
  );

interface Listed {
  staged: Array<{ name: string; state: 'ready' | 'invalid'; signatures: number | null }>;
}

beforeAll(async () => {
  const root = await tempDir('airlock-2p-img-kill-');
  home = join(root, 'home');
  reviewerHome = join(root, 'reviewer');
  pass = join(root, 'pass');
  await writeFile(pass, 'kill during prepare passphrase\n');
  expect(airlock(['keys', 'generate', '--name', 'Killed Prepare', '--passphrase-file', pass]).code).toBe(0);
  expect(airlock(['keys', 'generate', '--name', 'Reviewer', '--passphrase-file', pass], reviewerHome).code).toBe(0);
  // Layers of several MiB: the layout and its hashing pass take long enough to be caught midway.
  built = await buildTestLayout(join(root, 'layout'), defaultTestImages(12 * 1024 * 1024));
  await mkdir(join(home, 'staged'), { recursive: true });
}, 240_000);

describe('kill -9 during export --prepare with images', () => {
  it.each([
    ['once the staged folder is made', (dir: string) => exists(dir)],
    ['once its oci/ layout is laid out (during the hashing pass)', (dir: string) => exists(join(dir, 'oci', 'index.json'))],
  ])(
    '%s: listed, never approvable while damaged, discarded, and the name prepared again',
    async (_when, reached) => {
      counter += 1;
      const name = `killed-${counter}`;
      const dir = join(home, 'staged', name);
      const prepare = [CLI, '--home', home, 'export', '--prepare', '--name', name, '--passphrase-file', pass, '--image', `oci:${built.dir}:app-1.0`];
      await untilKilled(
        8,
        () => killWhen(startChild(prepare), () => reached(dir)),
        async () => {
          expect(airlock(['export', '--discard-staged', name]).code).toBe(0);
        },
      );

      const listed = airlock(['export', '--list-staged', '--json']).json() as unknown as Listed;
      const left = listed.staged.find((s) => s.name === name);
      expect(left, JSON.stringify(listed)).toBeDefined();
      if (left?.state === 'ready') {
        // Killed after everything was written and checked: only the preparer's signature may be missing.
        expect(left.signatures).toBeLessThanOrEqual(1);
      } else {
        const approve = airlock(['approve', dir, '--key', join(reviewerHome, 'keys', 'station-key.private.asc'), '--passphrase-file', pass, '--yes', '--json']);
        expect(approve.code, approve.stdout + approve.stderr).toBe(3);
        expect((approve.json() as { error?: { code: string } }).error?.code).toBe('STAGED_INVALID');
      }
      const again = airlock(['export', '--prepare', '--name', name, '--passphrase-file', pass, '--image', `oci:${built.dir}:app-1.0`]);
      expect(again.code, again.stderr).toBe(3);
      expect(again.stderr).toContain('OUTPUT_EXISTS');

      expect(airlock(['export', '--discard-staged', name]).code).toBe(0);
      const prepared = airlock(['export', '--prepare', '--name', name, '--passphrase-file', pass, '--json', '--image', `oci:${built.dir}:app-1.0`]);
      expect(prepared.code, prepared.stderr).toBe(0);
      // Nothing of the killed run stays inside the new staged folder (its image work folder went with the discard).
      expect((await readdir(dir)).sort()).toEqual([
        'bag-info.txt',
        'bagit.txt',
        'manifest-sha256.txt',
        'oci',
        'signatures',
        'staged.json',
        'tagmanifest-sha256.txt',
      ]);
      expect((prepared.json() as { staged?: { signatures: unknown[] } }).staged?.signatures).toHaveLength(1);
    },
    600_000,
  );
});

/**
 * Crash safety: `kill -9` at any moment of an import leaves either no DIR/<bundle name> or a
 * complete, verified one, never a partial one; the next run removes the staging directories
 * the killed runs left behind and the audit chain still verifies. Each kill lands at a point
 * observed from outside (the staging folder proven, N files staged, the commit done), so a
 * loaded machine changes when, not where; a run that finished first is run again. (The ledger and audit log
 * against the file system, races and power cuts: test/fault/.)
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { killWhen, startChild, untilKilled } from '../../helpers/kill-points.js';

const REPO = join(import.meta.dirname, '..', '..', '..');
const CLI = join(REPO, 'bin', 'airlock.mjs');
let root: string;
let home: string;
let bundle: string;
const FILES = 20;
const FILE_BYTES = 10 * 1024 * 1024;
const expected = new Map<string, string>();

function airlock(args: string[]) {
  return spawnSync(process.execPath, [CLI, '--home', home, ...args], { encoding: 'utf8' });
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'airlock-kill-'));
  home = join(root, 'home');
  const src = join(root, 'payload');
  await mkdir(src, { recursive: true });
  for (let i = 0; i < FILES; i += 1) {
    const content = Buffer.alloc(FILE_BYTES, i + 1);
    content.writeUInt32BE(i, 0);
    const name = `part-${String(i).padStart(2, '0')}.bin`;
    await writeFile(join(src, name), content);
    expected.set(`payload/${name}`, createHash('sha256').update(content).digest('hex'));
  }
  await writeFile(join(root, 'pass'), 'kill-test-passphrase\n');
  expect(airlock(['keys', 'generate', '--name', 'Kill Test', '--passphrase-file', join(root, 'pass')]).status).toBe(0);
  await mkdir(join(root, 'out'));
  expect(airlock(['export', '--out', join(root, 'out'), '--name', 'big', '--passphrase-file', join(root, 'pass'), src]).status).toBe(0);
  bundle = join(root, 'out', 'big.airlock.tar');
}, 120_000);

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

/** Either absent, the commit's empty placeholder, or every file present with the signed bytes and nothing more. */
async function assertNoPartialImport(dest: string): Promise<'absent' | 'placeholder' | 'complete'> {
  const entries = await readdir(dest);
  if (!entries.includes('big')) return 'absent';
  // Killed between the placeholder's mkdir and the rename over it (import/destination-placeholder.ts).
  if ((await readdir(join(dest, 'big'))).length === 0) return 'placeholder';
  const found = new Map<string, string>();
  for (const name of await readdir(join(dest, 'big', 'payload'))) {
    found.set(
      `payload/${name}`,
      createHash('sha256')
        .update(await readFile(join(dest, 'big', 'payload', name)))
        .digest('hex'),
    );
  }
  expect(found).toEqual(expected);
  return 'complete';
}

/** The staging folders in `dest` that hold a whole owner file. */
async function ownedStaging(dest: string): Promise<string[]> {
  const found: string[] = [];
  for (const name of await readdir(dest)) {
    if (name.startsWith('.airlock-staging-') && (await readdir(join(dest, name)).catch(() => [] as string[])).includes('owner.json'))
      found.push(join(dest, name));
  }
  return found;
}

/** How many payload files the running import has created in its staging folder. */
async function stagedFiles(dest: string): Promise<number> {
  let count = 0;
  for (const dir of await ownedStaging(dest)) count += (await readdir(join(dir, 'payload', 'payload')).catch(() => [] as string[])).length;
  return count;
}

/** Where each kill lands, observed from outside: the staging folder proven, the payload filling, the commit done. */
const KILL_POINTS: Array<{ name: string; reached: (dest: string) => Promise<boolean> }> = [
  { name: 'staging folder owned', reached: async (dest) => (await ownedStaging(dest)).length > 0 },
  { name: '1 file staged', reached: async (dest) => (await stagedFiles(dest)) >= 1 },
  { name: '5 files staged', reached: async (dest) => (await stagedFiles(dest)) >= 5 },
  { name: '10 files staged', reached: async (dest) => (await stagedFiles(dest)) >= 10 },
  { name: '15 files staged', reached: async (dest) => (await stagedFiles(dest)) >= 15 },
  { name: 'all files staged', reached: async (dest) => (await stagedFiles(dest)) >= FILES },
  { name: 'committed', reached: async (dest) => (await readdir(join(dest, 'big')).catch(() => [] as string[])).length > 0 },
];

describe('kill -9 during import', () => {
  it('never leaves a partial DIR/<bundle name>, and the next run cleans up', async () => {
    const outcomes: string[] = [];
    for (const [i, point] of KILL_POINTS.entries()) {
      const dest = join(root, `dest${i}`);
      await mkdir(dest);
      // A run that finished before its kill point is not a kill: its import goes, and it runs again.
      const tries = await untilKilled(
        8,
        () => killWhen(startChild([CLI, '--home', home, 'import', bundle, '--dest', dest, '--allow-replay']), () => point.reached(dest)),
        async () => {
          for (const name of await readdir(dest)) await rm(join(dest, name), { recursive: true, force: true });
        },
      );
      const state = await assertNoPartialImport(dest);
      outcomes.push(`${point.name}: ${state}${tries > 1 ? ` (try ${tries})` : ''}`);
      if (point.name === 'committed') expect(state).toBe('complete');
      else expect(state).not.toBe('complete');

      const rerun = airlock(['import', bundle, '--dest', dest, '--allow-replay', '--json']);
      const report = JSON.parse(rerun.stdout || '{}') as { ok?: boolean; error?: { code: string } };
      if (state !== 'complete') {
        expect(rerun.status, rerun.stderr).toBe(0);
        expect(report.ok).toBe(true);
      } else {
        // The killed run had already committed: the rerun refuses to overwrite it.
        expect(rerun.status).toBe(3);
        expect(report.error?.code).toBe('OUTPUT_EXISTS');
      }
      expect(await assertNoPartialImport(dest)).toBe('complete');
      // Every kill here lands after the owner file is in place: whatever it left, the rerun removed.
      expect((await readdir(dest)).filter((name) => name.startsWith('.airlock-staging-'))).toEqual([]);
      // The killed run's claim was settled (recovered or failed) on the chain: it still verifies.
      expect(airlock(['audit', 'verify']).status).toBe(0);
    }
    console.log(`kill -9 during an import of ${(FILES * FILE_BYTES) / 2 ** 20} MiB: ${outcomes.join('; ')}`);
  }, 600_000);
});

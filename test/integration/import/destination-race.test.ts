/**
 * The empty-folder race at the destination (issue #12.3): rename(2) of a folder onto an existing
 * *empty* folder replaces it, and Node has no rename that refuses to. A folder the user (or any
 * program) makes at DIR/NAME in the instant before the commit must never be replaced: the import
 * makes DIR/NAME itself, exclusively, and renames the payload over its own empty folder
 * (import/destination-placeholder.ts).
 *
 * "The instant before the commit" is made exact by wrapping the file system calls the commit
 * makes: the first call that would create or replace DIR/NAME (the placeholder's mkdir, or the
 * rename itself) first runs what the user does. A killed commit's placeholder is removed by the
 * next import's sweep, only while it is still the recorded folder and empty.
 */
import { spawnSync } from 'node:child_process';
import * as realFs from 'node:fs';
import { lstat, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { writeBundle } from '../../../electron/core/export/write-bundle.js';
import { openpgpSigner } from '../../../electron/core/crypto/bundle-signer.js';
import { type StationDb } from '../../../electron/core/db/station-db.js';
import { nextImportTarget } from '../../helpers/import-target.js';
import type { AirlockError } from '../../../electron/core/errors.js';
import { currentStamp, type ProcessStamp } from '../../../electron/core/fs/process-owner.js';
import { PLACEHOLDER_FILE, PLACEHOLDER_MODE } from '../../../electron/core/import/destination-placeholder.js';
import { importBundle } from '../../../electron/core/import/import-bundle.js';
import { cleanLeftoverStaging } from '../../../electron/core/import/staging.js';
import { DEFAULT_POLICY } from '../../../electron/core/policy/station-policy.js';
import { makeSigner, type TestSigner } from '../../helpers/hostile-tar.js';

/** Runs once, just before the first call that would create or replace `target`. */
const race: { target: string | null; user: ((target: string) => void) | null } = { target: null, user: null };
function beforeTouching(path: unknown): void {
  if (race.target === null || String(path) !== race.target || race.user === null) return;
  const user = race.user;
  race.user = null;
  user(race.target);
}

vi.mock('node:fs', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:fs')>();
  return {
    ...actual,
    mkdirSync: (path: realFs.PathLike, options?: realFs.MakeDirectoryOptions & { recursive?: boolean }) => {
      beforeTouching(path);
      return actual.mkdirSync(path, options);
    },
    renameSync: (from: realFs.PathLike, to: realFs.PathLike) => {
      beforeTouching(to);
      actual.renameSync(from, to);
    },
  };
});
vi.mock('node:fs/promises', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:fs/promises')>();
  return {
    ...actual,
    rename: async (from: realFs.PathLike, to: realFs.PathLike) => {
      beforeTouching(to);
      await actual.rename(from, to);
    },
  };
});

let root: string;
let signer: TestSigner;
let bundlePath: string;
let db: StationDb;
let dest: string;
let n = 0;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'airlock-dest-race-'));
  signer = await makeSigner('Sender');
  const src = join(root, 'reports');
  await mkdir(src);
  await writeFile(join(src, 'a.txt'), 'a\n');
  await writeFile(join(src, 'b.bin'), Buffer.alloc(300_000, 7));
  const out = join(root, 'out');
  await mkdir(out);
  bundlePath = (
    await writeBundle({
      selection: [src],
      outDir: out,
      name: 'drop',
      sequence: 1,
      identity: { station: 's', operator: 'o', organization: null },
      signers: [openpgpSigner(signer.privateKey)],
    })
  ).bundlePath;
});
afterAll(async () => {
  db?.close();
  await rm(root, { recursive: true, force: true });
});
beforeEach(async () => {
  ({ dest, db } = await nextImportTarget(root, (n += 1), db));
  race.target = join(dest, 'drop');
  race.user = null;
});

function runImport() {
  return importBundle({ bundlePath, destDir: dest, trusted: [signer.trusted], policy: DEFAULT_POLICY, db, operator: 'receiver', allowReplay: true });
}

async function inode(path: string): Promise<bigint> {
  return (await lstat(path, { bigint: true })).ino;
}

/** The import fails with OUTPUT_EXISTS and DIR holds the user's folder and nothing of the import's. */
async function expectRefusedAndKept(): Promise<void> {
  const error = await runImport().then(
    () => null,
    (e: unknown) => e as AirlockError,
  );
  expect(error?.code, 'the import must not commit over the user’s folder').toBe('OUTPUT_EXISTS');
  expect(await readdir(dest)).toEqual(['drop']);
}

describe('a folder made at DIR/NAME in the instant before the commit', () => {
  it('an empty one is never replaced: OUTPUT_EXISTS, and the user’s folder (same inode) is still there, empty', async () => {
    let userInode = 0n;
    race.user = (target) => {
      realFs.mkdirSync(target);
      userInode = realFs.lstatSync(target, { bigint: true }).ino;
    };
    await expectRefusedAndKept();
    expect(race.user, 'the race was run').toBeNull();
    expect(await inode(join(dest, 'drop'))).toBe(userInode);
    expect(await readdir(join(dest, 'drop'))).toEqual([]);
  });

  it('one holding a file keeps the file', async () => {
    race.user = (target) => {
      realFs.mkdirSync(target);
      realFs.writeFileSync(join(target, 'mine.txt'), 'keep me');
    };
    await expectRefusedAndKept();
    expect(race.user).toBeNull();
    expect(await readdir(join(dest, 'drop'))).toEqual(['mine.txt']);
    expect(await readFile(join(dest, 'drop', 'mine.txt'), 'utf8')).toBe('keep me');
  });

  it('a file put into the import’s own placeholder between its mkdir and the rename stays, and the import is refused', async () => {
    let sawPlaceholder = false;
    race.user = () => {
      // The first touch is the placeholder's mkdir: let it happen, then act just before the rename.
      race.user = (target) => {
        sawPlaceholder = realFs.readdirSync(target).length === 0;
        realFs.writeFileSync(join(target, 'mine.txt'), 'keep me');
      };
    };
    await expectRefusedAndKept();
    expect(sawPlaceholder, 'the import made an empty placeholder before its rename').toBe(true);
    expect(await readdir(join(dest, 'drop'))).toEqual(['mine.txt']);
    expect(await readFile(join(dest, 'drop', 'mine.txt'), 'utf8')).toBe('keep me');
  });

  it('with nobody in the way the import commits, and leaves no placeholder record behind', async () => {
    const result = await runImport();
    expect(result.ok).toBe(true);
    expect((await readdir(dest)).sort()).toEqual(['drop']);
    expect((await readdir(join(dest, 'drop'))).sort()).toEqual(['reports']);
  });
});

/** The stamp of a process that has exited. */
function deadStamp(): ProcessStamp {
  const out = spawnSync(
    process.execPath,
    ['-e', "const s=require('fs').readFileSync('/proc/self/stat','utf8');process.stdout.write(process.pid+' '+s.slice(s.lastIndexOf(')')+2).split(' ')[19])"],
    { encoding: 'utf8' },
  );
  const [pid, start] = out.stdout.split(' ');
  return { ...currentStamp(), pid: Number(pid), start: start ?? null };
}

/** What a commit killed between its placeholder and its rename leaves: a dead staging folder recording the placeholder. */
async function killedCommit(
  placeholder: string,
  record: Partial<{ path: string; dev: string; ino: string }> = {},
  order: 'full record' | 'intent, then mkdir' | 'mkdir, then intent' = 'full record',
): Promise<string> {
  const token = `k${n}x`;
  const staging = join(dest, `.airlock-staging-${token}`);
  await mkdir(join(staging, 'payload', 'reports'), { recursive: true });
  await writeFile(join(staging, 'payload', 'reports', 'a.txt'), 'a\n');
  await writeFile(
    join(staging, 'owner.json'),
    JSON.stringify({
      airlock: 'staging-owner',
      version: 2,
      token,
      owner: deadStamp(),
      hostname: hostname(),
      startedAt: new Date().toISOString(),
      bundle: bundlePath,
    }),
  );
  const intent = JSON.stringify({ airlock: 'destination-placeholder', version: 1, path: placeholder, dev: null, ino: null });
  if (order === 'intent, then mkdir') await writeFile(join(staging, PLACEHOLDER_FILE), intent);
  // As makePlaceholder makes it, but for the folder someone else made before the intent.
  await mkdir(placeholder, { mode: order === 'intent, then mkdir' ? PLACEHOLDER_MODE : 0o700 });
  if (order !== 'full record') {
    // Killed between the intent and the full record (the record says only which path it was about to make).
    if (order === 'mkdir, then intent') await writeFile(join(staging, PLACEHOLDER_FILE), intent);
    return staging;
  }
  const stats = await lstat(placeholder, { bigint: true });
  await writeFile(
    join(staging, PLACEHOLDER_FILE),
    JSON.stringify({ airlock: 'destination-placeholder', version: 1, path: placeholder, dev: String(stats.dev), ino: String(stats.ino), ...record }),
  );
  return staging;
}

describe('the placeholder of a killed commit', () => {
  it('is removed with its dead staging folder, and the retry imports', async () => {
    await killedCommit(join(dest, 'drop'));
    const result = await runImport();
    expect(result.ok).toBe(true);
    expect(result.warnings.join(' ')).toContain('left by an interrupted import');
    expect(await readdir(dest)).toEqual(['drop']);
    expect(await readdir(join(dest, 'drop'))).toEqual(['reports']);
  });

  it('is kept once someone put something in it (their file intact)', async () => {
    await killedCommit(join(dest, 'drop'));
    await writeFile(join(dest, 'drop', 'mine.txt'), 'keep me');
    const sweep = await cleanLeftoverStaging(dest);
    expect(sweep.removed).toHaveLength(1);
    expect(await readdir(dest)).toEqual(['drop']);
    expect(await readdir(join(dest, 'drop'))).toEqual(['mine.txt']);
  });

  it('is kept when the folder there now is another one (not the recorded device and inode), even empty', async () => {
    await killedCommit(join(dest, 'drop'), { ino: '1' });
    await cleanLeftoverStaging(dest);
    expect(await readdir(dest)).toEqual(['drop']);
  });

  it('killed between the intent record and the full one: the empty folder made after the intent is removed, and the retry imports', async () => {
    await killedCommit(join(dest, 'drop'), {}, 'intent, then mkdir');
    const result = await runImport();
    expect(result.ok).toBe(true);
    expect(await readdir(join(dest, 'drop'))).toEqual(['reports']);
  });

  it('an intent record never removes a folder that was there before it (someone else made it)', async () => {
    await killedCommit(join(dest, 'drop'), {}, 'mkdir, then intent');
    const sweep = await cleanLeftoverStaging(dest);
    expect(sweep.removed).toHaveLength(1);
    expect(await readdir(dest)).toEqual(['drop']);
  });

  it('a record naming a folder outside DIR is ignored', async () => {
    const elsewhere = join(root, `elsewhere${n}`);
    await mkdir(elsewhere);
    const elsewhereStats = await lstat(elsewhere, { bigint: true });
    await killedCommit(join(dest, 'drop'), { path: elsewhere, dev: String(elsewhereStats.dev), ino: String(elsewhereStats.ino) });
    await cleanLeftoverStaging(dest);
    expect((await lstat(elsewhere)).isDirectory()).toBe(true);
    expect(await readdir(dest)).toEqual(['drop']);
  });
});

/**
 * The destination exactly as it was: a rejected import leaves DIR byte for byte as it was,
 * whatever of the user's is there, named like Airlock's own leftovers or not. The staging sweep
 * deletes only folders it can prove a dead import of this station made; a symlink at DIR/NAME,
 * dangling or not, is OUTPUT_EXISTS before a byte of payload is read.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chown, mkdir, mkdtemp, readdir, rm, symlink, utimes, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { writeBundle } from '../../../../electron/core/export/write-bundle.js';
import { openpgpSigner } from '../../../../electron/core/crypto/bundle-signer.js';
import { type StationDb } from '../../../../electron/core/db/station-db.js';
import { nextImportTarget } from '../../../helpers/import-target.js';
import type { AirlockError } from '../../../../electron/core/errors.js';
import { currentStamp, stampTag, type ProcessStamp } from '../../../../electron/core/fs/process-owner.js';
import { importBundle } from '../../../../electron/core/import/import-bundle.js';
import { cleanLeftoverStaging, StagingDirectory } from '../../../../electron/core/import/staging.js';
import { stampInName } from '../../../../electron/core/import/staging-owner.js';
import { DEFAULT_POLICY } from '../../../../electron/core/policy/station-policy.js';
import { makeSigner, type TestSigner } from '../../../helpers/hostile-tar.js';
import { snapshotTree } from '../../../helpers/tree-snapshot.js';

let root: string;
let signer: TestSigner;
let stranger: TestSigner;
let bundlePath: string;
let db: StationDb;
let dest: string;
let n = 0;
let deadStamp: ProcessStamp;

/** The stamp of a process that has exited: run one and wait for it. */
function stampOfExitedProcess(): ProcessStamp {
  const out = spawnSync(
    process.execPath,
    ['-e', "const s=require('fs').readFileSync('/proc/self/stat','utf8');process.stdout.write(process.pid+' '+s.slice(s.lastIndexOf(')')+2).split(' ')[19])"],
    { encoding: 'utf8' },
  );
  const [pid, start] = out.stdout.split(' ');
  return { ...currentStamp(), pid: Number(pid), start: start ?? null };
}

function ownerJson(token: string, owner: ProcessStamp): string {
  return JSON.stringify({ airlock: 'staging-owner', version: 2, token, owner, hostname: hostname(), startedAt: new Date().toISOString(), bundle: '/x' });
}

/** A staging folder as a killed import leaves it: owner file and half a payload. */
async function leftover(name: string, owner: ProcessStamp, token = name): Promise<string> {
  const dir = join(dest, `.airlock-staging-${name}`);
  await mkdir(join(dir, 'payload', 'half'), { recursive: true, mode: 0o700 });
  await writeFile(join(dir, 'payload', 'half', 'written.bin'), 'partial');
  await writeFile(join(dir, 'owner.json'), ownerJson(token, owner));
  return dir;
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'airlock-dest-'));
  signer = await makeSigner('Sender');
  stranger = await makeSigner('Stranger');
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
  deadStamp = stampOfExitedProcess();
});
afterAll(async () => {
  db?.close();
  await rm(root, { recursive: true, force: true });
});
beforeEach(async () => {
  ({ dest, db } = await nextImportTarget(root, (n += 1), db));
  await mkdir(outside());
});

/** Where the look-alikes' symlinks point: watched too. */
function outside(): string {
  return join(root, `outside${n}`);
}

/** DIR and what its symlinks point at (not the station database beside them, which an import reads). */
async function snap(): Promise<unknown> {
  return { dest: await snapshotTree(dest), outside: await snapshotTree(outside()) };
}

function run(extra: Partial<Parameters<typeof importBundle>[0]> = {}) {
  return importBundle({ bundlePath, destDir: dest, trusted: [signer.trusted], policy: DEFAULT_POLICY, db, operator: 'receiver', ...extra });
}

/** What a user may keep in DIR that looks like Airlock's staging but that Airlock cannot prove it made. */
async function userLookalikes(): Promise<void> {
  const old = new Date(Date.now() - 24 * 3600_000);
  const plain = join(dest, '.airlock-staging-mine');
  await mkdir(plain);
  await writeFile(join(plain, 'notes.txt'), 'keep me');
  const garbage = join(dest, '.airlock-staging-garbage');
  await mkdir(garbage);
  await writeFile(join(garbage, 'owner.json'), '{"pid": 1');
  // The shape of earlier versions' owner file (no token, no start time): not proof.
  const legacy = join(dest, '.airlock-staging-legacy');
  await mkdir(legacy);
  await writeFile(join(legacy, 'owner.json'), JSON.stringify({ pid: deadStamp.pid, host: hostname(), startedAt: '', bundle: 'x' }));
  // A well-formed owner file copied from another folder: its token names that other folder.
  const copied = join(dest, '.airlock-staging-copied');
  await mkdir(copied);
  await writeFile(join(copied, 'owner.json'), ownerJson('elsewhere', deadStamp));
  // A symlink named like staging, to a folder that has a valid dead owner file.
  const target = join(outside(), 'target');
  await mkdir(target, { recursive: true });
  await writeFile(join(target, 'owner.json'), ownerJson('link', deadStamp));
  await symlink(target, join(dest, '.airlock-staging-link'));
  // owner.json that is a symlink to a valid one, and one that is a FIFO (must not hang the sweep).
  const linkedOwner = join(dest, '.airlock-staging-linkedowner');
  await mkdir(linkedOwner);
  await writeFile(join(outside(), 'owner.json'), ownerJson('linkedowner', deadStamp));
  await symlink(join(outside(), 'owner.json'), join(linkedOwner, 'owner.json'));
  const fifo = join(dest, '.airlock-staging-fifo');
  await mkdir(fifo);
  execFileSync('mkfifo', [join(fifo, 'owner.json')]);
  // A file, not a folder.
  await writeFile(join(dest, '.airlock-staging-file'), 'a file');
  for (const name of await readdir(dest)) await utimes(join(dest, name), old, old).catch(() => undefined);
}

describe('the staging sweep deletes only what it can prove a dead import made', () => {
  it('leaves every look-alike of the user alone, however old, and reports it', async () => {
    await userLookalikes();
    const before = await snap();
    const sweep = await cleanLeftoverStaging(dest);
    expect(sweep.removed).toEqual([]);
    expect(sweep.unproven.length).toBe(8);
    expect(await snap()).toEqual(before);
  });

  it.skipIf(process.getuid?.() !== 0 && !process.env['CI'])(
    'a folder of another user with a valid dead owner file is not ours (needs root to chown)',
    async () => {
      const dir = await leftover('foreign', deadStamp);
      await chown(dir, 12345, 12345);
      const sweep = await cleanLeftoverStaging(dest);
      expect(sweep).toEqual({ removed: [], leftAlone: [], unproven: [dir], unremovable: [] });
    },
  );

  it('removes a dead owner (exited pid), an earlier boot, and a reused pid; leaves a live one, another host and another worker thread of this process', async () => {
    const dead = await leftover('dead', deadStamp);
    const rebooted = await leftover('rebooted', {
      ...currentStamp(),
      boot: currentStamp().boot === '00000000' ? '11111111' : '00000000',
      pid: process.pid,
      start: '1',
    });
    // process.ppid is alive, but the stamp says it started at another time: the pid was reused.
    const reused = await leftover('reused', { ...currentStamp(), pid: process.ppid, start: '1' });
    const live = await leftover('live', { ...currentStamp(), pid: process.ppid, start: null });
    const otherThread = await leftover('otherthread', { ...currentStamp(), thread: currentStamp().thread + 1 });
    const otherHost = await leftover('otherhost', { ...deadStamp, host: currentStamp().host === 'abcdef01' ? 'abcdef02' : 'abcdef01' });
    const sweep = await cleanLeftoverStaging(dest);
    expect(sweep.removed.sort()).toEqual([dead, rebooted, reused].sort());
    expect(sweep.leftAlone.sort()).toEqual([live, otherHost, otherThread].sort());
    expect(sweep.unproven).toEqual([]);
  });

  it("this process's own staging: left while in use, removed once it is not", async () => {
    const staging = await StagingDirectory.create(dest, bundlePath);
    expect((await cleanLeftoverStaging(dest)).leftAlone).toEqual([staging.root]);
    const orphan = await leftover('mine-earlier', currentStamp());
    expect((await cleanLeftoverStaging(dest)).removed).toEqual([orphan]);
    await staging.discard();
  });

  it('a folder whose name states a dead owner is removed without its owner file: killed between mkdtemp and the owner file, or between removing the owner file and the folder', async () => {
    // As staging.ts names them; the owner file not yet renamed in (its temp name only), or already gone.
    const made = join(dest, `.airlock-staging-${stampTag(deadStamp)}-Ab3dE9`);
    await mkdir(made, { mode: 0o700 });
    await writeFile(join(made, 'owner.json.tmp'), '{"airlock":"staging-');
    const emptied = join(dest, `.airlock-staging-${stampTag(deadStamp)}-zz0Q1w`);
    await mkdir(emptied, { mode: 0o700 });
    // Killed later on (a power cut that lost the owner file's bytes, say): the name is the proof for what is in it too.
    const torn = join(dest, `.airlock-staging-${stampTag(deadStamp)}-Torn00`);
    await mkdir(join(torn, 'payload'), { recursive: true });
    await writeFile(join(torn, 'payload', 'half.bin'), 'partial');
    await writeFile(join(torn, 'owner.json'), '');
    const live = join(dest, `.airlock-staging-${stampTag({ ...currentStamp(), pid: process.ppid, start: null })}-Live00`);
    await mkdir(live);
    const otherHost = join(dest, `.airlock-staging-${stampTag({ ...deadStamp, host: currentStamp().host === 'abcdef01' ? 'abcdef02' : 'abcdef01' })}-Host00`);
    await mkdir(otherHost);
    // The stamp's shape with something wrong in it (a pid of 0; five random characters): not proof.
    const badPid = join(dest, `.airlock-staging-${stampTag({ ...deadStamp, pid: 0 })}-Bad000`);
    await mkdir(badPid);
    const shortSuffix = join(dest, `.airlock-staging-${stampTag(deadStamp)}-Short`);
    await mkdir(shortSuffix);
    const sweep = await cleanLeftoverStaging(dest);
    expect(sweep.removed.sort()).toEqual([emptied, made, torn].sort());
    expect(sweep.leftAlone.sort()).toEqual([live, otherHost].sort());
    expect(sweep.unproven.sort()).toEqual([badPid, shortSuffix].sort());
    expect((await readdir(dest)).sort()).toEqual([badPid, live, otherHost, shortSuffix].map((d) => d.slice(dest.length + 1)).sort());
  });

  it('an import of this process names its staging folder after itself, and a sweep leaves it alone while in use', async () => {
    const staging = await StagingDirectory.create(dest, bundlePath);
    const name = staging.root.slice(dest.length + 1);
    expect(stampInName(name.slice('.airlock-staging-'.length))).toEqual(currentStamp());
    // Its owner file gone (the instant before the folder's removal): still this import's, still in use.
    await rm(join(staging.root, 'owner.json'));
    expect(await cleanLeftoverStaging(dest)).toEqual({ removed: [], leftAlone: [staging.root], unproven: [], unremovable: [] });
    await staging.discard();
    expect(await readdir(dest)).toEqual([]);
  });

  it('the owner file is there, whole and naming its folder, the moment create returns', async () => {
    const staging = await StagingDirectory.create(dest, bundlePath);
    const entries = await readdir(staging.root);
    expect(entries.sort()).toEqual(['owner.json', 'payload']);
    const owner = JSON.parse(await (await import('node:fs/promises')).readFile(join(staging.root, 'owner.json'), 'utf8')) as {
      token: string;
      owner: ProcessStamp;
    };
    expect(`.airlock-staging-${owner.token}`).toBe(staging.root.slice(dest.length + 1));
    expect(owner.owner).toEqual(currentStamp());
    await staging.discard();
  });
});

describe('a rejected import leaves DIR byte for byte as it was', () => {
  const rejections: Array<[string, () => Partial<Parameters<typeof importBundle>[0]>, string]> = [
    ['untrusted signer', () => ({ trusted: [stranger.trusted] }), 'SIGNER_UNTRUSTED'],
    ['replay', () => ({}), 'REPLAY'],
  ];
  for (const [why, options, code] of rejections) {
    it(`${why}, with the user's look-alikes in DIR`, async () => {
      if (code === 'REPLAY') {
        const first = join(root, `first${n}`);
        await mkdir(first);
        expect((await run({ destDir: first })).ok).toBe(true);
      }
      await userLookalikes();
      const before = await snap();
      const result = await run(options());
      expect(result.ok).toBe(false);
      expect(result.problems.map((p) => p.code)).toContain(code);
      expect(await snap()).toEqual(before);
    });
  }

  it('OUTPUT_EXISTS (a folder of that name), with look-alikes', async () => {
    await mkdir(join(dest, 'drop'));
    await writeFile(join(dest, 'drop', 'theirs.txt'), 'theirs');
    await userLookalikes();
    const before = await snap();
    const error = (await run().catch((e: unknown) => e)) as AirlockError;
    expect(error.code).toBe('OUTPUT_EXISTS');
    expect(await snap()).toEqual(before);
  });

  for (const [kind, target] of [
    ['dangling', 'nowhere/at/all'],
    ['to a folder', '.'],
    ['to a file', '/etc/hostname'],
    ['looping', 'drop'],
  ] as const) {
    it(`a symlink at DIR/NAME (${kind}) is OUTPUT_EXISTS before any payload is read`, async () => {
      await symlink(target, join(dest, 'drop'));
      const before = await snap();
      const phases = new Set<string>();
      const error = (await run({ onProgress: (p) => phases.add(p.phase) }).catch((e: unknown) => e)) as AirlockError;
      expect(error.code).toBe('OUTPUT_EXISTS');
      expect(phases.has('verifying-payload')).toBe(false);
      expect(await snap()).toEqual(before);
    });
  }

  it('the next import removes a dead leftover, says so, and leaves the rest', async () => {
    const dead = await leftover('dead2', deadStamp);
    await userLookalikes();
    const result = await run();
    expect(result.ok).toBe(true);
    expect(result.warnings.join(' ')).toContain(`Removed ${dead}, left by an interrupted import`);
    expect(result.warnings.join(' ')).toContain('nothing proves Airlock made it');
    expect((await readdir(dest)).filter((f) => f.startsWith('.airlock-staging-')).length).toBe(8);
  });
});

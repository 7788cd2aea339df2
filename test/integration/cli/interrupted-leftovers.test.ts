/**
 * What an interrupted run leaves is removed by the next run that owns it, and never stands in
 * its way: kill -9 during export on a small file system (the killed runs' temp files would
 * otherwise fill it: the retry must not be refused NO_SPACE for room they take), and a double
 * Ctrl-C or kill -9 during import (the staging folder left proves whose it is, and the next
 * import removes it).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { killWhen, startChild, untilKilled } from '../../helpers/kill-points.js';
import { canMountTmpfs } from '../../helpers/tmpfs.js';

const REPO = join(import.meta.dirname, '..', '..', '..');
const CLI = join(REPO, 'bin', 'airlock.mjs');
const canMount = canMountTmpfs;

let root: string;
let home: string;
let pass: string;
const mounts: string[] = [];

function airlock(args: string[]) {
  return spawnSync(process.execPath, [CLI, '--home', home, ...args], { encoding: 'utf8' });
}

function start(args: string[]): { child: ChildProcess; exited: Promise<number | null> } {
  const child = spawn(process.execPath, [CLI, '--home', home, ...args], { stdio: 'ignore' });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exited };
}

/** Polls `check` until it holds or the child has exited; true if it held. */
async function waitFor(check: () => Promise<boolean>, exited: Promise<unknown>): Promise<boolean> {
  let done = false;
  void exited.then(() => (done = true));
  for (;;) {
    if (await check()) return true;
    if (done) return false;
    await new Promise((r) => setTimeout(r, 5));
  }
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'airlock-leftovers-'));
  home = join(root, 'home');
  pass = join(root, 'pass');
  await writeFile(pass, 'leftover test passphrase\n');
  expect(airlock(['keys', 'generate', '--name', 'Leftovers', '--passphrase-file', pass]).status).toBe(0);
}, 120_000);

afterAll(async () => {
  for (const m of mounts) spawnSync('umount', ['-l', m], { stdio: 'ignore' });
  await rm(root, { recursive: true, force: true });
});

describe.skipIf(!canMount && !process.env['CI'])(`kill -9 during export${canMount ? '' : ' (skipped: cannot mount a tmpfs here)'}`, () => {
  it('the next export removes the killed runs’ temp files before checking for room, and succeeds', async () => {
    const src = join(root, 'export-src');
    await mkdir(src);
    await writeFile(join(src, 'random.bin'), randomBytes(40 * 1024 * 1024));
    const out = join(root, 'small-out');
    await mkdir(out);
    // 64 MiB: one 40 MiB bundle fits; three killed runs' temp files (8 MiB or more each) would not leave room for it.
    expect(spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=64m', 'tmpfs', out]).status).toBe(0);
    mounts.push(out);
    const partialBytes = async (prefix: string): Promise<number> => {
      let bytes = 0;
      for (const f of await readdir(out))
        if (f.startsWith(prefix) && f.endsWith('.partial')) bytes += ((await stat(join(out, f)).catch(() => null))?.blocks ?? 0) * 512;
      return bytes;
    };
    let left = 0;
    for (let i = 0; i < 3; i += 1) {
      // Killed once this run's temp file holds 8 MiB; a run that published first is not a kill: its bundle goes and it runs again.
      await untilKilled(
        8,
        () =>
          killWhen(
            startChild([CLI, '--home', home, 'export', '--out', out, '--name', `k${i}`, '--passphrase-file', pass, src]),
            async () => (await partialBytes(`.k${i}.airlock.tar.`)) >= 8 * 1024 * 1024,
          ),
        async () => {
          expect((await readdir(out)).filter((f) => f.endsWith('.airlock.tar'))).toEqual([`k${i}.airlock.tar`]);
          await rm(join(out, `k${i}.airlock.tar`));
        },
      );
      expect((await readdir(out)).filter((f) => f.endsWith('.airlock.tar'))).toEqual([]);
      left += await partialBytes(`.k${i}.airlock.tar.`);
    }
    expect(left, 'the killed runs left their temp files, too big for the next export beside them').toBeGreaterThanOrEqual(24 * 1024 * 1024);
    const final = airlock(['export', '--out', out, '--name', 'after-kills', '--passphrase-file', pass, '--json', src]);
    expect(final.status, final.stdout + final.stderr).toBe(0);
    const after = await readdir(out);
    expect(after.filter((f) => f.endsWith('.partial'))).toEqual([]);
    expect(after.filter((f) => f.endsWith('.airlock.tar'))).toEqual(['after-kills.airlock.tar']);
  }, 300_000);
});

describe('an interrupted import', () => {
  let bundle: string;

  beforeAll(async () => {
    const src = join(root, 'import-src');
    await mkdir(src);
    for (let i = 0; i < 24; i += 1) await writeFile(join(src, `f${String(i).padStart(2, '0')}.bin`), Buffer.alloc(3 * 1024 * 1024, i + 1));
    const out = join(root, 'bundles');
    await mkdir(out);
    expect(airlock(['export', '--out', out, '--name', 'big', '--passphrase-file', pass, src]).status).toBe(0);
    bundle = join(out, 'big.airlock.tar');
  }, 240_000);

  const stagingIn = async (dest: string): Promise<string[]> => (await readdir(dest)).filter((f) => f.startsWith('.airlock-staging-'));

  /** Every staging folder left must prove whose it is; the next import removes them, says nothing is unproven, and succeeds. */
  async function nextImportCleans(dest: string): Promise<void> {
    for (const dir of await stagingIn(dest)) {
      const owner = JSON.parse(await readFile(join(dest, dir, 'owner.json'), 'utf8')) as { airlock: string; token: string };
      expect(owner.airlock).toBe('staging-owner');
      expect(`.airlock-staging-${owner.token}`).toBe(dir);
    }
    const next = airlock(['import', bundle, '--dest', dest, '--allow-replay', '--json']);
    const report = JSON.parse(next.stdout || '{}') as { ok?: boolean; warnings?: string[]; error?: { code: string } };
    if ((await readdir(dest)).includes('big') && report.error?.code === 'OUTPUT_EXISTS') {
      // The interrupted run had committed already.
    } else {
      expect(next.status, next.stderr).toBe(0);
    }
    expect((report.warnings ?? []).join(' ')).not.toContain('nothing proves');
    expect(await stagingIn(dest)).toEqual([]);
    expect((await readdir(dest)).filter((f) => f.endsWith('.partial'))).toEqual([]);
  }

  for (const gap of [0, 3, 15, 60]) {
    it(`double Ctrl-C (${gap} ms apart) during the payload: the folder left is provably dead and the next import removes it`, async () => {
      const dest = join(root, `ctrlc-${gap}`);
      await mkdir(dest);
      const run = start(['import', bundle, '--dest', dest, '--allow-replay']);
      const staged = await waitFor(async () => {
        for (const dir of await stagingIn(dest)) if ((await readdir(join(dest, dir, 'payload')).catch(() => [])).length > 0) return true;
        return false;
      }, run.exited);
      expect(staged, 'the import reached its payload').toBe(true);
      run.child.kill('SIGINT');
      if (gap > 0) await new Promise((r) => setTimeout(r, gap));
      run.child.kill('SIGINT');
      const code = await run.exited;
      // CANCELLED (3), forced exit (130), or ended by the signal itself when it lands while the process is already exiting (null).
      expect([3, 130, null]).toContain(code);
      expect((await readdir(dest)).includes('big')).toBe(false);
      await nextImportCleans(dest);
    }, 120_000);
  }

  it('kill -9 at observed points (staging owned, payload filling, nearly done): the next import always cleans up', async () => {
    const staged = async (dest: string): Promise<number> => {
      let count = 0;
      for (const dir of await stagingIn(dest)) count += (await readdir(join(dest, dir, 'payload', 'import-src')).catch(() => [] as string[])).length;
      return count;
    };
    const owned = async (dest: string): Promise<boolean> => {
      for (const dir of await stagingIn(dest)) if ((await readdir(join(dest, dir)).catch(() => [] as string[])).includes('owner.json')) return true;
      return false;
    };
    const points: Array<[string, (dest: string) => Promise<boolean>]> = [
      ['owned', owned],
      ['1 file', async (d) => (await staged(d)) >= 1],
      ['12 files', async (d) => (await staged(d)) >= 12],
      ['23 files', async (d) => (await staged(d)) >= 23],
    ];
    for (const [name, reached] of points) {
      const dest = join(root, `kill-${name.replace(' ', '-')}`);
      await mkdir(dest);
      await untilKilled(
        8,
        () => killWhen(startChild([CLI, '--home', home, 'import', bundle, '--dest', dest, '--allow-replay']), () => reached(dest)),
        async () => {
          for (const entry of await readdir(dest)) await rm(join(dest, entry), { recursive: true, force: true });
        },
      );
      await nextImportCleans(dest);
    }
  }, 300_000);
});

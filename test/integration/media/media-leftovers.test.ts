/**
 * Media and interrupted writes: a retry on a medium is never refused for room its own killed
 * write still takes (the dead temp files go before the free space is measured), and a medium
 * unmounted under the write (`umount -l`: the mount point turns back into an empty folder of
 * the system disk) is MEDIA_REMOVED, nothing is written to the folder left behind, and the
 * next write to the medium removes what the interrupted one left on it.
 */
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { currentStamp } from '../../../electron/core/fs/process-owner.js';
import { fusefatPid, LoopMedia, mediaTestPrerequisites } from '../../helpers/loop-media.js';
import { airlock, json, mediaStation, setMediaRoots } from '../../helpers/media-cli.js';

const missing = mediaTestPrerequisites();
const fatMissing = mediaTestPrerequisites({ fat: true });
const REPO = join(import.meta.dirname, '..', '..', '..');
const CLI = join(REPO, 'bin', 'airlock.mjs');

describe.skipIf(missing !== null && !process.env['CI'])(`media leftovers${missing ? ` (skipped: ${missing})` : ''}`, () => {
  let root: string;
  let media: LoopMedia;
  let home: string;
  let pass: string;
  let payload: string;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'airlock-media-left-'));
    media = new LoopMedia(root);
    ({ home, pass } = await mediaStation(root, []));
    payload = join(root, 'payload');
    await mkdir(payload);
    await writeFile(join(payload, 'random.bin'), randomBytes(14 * 1024 * 1024));
  });

  afterAll(async () => {
    media?.cleanup();
    if (root) await rm(root, { recursive: true, force: true });
  });

  it("a dead run's temp file filling the medium: removed before the room is measured, the export succeeds", async () => {
    const stick = await media.ext4('retry', 24, 'RETRY');
    await setMediaRoots(home, [stick.mountPoint]);
    // What a killed export leaves: its temp file, named with an owner that is gone (an earlier boot).
    const me = currentStamp();
    const dead = `.weekly.airlock.tar.al-${me.host}-${me.boot === 'ffffffff' ? 'eeeeeeee' : 'ffffffff'}-${me.pid}-1-${me.thread}-00c0ffee.partial`;
    execFileSync('fallocate', ['-l', String(14 * 1024 * 1024), join(stick.mountPoint, dead)]);
    const result = await airlock(home, ['export', '--to-media', 'RETRY', '--name', 'weekly', '--passphrase-file', pass, payload]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr + result.stdout).toContain(`removed ${join(stick.mountPoint, dead)}, left by an interrupted write`);
    expect((await readdir(stick.mountPoint)).filter((f) => f.endsWith('.partial'))).toEqual([]);
  });

  it('kill -9 mid-write, then the retry on the same medium succeeds', async () => {
    const stick = await media.ext4('killed', 24, 'KILLED');
    await setMediaRoots(home, [stick.mountPoint]);
    const child = spawn(process.execPath, [CLI, '--home', home, 'export', '--to-media', 'KILLED', '--name', 'weekly', '--passphrase-file', pass, payload], {
      stdio: 'ignore',
    });
    const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
    let done = false;
    void exited.then(() => (done = true));
    let killed = false;
    while (!done) {
      const temps = (await readdir(stick.mountPoint)).filter((f) => f.endsWith('.partial'));
      const blocks = await Promise.all(temps.map(async (f) => ((await stat(join(stick.mountPoint, f)).catch(() => null))?.blocks ?? 0) * 512));
      if (blocks.some((b) => b >= 6 * 1024 * 1024)) {
        child.kill('SIGKILL');
        killed = true;
        break;
      }
      await new Promise((r) => setTimeout(r, 5));
    }
    await exited;
    expect(killed, 'killed while the temp file was being written').toBe(true);
    expect((await readdir(stick.mountPoint)).some((f) => f.endsWith('.partial'))).toBe(true);
    const retry = await airlock(home, ['export', '--to-media', 'KILLED', '--name', 'weekly', '--passphrase-file', pass, '--json', payload]);
    expect(retry.code, retry.stderr).toBe(0);
    expect((await readdir(stick.mountPoint)).filter((f) => f.endsWith('.partial'))).toEqual([]);
  }, 120_000);

  for (const [when, trigger] of [
    ['as the write starts', /Writing /u],
    ['during the read-back', /Reading back /u],
  ] as const) {
    it(`umount -l ${when}: MEDIA_REMOVED, nothing lands in the folder left behind, the next write cleans up`, async () => {
      const stick = await media.ext4(`lazy-${when.length}`, 40, 'LAZY');
      await setMediaRoots(home, [stick.mountPoint]);
      let pulled = false;
      const result = await airlock(
        home,
        ['export', '--to-media', 'LAZY', '--name', 'lazy', '--part-size', '4M', '--passphrase-file', pass, '--json', payload],
        {
          stderrIsTTY: true,
          onStderr: (text) => {
            if (!pulled && trigger.test(text)) {
              pulled = true;
              execFileSync('umount', ['-l', stick.mountPoint]);
            }
          },
        },
      );
      expect(pulled, `the medium was unmounted during the write: ${result.stderr}`).toBe(true);
      expect(result.code, result.stderr).toBe(3);
      const error = json<{ error: { code: string; message: string } }>(result).error;
      expect(error.code).toBe('MEDIA_REMOVED');
      // The mount point is a folder of the system disk again: Airlock wrote nothing there.
      expect(await readdir(stick.mountPoint)).toEqual([]);
      stick.mount();
      // Files published before the medium went could not be removed: each is named in the error.
      const left = (await readdir(stick.mountPoint)).filter((f) => f.includes('lazy.airlock') && !f.endsWith('.partial'));
      for (const file of left) expect(error.message).toContain(file);
      if (when === 'as the write starts') expect(left).toEqual([]);
      const next = await airlock(home, ['export', '--to-media', 'LAZY', '--name', 'after-lazy', '--passphrase-file', pass, payload]);
      expect(next.code, next.stderr).toBe(0);
      expect((await readdir(stick.mountPoint)).filter((f) => f.endsWith('.partial'))).toEqual([]);
    }, 120_000);
  }

  it.skipIf(fatMissing !== null && !process.env['CI'])(
    'umount -l mid-part on FAT32 (fusefat): MEDIA_REMOVED, not NOT_FOUND; the temp files left are named and the next write removes them',
    async () => {
      const stick = await media.fat32('lazyfat', 40, 'LAZYFAT');
      await setMediaRoots(home, [stick.mountPoint]);
      let pulled = false;
      const result = await airlock(
        home,
        ['export', '--to-media', 'LAZYFAT', '--name', 'lazyfat', '--part-size', '8M', '--passphrase-file', pass, '--json', payload],
        {
          stderrIsTTY: true,
          onStderr: (text) => {
            const percent = /Writing .*\((\d+)%\)/u.exec(text)?.[1];
            if (!pulled && percent !== undefined && Number(percent) >= 15) {
              pulled = true;
              execFileSync('umount', ['-l', stick.mountPoint]);
            }
          },
        },
      );
      expect(pulled, `the medium was unmounted during the write: ${result.stderr}`).toBe(true);
      expect(result.code, result.stderr).toBe(3);
      const error = json<{ error: { code: string; message: string } }>(result).error;
      expect(error.code).toBe('MEDIA_REMOVED');
      expect(error.message).toMatch(/\.partial/u);
      expect(await readdir(stick.mountPoint)).toEqual([]);
      // The detached FUSE mount ends with its last open file; then the stick can be mounted again.
      // The wait ends when fusefat has gone; the deadline (was 5 s) only guards against a hang: a
      // loaded machine can take longer than that to let it exit.
      const deadline = Date.now() + 60_000;
      while (fusefatPid(stick.mountPoint) !== null && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      stick.mount();
      expect((await readdir(stick.mountPoint)).filter((f) => f.includes('lazyfat.airlock') && !f.endsWith('.partial'))).toEqual([]);
      const next = await airlock(home, ['export', '--to-media', 'LAZYFAT', '--name', 'after-lazyfat', '--passphrase-file', pass, payload]);
      expect(next.code, next.stderr).toBe(0);
      expect((await readdir(stick.mountPoint)).filter((f) => f.endsWith('.partial'))).toEqual([]);
    },
    180_000,
  );
});

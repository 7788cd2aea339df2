/**
 * A full destination (a 1 MiB tmpfs) under `airlock watch`: the import fails with NO_SPACE, the
 * bundle stays claimed (never dropped, never quarantined), nothing half-written is left in DIR,
 * the status counts the failure, and once there is room the retry (with backoff) imports it.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canMountTmpfs } from '../../helpers/tmpfs.js';
import { createStation, type TestStation } from '../../helpers/station.js';
import { inboxFolder, readStatusFiles, settledNames, startWatch, stopWatch, waitUntil, type WatchChild } from '../../helpers/watch-process.js';

let root: string;
let station: TestStation;
let dest: string;
let mounted = false;
let running: WatchChild | null = null;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'airlock-watch-full-'));
  station = await createStation(root, 'Watch Full');
}, 120_000);

afterAll(async () => {
  if (running) await stopWatch(running, 'SIGKILL');
  if (mounted) spawnSync('umount', ['-l', dest], { stdio: 'ignore' });
  await rm(root, { recursive: true, force: true });
});

describe.skipIf(!canMountTmpfs && !process.env['CI'])(
  `airlock watch with a full destination${canMountTmpfs ? '' : ' (skipped: cannot mount a tmpfs here)'}`,
  () => {
    it('keeps the bundle claimed and retries it until there is room', async () => {
      const out = join(root, 'out');
      const src = join(root, 'src');
      await mkdir(out);
      await mkdir(src);
      for (let i = 0; i < 3; i += 1) await writeFile(join(src, `big${i}.bin`), Buffer.alloc(1024 * 1024, i + 1));
      await station.exportBundle(out, 'big', [src]);
      dest = join(root, 'dest');
      await mkdir(dest);
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', dest]);
      mounted = true;
      const inbox = join(root, 'inbox');
      await mkdir(inbox);
      await writeFile(join(inbox, 'big.airlock.tar'), await readFile(join(out, 'big.airlock.tar')));
      await writeFile(join(inbox, 'big.airlock.tar.done'), '');
      running = startWatch(station.home, inbox, dest, ['--settle', '600']);
      await waitUntil('the first failure recorded', async () => ((await readStatusFiles(station.home))[0]?.counts.failed ?? 0) >= 1);
      const status = (await readStatusFiles(station.home))[0]!;
      expect(status.recent[0]).toMatchObject({ name: 'big', outcome: 'failed', codes: ['NO_SPACE'], movedTo: null });
      // Still claimed, not dropped or quarantined; nothing partial in DIR.
      const claims = await readdir(join(inbox, '.airlock-watch'));
      expect(claims.length).toBe(1);
      expect(await readdir(join(inbox, '.airlock-watch', claims[0]!))).toContain('big.airlock.tar');
      expect(await inboxFolder(inbox, 'quarantine')).toEqual([]);
      // (A retry may be staging right now; the staging is checked at the end.)
      expect(await readdir(dest)).not.toContain('big');
      expect(running.stderr()).toMatch(/warning: big: NO_SPACE/u);
      // Room again: a retry imports it.
      execFileSync('mount', ['-o', 'remount,size=64m', dest]);
      await waitUntil('big accepted after a retry', async () => (await settledNames(inbox, 'accepted')).includes('big'), 120_000);
      expect(await stopWatch(running)).toEqual({ code: 0, signal: null });
      running = null;
      expect((await readdir(join(dest, 'big', 'src'))).sort()).toEqual(['big0.bin', 'big1.bin', 'big2.bin']);
      expect((await readdir(dest)).filter((n) => n.startsWith('.airlock-staging-'))).toEqual([]);
      const final = (await readStatusFiles(station.home))[0]!;
      expect(final.counts).toMatchObject({ accepted: 1, failed: 1, rejected: 0 });
    }, 240_000);
  },
);

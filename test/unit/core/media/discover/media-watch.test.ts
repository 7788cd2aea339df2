/** The desktop app's insert/remove events: the media list polled and compared, declared roots included. */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { MediaEvent, MediaVolume } from '../../../../../shared/media.js';
import { listMedia } from '../../../../../electron/core/media/discover/discover.js';
import { watchMedia } from '../../../../../electron/core/media/discover/media-watch.js';
import { matchMedia, resolveMedium } from '../../../../../electron/core/media/discover/resolve-medium.js';
import { AirlockError } from '../../../../../electron/core/errors.js';

const volume = (id: string, extra: Partial<MediaVolume> = {}): MediaVolume => ({
  id,
  device: id,
  disk: null,
  label: null,
  filesystem: 'vfat',
  size: 1,
  free: 1,
  mountPoint: `/media/${id.slice(5)}`,
  vendor: null,
  model: null,
  serial: null,
  readOnly: false,
  removable: true,
  source: 'lsblk',
  ...extra,
});

const roots: string[] = [];
afterAll(async () => {
  await Promise.all(roots.map((r) => rm(r, { recursive: true, force: true })));
});

describe('watchMedia', () => {
  it('reports inserted, changed and removed media between polls', async () => {
    let current: MediaVolume[] = [volume('/dev/sdb1')];
    const events: MediaEvent[] = [];
    const watch = watchMedia({ list: async () => current, onEvent: (e) => events.push(e), intervalMs: 60_000 });
    try {
      await watch.poll();
      current = [volume('/dev/sdb1', { readOnly: true }), volume('/dev/sdc1')];
      await watch.poll();
      current = [volume('/dev/sdc1')];
      await watch.poll();
      expect(events.map((e) => [e.type, e.volume.id])).toEqual([
        ['inserted', '/dev/sdb1'],
        ['changed', '/dev/sdb1'],
        ['inserted', '/dev/sdc1'],
        ['removed', '/dev/sdb1'],
      ]);
      expect(watch.current().map((v) => v.id)).toEqual(['/dev/sdc1']);
    } finally {
      watch.stop();
    }
  });

  it('sees a declared media root (a diode receive folder) appear and disappear', async () => {
    const root = await mkdtemp(join(tmpdir(), 'airlock-watch-'));
    roots.push(root);
    const inbox = join(root, 'diode-in');
    const events: MediaEvent[] = [];
    const errors: unknown[] = [];
    const watch = watchMedia({
      list: () => listMedia({ mediaRoots: [inbox] }),
      onEvent: (e) => events.push(e),
      onError: (e) => errors.push(e),
      intervalMs: 60_000,
    });
    try {
      await watch.poll();
      await mkdir(inbox);
      await watch.poll();
      await rm(inbox, { recursive: true });
      await watch.poll();
      const mine = events.filter((e) => e.volume.id === inbox);
      expect(mine.map((e) => e.type)).toEqual(['inserted', 'removed']);
      expect(mine[0]?.volume).toMatchObject({ source: 'config', mountPoint: inbox, removable: false });
      expect(errors).toEqual([]);
    } finally {
      watch.stop();
    }
  });
});

describe('resolveMedium', () => {
  const media = [
    volume('/dev/sdb1', { label: 'TRANSFER' }),
    volume('/dev/sdc1', { label: 'USB' }),
    volume('/dev/sdd1', { label: 'USB' }),
    volume('/dev/sde1', { label: 'RAW', mountPoint: null }),
    volume('/dev/sdf1', { label: 'LOCKED', readOnly: true }),
  ];
  const code = (fn: () => unknown): string => {
    try {
      fn();
      return 'none';
    } catch (error) {
      return (error as AirlockError).code;
    }
  };

  it('takes the device, the mount point or the label (case-insensitively)', () => {
    expect(resolveMedium('/dev/sdb1', media).label).toBe('TRANSFER');
    expect(resolveMedium('/media/sdb1/', media).label).toBe('TRANSFER');
    expect(resolveMedium('transfer', media).device).toBe('/dev/sdb1');
    expect(matchMedia('USB', media)).toHaveLength(2);
  });

  it('names what is wrong: nothing matches, several match, not mounted, read-only', () => {
    expect(code(() => resolveMedium('NOPE', media))).toBe('MEDIA_NOT_FOUND');
    expect(code(() => resolveMedium('USB', media))).toBe('MEDIA_AMBIGUOUS');
    expect(code(() => resolveMedium('RAW', media))).toBe('MEDIA_NOT_MOUNTED');
    expect(code(() => resolveMedium('LOCKED', media, { forWrite: true }))).toBe('MEDIA_READONLY');
    expect(code(() => resolveMedium('LOCKED', media))).toBe('none');
    expect(() => resolveMedium('NOPE', [])).toThrow(/No removable media are inserted/);
  });
});

/**
 * System disks and the disk holding the sources are never offered, and naming one is refused by
 * name (issue #19.4): on a captured lsblk tree with the root on LUKS+LVM, /var on a logical
 * volume spanning the NVMe disk and a USB disk, swap on a stick, and loop devices whose backing
 * files are on a stick (an image mounted from it, Airlock run as an AppImage from it) or on the
 * root disk.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseLsblk } from '../../../../../electron/core/media/discover/lsblk-parse.js';
import { protectedDisks, refusedFromLsblk, volumesFromLsblk } from '../../../../../electron/core/media/discover/protected-disks.js';
import { resolveMedium } from '../../../../../electron/core/media/discover/resolve-medium.js';
import { AirlockError } from '../../../../../electron/core/errors.js';

const tree = parseLsblk(readFileSync(join(import.meta.dirname, '..', '..', '..', '..', 'fixtures', 'media', 'linux', 'lsblk-lvm-loop-2.39.json'), 'utf8'));
const SYSTEM = ['/', '/boot', '/boot/efi', '/usr', '/var', '/home', '/home/op/.local/share/airlock'];

function refusal(id: string, sources: string[]): AirlockError {
  const paths = { system: SYSTEM, sources };
  try {
    resolveMedium(id, volumesFromLsblk(tree, paths), { forWrite: true }, refusedFromLsblk(tree, paths));
  } catch (error) {
    if (error instanceof AirlockError) return error;
    throw error;
  }
  throw new Error(`${id} was accepted`);
}

describe('protected disks on lsblk trees', () => {
  it('follows / through the partition, LUKS and LVM to the NVMe disk, and /var through a logical volume to both disks it spans', () => {
    const guarded = protectedDisks(tree, { system: SYSTEM, sources: [] });
    expect(guarded.get('/dev/nvme0n1')).toMatchObject({ reason: 'system', path: '/', via: ['/dev/mapper/vg0-root', '/dev/nvme0n1'] });
    // The USB disk holds half of /var: a system disk, though it is hot-plug on USB.
    expect(guarded.get('/dev/sdb')).toMatchObject({ reason: 'system', path: '/var', via: ['/dev/mapper/vgext-var', '/dev/sdb'] });
  });

  it('makes a stick holding active swap a system disk', () => {
    expect(protectedDisks(tree, { system: [], sources: [] }).get('/dev/sdg')).toMatchObject({ reason: 'system', path: '[SWAP]' });
  });

  it('follows a loop device to the disk holding its backing file: Airlock run as an AppImage from a stick makes the stick a system disk', () => {
    const guarded = protectedDisks(tree, { system: [...SYSTEM, '/opt/airlock/resources'], sources: [] });
    expect(guarded.get('/dev/sde')).toMatchObject({ reason: 'system', path: '/opt/airlock/resources', via: ['/dev/loop2', '/dev/sde1', '/dev/sde'] });
    expect(volumesFromLsblk(tree, { system: [...SYSTEM, '/opt/airlock/resources'], sources: [] }).map((v) => v.id)).not.toContain('/dev/sde1');
  });

  it('offers only the removable disks holding nothing protected; never a loop device', () => {
    const ids = volumesFromLsblk(tree, { system: SYSTEM, sources: [] }).map((v) => v.id);
    expect(ids).toEqual(['/dev/sdc1', '/dev/sdd1', '/dev/sde1', '/dev/sdf1']);
  });

  it('never offers the stick a source is on, also when the source is inside an image mounted from that stick', () => {
    const direct = volumesFromLsblk(tree, { system: SYSTEM, sources: ['/media/op/TRANSFER/outgoing/report.pdf'] }).map((v) => v.id);
    expect(direct).not.toContain('/dev/sdc1');
    const throughLoop = protectedDisks(tree, { system: SYSTEM, sources: ['/mnt/image/plans/site.dwg'] });
    expect(throughLoop.get('/dev/sdd')).toMatchObject({ reason: 'sources', path: '/mnt/image/plans/site.dwg', via: ['/dev/loop0', '/dev/sdd1', '/dev/sdd'] });
    expect(volumesFromLsblk(tree, { system: SYSTEM, sources: ['/mnt/image/plans/site.dwg'] }).map((v) => v.id)).not.toContain('/dev/sdd1');
  });

  it('a loop whose backing file is on the root disk: the loop holds the source, the root disk stays a system disk (not downgraded to sources)', () => {
    const guarded = protectedDisks(tree, { system: SYSTEM, sources: ['/mnt/vm/etc/hosts'] });
    expect(guarded.get('/dev/loop1')).toMatchObject({ reason: 'sources', via: ['/dev/loop1'] });
    expect(guarded.get('/dev/nvme0n1')).toMatchObject({ reason: 'system', path: '/' });
  });

  it('refuses a request naming a system disk or one of its volumes with MEDIA_IS_SYSTEM_DISK, saying which path it holds', () => {
    for (const id of ['/dev/nvme0n1', '/dev/nvme0n1p1', 'EFI', '/boot', '/dev/sdb']) {
      const error = refusal(id, []);
      expect(error.code, id).toBe('MEDIA_IS_SYSTEM_DISK');
    }
    expect(refusal('/dev/sdb', []).message).toContain('/dev/sdb, which holds /var (through /dev/mapper/vgext-var -> /dev/sdb)');
    expect(refusal('/dev/sdg', []).data).toMatchObject({ disk: '/dev/sdg', path: '[SWAP]' });
  });

  it('refuses the stick holding the sources with MEDIA_HOLDS_SOURCES, by device, label or mount point', () => {
    for (const id of ['/dev/sdd1', 'images', '/media/op/IMAGES/', '/dev/sdd']) {
      const error = refusal(id, ['/mnt/image/plans']);
      expect(error.code, id).toBe('MEDIA_HOLDS_SOURCES');
      expect(error.message).toContain('/mnt/image/plans, selected for this export');
    }
  });

  it('still accepts a free stick and still says "not found" for a name nothing has', () => {
    const paths = { system: SYSTEM, sources: ['/mnt/image/plans'] };
    expect(resolveMedium('TRANSFER', volumesFromLsblk(tree, paths), { forWrite: true }, refusedFromLsblk(tree, paths)).device).toBe('/dev/sdc1');
    expect(refusal('NOSUCH', []).code).toBe('MEDIA_NOT_FOUND');
  });
});

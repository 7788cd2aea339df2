/**
 * Free space and writability of a mounted volume, measured when it is about to be written (the
 * figure `media list` showed may be stale). statfs first; where a FUSE file system answers with
 * zero blocks (fusefat), the FAT itself is counted on the device behind the mount.
 */
import { access, constants, statfs } from 'node:fs/promises';
import { fatSpace } from './fat-space.js';
import { fuseFilesystem, isFuse, isReadOnlyMount, mountDevice, mountOfPath } from './mount-table.js';

export interface VolumeSpace {
  /** Bytes a writer may use; null when neither statfs nor the FAT could tell. */
  free: number | null;
  size: number | null;
  /** Allocation unit (cluster/block): a file occupies whole units. */
  blockBytes: number;
  readOnly: boolean;
  /** File system type of the mount (`ext4`, `vfat`; FUSE mounts give the real one when known). */
  fstype: string | null;
  /** Mount type as the kernel names it (`fuse.fusefat`). */
  mountType: string | null;
  device: string | null;
  fuse: boolean;
  /** How `free` was learned. */
  freeFrom: 'statfs' | 'fat-table' | 'unknown';
}

export async function measureVolume(dir: string): Promise<VolumeSpace> {
  const mount = process.platform === 'linux' ? await mountOfPath(dir) : null;
  const fuse = mount !== null && isFuse(mount);
  const device = mount ? await mountDevice(mount) : null;
  let readOnly = mount !== null && isReadOnlyMount(mount);
  if (!readOnly)
    readOnly = await access(dir, constants.W_OK).then(
      () => false,
      () => true,
    );

  let free: number | null = null;
  let size: number | null = null;
  let blockBytes = 4096;
  let freeFrom: VolumeSpace['freeFrom'] = 'unknown';
  const stats = await statfs(dir).catch(() => null);
  if (stats && Number(stats.blocks) > 0) {
    free = Number(stats.bavail) * Number(stats.bsize);
    size = Number(stats.blocks) * Number(stats.bsize);
    blockBytes = Number(stats.bsize) || 4096;
    freeFrom = 'statfs';
  }
  let fstype = mount ? (fuseFilesystem(mount) ?? mount.fstype) : null;
  if (fuse && device !== null) {
    const fat = await fatSpace(device);
    if (fat) {
      fstype = 'vfat';
      blockBytes = fat.clusterBytes;
      if (free === null) {
        free = fat.free;
        size = fat.size;
        freeFrom = 'fat-table';
      }
    }
  }
  return { free, size, blockBytes, readOnly, fstype, mountType: mount?.fstype ?? null, device, fuse, freeFrom };
}

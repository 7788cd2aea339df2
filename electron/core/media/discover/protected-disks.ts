/**
 * Linux: which whole disks Airlock must never write to, and why. Pure (no I/O): it works on
 * lsblk's tree (lsblk-parse.ts), so it is tested on captured output.
 *
 * A path is held by the device whose mount point is its longest prefix, and by every whole disk
 * under which lsblk shows that device: through partitions, LVM, dm-crypt and RAID (a logical
 * volume spanning two disks appears under both), and through a loop device to the disk holding
 * its backing file (an image mounted from a stick makes the stick hold what the image holds).
 * Active swap makes its disk a system disk like `/`.
 */
import type { MediaVolume } from '../../../../shared/media.js';
import { isRemovableDisk, volumesOfDisk, walk, type BlockDevice } from './lsblk-parse.js';

/** Why a disk is never offered: it runs the station (`system`), or it holds what is being exported (`sources`). */
export type ProtectionReason = 'system' | 'sources';

export interface DiskProtection {
  /** The whole disk (`/dev/sda`, `/dev/loop3`). */
  disk: string;
  reason: ProtectionReason;
  /** The protected path (or `[SWAP]`) that put the disk here. */
  path: string;
  /** The devices from the path's mount down to this disk, e.g. [`/dev/mapper/vg-root`, `/dev/sda`]. */
  via: string[];
}

export interface ProtectedPaths {
  /** /, /boot, /usr, /var, the homes, the station home, Airlock's own files. */
  system: readonly string[];
  /** The files and folders being exported. */
  sources: readonly string[];
}

/** Loop devices stacked deeper than this are not followed (a loop cannot hold itself; this bounds a hostile tree). */
const MAX_LOOP_DEPTH = 8;

function within(path: string, mountPoint: string): boolean {
  if (mountPoint === '/') return path.startsWith('/');
  return path === mountPoint || path.startsWith(`${mountPoint}/`);
}

interface Mounted {
  mountPoint: string;
  node: BlockDevice;
  root: BlockDevice;
}

function mountedDevices(roots: readonly BlockDevice[]): Mounted[] {
  const mounted: Mounted[] = [];
  for (const root of roots) walk(root, (node, r) => node.mountpoints.forEach((m) => mounted.push({ mountPoint: m, node, root: r })));
  return mounted;
}

/**
 * The whole disks holding `path`, each with the devices that lead to it. All devices mounted at
 * the longest matching mount point count (lsblk repeats a multi-disk LV under each disk).
 */
function disksHolding(path: string, mounted: readonly Mounted[], depth = 0): Array<{ disk: string; via: string[] }> {
  let best = -1;
  for (const m of mounted) if (within(path, m.mountPoint) && m.mountPoint.length > best) best = m.mountPoint.length;
  if (best < 0) return [];
  const found: Array<{ disk: string; via: string[] }> = [];
  for (const m of mounted) {
    if (m.mountPoint.length !== best || !within(path, m.mountPoint)) continue;
    const via = m.node === m.root ? [m.root.path] : [m.node.path, m.root.path];
    found.push({ disk: m.root.path, via });
    // The loop's backing file lives on another disk, which then holds the path too.
    if (m.root.type === 'loop' && m.root.backFile !== null && depth < MAX_LOOP_DEPTH) {
      for (const below of disksHolding(m.root.backFile, mounted, depth + 1)) found.push({ disk: below.disk, via: [...via, ...below.via] });
    }
  }
  return found;
}

/**
 * Every disk holding a system path or a source, and why. A disk that is both is `system`.
 * Keyed by the whole disk's path.
 */
export function protectedDisks(roots: readonly BlockDevice[], paths: ProtectedPaths): Map<string, DiskProtection> {
  const mounted = mountedDevices(roots);
  const result = new Map<string, DiskProtection>();
  const add = (reason: ProtectionReason, path: string, holders: Array<{ disk: string; via: string[] }>): void => {
    for (const { disk, via } of holders) if (!result.has(disk)) result.set(disk, { disk, reason, path, via });
  };
  for (const path of paths.system) add('system', path, disksHolding(path, mounted));
  for (const root of roots) {
    walk(root, (node) => {
      if (node.swap) add('system', '[SWAP]', [{ disk: root.path, via: node === root ? [root.path] : [node.path, root.path] }]);
    });
  }
  for (const path of paths.sources) add('sources', path, disksHolding(path, mounted));
  return result;
}

/** The whole disks holding any of `protectedPaths` (all counted as system paths). */
export function systemDisks(roots: readonly BlockDevice[], protectedPaths: readonly string[]): Set<string> {
  return new Set(protectedDisks(roots, { system: protectedPaths, sources: [] }).keys());
}

/** A disk Airlock refuses to write to, with the volumes a request might name on it. */
export interface RefusedDisk extends DiskProtection {
  volumes: MediaVolume[];
}

function asPaths(paths: ProtectedPaths | readonly string[]): ProtectedPaths {
  return 'system' in paths ? paths : { system: paths, sources: [] };
}

/**
 * Removable volumes: every volume on a removable, hot-plug or USB/SD disk that holds none of
 * the protected paths. Loop devices, RAM disks and zram are never media (a test's loop medium
 * is declared in config.json instead). System disks are never offered, whatever their flags.
 */
export function volumesFromLsblk(roots: readonly BlockDevice[], paths: ProtectedPaths | readonly string[]): MediaVolume[] {
  const guarded = protectedDisks(roots, asPaths(paths));
  const volumes: MediaVolume[] = [];
  for (const disk of roots) {
    if (disk.type === 'loop' || disk.type === 'ram' || disk.type === 'zram') continue;
    if (guarded.has(disk.path) || !isRemovableDisk(disk)) continue;
    volumes.push(...volumesOfDisk(disk));
  }
  return volumes;
}

/** The protected disks of the tree with their volumes, so that a request naming one is refused by name (not "not found"). */
export function refusedFromLsblk(roots: readonly BlockDevice[], paths: ProtectedPaths): RefusedDisk[] {
  const guarded = protectedDisks(roots, paths);
  const refused: RefusedDisk[] = [];
  for (const disk of roots) {
    const protection = guarded.get(disk.path);
    if (protection) refused.push({ ...protection, volumes: volumesOfDisk(disk) });
  }
  return refused;
}

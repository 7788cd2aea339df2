/**
 * macOS: removable volumes from `diskutil list -plist external physical` and
 * `diskutil info -plist <id>` (per volume and per whole disk). Pure, tested on sample output.
 * diskutil does not print a USB serial number (ioreg would); `serial` stays null.
 */
import type { MediaVolume } from '../../../../shared/media.js';
import { asArray, asDict, parsePlist, type PlistValue } from './plist.js';
import type { ProtectedPaths, RefusedDisk } from './protected-disks.js';

export interface DiskutilListing {
  /** Whole disks with the identifiers of the volumes on them (partitions, APFS volumes, or the disk itself). */
  disks: Array<{ disk: string; volumes: string[] }>;
}

type Dict = { [key: string]: PlistValue };

function str(dict: Dict, key: string): string | null {
  const value = dict[key];
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : null;
}

function num(dict: Dict, key: string): number | null {
  const value = dict[key];
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

function bool(dict: Dict, key: string): boolean | null {
  const value = dict[key];
  return typeof value === 'boolean' ? value : null;
}

/** `diskutil list -plist [external physical]`. */
export function parseDiskutilList(xml: string): DiskutilListing {
  const root = asDict(parsePlist(xml));
  if (!root) throw new Error('diskutil list: the plist is not a dictionary');
  const disks: DiskutilListing['disks'] = [];
  for (const entry of asArray(root.AllDisksAndPartitions)) {
    const disk = asDict(entry);
    if (!disk) continue;
    const id = str(disk, 'DeviceIdentifier');
    if (!id) continue;
    const volumes: string[] = [];
    for (const part of [...asArray(disk.Partitions), ...asArray(disk.APFSVolumes)]) {
      const p = asDict(part);
      const pid = p ? str(p, 'DeviceIdentifier') : null;
      // EFI system partitions and empty slots carry no user files.
      if (p && pid && str(p, 'Content') !== 'EFI') volumes.push(pid);
    }
    // A stick formatted without a partition table is its own volume.
    if (volumes.length === 0 && (str(disk, 'VolumeName') !== null || str(disk, 'MountPoint') !== null)) volumes.push(id);
    disks.push({ disk: id, volumes });
  }
  return { disks };
}

export interface DiskutilInfo {
  [key: string]: PlistValue;
}

export function parseDiskutilInfo(xml: string): DiskutilInfo {
  const root = asDict(parsePlist(xml));
  if (!root) throw new Error('diskutil info: the plist is not a dictionary');
  return root;
}

function within(path: string, mountPoint: string): boolean {
  if (mountPoint === '/') return true;
  return path === mountPoint || path.startsWith(`${mountPoint}/`);
}

/** A volume from its `diskutil info` and its whole disk's, whatever kind of disk it is on; null without an identifier. */
function describeVolume(info: DiskutilInfo, wholeDisk: DiskutilInfo | null): MediaVolume | null {
  const id = str(info, 'DeviceIdentifier');
  if (!id) return null;
  const disk = wholeDisk ?? info;
  const removable =
    bool(disk, 'Internal') !== true &&
    bool(info, 'Internal') !== true &&
    (bool(disk, 'RemovableMediaOrExternalDevice') === true ||
      bool(disk, 'Removable') === true ||
      bool(disk, 'RemovableMedia') === true ||
      bool(disk, 'Ejectable') === true ||
      /^(USB|Secure Digital|SD|FireWire|Thunderbolt)$/iu.test(str(disk, 'BusProtocol') ?? ''));
  const device = str(info, 'DeviceNode') ?? `/dev/${id}`;
  return {
    id: device,
    device,
    disk: str(info, 'ParentWholeDisk') ?? str(disk, 'DeviceIdentifier'),
    label: str(info, 'VolumeName'),
    filesystem: str(info, 'FilesystemType'),
    size: num(info, 'TotalSize') ?? num(info, 'VolumeSize') ?? num(info, 'Size'),
    free: num(info, 'FreeSpace') ?? num(info, 'APFSContainerFree') ?? num(info, 'VolumeFreeSpace'),
    mountPoint: str(info, 'MountPoint'),
    vendor: null,
    model: str(disk, 'MediaName') ?? str(disk, 'IORegistryEntryName'),
    serial: null,
    readOnly: bool(info, 'WritableVolume') === false || bool(disk, 'WritableMedia') === false,
    removable,
    source: 'diskutil',
  };
}

/**
 * A volume from its `diskutil info` and its whole disk's. Internal disks, disks holding a
 * protected path, and non-removable external disks are not media; null is returned for them.
 */
export function volumeFromDiskutil(info: DiskutilInfo, wholeDisk: DiskutilInfo | null, protectedPaths: readonly string[]): MediaVolume | null {
  const volume = describeVolume(info, wholeDisk);
  if (!volume?.removable) return null;
  const mountPoint = volume.mountPoint;
  if (mountPoint && protectedPaths.some((p) => within(p, mountPoint))) return null;
  return volume;
}

/** One whole disk as discovery read it: its own `diskutil info` and each of its volumes'. */
export interface DiskutilDisk {
  disk: string;
  whole: DiskutilInfo | null;
  volumes: DiskutilInfo[];
}

/**
 * What macOS offers and refuses, as on Linux (protected-disks.ts): a whole disk with a volume
 * holding a system path (`system`) or a source being exported (`sources`; a disk that is both is
 * `system`) is never offered, none of its volumes, and is refused by name (MEDIA_IS_SYSTEM_DISK,
 * MEDIA_HOLDS_SOURCES) with all its volumes; the others offer their removable volumes.
 */
export function surveyDiskutil(disks: readonly DiskutilDisk[], paths: ProtectedPaths): { volumes: MediaVolume[]; refused: RefusedDisk[] } {
  const volumes: MediaVolume[] = [];
  const refused: RefusedDisk[] = [];
  for (const entry of disks) {
    const described = entry.volumes.map((info) => describeVolume(info, entry.whole)).filter((v): v is MediaVolume => v !== null);
    const holding = (wanted: readonly string[]) => {
      for (const volume of described) {
        const mountPoint = volume.mountPoint;
        const path = mountPoint === null ? undefined : wanted.find((p) => within(p, mountPoint));
        if (path !== undefined) return { path, volume };
      }
      return null;
    };
    const system = holding(paths.system);
    const sources = system ? null : holding(paths.sources);
    const hit = system ? { reason: 'system' as const, ...system } : sources ? { reason: 'sources' as const, ...sources } : null;
    const disk = `/dev/${entry.disk}`;
    if (hit) refused.push({ disk, reason: hit.reason, path: hit.path, via: [hit.volume.device ?? hit.volume.id, disk], volumes: described });
    else volumes.push(...described.filter((v) => v.removable));
  }
  return { volumes, refused };
}

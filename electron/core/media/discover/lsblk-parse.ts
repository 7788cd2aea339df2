/**
 * Linux: turn `lsblk --json --bytes --output ...` into removable volumes. Pure (no I/O) so it is
 * tested on captured output. lsblk's JSON varies with util-linux: 2.37+ writes booleans and
 * numbers and a `mountpoints` array; older releases write "0"/"1" strings, sizes as strings and
 * a single `mountpoint`. Both are read.
 */
import type { MediaVolume } from '../../../../shared/media.js';

/** The columns Airlock asks for (all exist in util-linux 2.33+, MOUNTPOINTS from 2.37). */
export const LSBLK_COLUMNS = [
  'NAME',
  'KNAME',
  'PATH',
  'PKNAME',
  'TYPE',
  'RM',
  'HOTPLUG',
  'RO',
  'TRAN',
  'SIZE',
  'FSTYPE',
  'LABEL',
  'UUID',
  'FSAVAIL',
  'FSSIZE',
  'MOUNTPOINT',
  'VENDOR',
  'MODEL',
  'SERIAL',
];
/** Where util-linux knows it, MOUNTPOINTS lists every mount of a device (bind mounts, btrfs subvolumes). */
export const LSBLK_COLUMNS_237 = [...LSBLK_COLUMNS, 'MOUNTPOINTS'];

export interface BlockDevice {
  name: string;
  path: string;
  type: string;
  removable: boolean;
  hotplug: boolean;
  readOnly: boolean;
  transport: string | null;
  size: number | null;
  fstype: string | null;
  label: string | null;
  uuid: string | null;
  fsavail: number | null;
  fssize: number | null;
  mountpoints: string[];
  vendor: string | null;
  model: string | null;
  serial: string | null;
  /** A loop device's backing file (lsblk's BACK-FILE where it has one, else /sys/block/NAME/loop/backing_file). */
  backFile: string | null;
  /** In use as swap (lsblk's [SWAP] mount point): a system disk like the one holding /. */
  swap: boolean;
  children: BlockDevice[];
}

type Raw = Record<string, unknown>;

function text(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const trimmed = value.trim();
  return trimmed === '' ? null : trimmed;
}

function flag(value: unknown): boolean {
  return value === true || value === 1 || value === '1' || value === 'true';
}

function count(value: unknown): number | null {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && /^\d+$/u.test(value.trim())) return Number(value.trim());
  return null;
}

/** lsblk escapes unusual bytes in mount points as \x20 and the like. */
function unescapeMount(value: string): string {
  return value.replace(/\\x([0-9a-fA-F]{2})/gu, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

function mounts(raw: Raw): string[] {
  const list = Array.isArray(raw.mountpoints) ? raw.mountpoints : [raw.mountpoint];
  const seen = new Set<string>();
  for (const m of list) {
    const value = text(m);
    // [SWAP] is lsblk's marker for active swap, not a directory.
    if (value !== null && value.startsWith('/')) seen.add(unescapeMount(value));
  }
  return [...seen];
}

function device(raw: Raw): BlockDevice {
  const name = text(raw.name) ?? text(raw.kname) ?? '?';
  const children = Array.isArray(raw.children) ? (raw.children as Raw[]).map(device) : [];
  return {
    name,
    path: text(raw.path) ?? `/dev/${name}`,
    type: text(raw.type) ?? 'unknown',
    removable: flag(raw.rm),
    hotplug: flag(raw.hotplug),
    readOnly: flag(raw.ro),
    transport: text(raw.tran),
    size: count(raw.size),
    fstype: text(raw.fstype),
    label: text(raw.label),
    uuid: text(raw.uuid),
    fsavail: count(raw.fsavail),
    fssize: count(raw.fssize),
    mountpoints: mounts(raw),
    vendor: text(raw.vendor),
    model: text(raw.model),
    serial: text(raw.serial),
    backFile: text(raw['back-file']),
    swap: (Array.isArray(raw.mountpoints) ? raw.mountpoints : [raw.mountpoint]).some((m) => text(m) === '[SWAP]'),
    children,
  };
}

/**
 * The device tree. lsblk prints a tree by default (`children`); with --list every device is at
 * the top and PKNAME names its parent, so a flat list is rebuilt into a tree here.
 */
export function parseLsblk(json: string): BlockDevice[] {
  const parsed = JSON.parse(json) as { blockdevices?: unknown };
  if (!parsed || !Array.isArray(parsed.blockdevices)) throw new Error('lsblk output has no "blockdevices" array');
  const raws = parsed.blockdevices as Raw[];
  const flat = raws.every((r) => !Array.isArray(r.children)) && raws.some((r) => text(r.pkname) !== null);
  if (!flat) return raws.map(device);
  const byName = new Map<string, BlockDevice>();
  for (const raw of raws) byName.set(text(raw.kname) ?? text(raw.name) ?? '?', device(raw));
  const roots: BlockDevice[] = [];
  for (const raw of raws) {
    const node = byName.get(text(raw.kname) ?? text(raw.name) ?? '?') as BlockDevice;
    const parent = text(raw.pkname);
    const owner = parent === null ? undefined : byName.get(parent);
    if (owner) owner.children.push(node);
    else roots.push(node);
  }
  return roots;
}

/** Transports of media a person plugs in and carries away. */
const REMOVABLE_TRANSPORTS = new Set(['usb', 'mmc', 'sdio', 'ieee1394', 'firewire']);

export function isRemovableDisk(disk: BlockDevice): boolean {
  return disk.removable || disk.hotplug || (disk.transport !== null && REMOVABLE_TRANSPORTS.has(disk.transport.toLowerCase()));
}

/** Every node of the tree under `node`, with the whole disk (top of the tree) it is on. */
export function walk(node: BlockDevice, visit: (node: BlockDevice, root: BlockDevice) => void, root: BlockDevice = node): void {
  visit(node, root);
  for (const child of node.children) walk(child, visit, root);
}

const VOLUME_TYPES = new Set(['part', 'disk', 'rom', 'crypt', 'lvm', 'md']);

/**
 * The volumes of one whole disk: every device with a file system (or a mount) on it. A stick
 * formatted without a partition table (a "superfloppy") is its own volume.
 */
export function volumesOfDisk(disk: BlockDevice): MediaVolume[] {
  const volumes: MediaVolume[] = [];
  walk(disk, (node) => {
    if (!VOLUME_TYPES.has(node.type) && !(node === disk && node.type === 'loop')) return;
    if (node.fstype === null && node.mountpoints.length === 0) return;
    // Swap, RAID members and encrypted containers hold no files of their own.
    if (node.fstype !== null && /^(swap|linux_raid_member|crypto_luks|lvm2_member)$/iu.test(node.fstype)) return;
    const mountPoint = node.mountpoints[0] ?? null;
    volumes.push({
      id: node.path,
      device: node.path,
      disk: disk.path,
      label: node.label,
      filesystem: node.fstype,
      size: node.fssize ?? node.size,
      free: node.fsavail,
      mountPoint,
      vendor: disk.vendor,
      model: disk.model,
      serial: disk.serial,
      readOnly: node.readOnly || disk.readOnly,
      removable: isRemovableDisk(disk),
      source: 'lsblk',
    });
  });
  return volumes;
}

/** The device (and its whole disk) whose mount point is `mountPoint`, from the same tree. */
export function deviceForMount(roots: readonly BlockDevice[], mountPoint: string): { node: BlockDevice; disk: BlockDevice } | null {
  let found: { node: BlockDevice; disk: BlockDevice } | null = null;
  for (const root of roots) {
    walk(root, (node, disk) => {
      if (found === null && node.mountpoints.includes(mountPoint)) found = { node, disk };
    });
  }
  return found;
}

/** The device named `path` (e.g. /dev/loop3) and its whole disk. */
export function deviceByPath(roots: readonly BlockDevice[], path: string): { node: BlockDevice; disk: BlockDevice } | null {
  let found: { node: BlockDevice; disk: BlockDevice } | null = null;
  for (const root of roots) {
    walk(root, (node, disk) => {
      if (found === null && node.path === path) found = { node, disk };
    });
  }
  return found;
}

/**
 * Linux mount table (/proc/self/mountinfo): which file system holds a path, its type and its
 * source device. FUSE file systems such as fusefat record no device ("fusefat" as source unless
 * mounted with -o fsname=DEV), so their device is found from the daemon's command line.
 */
import { readdir, readFile, readlink, realpath, stat } from 'node:fs/promises';
import { isAbsolute, join, resolve } from 'node:path';

export interface MountEntry {
  mountPoint: string;
  fstype: string;
  source: string;
  options: string[];
}

/** mountinfo escapes space, tab, newline and backslash as \040 \011 \012 \134. */
function unescape(field: string): string {
  return field.replace(/\\([0-7]{3})/gu, (_, octal: string) => String.fromCharCode(parseInt(octal, 8)));
}

export function parseMountInfo(text: string): MountEntry[] {
  const entries: MountEntry[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const [left, right] = line.split(' - ');
    if (left === undefined || right === undefined) continue;
    const l = left.split(' ');
    const r = right.split(' ');
    const mountPoint = l[4];
    const fstype = r[0];
    if (mountPoint === undefined || fstype === undefined) continue;
    entries.push({
      mountPoint: unescape(mountPoint),
      fstype,
      source: unescape(r[1] ?? ''),
      options: [...(l[5] ?? '').split(','), ...(r[2] ?? '').split(',')].filter((o) => o !== ''),
    });
  }
  return entries;
}

export async function readMountTable(): Promise<MountEntry[]> {
  try {
    return parseMountInfo(await readFile('/proc/self/mountinfo', 'utf8'));
  } catch {
    return [];
  }
}

function within(path: string, mountPoint: string): boolean {
  if (mountPoint === '/') return path.startsWith('/');
  return path === mountPoint || path.startsWith(`${mountPoint}/`);
}

/** The mount holding `path` (the last-mounted of the longest matching mount points). */
export function mountFor(entries: readonly MountEntry[], path: string): MountEntry | null {
  let best: MountEntry | null = null;
  for (const entry of entries) {
    if (within(path, entry.mountPoint) && (best === null || entry.mountPoint.length >= best.mountPoint.length)) best = entry;
  }
  return best;
}

export async function mountOfPath(path: string): Promise<MountEntry | null> {
  const real = await realpath(path).catch(() => resolve(path));
  return mountFor(await readMountTable(), real);
}

export function isReadOnlyMount(entry: MountEntry): boolean {
  return entry.options.includes('ro');
}

export function isFuse(entry: MountEntry): boolean {
  return entry.fstype === 'fuse' || entry.fstype === 'fuseblk' || entry.fstype.startsWith('fuse.');
}

/** What a FUSE mount's file system really is: `fuse.fusefat` is FAT, `fuse.exfat` is exFAT. */
export function fuseFilesystem(entry: MountEntry): string | null {
  if (entry.fstype === 'fuse.fusefat') return 'vfat';
  if (entry.fstype.startsWith('fuse.')) return entry.fstype.slice(5);
  return null;
}

async function isBlockDeviceOrFile(path: string): Promise<boolean> {
  const s = await stat(path).catch(() => null);
  return s !== null && (s.isBlockDevice() || s.isFile());
}

/**
 * The block device (or image file) behind a mount: its source when that is a path (`/dev/sdb1`,
 * or FUSE mounted with -o fsname=/dev/sdb1), else the argument of the FUSE daemon whose
 * mount point argument is this mount (fusefat IMAGE MOUNTPOINT).
 */
export async function mountDevice(entry: MountEntry): Promise<string | null> {
  if (entry.source.startsWith('/') && (await isBlockDeviceOrFile(entry.source))) return entry.source;
  if (!isFuse(entry)) return null;
  const daemon = entry.fstype.startsWith('fuse.') ? entry.fstype.slice(5) : null;
  let pids: string[];
  try {
    pids = (await readdir('/proc')).filter((name) => /^\d+$/u.test(name));
  } catch {
    return null;
  }
  for (const pid of pids) {
    let argv: string[];
    try {
      argv = (await readFile(join('/proc', pid, 'cmdline'), 'latin1')).split('\0').filter((a) => a !== '');
    } catch {
      continue;
    }
    const program = argv[0]?.split('/').pop() ?? '';
    if (daemon === null || !program.startsWith(daemon)) continue;
    const cwd = await readlink(join('/proc', pid, 'cwd')).catch(() => '/');
    const args = argv.slice(1).filter((a, i, all) => !a.startsWith('-') && all[i - 1] !== '-o');
    const absolute = args.map((a) => (isAbsolute(a) ? a : resolve(cwd, a)));
    const mountIndex = absolute.findIndex((a) => a === entry.mountPoint);
    if (mountIndex < 0) continue;
    for (const candidate of absolute) {
      if (candidate !== entry.mountPoint && (await isBlockDeviceOrFile(candidate))) return candidate;
    }
  }
  return null;
}

/**
 * `airlock media list`: removable volumes the OS reports (never a system disk) plus the folders
 * declared as media in config.json. System disks are those holding /, /boot, the user's home,
 * the station home, Airlock itself and any source being exported.
 */
import { realpath } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LARGE_MEDIUM_BYTES, type MediaVolume } from '../../../../shared/media.js';
import { declaredVolumes } from './declared-roots.js';
import { discoverLinux } from './discover-linux.js';
import { discoverMacos } from './discover-macos.js';
import { discoverWindows } from './discover-windows.js';
import type { BlockDevice } from './lsblk-parse.js';
import type { RefusedDisk } from './protected-disks.js';
import { measureVolume } from '../os/volume-space.js';

export interface ListMediaOptions {
  /** Folders declared as media (config.json `mediaRoots`). */
  mediaRoots?: readonly string[];
  /** More paths whose disks are never offered: the station home. */
  protectedPaths?: readonly string[];
  /** Media larger than this are marked `large` (default LARGE_MEDIUM_BYTES). */
  largeMediumBytes?: number | undefined;
  /** The files and folders being exported: their disks are never offered either (refused as MEDIA_HOLDS_SOURCES). */
  sourcePaths?: readonly string[] | undefined;
  platform?: NodeJS.Platform;
}

/** What discovery offers, and what it refuses (so that naming a refused medium gets its own error). */
export interface MediaSurvey {
  offered: MediaVolume[];
  /** The system disks and the disks holding the sources (Linux, macOS, Windows), and declared folders that hold the sources. */
  refused: RefusedDisk[];
}

export function defaultProtectedPaths(platform: NodeJS.Platform = process.platform): string[] {
  // The user's home, Node, and Airlock's own files (a checkout or the installed app).
  const paths = [homedir(), dirname(process.execPath), dirname(fileURLToPath(import.meta.url))];
  if (platform === 'win32') return [...paths, `${process.env.SystemDrive ?? 'C:'}\\`];
  if (platform === 'darwin') return [...paths, '/', '/System/Volumes/Data'];
  return [...paths, '/', '/boot', '/boot/efi', '/usr', '/var', '/home'];
}

/** A path as the mount table sees it: symbolic links resolved where the path exists. */
async function real(path: string): Promise<string> {
  const absolute = resolve(path);
  return realpath(absolute).catch(() => absolute);
}

function contains(outer: string, inner: string): boolean {
  return inner === outer || inner.startsWith(outer.endsWith('/') ? outer : `${outer}/`);
}

export async function listMedia(options: ListMediaOptions = {}): Promise<MediaVolume[]> {
  return (await surveyMedia(options)).offered;
}

export async function surveyMedia(options: ListMediaOptions = {}): Promise<MediaSurvey> {
  const platform = options.platform ?? process.platform;
  const system = await Promise.all([...defaultProtectedPaths(platform), ...(options.protectedPaths ?? [])].map(real));
  const sources = await Promise.all((options.sourcePaths ?? []).map(real));
  let found: MediaVolume[] = [];
  let refused: RefusedDisk[] = [];
  let tree: BlockDevice[] = [];
  if (platform === 'linux') ({ volumes: found, refused, tree } = await discoverLinux({ system, sources }));
  else if (platform === 'darwin') ({ volumes: found, refused } = await discoverMacos({ system, sources }));
  else if (platform === 'win32') ({ volumes: found, refused } = await discoverWindows({ system, sources }));
  // What lsblk reports as free is the kernel's view at listing time; a mounted volume's is measured now.
  for (const volume of found) {
    if (volume.mountPoint === null || platform === 'win32') continue;
    const space = await measureVolume(volume.mountPoint).catch(() => null);
    if (space?.free != null) volume.free = space.free;
    if (space?.readOnly) volume.readOnly = true;
  }
  const taken = new Set(found.map((v) => v.mountPoint).filter((m): m is string => m !== null));
  const offered = [...found];
  for (const volume of await declaredVolumes(options.mediaRoots ?? [], tree)) {
    if (taken.has(volume.mountPoint ?? '')) continue;
    const holding = await declaredHoldingSources(volume, sources, refused);
    if (holding) refused.push(holding);
    else offered.push(volume);
  }
  const threshold = options.largeMediumBytes ?? LARGE_MEDIUM_BYTES;
  for (const volume of offered) if (volume.size !== null && volume.size > threshold) volume.large = true;
  return { offered, refused };
}

/**
 * A declared folder is offered whatever disk it is on (the security officer declared it, a
 * diode's outbox on the system disk included), except where writing there would write into
 * what is being exported: a source inside the folder or the folder inside a source, or the
 * folder on a disk that holds a source and is not a system disk (a loop-mounted stick, an
 * image whose backing file is on it).
 */
async function declaredHoldingSources(volume: MediaVolume, sources: readonly string[], refused: readonly RefusedDisk[]): Promise<RefusedDisk | null> {
  const root = await real(volume.mountPoint ?? volume.id);
  const nested = sources.find((source) => contains(root, source) || contains(source, root));
  if (nested !== undefined) return { disk: volume.disk ?? root, reason: 'sources', path: nested, via: [root], volumes: [volume] };
  const disk = volume.disk === null ? undefined : refused.find((r) => r.disk === volume.disk && r.reason === 'sources');
  return disk ? { ...disk, volumes: [volume] } : null;
}

/**
 * `airlock media list`: removable volumes the OS reports (never a system disk) plus the folders
 * declared as media in config.json. System disks are those holding /, /boot, the user's home,
 * the station home, Airlock itself and any source being exported.
 */
import { homedir } from 'node:os';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { MediaVolume } from '../../../../shared/media.js';
import { declaredVolumes } from './declared-roots.js';
import { discoverLinux } from './discover-linux.js';
import { discoverMacos } from './discover-macos.js';
import { discoverWindows } from './discover-windows.js';
import type { BlockDevice } from './lsblk-parse.js';
import { measureVolume } from '../os/volume-space.js';

export interface ListMediaOptions {
  /** Folders declared as media (config.json `mediaRoots`). */
  mediaRoots?: readonly string[];
  /** More paths whose disks are never offered: the station home, the sources of an export. */
  protectedPaths?: readonly string[];
  platform?: NodeJS.Platform;
}

export function defaultProtectedPaths(platform: NodeJS.Platform = process.platform): string[] {
  // The user's home, Node, and Airlock's own files (a checkout or the installed app).
  const paths = [homedir(), dirname(process.execPath), dirname(fileURLToPath(import.meta.url))];
  if (platform === 'win32') return [...paths, `${process.env.SystemDrive ?? 'C:'}\\`];
  if (platform === 'darwin') return [...paths, '/', '/System/Volumes/Data'];
  return [...paths, '/', '/boot', '/boot/efi', '/usr', '/var', '/home'];
}

export async function listMedia(options: ListMediaOptions = {}): Promise<MediaVolume[]> {
  const platform = options.platform ?? process.platform;
  const protectedPaths = [...defaultProtectedPaths(platform), ...(options.protectedPaths ?? []).map((p) => resolve(p))];
  let found: MediaVolume[] = [];
  let tree: BlockDevice[] = [];
  if (platform === 'linux') ({ volumes: found, tree } = await discoverLinux(protectedPaths));
  else if (platform === 'darwin') found = await discoverMacos(protectedPaths);
  else if (platform === 'win32') found = await discoverWindows(protectedPaths);
  // What lsblk reports as free is the kernel's view at listing time; a mounted volume's is measured now.
  for (const volume of found) {
    if (volume.mountPoint === null || platform === 'win32') continue;
    const space = await measureVolume(volume.mountPoint).catch(() => null);
    if (space?.free != null) volume.free = space.free;
    if (space?.readOnly) volume.readOnly = true;
  }
  const declared = await declaredVolumes(options.mediaRoots ?? [], tree);
  const taken = new Set(found.map((v) => v.mountPoint).filter((m): m is string => m !== null));
  return [...found, ...declared.filter((v) => !taken.has(v.mountPoint ?? ''))];
}

/** macOS discovery: `diskutil list -plist external physical`, then `diskutil info -plist` per volume and disk. */
import type { MediaVolume } from '../../../../shared/media.js';
import { parseDiskutilInfo, parseDiskutilList, volumeFromDiskutil, type DiskutilInfo } from './diskutil-parse.js';
import { runTool } from '../os/run-tool.js';

async function info(id: string): Promise<DiskutilInfo | null> {
  const out = await runTool('diskutil', ['info', '-plist', id]).catch(() => null);
  if (!out || out.code !== 0) return null;
  try {
    return parseDiskutilInfo(out.stdout);
  } catch {
    return null;
  }
}

export async function discoverMacos(protectedPaths: readonly string[]): Promise<MediaVolume[]> {
  const listed = await runTool('diskutil', ['list', '-plist', 'external', 'physical']).catch(() => null);
  if (!listed || listed.code !== 0) return [];
  const volumes: MediaVolume[] = [];
  for (const { disk, volumes: ids } of parseDiskutilList(listed.stdout).disks) {
    const whole = await info(disk);
    for (const id of ids) {
      const details = id === disk ? whole : await info(id);
      if (!details) continue;
      const volume = volumeFromDiskutil(details, whole, protectedPaths);
      if (volume) volumes.push(volume);
    }
  }
  return volumes;
}

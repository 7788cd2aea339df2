/** macOS discovery: `diskutil list -plist external physical`, then `diskutil info -plist` per volume and disk. */
import type { MediaVolume } from '../../../../shared/media.js';
import { parseDiskutilInfo, parseDiskutilList, surveyDiskutil, type DiskutilDisk, type DiskutilInfo } from './diskutil-parse.js';
import type { ProtectedPaths, RefusedDisk } from './protected-disks.js';
import { runTool, type ToolRunner } from '../os/run-tool.js';

const run: ToolRunner = (command, args) => runTool(command, args);

async function info(id: string, runner: ToolRunner): Promise<DiskutilInfo | null> {
  const out = await runner('diskutil', ['info', '-plist', id]).catch(() => null);
  if (!out || out.code !== 0) return null;
  try {
    return parseDiskutilInfo(out.stdout);
  } catch {
    return null;
  }
}

/**
 * The external physical disks' removable volumes, and the disks refused because they hold a
 * system path or a source (surveyDiskutil). Internal disks are not listed (`external physical`),
 * so naming one still gets MEDIA_NOT_FOUND.
 */
export async function discoverMacos(paths: ProtectedPaths, runner: ToolRunner = run): Promise<{ volumes: MediaVolume[]; refused: RefusedDisk[] }> {
  const listed = await runner('diskutil', ['list', '-plist', 'external', 'physical']).catch(() => null);
  if (!listed || listed.code !== 0) return { volumes: [], refused: [] };
  let listing;
  try {
    listing = parseDiskutilList(listed.stdout);
  } catch {
    return { volumes: [], refused: [] };
  }
  const disks: DiskutilDisk[] = [];
  for (const { disk, volumes: ids } of listing.disks) {
    const whole = await info(disk, runner);
    const volumes: DiskutilInfo[] = [];
    for (const id of ids) {
      const details = id === disk ? whole : await info(id, runner);
      if (details) volumes.push(details);
    }
    disks.push({ disk, whole, volumes });
  }
  return surveyDiskutil(disks, paths);
}

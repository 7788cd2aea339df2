/**
 * What an interrupted write left on a medium: temp files of Airlock's media files. Removed before
 * the medium's free space is measured, so a retry is never refused for room its own killed
 * write still takes. Owner-marked temp names go only when their writer is provably gone
 * (fs/owned-temp.ts); names of earlier versions carry no owner and are removed as they always
 * were (a medium is mounted on one machine at a time).
 */
import { lstat, readdir, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { sweepDeadTemps, type TempSweep } from '../../fs/owned-temp.js';
import { isLegacyTempName, isMediaFileName } from '../parts/part-names.js';

export async function sweepMediumLeftovers(dir: string): Promise<TempSweep> {
  const result = await sweepDeadTemps(dir, isMediaFileName);
  const entries = await readdir(dir).catch(() => [] as string[]);
  for (const entry of entries) {
    if (!isLegacyTempName(entry)) continue;
    const path = join(dir, entry);
    try {
      if (!(await lstat(path)).isFile()) continue;
      await unlink(path);
      result.removed.push(path);
    } catch {
      // Gone meanwhile or not removable (a read-only medium): the write's own checks will say so.
    }
  }
  return result;
}

/**
 * Undoing an export to media that failed or was cancelled: every temp file goes, then every file
 * already published (a bundle or part set that is not whole is of no use), latest first. A file
 * on a medium that is no longer there cannot be removed (its path now names a folder of another
 * disk): it is listed in `leftovers`, and the next write to that medium removes it.
 */
import { unlink } from 'node:fs/promises';
import type { MediaWrittenFile } from '../../../../shared/media.js';
import { errnoOf } from '../../errors.js';
import { releaseTemp } from '../../fs/owned-temp.js';
import { volumePresent, type VolumeState } from './volume-state.js';

export interface UnfinishedWrite {
  /** Temp files (1-based volume number each), open or fsynced but not yet published. */
  temps: ReadonlyArray<{ tempPath: string; volume: number }>;
  /** Files published so far, in the order written; null to keep them (a failed read-back: they are the evidence). */
  published: readonly MediaWrittenFile[] | null;
  /** The adopted volumes by number - 1. */
  volumes: ReadonlyArray<VolumeState | undefined>;
}

/** Remove what `write` left; returns the paths that could not be removed. */
export async function removeUnfinished(write: UnfinishedWrite): Promise<string[]> {
  const leftovers: string[] = [];
  const remove = async (path: string, volumeNumber: number): Promise<void> => {
    const volume = write.volumes[volumeNumber - 1];
    // Not there (unmounted, even lazily): the path now names a folder of another disk; the file stays on the medium.
    if (!volume || !(await volumePresent(volume))) {
      leftovers.push(path);
      return;
    }
    await unlink(path).catch((error: unknown) => {
      if (errnoOf(error) !== 'ENOENT') leftovers.push(path);
    });
  };
  for (const { tempPath, volume } of write.temps) {
    releaseTemp(tempPath);
    await remove(tempPath, volume);
  }
  for (const file of [...(write.published ?? [])].reverse()) await remove(file.path, file.volume);
  return leftovers;
}

/**
 * The one-pass half of an export to a medium (export/one-pass-write.ts writes into it): whether a
 * medium takes the whole bundle as one file written by position, and that file, opened under its
 * temp name and flushed before the facade (media-output.ts) publishes it, reads it back region by
 * region (read-back/region-check.ts) and commits.
 */
import type { FileHandle } from 'node:fs/promises';
import type { MediaWrittenFile } from '../../../../shared/media.js';
import type { AirlockError } from '../../errors.js';
import type { ProgressTracker } from '../../jobs/progress-tracker.js';
import type { VolumeSpace } from '../os/volume-space.js';
import { planLayout, type PlannedPart, type VolumeRoom } from '../parts/part-plan.js';
import { flushWithProgress } from './flush-progress.js';
import type { MediaOutputOptions } from './media-output-options.js';
import { openTempOnVolume, volumeFailure, type VolumeState } from './volume-state.js';

/** File systems that take a file's records written by position, in any order, at the medium's speed. */
const OUT_OF_ORDER_FS = new Set(['ext2', 'ext3', 'ext4', 'xfs', 'btrfs', 'f2fs']);

/**
 * What can be told before the medium is measured (so the caller need not scan the sources twice):
 * read-back on (a one-pass file has no SHA-256 until it is read back), no parts asked for, one medium.
 */
export function mayWriteInOnePass(options: MediaOutputOptions): boolean {
  return options.readBack !== false && options.partSize === undefined && options.targets.length === 1;
}

/**
 * The bundle's one part when the measured medium takes it written by position; null, before
 * anything is written, where the two passes stay: a bundle that must be split there, or a file
 * system that takes writes out of order badly (FAT fills a gap before a write with zeros; fusefat
 * walks its cluster chain per write).
 */
export function singlePartByPosition(space: VolumeSpace, room: VolumeRoom, archiveBytes: number): PlannedPart[] | null {
  if (space.fstype === null || !OUT_OF_ORDER_FS.has(space.fstype) || (space.mountType ?? '').startsWith('fuse')) return null;
  const layout = planLayout(archiveBytes, [room], null, null);
  return layout.kind === 'single' ? layout.parts : null;
}

/** The one-pass file on its volume, under its temp name until the facade publishes it. */
export class OnePassFile {
  private constructor(
    readonly volume: VolumeState,
    readonly finalPath: string,
    readonly tempPath: string,
    readonly handle: FileHandle,
  ) {}

  /** Created exclusively (never over a file); `onStart` runs once a byte may reach the medium. */
  static async open(volume: VolumeState, finalPath: string, onStart: () => void): Promise<OnePassFile> {
    const { tempPath, handle } = await openTempOnVolume(volume, finalPath, onStart);
    return new OnePassFile(volume, finalPath, tempPath, handle);
  }

  /**
   * Flushed (the `syncing` phase) and closed. The file as written carries no SHA-256 (''): it was
   * written by position, so its SHA-256 is known only once the read-back has proven every region.
   */
  async flush(bytes: number, tracker: ProgressTracker | null): Promise<MediaWrittenFile> {
    try {
      await flushWithProgress(this.handle, bytes, this.volume.dev, tracker);
      await this.handle.close();
    } catch (error) {
      throw await this.failure(error);
    }
    return { path: this.finalPath, size: bytes, sha256: '', volume: this.volume.number, kind: 'bundle' };
  }

  /** A failed write or flush, named as the medium's (MEDIA_REMOVED when it is gone). */
  failure(error: unknown): Promise<AirlockError> {
    return volumeFailure(error, this.tempPath, this.volume);
  }
}

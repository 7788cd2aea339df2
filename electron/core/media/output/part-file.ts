/**
 * One file of the two-pass route to a medium (media-output.ts cuts the archive stream into them):
 * written in order under its temp name, hashed as it is written on another core (with a CRC-32 per
 * MiB, which names where a failed read-back differs), then flushed and closed, waiting under the
 * temp name until its volume is complete.
 */
import type { FileHandle } from 'node:fs/promises';
import type { MediaWrittenFile } from '../../../../shared/media.js';
import type { BackgroundSha256 } from '../../crypto/background-sha256.js';
import { COPIED_BELOW_BYTES, SequentialWriter } from '../../fs/sequential-writer.js';
import type { ProgressTracker } from '../../jobs/progress-tracker.js';
import type { PlannedPart } from '../parts/part-plan.js';
import { flushWithProgress } from './flush-progress.js';
import { openTempOnVolume, volumeFailure, type VolumeState } from './volume-state.js';

/**
 * Writes to a medium go in runs of this size (the least SequentialWriter takes), two buffers of
 * it held: a USB stick takes requests of at most a few hundred KiB, so larger runs buy nothing
 * but resident memory (issue #18's peak-RSS row; the folder export keeps SequentialWriter's 8 MiB).
 */
const WRITE_BATCH_BYTES = COPIED_BELOW_BYTES;

/** A file written and fsynced under its temp name, published when its volume is complete. */
export interface SyncedPart {
  tempPath: string;
  finalPath: string;
  file: MediaWrittenFile;
  sums: number[];
}

export class PartFile {
  private readonly writer: SequentialWriter;
  /** Bytes of the part still to come. */
  remaining: number;

  private constructor(
    readonly planned: PlannedPart,
    readonly volume: VolumeState,
    readonly finalPath: string,
    readonly tempPath: string,
    readonly handle: FileHandle,
    /** Its hash in the background hasher. */
    readonly hash: number,
  ) {
    this.writer = new SequentialWriter(handle, WRITE_BATCH_BYTES);
    this.remaining = planned.size;
  }

  /** Created exclusively (never over a file); `onStart` runs once a byte may reach the medium. */
  static async open(planned: PlannedPart, volume: VolumeState, finalPath: string, hasher: BackgroundSha256, onStart: () => void): Promise<PartFile> {
    const { tempPath, handle } = await openTempOnVolume(volume, finalPath, onStart);
    return new PartFile(planned, volume, finalPath, tempPath, handle, hasher.start({ chunkSums: true }));
  }

  async write(piece: Buffer): Promise<void> {
    try {
      await this.writer.write(piece);
    } catch (error) {
      throw await volumeFailure(error, this.tempPath, this.volume);
    }
    this.remaining -= piece.length;
  }

  /** Written to the end, flushed (a phase of its own: on a stick, most of the time) and closed; a failed fsync is a failed write, never retried into success. */
  async finish(tracker: ProgressTracker | null, hasher: BackgroundSha256, kind: MediaWrittenFile['kind']): Promise<SyncedPart> {
    try {
      await this.writer.finish();
      await flushWithProgress(this.handle, this.planned.size, this.volume.dev, tracker);
      await this.handle.close();
    } catch (error) {
      throw await volumeFailure(error, this.tempPath, this.volume);
    }
    const written = await hasher.result(this.hash);
    return {
      tempPath: this.tempPath,
      finalPath: this.finalPath,
      file: { path: this.finalPath, size: this.planned.size, sha256: written.sha256, volume: this.volume.number, kind },
      sums: written.chunkSums ?? [],
    };
  }
}

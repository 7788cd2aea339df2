/**
 * One medium adopted as a volume of an export, and whether it is still there: a pulled or
 * unmounted medium leaves its mount point as a folder of another device (or none), so presence is
 * the st_dev recorded when the volume was adopted.
 */
import { open, stat, type FileHandle } from 'node:fs/promises';
import type { MediaVolume, MediaWrittenFile, ReadBackReport } from '../../../../shared/media.js';
import { AirlockError } from '../../errors.js';
import { tempPathFor } from '../../fs/durable.js';
import { releaseTemp } from '../../fs/owned-temp.js';
import type { VolumeSpace } from '../os/volume-space.js';
import type { ExpectedRegion } from '../read-back/region-check.js';
import { mediaError } from './media-errors.js';

export interface VolumeState {
  number: number;
  medium: MediaVolume;
  dir: string;
  space: VolumeSpace;
  files: MediaWrittenFile[];
  readBack: ReadBackReport | null;
  /** st_dev of the folder when adopted: a different one later means the medium is gone. */
  dev: number;
  /** CRC-32 per chunk of each file written (read-back/chunk-sums.ts): where a failed read-back first differs. */
  chunkSums: Map<string, number[]>;
  /**
   * A bundle written in one pass (export/one-pass-write.ts): what each byte of the file must read
   * back as, region by region (read-back/region-check.ts), in place of a SHA-256 known in advance.
   */
  regions?: Map<string, () => Iterable<ExpectedRegion>>;
}

/** Whether the volume's folder is still the medium adopted (a pulled or unmounted medium leaves another device's folder, or none). */
export async function volumePresent(volume: VolumeState): Promise<boolean> {
  return stat(volume.dir).then(
    (s) => s.dev === volume.dev,
    () => false,
  );
}

export async function assertVolumePresent(volume: VolumeState, path: string): Promise<void> {
  if (!(await volumePresent(volume)))
    throw new AirlockError('MEDIA_REMOVED', `${volume.dir} is no longer the medium written to (it was removed or unmounted).`, { path });
}

/** mediaError, and MEDIA_REMOVED whatever the errno when the medium is no longer there (ENOENT after a lazy unmount, EIO after a pull). */
export async function volumeFailure(error: unknown, path: string, volume: VolumeState | undefined): Promise<AirlockError> {
  const mapped = mediaError(error, path);
  if (mapped.code === 'MEDIA_REMOVED' || mapped.code === 'CANCELLED' || !volume) return mapped;
  if (await volumePresent(volume)) return mapped;
  return new AirlockError('MEDIA_REMOVED', `${volume.dir} is no longer mounted. ${path}: ${error instanceof Error ? error.message : String(error)}`, {
    path,
    cause: error,
  });
}

/**
 * A new file under `finalPath`'s temp name on the volume, created exclusively (never over a file);
 * `onStart` runs once a byte may reach the medium. A medium unmounted under us leaves its mount
 * point as an empty folder of the system disk: never write there.
 */
export async function openTempOnVolume(volume: VolumeState, finalPath: string, onStart: () => void): Promise<{ tempPath: string; handle: FileHandle }> {
  await assertVolumePresent(volume, finalPath);
  const tempPath = tempPathFor(finalPath);
  onStart();
  const handle = await open(tempPath, 'wx', 0o644).catch(async (error: unknown) => {
    releaseTemp(tempPath);
    throw await volumeFailure(error, tempPath, volume);
  });
  return { tempPath, handle };
}

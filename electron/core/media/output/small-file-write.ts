/**
 * A small file of an export to media (a split bundle's volume index and its signature), written
 * the way the parts are: temp name, fsync, published without overwriting, directory fsynced. On
 * failure the temp file is removed, or listed in `leftovers` when the medium has gone.
 */
import { open, unlink, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { errnoOf } from '../../errors.js';
import { tempPathFor } from '../../fs/durable.js';
import { releaseTemp } from '../../fs/owned-temp.js';
import { publishWithoutOverwrite } from '../../fs/publish.js';
import { assertVolumePresent, volumeFailure, type VolumeState } from './volume-state.js';

/** Writes `bytes` as `file` on the volume; returns its final path. */
export async function writeSmallFile(volume: VolumeState, file: string, bytes: Buffer, leftovers: string[]): Promise<string> {
  const finalPath = join(volume.dir, file);
  await assertVolumePresent(volume, finalPath);
  const tempPath = tempPathFor(finalPath);
  let handle: FileHandle | null = null;
  let created = false;
  try {
    handle = await open(tempPath, 'wx', 0o644);
    created = true;
    await handle.writeFile(bytes);
    await handle.sync();
    await handle.close();
    handle = null;
    await publishWithoutOverwrite(tempPath, finalPath);
  } catch (error) {
    await handle?.close().catch(() => undefined);
    const failure = await volumeFailure(error, finalPath, volume);
    if (failure.code === 'MEDIA_REMOVED') {
      if (created) leftovers.push(tempPath);
    } else {
      await unlink(tempPath).catch((e: unknown) => {
        if (errnoOf(e) !== 'ENOENT') leftovers.push(tempPath);
      });
    }
    releaseTemp(tempPath);
    throw failure;
  }
  return finalPath;
}

import { open, rename, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';
import { errnoOf } from '../errors.js';
import { ownedTempPath, releaseTemp } from './owned-temp.js';

/**
 * fsync a directory so a rename or a new entry in it survives a power cut.
 * Some platforms (Windows) and file systems cannot open a directory for sync;
 * there the rename's own durability is all we get, so EISDIR/EPERM/EINVAL are tolerated.
 */
export async function fsyncDirectory(dir: string): Promise<void> {
  let handle;
  try {
    handle = await open(dir, 'r');
  } catch (error) {
    if (process.platform === 'win32') return;
    throw error;
  }
  try {
    await handle.sync();
  } catch (error) {
    const code = errnoOf(error);
    if (code !== 'EINVAL' && code !== 'EISDIR' && code !== 'EPERM') throw error;
  } finally {
    await handle.close();
  }
}

/**
 * A temp name beside `finalPath`, hidden and marked with its owner (owned-temp.ts), so the next
 * run that writes there can prove a leftover dead and remove it. Call releaseTemp once it is
 * published or removed.
 */
export function tempPathFor(finalPath: string): string {
  return ownedTempPath(finalPath);
}

/**
 * Write a small file so that readers see either the old content or the new, never a mix:
 * temp name in the same directory, fsync, rename over, fsync the directory.
 */
export async function writeFileDurably(finalPath: string, data: string | Uint8Array, mode = 0o644): Promise<void> {
  const temp = tempPathFor(finalPath);
  const handle = await open(temp, 'wx', mode);
  try {
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, finalPath);
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    throw error;
  } finally {
    releaseTemp(temp);
  }
  await fsyncDirectory(dirname(finalPath));
}

/**
 * Write `data` to a fresh owner-marked temp file beside `finalPath` and fsync it; the caller
 * publishes it (publish.ts) or removes it. On failure nothing is left.
 */
export async function writeTempDurably(finalPath: string, data: string | Uint8Array, mode = 0o644): Promise<string> {
  const temp = tempPathFor(finalPath);
  try {
    const handle = await open(temp, 'wx', mode);
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    releaseTemp(temp);
    throw error;
  }
  return temp;
}

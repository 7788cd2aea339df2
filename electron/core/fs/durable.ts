import { randomBytes } from 'node:crypto';
import { open, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

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
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EINVAL' && code !== 'EISDIR' && code !== 'EPERM') throw error;
  } finally {
    await handle.close();
  }
}

/** A temp name beside `finalPath`, hidden and marked so leftovers are recognisable. */
export function tempPathFor(finalPath: string): string {
  return join(dirname(finalPath), `.${basename(finalPath)}.${randomBytes(6).toString('hex')}.partial`);
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
  }
  await fsyncDirectory(dirname(finalPath));
}

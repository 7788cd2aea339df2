import { access, link, rename, statfs, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';
import { AirlockError } from '../errors.js';
import { fsyncDirectory } from './durable.js';

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

export async function assertAbsent(path: string): Promise<void> {
  if (await exists(path)) throw new AirlockError('OUTPUT_EXISTS', path, { path });
}

/**
 * Give a finished, fsynced temp file its final name without ever replacing an existing file:
 * link() fails if the name is taken; file systems without hard links (FAT, exFAT) fall back
 * to a checked rename. Then the directory is fsynced so the name survives a power cut.
 */
export async function publishWithoutOverwrite(tempPath: string, finalPath: string): Promise<void> {
  try {
    await link(tempPath, finalPath);
    await unlink(tempPath);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') throw new AirlockError('OUTPUT_EXISTS', finalPath, { path: finalPath });
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP' && code !== 'ENOSYS' && code !== 'EXDEV' && code !== 'EMLINK') throw error;
    await assertAbsent(finalPath);
    await rename(tempPath, finalPath);
  }
  await fsyncDirectory(dirname(finalPath));
}

/** Bytes an unprivileged writer can still put in `dir`. */
export async function freeBytes(dir: string): Promise<number> {
  const stats = await statfs(dir);
  return Number(stats.bavail) * Number(stats.bsize);
}

import { link, lstat, rename, statfs, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';
import { AirlockError, errnoOf } from '../errors.js';
import { fsyncDirectory } from './durable.js';
import { releaseTemp } from './owned-temp.js';

/**
 * Whether anything at all has the name: a file, a folder, or a symbolic link, dangling or not.
 * lstat, not access/stat: those follow a link, and a dangling one would read as free, so a
 * rename would then replace the user's link.
 */
export async function nameTaken(path: string): Promise<boolean> {
  try {
    await lstat(path);
    return true;
  } catch (error) {
    if (errnoOf(error) === 'ENOENT') return false;
    throw error;
  }
}

export async function assertAbsent(path: string): Promise<void> {
  if (await nameTaken(path)) throw new AirlockError('OUTPUT_EXISTS', path, { path });
}

/**
 * Give a finished, fsynced temp file its final name without ever replacing an existing file
 * (or symbolic link): link() fails if the name is taken; file systems without hard links (FAT,
 * exFAT) fall back to a checked rename. Then the directory is fsynced so the name survives a
 * power cut.
 */
export async function publishWithoutOverwrite(tempPath: string, finalPath: string): Promise<void> {
  await linkWithoutOverwrite(tempPath, finalPath);
  await fsyncDirectory(dirname(finalPath));
}

/**
 * publishWithoutOverwrite without the folder's fsync: the name is in, but may not survive a power
 * cut until the caller fsyncs the folder. For a set published together (numbered-publish.ts),
 * whose journal already says how to finish it, so one fsync after the last member does.
 */
export async function linkWithoutOverwrite(tempPath: string, finalPath: string): Promise<void> {
  try {
    await link(tempPath, finalPath);
    await unlink(tempPath);
  } catch (error) {
    const code = errnoOf(error);
    if (code === 'EEXIST') throw new AirlockError('OUTPUT_EXISTS', finalPath, { path: finalPath });
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP' && code !== 'ENOSYS' && code !== 'EXDEV' && code !== 'EMLINK') throw error;
    await assertAbsent(finalPath);
    await rename(tempPath, finalPath);
  }
  releaseTemp(tempPath);
}

/** Bytes an unprivileged writer can still put in `dir`. */
export async function freeBytes(dir: string): Promise<number> {
  const stats = await statfs(dir);
  return Number(stats.bavail) * Number(stats.bsize);
}

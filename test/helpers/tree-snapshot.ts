import { createHash } from 'node:crypto';
import { lstat, readdir, readFile, readlink } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Every path under `root` with its type, mode and content: names, types (file, dir, symlink,
 * fifo, socket, device), permission bits, each file's SHA-256 and size, each symlink's target
 * (dangling or not; never followed). Equal snapshots mean nothing under `root` changed, byte
 * for byte. The root itself is not recorded: snapshot its parent to watch its mode too.
 */
export async function snapshotTree(root: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const describe = async (full: string): Promise<{ entry: string; dir: boolean }> => {
    const stats = await lstat(full);
    const mode = (stats.mode & 0o7777).toString(8);
    if (stats.isDirectory()) return { entry: `dir ${mode}`, dir: true };
    if (stats.isFile())
      return {
        entry: `file ${mode} ${stats.size} ${createHash('sha256')
          .update(await readFile(full))
          .digest('hex')}`,
        dir: false,
      };
    if (stats.isSymbolicLink()) return { entry: `symlink -> ${await readlink(full)}`, dir: false };
    const kind = stats.isFIFO() ? 'fifo' : stats.isSocket() ? 'socket' : stats.isBlockDevice() ? 'block' : 'char';
    return { entry: `${kind} ${mode}${stats.isBlockDevice() || stats.isCharacterDevice() ? ` ${stats.rdev}` : ''}`, dir: false };
  };
  const walk = async (dir: string, rel: string): Promise<void> => {
    for (const name of (await readdir(dir)).sort()) {
      const full = join(dir, name);
      const path = rel ? `${rel}/${name}` : name;
      const { entry, dir: isDir } = await describe(full);
      out[path] = entry;
      if (isDir) await walk(full, path);
    }
  };
  await walk(root, '');
  return out;
}

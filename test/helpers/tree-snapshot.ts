import { lstat, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Every path under `root` with its type, mode and content hash: equal snapshots mean nothing changed. */
export async function snapshotTree(root: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const walk = async (dir: string, rel: string): Promise<void> => {
    for (const name of (await readdir(dir)).sort()) {
      const full = join(dir, name);
      const path = rel ? `${rel}/${name}` : name;
      const stats = await lstat(full);
      if (stats.isDirectory()) {
        out[path] = `dir ${(stats.mode & 0o7777).toString(8)}`;
        await walk(full, path);
      } else if (stats.isFile()) {
        const { createHash } = await import('node:crypto');
        out[path] = `file ${(stats.mode & 0o7777).toString(8)} ${createHash('sha256').update(await readFile(full)).digest('hex')}`;
      } else {
        out[path] = stats.isSymbolicLink() ? 'symlink' : 'special';
      }
    }
  };
  await walk(root, '');
  return out;
}

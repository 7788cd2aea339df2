/** Regular files under a directory with their SHA-256, keyed by `/`-separated relative path (names kept byte-exact). */
import { createHash } from 'node:crypto';
import { lstat, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

export async function fileDigests(root: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const walk = async (dir: string, rel: string): Promise<void> => {
    for (const name of await readdir(dir)) {
      const full = join(dir, name);
      const path = rel ? `${rel}/${name}` : name;
      const stats = await lstat(full);
      if (stats.isDirectory()) await walk(full, path);
      else if (stats.isFile())
        out.set(
          path,
          createHash('sha256')
            .update(await readFile(full))
            .digest('hex'),
        );
      else throw new Error(`${full} is neither a file nor a directory`);
    }
  };
  await walk(root, '');
  return out;
}

/** Write files given as relative path -> content, creating folders as needed. */
export async function writeTree(root: string, files: Record<string, string | Buffer>): Promise<void> {
  for (const [path, content] of Object.entries(files)) {
    const full = join(root, path);
    await mkdir(dirname(full), { recursive: true });
    await writeFile(full, content);
  }
}

export function sha256Of(content: string | Buffer): string {
  return createHash('sha256').update(content).digest('hex');
}

/**
 * Swapping checked database files into the scanner's database directory (issue #16.6). Each file
 * is staged inside the directory itself (a hidden folder clamd does not read: it loads only files
 * with database extensions at the top), made readable and flushed, then renamed over its old
 * version: every name changes in one step, and at every instant the directory holds a loadable
 * database (each container is whole, old or new). The older containers of the same database in
 * another form (daily.cld when daily.cvd arrives) are removed after, so clamd never loads both.
 */
import { chmod, open, readdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { AirlockError } from '../../errors.js';
import { fsyncDirectory } from '../../fs/durable.js';
import { type DatabaseHeader, readDatabaseHeaders } from '../clamd/database-headers.js';
import { FEED_FILE_NAME, type FeedFile } from './feed-files.js';

/** A feed file older than what is installed under the same base name (a replayed, outdated feed). */
export function downgrades(files: readonly FeedFile[], installed: readonly DatabaseHeader[]): string[] {
  const found: string[] = [];
  for (const file of files) {
    for (const current of installed) {
      const base = FEED_FILE_NAME.exec(current.name)?.[1];
      if (base === file.base && current.version > file.header.version) {
        found.push(`${file.name} is version ${file.header.version}, older than the installed ${current.name} (version ${current.version})`);
      }
    }
  }
  return found;
}

async function flush(path: string): Promise<void> {
  const handle = await open(path, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Move the checked files into place; returns the names removed as superseded. */
export async function installFeedFiles(databaseDir: string, files: readonly FeedFile[]): Promise<string[]> {
  for (const file of files) {
    // clamd often runs as its own user: the database must be readable by it, never writable.
    await chmod(file.stagedPath, 0o644);
    await flush(file.stagedPath);
  }
  for (const file of files) {
    try {
      await rename(file.stagedPath, join(databaseDir, file.name));
    } catch (error) {
      throw new AirlockError('FEED_INVALID', `${file.name} could not be moved into ${databaseDir}; the files moved before it are in place (each whole).`, {
        cause: error,
        path: databaseDir,
      });
    }
  }
  const installedNames = new Set(files.map((f) => f.name));
  const bases = new Set(files.map((f) => f.base));
  const superseded: string[] = [];
  for (const name of await readdir(databaseDir)) {
    const base = FEED_FILE_NAME.exec(name)?.[1];
    if (base !== undefined && bases.has(base) && !installedNames.has(name)) {
      await rm(join(databaseDir, name), { force: true });
      superseded.push(name);
    }
  }
  await fsyncDirectory(databaseDir);
  return superseded;
}

export { readDatabaseHeaders };

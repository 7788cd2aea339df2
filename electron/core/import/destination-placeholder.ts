/**
 * The commit without replacing anything: Node has no rename(2) that refuses to replace (Linux's
 * RENAME_NOREPLACE), and rename(2) of a folder onto an existing *empty* folder replaces it. So an
 * empty folder someone made at DIR/NAME in the instant before the commit rename would vanish
 * under the import. Instead the import makes DIR/NAME itself, exclusively (mkdir fails with
 * EEXIST if anything is there: OUTPUT_EXISTS), records that folder's device and inode in its
 * staging folder, and renames the payload over its own empty folder. If someone put something in
 * it meanwhile, the rename fails with ENOTEMPTY (OUTPUT_EXISTS) and what they put there stays.
 *
 * Made and recorded in one synchronous step (no JavaScript signal handler runs in between), the
 * record written under a temp name and renamed, so it is whole or absent. A placeholder left by a
 * killed import is removed by the sweep that removes its dead staging folder, and only if it is
 * still the folder recorded (same device and inode) and still empty (rmdir never removes content).
 * Windows' rename never replaces a folder, so there the rename alone is the exclusive step.
 */
import { closeSync, constants, fstatSync, lstatSync, mkdirSync, openSync, readFileSync, renameSync, rmdirSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';

export const PLACEHOLDER_FILE = 'placeholder.json';
const MAX_RECORD_BYTES = 16 * 1024;

export interface PlaceholderRecord {
  airlock: 'destination-placeholder';
  version: 1;
  path: string;
  dev: string;
  ino: string;
}

/** Whether the commit needs a placeholder here: where rename(2) replaces an empty folder. */
export const renameReplacesEmptyFolders = process.platform !== 'win32';

function folderStamp(path: string): { dev: string; ino: string } | null {
  try {
    const stats = lstatSync(path, { bigint: true });
    return stats.isDirectory() ? { dev: String(stats.dev), ino: String(stats.ino) } : null;
  } catch {
    return null;
  }
}

/**
 * mkdir `target` (EEXIST if anything is there, symlinks included) and record it in `stagingRoot`.
 * If the record cannot be written, the folder is taken back and the error thrown.
 */
export function makePlaceholder(stagingRoot: string, target: string): PlaceholderRecord {
  mkdirSync(target, { mode: 0o700 });
  const id = folderStamp(target);
  if (id === null) throw Object.assign(new Error(`${target} changed as it was made`), { code: 'EEXIST' });
  const temp = join(stagingRoot, `${PLACEHOLDER_FILE}.tmp`);
  try {
    const record: PlaceholderRecord = { airlock: 'destination-placeholder', version: 1, path: target, ...id };
    const fd = openSync(temp, 'wx', 0o600);
    try {
      writeSync(fd, JSON.stringify(record));
      // Not fsynced: a kill -9 loses nothing written, and the placeholder lives only until the
      // commit rename a few system calls later, whose folder fsync then makes both durable.
      renameSync(temp, join(stagingRoot, PLACEHOLDER_FILE));
    } finally {
      closeSync(fd);
    }
    return record;
  } catch (error) {
    rmSync(temp, { force: true });
    removeIfStillOurs({ path: target, ...id });
    throw error;
  }
}

/** rmdir the placeholder if it is still the folder made (same device and inode) and empty; anything else stays. */
export function removeIfStillOurs(record: Pick<PlaceholderRecord, 'path' | 'dev' | 'ino'>): void {
  const now = folderStamp(record.path);
  if (now === null || now.dev !== record.dev || now.ino !== record.ino) return;
  try {
    rmdirSync(record.path);
  } catch {
    // ENOTEMPTY: someone put something in it; it is theirs now. Any other failure: it stays, reported by OUTPUT_EXISTS.
  }
}

/**
 * The placeholder a dead import recorded in `stagingRoot`, removed if still ours and empty. The
 * record is read without following a symlink, with a size bound, and must name a folder directly
 * in `destDir`; a malformed one is ignored.
 */
export function releaseRecordedPlaceholder(stagingRoot: string, destDir: string): void {
  let text: string;
  try {
    const fd = openSync(join(stagingRoot, PLACEHOLDER_FILE), constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
    try {
      const stats = fstatSync(fd);
      if (!stats.isFile() || stats.size > MAX_RECORD_BYTES) return;
      text = readFileSync(fd, 'utf8');
    } finally {
      closeSync(fd);
    }
  } catch {
    return;
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return;
  }
  if (typeof value !== 'object' || value === null) return;
  const v = value as Record<string, unknown>;
  const { path, dev, ino } = v;
  if (v['airlock'] !== 'destination-placeholder' || typeof path !== 'string' || typeof dev !== 'string' || typeof ino !== 'string') return;
  if (dirname(path) !== resolve(destDir) || basename(path).startsWith('.')) return;
  removeIfStillOurs({ path, dev, ino });
}

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

/** Written before the mkdir: the path only (the folder's device and inode are not known yet). */
interface PlaceholderIntent extends Omit<PlaceholderRecord, 'dev' | 'ino'> {
  dev: null;
  ino: null;
}

/**
 * The placeholder's mode: private, and with the sticky bit, which mkdir(2) sets and no umask
 * clears. Folders people make do not look like this; with the intent record it marks the folder as
 * the one this import's mkdir made (file times alone cannot order two steps within a clock tick).
 * The commit rename replaces it, so the imported folder never has it.
 */
export const PLACEHOLDER_MODE = 0o1700;
/** How soon after the intent an empty placeholder-mode folder at its path counts as the one its mkdir made. */
const INTENT_PROOF_NS = 2_000_000_000n;

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

/** The record, whole or absent: written under a temp name and renamed (not fsynced: see makePlaceholder). */
function writeRecord(stagingRoot: string, record: PlaceholderRecord | PlaceholderIntent): void {
  const temp = join(stagingRoot, `${PLACEHOLDER_FILE}.tmp`);
  try {
    const fd = openSync(temp, 'w', 0o600);
    try {
      writeSync(fd, JSON.stringify(record));
    } finally {
      closeSync(fd);
    }
    renameSync(temp, join(stagingRoot, PLACEHOLDER_FILE));
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
}

/**
 * mkdir `target` (EEXIST if anything is there, symlinks included) and record it in `stagingRoot`.
 * The record is written twice: naming the path before the mkdir (an intent), with the folder's
 * device and inode after it. A kill between the two (a few system calls, but a write to a loaded
 * disk can stall there: kills landed in it) leaves the intent, and recovery can still prove the
 * empty folder this import's (releaseRecordedPlaceholder). If a record cannot be written, the
 * folder is taken back and the error thrown.
 * Not fsynced: a kill -9 loses nothing written, and the placeholder lives only until the commit
 * rename a few system calls later, whose folder fsync then makes both durable.
 */
export function makePlaceholder(stagingRoot: string, target: string): PlaceholderRecord {
  writeRecord(stagingRoot, { airlock: 'destination-placeholder', version: 1, path: target, dev: null, ino: null });
  mkdirSync(target, { mode: PLACEHOLDER_MODE });
  const id = folderStamp(target);
  if (id === null) throw Object.assign(new Error(`${target} changed as it was made`), { code: 'EEXIST' });
  try {
    const record: PlaceholderRecord = { airlock: 'destination-placeholder', version: 1, path: target, ...id };
    writeRecord(stagingRoot, record);
    return record;
  } catch (error) {
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
  let recordChanged: bigint;
  try {
    const fd = openSync(join(stagingRoot, PLACEHOLDER_FILE), constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
    try {
      const stats = fstatSync(fd, { bigint: true });
      if (!stats.isFile() || stats.size > BigInt(MAX_RECORD_BYTES)) return;
      recordChanged = stats.mtimeNs;
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
  if (v['airlock'] !== 'destination-placeholder' || typeof path !== 'string') return;
  if (dirname(path) !== resolve(destDir) || basename(path).startsWith('.')) return;
  if (typeof dev === 'string' && typeof ino === 'string') removeIfStillOurs({ path, dev, ino });
  else if (dev === null && ino === null) removeIfMadeAfterIntent(path, recordChanged);
}

/**
 * Killed between the intent and the full record: the folder at `path` is this import's if it is a
 * real, empty folder of this user with the placeholder's mode, changed last within moments after
 * the intent was written (the import held the ledger's claim on that name all the while, so no
 * other import made it). rmdir never removes content.
 */
function removeIfMadeAfterIntent(path: string, intentWrittenNs: bigint): void {
  let stats;
  try {
    stats = lstatSync(path, { bigint: true });
  } catch {
    return;
  }
  const uid = process.getuid?.();
  if (!stats.isDirectory() || (uid !== undefined && stats.uid !== BigInt(uid))) return;
  if ((stats.mode & 0o7777n) !== BigInt(PLACEHOLDER_MODE)) return;
  const after = stats.ctimeNs - intentWrittenNs;
  if (after < 0n || after > INTENT_PROOF_NS) return;
  try {
    rmdirSync(path);
  } catch {
    // ENOTEMPTY: someone put something in it; it is theirs now.
  }
}

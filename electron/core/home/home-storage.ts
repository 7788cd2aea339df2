/**
 * Failures of the station home's storage, named for the operator: a full file system is
 * NO_SPACE (SQLite says only "disk I/O error" when it cannot grow its shared-memory file, or
 * SQLITE_FULL), a read-only one HOME_INVALID, instead of an I/O error with no next step.
 */
import { accessSync, constants, statfsSync } from 'node:fs';
import { dirname } from 'node:path';
import { AirlockError, errnoOf } from '../errors.js';

/** Below this the home counts as full: SQLite needs 32 KiB for its -shm file and room for the WAL. */
const FULL_BELOW_BYTES = 1 << 20;

function freeBytes(root: string): number | null {
  try {
    const s = statfsSync(root);
    return Number(s.bavail) * Number(s.bsize);
  } catch {
    return null;
  }
}

function writable(root: string): boolean {
  try {
    accessSync(root, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/** The failure as NO_SPACE or HOME_INVALID (read-only) when the home's storage explains it; null otherwise. */
export function homeStorageFailure(error: unknown, root: string, also = ''): AirlockError | null {
  let cause: unknown = error;
  for (let depth = 0; depth < 3 && cause instanceof AirlockError && cause.cause !== undefined; depth += 1) cause = cause.cause;
  const code = errnoOf(cause) ?? '';
  const detail = cause instanceof Error ? cause.message : String(cause);
  const tail = also ? ` ${also}` : '';
  // SQLite names neither cause: "unable to open database file" on a read-only home, "disk I/O error" on a full one.
  const sqliteStorage = code === 'SQLITE_FULL' || /^SQLITE_(?:IOERR|CANTOPEN|READONLY)/u.test(code);
  if (code === 'EROFS' || (sqliteStorage && !writable(root))) {
    return new AirlockError(
      'HOME_INVALID',
      `The station home ${root} cannot be written (read-only) (${detail}): Airlock can show, verify and export the audit log but record nothing.${tail}`,
      { path: root, cause },
    );
  }
  const free = freeBytes(root);
  if (code === 'ENOSPC' || code === 'EDQUOT' || code === 'SQLITE_FULL' || (sqliteStorage && free !== null && free < FULL_BELOW_BYTES)) {
    return new AirlockError(
      'NO_SPACE',
      `The station home ${root} is full (${free ?? 'unknown'} bytes free): the audit log cannot record anything until space is freed there (${detail}).${tail}`,
      { path: root, cause },
    );
  }
  return null;
}

/**
 * Room the settlement of an import needs in the home, estimated: SQLite's -shm and WAL slack
 * (FULL_BELOW_BYTES) and about this much per audit file row, for the row, its index entry and
 * the WAL's copy of both pages.
 */
const BYTES_PER_FILE_ROW = 256;

/**
 * NO_SPACE naming the home when it has less free space than recording an import of `rows` files
 * needs; null when it has room or its free space cannot be read. Checked before the commit: an
 * import put in place that its home cannot record is in the operator's folder with no event
 * until space is freed (fault harness, full-disk-import-home). An estimate, not a reservation:
 * what another process writes meanwhile can still fill it, and then the settlement's own
 * failure (AUDIT_UNAVAILABLE, recorded by the next start) is the answer.
 */
export function homeRoomFailure(databaseFile: string, rows: number): AirlockError | null {
  const root = dirname(databaseFile);
  const free = freeBytes(root);
  const needed = FULL_BELOW_BYTES + rows * BYTES_PER_FILE_ROW;
  if (free === null || free >= needed) return null;
  return new AirlockError(
    'NO_SPACE',
    `The station home's storage (${root}) has ${free} bytes free, less than the ${needed} recording this import needs: nothing was imported.`,
    { path: root },
  );
}

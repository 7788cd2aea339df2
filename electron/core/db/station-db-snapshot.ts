/**
 * Reading the station database when its home cannot take a write: a full disk (SQLite cannot
 * grow its -shm file, so even a read-only connection fails) or a read-only file system. The
 * database and its WAL are copied to a private folder in the OS temp directory and read there,
 * so `audit verify`, `audit list` and `audit export` still work and see every committed event
 * (the WAL's too). Nothing in the home is written. The copy is removed on dispose.
 *
 * The two files are copied one after the other, so another process's checkpoint in between
 * would pair an old database with a restarted WAL (whose frames SQLite then ignores): the copy
 * would silently miss events. Both files' identity (size, mtime, inode) is compared before and
 * after; a copy that raced a writer is taken again.
 */
import { copyFileSync, existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AirlockError } from '../errors.js';
import { openStationDb, type StationDb } from './station-db.js';

export interface StationDbSnapshot {
  db: StationDb;
  dispose(): void;
}

const COPY_ATTEMPTS = 5;

/** What changes when a writer touches a file; '' when it does not exist. */
function fileState(path: string): string {
  if (!existsSync(path)) return '';
  const s = statSync(path, { bigint: true });
  return `${s.ino}:${s.size}:${s.mtimeNs}`;
}

function copyPair(file: string, copy: string): boolean {
  const before = `${fileState(file)}|${fileState(`${file}-wal`)}`;
  copyFileSync(file, copy);
  rmSync(`${copy}-wal`, { force: true });
  if (existsSync(`${file}-wal`)) copyFileSync(`${file}-wal`, `${copy}-wal`);
  return `${fileState(file)}|${fileState(`${file}-wal`)}` === before;
}

export function openStationDbSnapshot(file: string): StationDbSnapshot {
  const dir = mkdtempSync(join(tmpdir(), 'airlock-audit-read-'));
  try {
    const copy = join(dir, 'airlock.db');
    let consistent = false;
    for (let attempt = 0; attempt < COPY_ATTEMPTS && !consistent; attempt++) consistent = copyPair(file, copy);
    if (!consistent)
      throw new AirlockError(
        'AUDIT_UNAVAILABLE',
        'The station database kept changing while it was copied for reading; try again when no other Airlock is running.',
      );
    const db = openStationDb(copy);
    return {
      db,
      dispose: () => {
        db.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}

/**
 * Reading the station database when its home cannot take a write: a full disk (SQLite cannot
 * grow its -shm file, so even a read-only connection fails) or a read-only file system. The
 * database and its WAL are copied to a private folder in the OS temp directory and read there,
 * so `audit verify`, `audit list` and `audit export` still work and see every committed event
 * (the WAL's too). Nothing in the home is written. The copy is removed on dispose.
 */
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStationDb, type StationDb } from './station-db.js';

export interface StationDbSnapshot {
  db: StationDb;
  dispose(): void;
}

export function openStationDbSnapshot(file: string): StationDbSnapshot {
  const dir = mkdtempSync(join(tmpdir(), 'airlock-audit-read-'));
  try {
    const copy = join(dir, 'airlock.db');
    copyFileSync(file, copy);
    if (existsSync(`${file}-wal`)) copyFileSync(`${file}-wal`, `${copy}-wal`);
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

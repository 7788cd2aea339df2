/**
 * One forwarder per home at a time: `airlock watch`, `airlock audit forward --follow` and the app
 * may all want to forward, and two writers of one JSON-lines file (or two rotations racing) would
 * lose lines. The lease is an exclusive SQLite lock on `forward.lock` in the home: a POSIX lock the
 * kernel drops when its process dies, kill -9 included, so a dead holder never blocks the next one
 * and no stale-lock guessing is needed. The cursor itself only moves forward (forward-cursor.ts),
 * so even without the lease nothing would move it back.
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';

export const LEASE_FILE = 'forward.lock';

export class ForwardLease {
  private constructor(private db: Database.Database | null) {}

  /** The lease, or null when another process (or another forwarder in this one) holds it. */
  static tryTake(homeRoot: string): ForwardLease | null {
    const db = new Database(join(homeRoot, LEASE_FILE));
    try {
      db.pragma('busy_timeout = 0');
      db.exec('BEGIN EXCLUSIVE');
      return new ForwardLease(db);
    } catch (error) {
      db.close();
      if (error instanceof Error && 'code' in error && (error.code === 'SQLITE_BUSY' || error.code === 'SQLITE_LOCKED')) return null;
      throw error;
    }
  }

  release(): void {
    this.db?.close();
    this.db = null;
  }
}

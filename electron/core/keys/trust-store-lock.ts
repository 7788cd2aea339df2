/**
 * One change of the trust store at a time. `keys trust`, `keys untrust`, `keys revoke-import`,
 * `keys generate` and `keys rotate` read trusted-signers.json, change it and write it back whole;
 * two at once on one home each wrote what it had read, so one change was lost while its command
 * said done and the audit log recorded it (found by the fault harness's race-home scenario:
 * docs/design-notes.md, faults7).
 *
 * Between processes the lock is SQLite's write lock on a small file beside the store (BEGIN
 * IMMEDIATE, nothing ever written): it is the kernel's file lock, so a holder killed with -9
 * leaves no lock to judge and no file to sweep, unlike a lock file naming its owner. Within a
 * process the changes queue first, since a second connection of the same thread would wait
 * for the lock synchronously while the holder needs the event loop to finish.
 */
import { sqliteDatabase } from '../db/station-db.js';
import { AirlockError } from '../errors.js';
import type { HomePaths } from '../home/station-home.js';

/** A change takes milliseconds (a read, a write, an fsync); this long means the holder is stuck. */
const WAIT_MS = 10_000;
const POLL_MS = 20;

const queues = new Map<string, Promise<void>>();

export function trustStoreLockPath(paths: HomePaths): string {
  return `${paths.trustStore}.lock`;
}

/** BEGIN IMMEDIATE, tried again every POLL_MS while another process holds the lock, up to WAIT_MS. */
async function begin(db: { exec(sql: string): unknown }, file: string): Promise<void> {
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    try {
      db.exec('BEGIN IMMEDIATE');
      return;
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      if (code !== 'SQLITE_BUSY' && code !== 'SQLITE_LOCKED') throw error;
      if (Date.now() >= deadline) throw new AirlockError('TRUST_STORE_BUSY', `Waited ${WAIT_MS / 1000} s for ${file}.`, { path: file, cause: error });
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

/** Run `change` (read, change, write the store) holding the trust store's lock; TRUST_STORE_BUSY if another process holds it too long. */
export async function withTrustStoreLock<T>(paths: HomePaths, change: () => Promise<T>): Promise<T> {
  const file = trustStoreLockPath(paths);
  const before = queues.get(file) ?? Promise.resolve();
  let release = (): void => undefined;
  const mine = new Promise<void>((resolve) => (release = resolve));
  const tail = before.then(() => mine);
  queues.set(file, tail);
  await before;
  try {
    const Database = sqliteDatabase();
    // No busy timeout: SQLite's would wait synchronously, holding the event loop (the app's main process, a watcher) for up to WAIT_MS.
    const db = new Database(file, { timeout: 0 });
    try {
      await begin(db, file);
      try {
        return await change();
      } finally {
        db.exec('ROLLBACK');
      }
    } finally {
      db.close();
    }
  } finally {
    release();
    if (queues.get(file) === tail) queues.delete(file);
  }
}

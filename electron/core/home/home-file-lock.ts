/**
 * One change of a station home's settings file at a time. The trust store, config.json and
 * policy.json are read, changed and written back whole; two changes at once on one home each
 * wrote what it had read, so one was lost while its command said done and the audit log recorded
 * it (found by the fault harness's race-home scenario: docs/design-notes.md, faults7 and lostupd).
 *
 * Between processes the lock is SQLite's write lock on a small file beside the settings file
 * (BEGIN IMMEDIATE, nothing ever written): it is the kernel's file lock, so a holder killed with
 * -9 leaves no lock to judge and no file to sweep, unlike a lock file naming its owner. Within a
 * process the changes queue first, since a second connection of the same thread would wait for
 * the lock synchronously while the holder needs the event loop to finish.
 *
 * The station holds the lock across the change AND its audit event (so the log's order is the
 * file's), and the change itself (trust-store.ts, station-settings.ts) takes the same lock for its
 * other callers: the station hands its hold down, and a take given the live hold of its own lock
 * file runs at once. Explicit, not AsyncLocalStorage: on Node 20 that turns on promise hooks for
 * the whole process from its first use, a cost on every promise of every later import and export.
 */
import { sqliteDatabase } from '../db/station-db.js';
import { AirlockError } from '../errors.js';

/** A change takes milliseconds (a read, a write, an fsync, an audit event); this long means the holder is stuck. */
const WAIT_MS = 10_000;
const POLL_MS = 20;

const queues = new Map<string, Promise<void>>();
/** A held lock, handed to the change; passed back to a nested take, it lets that take run at once while it is live. */
export interface HomeFileHold {
  readonly lockFile: string;
  /** False once the lock is released: work the holder left running past its release queues like anyone else. */
  live(): boolean;
}

/** The lock file beside `file` (the settings file it guards, or the first of the files guarded together). */
export function homeFileLockPath(file: string): string {
  return `${file}.lock`;
}

/** BEGIN IMMEDIATE, tried again every POLL_MS while another process holds the lock, up to WAIT_MS. */
async function begin(db: { exec(sql: string): unknown }, file: string, waitMs: number): Promise<void> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    try {
      db.exec('BEGIN IMMEDIATE');
      return;
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      if (code !== 'SQLITE_BUSY' && code !== 'SQLITE_LOCKED') throw error;
      if (Date.now() >= deadline) throw new AirlockError('HOME_FILE_BUSY', `Waited ${waitMs / 1000} s for ${file}.`, { path: file, cause: error });
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

/**
 * Run `change` (read, change, write and fsync the file, record its event) holding the lock file
 * `lockFile`; HOME_FILE_BUSY if another process holds it longer than `waitMs` (nothing changed then).
 * With `held`, the caller's own live hold of this lock file, `change` runs at once under it.
 */
export async function withHomeFileLock<T>(
  lockFile: string,
  change: (hold: HomeFileHold) => Promise<T>,
  options: { held?: HomeFileHold | undefined; waitMs?: number } = {},
): Promise<T> {
  if (options.held !== undefined && options.held.lockFile === lockFile && options.held.live()) return change(options.held);
  const waitMs = options.waitMs ?? WAIT_MS;
  const before = queues.get(lockFile) ?? Promise.resolve();
  let release = (): void => undefined;
  const turn = new Promise<void>((resolve) => (release = resolve));
  const tail = before.then(() => turn);
  queues.set(lockFile, tail);
  await before;
  try {
    const Database = sqliteDatabase();
    // No busy timeout: SQLite's would wait synchronously, holding the event loop (the app's main process, a watcher) for up to waitMs.
    const db = new Database(lockFile, { timeout: 0 });
    try {
      await begin(db, lockFile, waitMs);
      let live = true;
      try {
        return await change({ lockFile, live: () => live });
      } finally {
        live = false;
        db.exec('ROLLBACK');
      }
    } finally {
      db.close();
    }
  } finally {
    release();
    if (queues.get(lockFile) === tail) queues.delete(lockFile);
  }
}

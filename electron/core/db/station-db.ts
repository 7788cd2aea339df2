import type Database from 'better-sqlite3';
import { AirlockError } from '../errors.js';
import { MIGRATIONS, type Migration } from './migrations.js';
import { loadSqlite } from './sqlite-module.js';

export type StationDb = Database.Database;

let sqlite: typeof Database | undefined;

/**
 * better-sqlite3, loaded when the first database is opened rather than when the engine is: a
 * native module costs every CLI command its load, and keys list, --help and --version never
 * open the database (docs/design-notes.md, "CLI start-up, round 2").
 */
export function sqliteDatabase(): typeof Database {
  // node:module too is taken here, not imported: its import loaded node's ES module loader for every
  // command whose engine modules include this one (keys list: "CLI start-up, round 5").
  // Its native addon named, not searched for (sqlite-module.ts).
  sqlite ??= loadSqlite(process.getBuiltinModule('node:module').createRequire(import.meta.url));
  return sqlite;
}

/** Long enough for the CLI and the app to take turns on one home; short enough to report a stuck writer. */
const BUSY_TIMEOUT_MS = 10_000;

export function openStationDb(file: string, migrations: readonly Migration[] = MIGRATIONS): StationDb {
  let db: StationDb;
  try {
    const SqliteDatabase = sqliteDatabase();
    db = new SqliteDatabase(file);
  } catch (error) {
    throw new AirlockError('HOME_INVALID', `The station database ${file} cannot be opened: ${(error as Error).message}`, { path: file, cause: error });
  }
  db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  migrate(db, migrations);
  return db;
}

export function schemaVersion(db: StationDb): number {
  const row = db.prepare('SELECT MAX(version) AS version FROM schema_migrations').get() as { version: number | null };
  return row.version ?? 0;
}

function migrate(db: StationDb, migrations: readonly Migration[]): void {
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, description TEXT NOT NULL, applied_at TEXT NOT NULL) STRICT');
  const pending = migrations.filter((m) => !db.prepare('SELECT 1 FROM schema_migrations WHERE version = ?').get(m.version));
  if (pending.length === 0) {
    checkKnownVersion(db, migrations);
    return;
  }
  // A migration that rebuilds a table (SQLite cannot alter a CHECK) must not trip the foreign
  // keys pointing at it; they are off while migrating (the pragma is a no-op inside a
  // transaction) and checked as a whole after.
  db.pragma('foreign_keys = OFF');
  try {
    applyMigrations(db, pending);
    const broken = db.pragma('foreign_key_check') as unknown[];
    if (broken.length > 0) throw new AirlockError('HOME_INVALID', `The station database has ${broken.length} broken references after migrating.`);
  } finally {
    db.pragma('foreign_keys = ON');
  }
  checkKnownVersion(db, migrations);
}

function applyMigrations(db: StationDb, migrations: readonly Migration[]): void {
  for (const migration of migrations) {
    // IMMEDIATE: two processes opening a fresh home at once must not both apply a migration.
    db.transaction(() => {
      const done = db.prepare('SELECT 1 FROM schema_migrations WHERE version = ?').get(migration.version);
      if (done) return;
      db.exec(migration.sql);
      db.prepare('INSERT INTO schema_migrations (version, description, applied_at) VALUES (?, ?, ?)').run(
        migration.version,
        migration.description,
        new Date().toISOString(),
      );
    }).immediate();
  }
}

function checkKnownVersion(db: StationDb, migrations: readonly Migration[]): void {
  const known = Math.max(0, ...migrations.map((m) => m.version));
  if (schemaVersion(db) > known) {
    throw new AirlockError('HOME_INVALID', `The station database was written by a newer Airlock (schema ${schemaVersion(db)}; this one knows ${known}).`);
  }
}

/** Next export sequence number of this station: 1, 2, 3 ... atomic across processes. */
export function nextExportSequence(db: StationDb): number {
  const row = db
    .prepare("INSERT INTO counters (name, value) VALUES ('export-sequence', 1) ON CONFLICT(name) DO UPDATE SET value = value + 1 RETURNING value")
    .get() as { value: number };
  return row.value;
}

/**
 * Station database migrations, applied in order, each exactly once, each in its own
 * transaction. Never edit a released migration: add the next one.
 */
export interface Migration {
  version: number;
  description: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'station counters (export sequence numbers)',
    sql: `
      CREATE TABLE counters (
        name  TEXT PRIMARY KEY,
        value INTEGER NOT NULL
      ) STRICT;
    `,
  },
  {
    version: 2,
    description: 'import ledger (replay guard, crash recovery of commits)',
    sql: `
      CREATE TABLE imports (
        id                  INTEGER PRIMARY KEY,
        tagmanifest_sha256  TEXT NOT NULL,
        bundle_uuid         TEXT,
        bundle_name         TEXT NOT NULL,
        signer_fingerprints TEXT NOT NULL,
        sequence            INTEGER,
        source_station      TEXT,
        destination         TEXT NOT NULL,
        status              TEXT NOT NULL CHECK (status IN ('pending', 'imported')),
        replay_of           INTEGER REFERENCES imports(id),
        operator            TEXT NOT NULL,
        started_at          TEXT NOT NULL,
        committed_at        TEXT
      ) STRICT;
      CREATE INDEX imports_by_tagmanifest ON imports (tagmanifest_sha256);
      CREATE INDEX imports_by_uuid ON imports (bundle_uuid);
    `,
  },
];

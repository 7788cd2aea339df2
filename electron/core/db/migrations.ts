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
  {
    version: 3,
    description: 'audit log: hash-chained events, per-file rows, signed checkpoints',
    sql: `
      CREATE TABLE audit_events (
        seq                 INTEGER PRIMARY KEY,
        at                  TEXT NOT NULL,
        type                TEXT NOT NULL,
        outcome             TEXT NOT NULL,
        operator            TEXT NOT NULL,
        station             TEXT NOT NULL,
        bundle_uuid         TEXT,
        bundle_name         TEXT,
        tagmanifest_sha256  TEXT,
        signers             TEXT NOT NULL,
        problem_codes       TEXT NOT NULL,
        error_code          TEXT,
        files               INTEGER,
        bytes               INTEGER,
        details             TEXT NOT NULL,
        files_digest        TEXT,
        prev_hash           TEXT NOT NULL,
        hash                TEXT NOT NULL
      ) STRICT;
      CREATE INDEX audit_events_by_at ON audit_events (at);
      CREATE INDEX audit_events_by_type ON audit_events (type, seq);
      CREATE INDEX audit_events_by_outcome ON audit_events (outcome, seq);
      CREATE INDEX audit_events_by_bundle ON audit_events (bundle_uuid);
      CREATE INDEX audit_events_by_bundle_name ON audit_events (bundle_name);
      CREATE TABLE audit_files (
        event_seq INTEGER NOT NULL REFERENCES audit_events (seq),
        ordinal   INTEGER NOT NULL,
        path      TEXT NOT NULL,
        size      INTEGER NOT NULL,
        sha256    TEXT NOT NULL,
        PRIMARY KEY (event_seq, ordinal)
      ) STRICT, WITHOUT ROWID;
      CREATE TABLE audit_checkpoints (
        id          INTEGER PRIMARY KEY,
        event_seq   INTEGER NOT NULL,
        head_hash   TEXT NOT NULL,
        at          TEXT NOT NULL,
        fingerprint TEXT NOT NULL,
        signature   TEXT NOT NULL
      ) STRICT;
    `,
  },
];

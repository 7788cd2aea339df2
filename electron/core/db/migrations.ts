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
  {
    version: 4,
    description: 'intents before acts: import claims with their owner process, failed claims kept; export intents',
    // Rebuilt, not altered: the status CHECK gains 'failed' (foreign keys are off while migrating).
    sql: `
      CREATE TABLE imports_v4 (
        id                  INTEGER PRIMARY KEY,
        tagmanifest_sha256  TEXT NOT NULL,
        bundle_uuid         TEXT,
        bundle_name         TEXT NOT NULL,
        signer_fingerprints TEXT NOT NULL,
        sequence            INTEGER,
        source_station      TEXT,
        destination         TEXT NOT NULL,
        status              TEXT NOT NULL CHECK (status IN ('pending', 'imported', 'failed')),
        replay_of           INTEGER REFERENCES imports(id),
        operator            TEXT NOT NULL,
        started_at          TEXT NOT NULL,
        committed_at        TEXT,
        owner_pid           INTEGER,
        owner_host          TEXT,
        owner_boot          TEXT,
        owner_start         TEXT,
        staged_dev          TEXT,
        staged_ino          TEXT,
        bundle_path         TEXT,
        files               INTEGER,
        bytes               INTEGER,
        resolved_at         TEXT,
        recovered           INTEGER NOT NULL DEFAULT 0
      ) STRICT;
      INSERT INTO imports_v4 (id, tagmanifest_sha256, bundle_uuid, bundle_name, signer_fingerprints, sequence, source_station, destination, status, replay_of, operator, started_at, committed_at, resolved_at)
        SELECT id, tagmanifest_sha256, bundle_uuid, bundle_name, signer_fingerprints, sequence, source_station, destination, status, replay_of, operator, started_at, committed_at, committed_at FROM imports;
      -- Older versions could leave several pending rows for one destination or bundle; all but the
      -- first become failed, so the one-pending indexes below can hold (the first is settled
      -- from the file system on the next start, recovery/reconcile.ts).
      UPDATE imports_v4 SET status = 'failed', resolved_at = started_at WHERE status = 'pending'
        AND id NOT IN (SELECT MIN(id) FROM imports_v4 WHERE status = 'pending' GROUP BY destination);
      UPDATE imports_v4 SET status = 'failed', resolved_at = started_at WHERE status = 'pending'
        AND id NOT IN (SELECT MIN(id) FROM imports_v4 WHERE status = 'pending' GROUP BY tagmanifest_sha256);
      DROP TABLE imports;
      ALTER TABLE imports_v4 RENAME TO imports;
      CREATE INDEX imports_by_tagmanifest ON imports (tagmanifest_sha256);
      CREATE INDEX imports_by_uuid ON imports (bundle_uuid);
      -- At most one live claim per destination and per bundle: the second claimer gets a
      -- constraint error even if the claim's own checks were ever bypassed.
      CREATE UNIQUE INDEX imports_one_pending_per_destination ON imports (destination) WHERE status = 'pending';
      CREATE UNIQUE INDEX imports_one_pending_per_bundle ON imports (tagmanifest_sha256) WHERE status = 'pending';
      CREATE TABLE export_intents (
        id          INTEGER PRIMARY KEY,
        kind        TEXT NOT NULL CHECK (kind IN ('folder', 'media')),
        bundle_name TEXT NOT NULL,
        sequence    INTEGER NOT NULL,
        station     TEXT NOT NULL,
        path        TEXT NOT NULL,
        status      TEXT NOT NULL CHECK (status IN ('pending', 'exported', 'failed')),
        operator    TEXT NOT NULL,
        details     TEXT NOT NULL,
        owner_pid   INTEGER NOT NULL,
        owner_host  TEXT NOT NULL,
        owner_boot  TEXT,
        owner_start TEXT,
        started_at  TEXT NOT NULL,
        resolved_at TEXT,
        recovered   INTEGER NOT NULL DEFAULT 0
      ) STRICT;
      CREATE UNIQUE INDEX export_intents_one_pending_per_path ON export_intents (path) WHERE status = 'pending';
    `,
  },
  {
    version: 5,
    description: 'registry push journal (resume a killed push, issue #15.4)',
    sql: `
      -- One row per blob or manifest of a bundle pushed to a registry target: what is done, and
      -- for a blob in progress the registry's upload URL and the bytes it acknowledged, so a push
      -- run again after a kill resumes there (the registry's Range decides the real offset).
      CREATE TABLE push_journal (
        tagmanifest_sha256 TEXT NOT NULL,
        target             TEXT NOT NULL,
        repository         TEXT NOT NULL,
        kind               TEXT NOT NULL CHECK (kind IN ('blob', 'manifest')),
        digest             TEXT NOT NULL,
        state              TEXT NOT NULL CHECK (state IN ('uploading', 'done')),
        upload_url         TEXT,
        bytes_acked        INTEGER NOT NULL DEFAULT 0,
        updated_at         TEXT NOT NULL,
        PRIMARY KEY (tagmanifest_sha256, target, repository, kind, digest)
      ) STRICT;
      -- An import that committed while some of its images failed to push: running it again with
      -- the same target only pushes (no replay override needed, nothing imported twice).
      CREATE TABLE push_unfinished (
        tagmanifest_sha256 TEXT NOT NULL,
        target             TEXT NOT NULL,
        failed_images      INTEGER NOT NULL,
        recorded_at        TEXT NOT NULL,
        PRIMARY KEY (tagmanifest_sha256, target)
      ) STRICT;
    `,
  },
  {
    version: 6,
    description: 'channels: sequence numbers and back-links on both sides (issue #17.1)',
    sql: `
      -- Sending side: per channel, the last sequence stamped and the SHA-256 of that bundle's
      -- tagmanifest-sha256.txt (the next bundle's back-link). Advanced only when an export
      -- (or heartbeat) is published, in the same transaction as its audit event.
      CREATE TABLE channel_send (
        channel            TEXT PRIMARY KEY,
        sequence           INTEGER NOT NULL,
        tagmanifest_sha256 TEXT NOT NULL,
        bundle_uuid        TEXT NOT NULL,
        at                 TEXT NOT NULL
      ) STRICT;
      -- Receiving side: per trusted signer fingerprint and channel, the highest sequence seen and
      -- its tag manifest hash; when anything last arrived (heartbeat alarms).
      CREATE TABLE channel_receive (
        signer             TEXT NOT NULL,
        channel            TEXT NOT NULL,
        last_sequence      INTEGER NOT NULL,
        last_tagmanifest_sha256 TEXT NOT NULL,
        last_received_at   TEXT NOT NULL,
        last_heartbeat_at  TEXT,
        -- When a heartbeat alarm was raised and not yet cleared by new traffic (one alarm per silence).
        alarm_raised_at    TEXT,
        PRIMARY KEY (signer, channel)
      ) STRICT;
      -- Every sequence number the receiver has taken per (signer, channel), with its tag manifest
      -- hash: duplicates, reordering and gap filling are told apart from this, and the back-link
      -- of sequence N+1 is checked against the hash recorded for N.
      CREATE TABLE channel_seen (
        signer             TEXT NOT NULL,
        channel            TEXT NOT NULL,
        sequence           INTEGER NOT NULL,
        tagmanifest_sha256 TEXT NOT NULL,
        received_at        TEXT NOT NULL,
        PRIMARY KEY (signer, channel, sequence)
      ) STRICT;
    `,
  },
  {
    version: 7,
    description: 'audit forwarding outbox: per-sink delivery cursor (issue #17.3)',
    sql: `
      -- The audit log is the outbox: each sink keeps the highest seq it acknowledged, so delivery
      -- is at-least-once across outages and restarts and the SIEM de-duplicates by seq.
      CREATE TABLE forward_cursor (
        sink              TEXT PRIMARY KEY,
        delivered_seq     INTEGER NOT NULL DEFAULT 0,
        last_delivered_at TEXT,
        last_attempt_at   TEXT,
        last_error        TEXT
      ) STRICT;
    `,
  },
  {
    version: 8,
    description: 'feed import intents (crash recovery of a signature database swap, issue #16.6)',
    sql: `
      -- Written before a feed import moves its first database file into place; settled with its
      -- feed-import audit event. files: JSON [{name, base, version, signatures, builtAt, dev, ino}]
      -- (the staged copy's device and inode, which the rename keeps).
      CREATE TABLE feed_intents (
        id                 INTEGER PRIMARY KEY,
        bundle_path        TEXT NOT NULL,
        bundle_name        TEXT,
        bundle_uuid        TEXT,
        tagmanifest_sha256 TEXT,
        signers            TEXT NOT NULL,
        database_dir       TEXT NOT NULL,
        files              TEXT NOT NULL,
        details            TEXT NOT NULL,
        status             TEXT NOT NULL CHECK (status IN ('pending', 'installed', 'failed')),
        operator           TEXT NOT NULL,
        owner_pid          INTEGER NOT NULL,
        owner_host         TEXT NOT NULL,
        owner_boot         TEXT,
        owner_start        TEXT,
        started_at         TEXT NOT NULL,
        resolved_at        TEXT,
        recovered          INTEGER NOT NULL DEFAULT 0
      ) STRICT;
    `,
  },
];

/** One test per migration: each applies alone on top of the ones before it and creates what it promises. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../../../../electron/core/db/migrations.js';
import { openStationDb, schemaVersion } from '../../../../electron/core/db/station-db.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'airlock-migrations-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function open(upTo: number, name: string) {
  return openStationDb(
    join(dir, name),
    MIGRATIONS.filter((m) => m.version <= upTo),
  );
}
function columns(db: ReturnType<typeof open>, table: string): string[] {
  return (db.prepare(`PRAGMA table_info(${table})`).all() as Array<{ name: string }>).map((c) => c.name);
}

describe('migrations', () => {
  it('are numbered 1..n without gaps', () => {
    expect(MIGRATIONS.map((m) => m.version)).toEqual(MIGRATIONS.map((_, i) => i + 1));
  });

  it('1: counters', () => {
    const db = open(1, 'm1.db');
    expect(schemaVersion(db)).toBe(1);
    expect(columns(db, 'counters')).toEqual(['name', 'value']);
    db.close();
  });

  it('2: import ledger, upgrading a version-1 database in place', () => {
    const v1 = open(1, 'm2.db');
    v1.prepare("INSERT INTO counters VALUES ('export-sequence', 41)").run();
    v1.close();
    const db = open(2, 'm2.db');
    expect(schemaVersion(db)).toBe(2);
    expect(columns(db, 'imports')).toContain('tagmanifest_sha256');
    expect(db.prepare("SELECT value FROM counters WHERE name = 'export-sequence'").get()).toEqual({ value: 41 });
    expect(() =>
      db
        .prepare(
          "INSERT INTO imports (tagmanifest_sha256, bundle_name, signer_fingerprints, destination, status, operator, started_at) VALUES ('x','n','[]','/d','bogus','o','t')",
        )
        .run(),
    ).toThrow();
    db.close();
  });

  it('3: audit tables, upgrading a version-2 database in place', () => {
    open(2, 'm3.db').close();
    const db = open(3, 'm3.db');
    expect(schemaVersion(db)).toBe(3);
    expect(columns(db, 'audit_events')).toEqual(expect.arrayContaining(['seq', 'prev_hash', 'hash', 'files_digest']));
    expect(columns(db, 'audit_files')).toEqual(['event_seq', 'ordinal', 'path', 'size', 'sha256']);
    expect(columns(db, 'audit_checkpoints')).toEqual(expect.arrayContaining(['event_seq', 'head_hash', 'signature']));
    db.close();
  });

  it('4: import claims keep every earlier row (a replay stays linked to its first import); failed claims and export intents', () => {
    const v3 = open(3, 'm4.db');
    const insert = v3.prepare(
      "INSERT INTO imports (tagmanifest_sha256, bundle_name, signer_fingerprints, destination, status, replay_of, operator, started_at, committed_at) VALUES ('t','n','[]',?,?,?,'o','s',?)",
    );
    insert.run('/d/1', 'imported', null, 'c1');
    insert.run('/d/2', 'imported', 1, 'c2');
    insert.run('/d/3', 'pending', null, null);
    // An older version could leave two pending rows for one destination: the second becomes failed.
    insert.run('/d/3', 'pending', null, null);
    v3.close();
    const db = open(4, 'm4.db');
    expect(schemaVersion(db)).toBe(4);
    expect(db.prepare('SELECT id, destination, status, replay_of, committed_at, owner_pid, recovered FROM imports ORDER BY id').all()).toEqual([
      { id: 1, destination: '/d/1', status: 'imported', replay_of: null, committed_at: 'c1', owner_pid: null, recovered: 0 },
      { id: 2, destination: '/d/2', status: 'imported', replay_of: 1, committed_at: 'c2', owner_pid: null, recovered: 0 },
      { id: 3, destination: '/d/3', status: 'pending', replay_of: null, committed_at: null, owner_pid: null, recovered: 0 },
      { id: 4, destination: '/d/3', status: 'failed', replay_of: null, committed_at: null, owner_pid: null, recovered: 0 },
    ]);
    expect(columns(db, 'imports')).toEqual(expect.arrayContaining(['owner_pid', 'owner_boot', 'owner_start', 'staged_ino', 'resolved_at']));
    db.prepare("UPDATE imports SET status = 'failed' WHERE id = 3").run();
    // At most one pending claim per destination, enforced by the database too.
    const claim = db.prepare(
      "INSERT INTO imports (tagmanifest_sha256, bundle_name, signer_fingerprints, destination, status, operator, started_at) VALUES (?, 'n', '[]', '/d/9', 'pending', 'o', 's')",
    );
    claim.run('a');
    expect(() => claim.run('b')).toThrow(/UNIQUE/u);
    expect(columns(db, 'export_intents')).toEqual(expect.arrayContaining(['path', 'sequence', 'station', 'status', 'owner_pid']));
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    db.close();
  });

  it('the database syncs every commit (a power cut keeps each committed ledger row and audit event)', () => {
    const db = open(4, 'sync.db');
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    // 2 = FULL: in WAL mode the log is fsynced at every commit (NORMAL would not).
    expect(db.pragma('synchronous', { simple: true })).toBe(2);
    db.close();
  });
});

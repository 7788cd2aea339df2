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
  return openStationDb(join(dir, name), MIGRATIONS.filter((m) => m.version <= upTo));
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
    expect(() => db.prepare("INSERT INTO imports (tagmanifest_sha256, bundle_name, signer_fingerprints, destination, status, operator, started_at) VALUES ('x','n','[]','/d','bogus','o','t')").run()).toThrow();
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
});

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../../../../electron/core/db/migrations.js';
import { nextExportSequence, openStationDb, schemaVersion } from '../../../../electron/core/db/station-db.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'airlock-db-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('station database', () => {
  it('migration 1 creates the counters table, and reopening applies nothing twice', () => {
    const file = join(dir, 'a.db');
    const db = openStationDb(file);
    expect(schemaVersion(db)).toBe(MIGRATIONS.length);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.prepare("SELECT name FROM sqlite_master WHERE type='table' AND name='counters'").get()).toBeTruthy();
    db.close();
    const again = openStationDb(file);
    expect((again.prepare('SELECT COUNT(*) AS n FROM schema_migrations').get() as { n: number }).n).toBe(MIGRATIONS.length);
    again.close();
  });

  it('hands out export sequence numbers 1, 2, 3 across connections without repeats', () => {
    const file = join(dir, 'b.db');
    const one = openStationDb(file);
    const two = openStationDb(file);
    const seen = [nextExportSequence(one), nextExportSequence(two), nextExportSequence(one), nextExportSequence(two)];
    expect(seen).toEqual([1, 2, 3, 4]);
    one.close();
    two.close();
  });

  it('refuses a database written by a newer Airlock', () => {
    const file = join(dir, 'c.db');
    const db = openStationDb(file);
    db.prepare("INSERT INTO schema_migrations VALUES (999, 'future', 'x')").run();
    db.close();
    expect(() => openStationDb(file)).toThrow(/newer Airlock/u);
  });
});

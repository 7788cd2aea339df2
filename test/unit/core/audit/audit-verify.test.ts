/**
 * Tampering with the audit log through plain SQL, as someone with the database file would:
 * every edit, deletion, insertion, reordering and cut tail must be detected and located.
 */
import { mkdtemp, rm, unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { signAuditCheckpoint } from '../../../../electron/core/audit/audit-checkpoint.js';
import { appendAuditEvent } from '../../../../electron/core/audit/audit-store.js';
import { verifyAuditLog } from '../../../../electron/core/audit/audit-verify.js';
import { openStationDb, type StationDb } from '../../../../electron/core/db/station-db.js';
import { homePaths, type HomePaths } from '../../../../electron/core/home/station-home.js';
import { openpgpSigner } from '../../../../electron/core/crypto/bundle-signer.js';
import { makeSigner, type TestSigner } from '../../../helpers/hostile-tar.js';

const identity = { station: 'st-1', operator: 'alice (root)', organization: null };
let dir: string;
let db: StationDb;
let paths: HomePaths;
let station: TestSigner;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'airlock-audit-'));
  paths = homePaths(dir);
  db = openStationDb(paths.database);
  station = await makeSigner('Station');
  for (let i = 1; i <= 6; i += 1) {
    appendAuditEvent(db, identity, {
      type: i % 2 === 0 ? 'import' : 'export',
      outcome: 'ok',
      bundleName: `bundle-${i}`,
      bundleUuid: `uuid-${i}`,
      signers: ['ABC'],
      files: 2,
      bytes: 30,
      fileRows: [
        { path: `data/${i}/a.txt`, size: 10, sha256: 'a'.repeat(64) },
        { path: `data/${i}/b.txt`, size: 20, sha256: 'b'.repeat(64) },
      ],
      details: { destination: `/dest/${i}` },
    });
    // Checkpoints after events 3 and 6, as exports and imports make them.
    if (i === 3 || i === 6) await signAuditCheckpoint(db, paths, openpgpSigner(station.privateKey));
  }
});
afterEach(async () => {
  db.close();
  await rm(dir, { recursive: true, force: true });
});

async function verify() {
  return verifyAuditLog(db, paths, [station.trusted]);
}

describe('audit verify', () => {
  it('an untouched log is intact and fully covered by checkpoints', async () => {
    const result = await verify();
    expect(result).toMatchObject({ ok: true, events: 6, checkpoints: 2, lastCheckpointSeq: 6, firstBroken: null });
  });

  it('detects an edited field', async () => {
    db.prepare("UPDATE audit_events SET operator = 'mallory' WHERE seq = 4").run();
    expect((await verify()).firstBroken).toEqual({ seq: 4, reason: 'event #4 was edited after it was recorded' });
  });

  it('detects an edit whose hash was recomputed by the attacker (the chain no longer links)', async () => {
    const { eventHash } = await import('../../../../electron/core/audit/audit-event.js');
    const { iterateAuditEvents } = await import('../../../../electron/core/audit/audit-store.js');
    const event = [...iterateAuditEvents(db)].find((e) => e.seq === 2);
    if (!event) throw new Error('no event 2');
    const { hash: _old, ...rest } = { ...event, outcome: 'rejected' };
    db.prepare("UPDATE audit_events SET outcome = 'rejected', hash = ? WHERE seq = 2").run(eventHash(rest));
    // Event 2 now checks out on its own; the break shows where the next event no longer links to it.
    expect((await verify()).firstBroken).toEqual({ seq: 3, reason: 'event #3 does not follow event #2 (inserted, reordered or edited)' });
  });

  it('detects a rewritten chain even when every hash was recomputed (the signed checkpoint disagrees)', async () => {
    const { eventHash, GENESIS_HASH } = await import('../../../../electron/core/audit/audit-event.js');
    const { iterateAuditEvents } = await import('../../../../electron/core/audit/audit-store.js');
    let prev = GENESIS_HASH;
    for (const event of [...iterateAuditEvents(db)]) {
      const edited = { ...event, prevHash: prev, operator: event.seq === 2 ? 'mallory' : event.operator };
      const { hash: _h, ...rest } = edited;
      const hash = eventHash(rest);
      db.prepare('UPDATE audit_events SET operator = ?, prev_hash = ?, hash = ? WHERE seq = ?').run(edited.operator, prev, hash, event.seq);
      prev = hash;
    }
    const result = await verify();
    expect(result.ok).toBe(false);
    expect(result.firstBroken?.seq).toBe(3);
    expect(result.firstBroken?.reason).toContain('chain was rewritten');
  });

  it('detects a deleted event in the middle', async () => {
    db.prepare('DELETE FROM audit_files WHERE event_seq = 3').run();
    db.prepare('DELETE FROM audit_events WHERE seq = 3').run();
    expect((await verify()).firstBroken).toEqual({ seq: 3, reason: 'event #3 is missing (deleted)' });
  });

  it('detects an inserted event (renumbering the rest)', async () => {
    db.pragma('foreign_keys = OFF');
    db.prepare('UPDATE audit_files SET event_seq = event_seq + 100 WHERE event_seq >= 3').run();
    db.prepare('UPDATE audit_events SET seq = seq + 100 WHERE seq >= 3').run();
    db.prepare('UPDATE audit_events SET seq = seq - 99 WHERE seq >= 103').run();
    db.prepare('UPDATE audit_files SET event_seq = event_seq - 99 WHERE event_seq >= 103').run();
    db.prepare(
      "INSERT INTO audit_events (seq, at, type, outcome, operator, station, signers, problem_codes, details, prev_hash, hash) VALUES (3, '2026-01-01T00:00:00Z', 'export', 'ok', 'mallory', 'st-1', '[]', '[]', '{}', ?, ?)",
    ).run('0'.repeat(64), '1'.repeat(64));
    const result = await verify();
    expect(result.ok).toBe(false);
    expect(result.firstBroken?.seq).toBe(3);
  });

  it('detects an appended forged event at the end', async () => {
    db.prepare(
      "INSERT INTO audit_events (seq, at, type, outcome, operator, station, signers, problem_codes, details, prev_hash, hash) VALUES (7, '2026-01-01T00:00:00Z', 'import', 'ok', 'mallory', 'st-1', '[]', '[]', '{}', ?, ?)",
    ).run('2'.repeat(64), '3'.repeat(64));
    expect((await verify()).firstBroken?.seq).toBe(7);
  });

  it('detects two events swapped (reordered)', async () => {
    const cols =
      'at, type, outcome, operator, station, bundle_uuid, bundle_name, tagmanifest_sha256, signers, problem_codes, error_code, files, bytes, details, files_digest, prev_hash, hash';
    db.exec(`CREATE TEMP TABLE t AS SELECT seq, ${cols} FROM audit_events WHERE seq IN (2, 5)`);
    for (const [a, b] of [
      [2, 5],
      [5, 2],
    ]) {
      db.prepare(`UPDATE audit_events SET (${cols}) = (SELECT ${cols} FROM t WHERE seq = ?) WHERE seq = ?`).run(b, a);
    }
    const result = await verify();
    expect(result.ok).toBe(false);
    expect(result.firstBroken?.seq).toBe(2);
  });

  it('detects an edited per-file row', async () => {
    db.prepare('UPDATE audit_files SET sha256 = ? WHERE event_seq = 5 AND ordinal = 1').run('c'.repeat(64));
    expect((await verify()).firstBroken).toEqual({ seq: 5, reason: 'the per-file rows of event #5 were edited' });
  });

  it('detects a cut tail through the signed checkpoints', async () => {
    db.prepare('DELETE FROM audit_files WHERE event_seq >= 5').run();
    db.prepare('DELETE FROM audit_events WHERE seq >= 5').run();
    const result = await verify();
    expect(result.ok).toBe(false);
    expect(result.firstBroken?.seq).toBe(5);
    expect(result.firstBroken?.reason).toContain('newest events were cut');
  });

  it('detects a cut tail even when the checkpoints covering it were deleted too (the signed head file disagrees)', async () => {
    db.prepare('DELETE FROM audit_files WHERE event_seq >= 5').run();
    db.prepare('DELETE FROM audit_events WHERE seq >= 5').run();
    db.prepare('DELETE FROM audit_checkpoints WHERE event_seq >= 5').run();
    const result = await verify();
    expect(result.ok).toBe(false);
    expect(result.firstBroken?.reason).toContain('signed head (audit-head.json)');
  });

  it('refuses a checkpoint not signed by the station key', async () => {
    const mallory = await makeSigner('Mallory');
    await signAuditCheckpoint(db, paths, openpgpSigner(mallory.privateKey));
    const result = await verify();
    expect(result.ok).toBe(false);
    expect(result.firstBroken?.reason).toContain('no valid station signature');
  });

  it('notes a missing head file and events not yet checkpointed, without calling the chain broken', async () => {
    appendAuditEvent(db, identity, { type: 'verify', outcome: 'rejected', problemCodes: ['CHECKSUM_MISMATCH'] });
    await unlink(paths.auditHead);
    const result = await verify();
    expect(result.ok).toBe(true);
    expect(result.notes.join(' ')).toContain('audit-head.json is missing');
    expect(result.notes.join(' ')).toContain('Events #7-#7');
  });
});

describe('head file', () => {
  it('an unreadable audit-head.json breaks the log just past its last event, with a clear reason', async () => {
    const { writeFile } = await import('node:fs/promises');
    await writeFile(paths.auditHead, '{ not json');
    const result = await verify();
    expect(result.firstBroken?.seq).toBe(7);
    expect(result.firstBroken?.reason).toContain('audit-head.json is unreadable');
  });
});

describe('per-file rows added later', () => {
  it('detects a file row attached to an event recorded without any', async () => {
    appendAuditEvent(db, identity, { type: 'verify', outcome: 'ok' });
    db.prepare("INSERT INTO audit_files (event_seq, ordinal, path, size, sha256) VALUES (7, 0, 'data/smuggled', 1, ?)").run('e'.repeat(64));
    expect((await verify()).firstBroken).toEqual({ seq: 7, reason: 'the per-file rows of event #7 were edited' });
  });
});

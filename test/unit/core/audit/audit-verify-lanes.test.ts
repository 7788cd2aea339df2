/**
 * The audit walk on several cores against the single-thread verifier it replaced
 * (test/helpers/audit-verify-reference.ts): for every kind of tampering at every kind of
 * position (first event, either side of a chunk boundary, the middle, the end), the verdict must
 * be identical, field for field: the same first broken event and reason, the same event count,
 * checkpoint coverage and notes. Chunks are made tiny so a small log has many boundaries.
 */
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signAuditCheckpoint } from '../../../../electron/core/audit/audit-checkpoint.js';
import { eventHash, GENESIS_HASH, type AuditEventInput } from '../../../../electron/core/audit/audit-event.js';
import { buildAuditRecord, insertAuditRecord, iterateAuditEvents } from '../../../../electron/core/audit/audit-store.js';
import { verifyAuditLog } from '../../../../electron/core/audit/audit-verify.js';
import type { ChainWalkOptions } from '../../../../electron/core/audit/audit-chain-lanes.js';
import { openpgpSigner } from '../../../../electron/core/crypto/bundle-signer.js';
import { openStationDb, type StationDb } from '../../../../electron/core/db/station-db.js';
import { homePaths } from '../../../../electron/core/home/station-home.js';
import { referenceVerifyAuditLog } from '../../../helpers/audit-verify-reference.js';
import { makeSigner, type TestSigner } from '../../../helpers/hostile-tar.js';
import { seededRandom } from '../../../helpers/seeded-random.js';

const EVENTS = 40;
const CHUNK = 5;
/** Strings whose JSON escaping differs most between encoders. */
const TRICKY = ['tab\there', 'quote " and \\ backslash', 'ctl \u0001\u001f\u007f', 'line\u2028sep', 'é ünïcödé', 'emoji 🔐', 'nul\u0000byte'];

let fixture: string;
let station: TestSigner;

function eventInput(n: number, random: () => number): AuditEventInput & { operator: string } {
  const tricky = TRICKY[n % TRICKY.length] as string;
  const withFiles = n % 3 === 1;
  return {
    operator: n % 4 === 0 ? `op ${tricky}` : 'alice (alice)',
    type: n % 2 === 0 ? 'import' : 'export',
    outcome: n % 7 === 3 ? 'rejected' : 'ok',
    bundleUuid: n % 5 === 2 ? null : `uuid-${String(n)}`,
    bundleName: `bundle ${tricky} ${String(n)}`,
    problemCodes: n % 7 === 3 ? ['SIGNATURE_INVALID'] : [],
    errorCode: n % 9 === 4 ? 'IO_ERROR' : null,
    files: withFiles ? 2 : null,
    bytes: n % 6 === 5 ? null : Math.floor(random() * 2 ** 40),
    signers: ['ABC'],
    details: { note: tricky, nested: { z: 1, a: [tricky, n] } },
    ...(withFiles
      ? {
          fileRows: [
            { path: `data/${tricky}/${String(n)}-a`, size: n, sha256: 'a'.repeat(64) },
            { path: `data/${String(n)}-b`, size: 2 * n, sha256: 'b'.repeat(64) },
          ],
        }
      : {}),
  };
}

/** A home whose log holds EVENTS events, signed checkpoints after events 17 and EVENTS, and the signed head file. */
beforeAll(async () => {
  fixture = await mkdtemp(join(tmpdir(), 'airlock-audit-lanes-'));
  station = await makeSigner('Station');
  const paths = homePaths(fixture);
  const db = openStationDb(paths.database);
  const random = seededRandom(0x5eed);
  let prev = GENESIS_HASH;
  let at = Date.parse('2026-01-01T00:00:00Z');
  const add = (from: number, to: number) =>
    db.transaction(() => {
      for (let n = from; n <= to; n += 1) {
        const { operator, ...input } = eventInput(n, random);
        at += 1000;
        const record = buildAuditRecord({ station: 'st-1', operator, organization: null }, input, n, prev, new Date(at));
        insertAuditRecord(db, record);
        prev = record.row.hash;
      }
    })();
  add(1, 17);
  await signAuditCheckpoint(db, paths, openpgpSigner(station.privateKey));
  add(18, EVENTS);
  await signAuditCheckpoint(db, paths, openpgpSigner(station.privateKey));
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
});
afterAll(async () => {
  await rm(fixture, { recursive: true, force: true });
});

type Tamper = (db: StationDb, seq: number) => void;
const WITH_FILES = '(SELECT MIN(event_seq) FROM audit_files WHERE event_seq >= ?)';

/** Rewrites the chain from `from` on with every hash recomputed, as an attacker with the file can. */
function rewriteFrom(db: StationDb, from: number): void {
  let prev = GENESIS_HASH;
  for (const event of [...iterateAuditEvents(db)]) {
    const edited = { ...event, prevHash: prev, operator: event.seq === from ? 'mallory' : event.operator };
    const { hash: _old, ...rest } = edited;
    const hash = event.seq >= from ? eventHash(rest) : event.hash;
    db.prepare('UPDATE audit_events SET operator = ?, prev_hash = ?, hash = ? WHERE seq = ?').run(edited.operator, prev, hash, event.seq);
    prev = hash;
  }
}

function moveSeq(db: StationDb, from: number, to: number): void {
  db.prepare('UPDATE audit_files SET event_seq = ? WHERE event_seq = ?').run(to, from);
  db.prepare('UPDATE audit_events SET seq = ? WHERE seq = ?').run(to, from);
}

const forged = (db: StationDb, seq: number, prev: string) =>
  db
    .prepare(
      "INSERT INTO audit_events (seq, at, type, outcome, operator, station, signers, problem_codes, details, prev_hash, hash) VALUES (?, '2026-01-01T00:00:00Z', 'export', 'ok', 'mallory', 'st-1', '[]', '[]', '{}', ?, ?)",
    )
    .run(seq, prev, '1'.repeat(64));

const TAMPERS: Record<string, Tamper> = {
  'edit a text field': (db, s) => db.prepare("UPDATE audit_events SET operator = 'mallory' WHERE seq = ?").run(s),
  'edit a field to tricky text': (db, s) => db.prepare('UPDATE audit_events SET bundle_name = ? WHERE seq = ?').run('x\u0001"\\\u2028🔐', s),
  'edit a field to invalid UTF-8': (db, s) => db.prepare("UPDATE audit_events SET operator = CAST(X'61FF62C3' AS TEXT) WHERE seq = ?").run(s),
  'replace a char by U+FFFD': (db, s) => db.prepare("UPDATE audit_events SET station = 'st-\uFFFD' WHERE seq = ?").run(s),
  'edit a JSON column': (db, s) => db.prepare('UPDATE audit_events SET details = \'{"note":"x"}\' WHERE seq = ?').run(s),
  'edit a number': (db, s) => db.prepare('UPDATE audit_events SET bytes = coalesce(bytes, 0) + 1 WHERE seq = ?').run(s),
  'null a column': (db, s) => db.prepare('UPDATE audit_events SET bundle_name = NULL WHERE seq = ?').run(s),
  'edit the stored hash': (db, s) => db.prepare('UPDATE audit_events SET hash = ? WHERE seq = ?').run('f'.repeat(64), s),
  'edit the link': (db, s) => db.prepare('UPDATE audit_events SET prev_hash = ? WHERE seq = ?').run('e'.repeat(64), s),
  'edit with a recomputed hash': (db, s) => {
    const event = [...iterateAuditEvents(db)].find((e) => e.seq === s);
    if (!event) return;
    const { hash: _old, ...rest } = { ...event, outcome: 'failed' };
    db.prepare("UPDATE audit_events SET outcome = 'failed', hash = ? WHERE seq = ?").run(eventHash(rest), s);
  },
  'rewrite the chain from here with recomputed hashes': rewriteFrom,
  'delete the event': (db, s) => {
    db.prepare('DELETE FROM audit_files WHERE event_seq = ?').run(s);
    db.prepare('DELETE FROM audit_events WHERE seq = ?').run(s);
  },
  'delete the event, keep its file rows': (db, s) => db.prepare('DELETE FROM audit_events WHERE seq = ?').run(s),
  'swap it with the next': (db, s) => {
    moveSeq(db, s, -1000);
    moveSeq(db, s + 1, s);
    moveSeq(db, -1000, s + 1);
  },
  'cut the log from here': (db, s) => {
    db.prepare('DELETE FROM audit_files WHERE event_seq >= ?').run(s);
    db.prepare('DELETE FROM audit_events WHERE seq >= ?').run(s);
  },
  'insert a forged event before it (renumbering the rest)': (db, s) => {
    for (let seq = EVENTS; seq >= s; seq -= 1) moveSeq(db, seq, seq + 1);
    forged(db, s, '0'.repeat(64));
  },
  'forge an event at seq 0': (db) => forged(db, 0, GENESIS_HASH),
  'forge an event at a negative seq': (db) => forged(db, -7, GENESIS_HASH),
  'forge an event at a huge seq': (db) => forged(db, 10 ** 12, '2'.repeat(64)),
  'append a forged event': (db) => forged(db, EVENTS + 1, '2'.repeat(64)),
  // File rows exist on every third event: these edit the first event at or after the position that has some.
  'edit a file row': (db, s) => db.prepare(`UPDATE audit_files SET size = size + 1 WHERE event_seq = ${WITH_FILES}`).run(s),
  'delete a file row': (db, s) => db.prepare(`DELETE FROM audit_files WHERE event_seq = ${WITH_FILES} AND ordinal = 0`).run(s),
  'add a file row': (db, s) =>
    db.prepare("INSERT INTO audit_files (event_seq, ordinal, path, size, sha256) VALUES (?, 9, 'data/x', 1, ?)").run(s, 'c'.repeat(64)),
};

/** First, both sides of chunk boundaries, a checkpointed event, the middle, the end. */
const POSITIONS = [1, 2, CHUNK, CHUNK + 1, 17, 18, 23, EVENTS - 1, EVENTS];

async function tamperedHome(name: string, tamper: Tamper, seq: number): Promise<string> {
  const home = join(fixture, '..', `${fixture.split('/').at(-1) ?? ''}-${name.replace(/\W+/gu, '-')}-${String(seq)}`);
  await cp(fixture, home, { recursive: true });
  const db = openStationDb(homePaths(home).database);
  try {
    db.pragma('foreign_keys = OFF');
    db.transaction(() => tamper(db, seq))();
  } finally {
    db.close();
  }
  return home;
}

async function verdicts(home: string, configs: ChainWalkOptions[]) {
  const paths = homePaths(home);
  const db = openStationDb(paths.database);
  try {
    const reference = await referenceVerifyAuditLog(db, paths, [station.trusted]);
    const walks = [];
    for (const options of configs) walks.push(await verifyAuditLog(db, paths, [station.trusted], options));
    return { reference, walks };
  } finally {
    db.close();
  }
}

const HERE = [{ lanes: 1, chunkEvents: CHUNK }, { lanes: 1 }, { lanes: 1, chunkEvents: 1 }];
const WORKERS = [{ lanes: 2, chunkEvents: CHUNK }];

describe('audit verify on several cores names exactly what the single-thread verifier names', () => {
  it('an untouched log', async () => {
    const { reference, walks } = await verdicts(fixture, [...HERE, ...WORKERS, { lanes: 3, chunkEvents: 1 }]);
    expect(reference).toMatchObject({ ok: true, events: EVENTS, lastCheckpointSeq: EVENTS });
    for (const walk of walks) expect(walk).toEqual(reference);
  });

  for (const [name, tamper] of Object.entries(TAMPERS)) {
    it(name, async () => {
      for (const seq of POSITIONS) {
        const home = await tamperedHome(name, tamper, seq);
        try {
          // Worker threads on two positions per kind (each start costs); this thread's chunked walk on all.
          const configs = seq === CHUNK + 1 || seq === 23 ? [...HERE, ...WORKERS] : HERE;
          const { reference, walks } = await verdicts(home, configs);
          expect(reference.ok, `${name} at #${String(seq)} must be found at all`).toBe(false);
          for (const walk of walks) expect({ seq, walk }).toEqual({ seq, walk: reference });
        } finally {
          await rm(home, { recursive: true, force: true });
        }
      }
    });
  }
});

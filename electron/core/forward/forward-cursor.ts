/**
 * The outbox's bookkeeping (migration v7, forward_cursor): per sink, the highest audit seq it
 * acknowledged, and when the last attempt was made and why it failed. The audit log itself is
 * the outbox: events are read after the cursor a page at a time, so nothing is copied and
 * nothing is held open across the network waits. The cursor only moves forward (MAX), so a
 * second forwarder on the same home can never move it back.
 */
import type Database from 'better-sqlite3';
import type { StationDb } from '../db/station-db.js';
import { rowToEvent } from '../audit/audit-store.js';
import type { AuditEvent, StoredAuditEvent } from '../audit/audit-event.js';

export interface CursorRow {
  sink: string;
  deliveredSeq: number;
  lastDeliveredAt: string | null;
  lastAttemptAt: string | null;
  lastError: string | null;
}

interface StoredCursor {
  sink: string;
  delivered_seq: number;
  last_delivered_at: string | null;
  last_attempt_at: string | null;
  last_error: string | null;
}

export function readCursor(db: StationDb, sink: string): CursorRow {
  const row = db.prepare('SELECT * FROM forward_cursor WHERE sink = ?').get(sink) as StoredCursor | undefined;
  if (row === undefined) return { sink, deliveredSeq: 0, lastDeliveredAt: null, lastAttemptAt: null, lastError: null };
  return { sink, deliveredSeq: row.delivered_seq, lastDeliveredAt: row.last_delivered_at, lastAttemptAt: row.last_attempt_at, lastError: row.last_error };
}

/** The sink acknowledged everything up to `seq`: the cursor moves there (never back), the error is cleared. */
export function advanceCursor(db: StationDb, sink: string, seq: number, now: Date): void {
  const at = now.toISOString();
  db.prepare(
    `INSERT INTO forward_cursor (sink, delivered_seq, last_delivered_at, last_attempt_at, last_error) VALUES (@sink, @seq, @at, @at, NULL)
     ON CONFLICT(sink) DO UPDATE SET delivered_seq = MAX(delivered_seq, @seq), last_delivered_at = @at, last_attempt_at = @at, last_error = NULL`,
  ).run({ sink, seq, at });
}

/** An attempt failed (`error`) or succeeded without new acknowledgements (null): recorded for the status, the cursor stays. */
export function recordAttempt(db: StationDb, sink: string, error: string | null, now: Date): void {
  db.prepare(
    `INSERT INTO forward_cursor (sink, delivered_seq, last_attempt_at, last_error) VALUES (@sink, 0, @at, @error)
     ON CONFLICT(sink) DO UPDATE SET last_attempt_at = @at, last_error = @error`,
  ).run({ sink, at: now.toISOString(), error });
}

/** The columns in StoredAuditEvent's order, named: a later migration's column cannot shift them. */
const EVENT_COLUMNS =
  'seq, at, type, outcome, operator, station, bundle_uuid, bundle_name, tagmanifest_sha256, signers, problem_codes, error_code, files, bytes, details, files_digest, prev_hash, hash';
type EventColumns = [
  number,
  string,
  string,
  string,
  string,
  string,
  string | null,
  string | null,
  string | null,
  string,
  string,
  string | null,
  number | null,
  number | null,
  string,
  string | null,
  string,
  string,
];

const pageStatements = new WeakMap<StationDb, Database.Statement>();

/**
 * The events after `afterSeq`, oldest first, at most `limit`. Rows come back as arrays (raw mode)
 * and become objects here: better-sqlite3 builds a named-row object key by key, which cost about
 * half of the forwarder's read time at 100,000 events.
 */
export function eventsAfter(db: StationDb, afterSeq: number, limit: number): AuditEvent[] {
  let statement = pageStatements.get(db);
  if (statement === undefined) {
    statement = db.prepare(`SELECT ${EVENT_COLUMNS} FROM audit_events WHERE seq > ? ORDER BY seq LIMIT ?`).raw(true);
    pageStatements.set(db, statement);
  }
  const rows = statement.all(afterSeq, limit) as EventColumns[];
  return rows.map((row) => rowToEvent(storedEvent(row)));
}

function storedEvent(row: EventColumns): StoredAuditEvent {
  return {
    seq: row[0],
    at: row[1],
    type: row[2],
    outcome: row[3],
    operator: row[4],
    station: row[5],
    bundle_uuid: row[6],
    bundle_name: row[7],
    tagmanifest_sha256: row[8],
    signers: row[9],
    problem_codes: row[10],
    error_code: row[11],
    files: row[12],
    bytes: row[13],
    details: row[14],
    files_digest: row[15],
    prev_hash: row[16],
    hash: row[17],
  };
}

export function headSeq(db: StationDb): number {
  const row = db.prepare('SELECT MAX(seq) AS seq FROM audit_events').get() as { seq: number | null };
  return row.seq ?? 0;
}

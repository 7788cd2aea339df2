import type { StationDb } from '../db/station-db.js';
import type { StationIdentity } from '../home/station-config.js';
import type Database from 'better-sqlite3';
import {
  filesDigest,
  GENESIS_HASH,
  hashStoredEvent,
  toStoredEvent,
  type AuditEvent,
  type AuditEventInput,
  type AuditFileRow,
  type AuditFileRows,
  type StoredAuditEvent,
} from './audit-event.js';
import { StagedFileRows } from './staged-file-rows.js';

type EventRow = StoredAuditEvent;

function parseJson<T>(text: string, fallback: T): T {
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}

export function rowToEvent(row: EventRow): AuditEvent {
  return {
    seq: row.seq,
    at: row.at,
    type: row.type,
    outcome: row.outcome,
    operator: row.operator,
    station: row.station,
    bundleUuid: row.bundle_uuid,
    bundleName: row.bundle_name,
    tagmanifestSha256: row.tagmanifest_sha256,
    signers: parseJson<string[]>(row.signers, []),
    problemCodes: parseJson<string[]>(row.problem_codes, []),
    errorCode: row.error_code,
    files: row.files,
    bytes: row.bytes,
    details: parseJson<Record<string, unknown>>(row.details, {}),
    filesDigest: row.files_digest,
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}

export interface AuditRecord {
  row: StoredAuditEvent;
  files: AuditFileRows;
}

/** The stored row (hash included) for an input at `seq`, linked to `prevHash`. Pure: no database. */
export function buildAuditRecord(identity: StationIdentity, input: AuditEventInput, seq: number, prevHash: string, now: Date): AuditRecord {
  const files = input.fileRows ?? [];
  const partial = toStoredEvent({
    seq,
    at: now.toISOString(),
    type: input.type,
    outcome: input.outcome,
    operator: identity.operator,
    station: identity.station,
    bundleUuid: input.bundleUuid ?? null,
    bundleName: input.bundleName ?? null,
    tagmanifestSha256: input.tagmanifestSha256 ?? null,
    signers: input.signers ?? [],
    problemCodes: input.problemCodes ?? [],
    errorCode: input.errorCode ?? null,
    files: input.files ?? null,
    bytes: input.bytes ?? null,
    details: input.details ?? {},
    filesDigest: filesDigest(files),
    prevHash,
  });
  return { row: { ...partial, hash: hashStoredEvent(partial) }, files };
}

/**
 * File rows per INSERT when they come from JS (an export's, not staged): 100 rows (500 bound
 * values) a statement rather than one JS call per row. The values bound are the row's own, as
 * with the one-row statement (no JSON or other re-encoding on the way, which could change a path).
 */
export const FILE_ROWS_PER_INSERT = 100;

const statements = new WeakMap<StationDb, { event: Database.Statement; file: Database.Statement; files: Database.Statement; head: Database.Statement }>();

function prepared(db: StationDb) {
  let s = statements.get(db);
  if (!s) {
    s = {
      event: db.prepare(
        `INSERT INTO audit_events (seq, at, type, outcome, operator, station, bundle_uuid, bundle_name, tagmanifest_sha256, signers, problem_codes, error_code, files, bytes, details, files_digest, prev_hash, hash)
         VALUES (@seq, @at, @type, @outcome, @operator, @station, @bundle_uuid, @bundle_name, @tagmanifest_sha256, @signers, @problem_codes, @error_code, @files, @bytes, @details, @files_digest, @prev_hash, @hash)`,
      ),
      file: db.prepare('INSERT INTO audit_files (event_seq, ordinal, path, size, sha256) VALUES (?, ?, ?, ?, ?)'),
      files: db.prepare(
        `INSERT INTO audit_files (event_seq, ordinal, path, size, sha256) VALUES ${Array(FILE_ROWS_PER_INSERT).fill('(?, ?, ?, ?, ?)').join(', ')}`,
      ),
      head: db.prepare('SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1'),
    };
    statements.set(db, s);
  }
  return s;
}

/** Insert a built record. Callers hold a write transaction and built it on the current head. */
export function insertAuditRecord(db: StationDb, record: AuditRecord): void {
  const s = prepared(db);
  s.event.run(record.row);
  // Rows staged ahead (an import's, staged-file-rows.ts) are copied in SQLite, not a JS call each.
  if (record.files instanceof StagedFileRows && record.files.stagedOn(db)) {
    record.files.insertAs(record.row.seq);
    return;
  }
  // An export's 20,000 rows one call each were most of the stretch between its sync and its receipts (issue #18).
  const seq = record.row.seq;
  const batch: Array<string | number> = [];
  let ordinal = 0;
  for (const file of record.files) {
    batch.push(seq, ordinal++, file.path, file.size, file.sha256);
    if (batch.length === FILE_ROWS_PER_INSERT * 5) {
      s.files.run(batch);
      batch.length = 0;
    }
  }
  for (let i = 0; i < batch.length; i += 5) s.file.run(batch.slice(i, i + 5));
}

/**
 * Append one event (and its file rows) in a single IMMEDIATE transaction: the head is read
 * and the new event linked to it under the write lock, so two processes appending at once
 * queue up instead of forking the chain, and a crash leaves the whole event or none of it.
 */
export function appendAuditEvent(db: StationDb, identity: StationIdentity, input: AuditEventInput, now: Date = new Date()): AuditEvent {
  const append = db.transaction((): AuditEvent => {
    const head = prepared(db).head.get() as { seq: number; hash: string } | undefined;
    const record = buildAuditRecord(identity, input, (head?.seq ?? 0) + 1, head?.hash ?? GENESIS_HASH, now);
    insertAuditRecord(db, record);
    return rowToEvent(record.row);
  });
  return append.immediate();
}

export interface AuditQuery {
  since?: string | undefined;
  until?: string | undefined;
  type?: string | undefined;
  outcome?: string | undefined;
  /** Bundle UUID or name. */
  bundle?: string | undefined;
  /**
   * Case-insensitive substring of bundle name or UUID, operator, station, signer fingerprints,
   * problem codes or details; a fingerprint may be given grouped (spaces are ignored for signers).
   */
  text?: string | undefined;
  /** Only events older than this sequence number: the next page after an event. */
  beforeSeq?: number | undefined;
  limit?: number;
}

function normalizeTime(value: string): string {
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? value : new Date(ms).toISOString();
}

/** Latest events first, filtered. Each filter uses an index except `text`, which scans newest-first and stops at `limit`. */
export function listAuditEvents(db: StationDb, query: AuditQuery = {}): AuditEvent[] {
  const where: string[] = [];
  const params: Record<string, unknown> = {};
  // Stored times are toISOString() (millisecond precision); compare like with like.
  if (query.since) {
    where.push('at >= @since');
    params.since = normalizeTime(query.since);
  }
  if (query.until) {
    where.push('at < @until');
    params.until = normalizeTime(query.until);
  }
  if (query.type) {
    where.push('type = @type');
    params.type = query.type;
  }
  if (query.outcome) {
    where.push('outcome = @outcome');
    params.outcome = query.outcome;
  }
  if (query.bundle) {
    where.push('(bundle_uuid = @bundle OR bundle_name = @bundle)');
    params.bundle = query.bundle;
  }
  if (query.text) {
    where.push(
      "(instr(lower(coalesce(bundle_name, '') || ' ' || coalesce(bundle_uuid, '') || ' ' || operator || ' ' || station || ' ' || signers || ' ' || problem_codes || ' ' || details), lower(@text)) > 0" +
        ' OR (length(@compact) > 0 AND instr(lower(signers), lower(@compact)) > 0))',
    );
    params.text = query.text;
    params.compact = query.text.replace(/[\s:]/gu, '');
  }
  if (query.beforeSeq !== undefined) {
    where.push('seq < @beforeSeq');
    params.beforeSeq = query.beforeSeq;
  }
  params.limit = Math.max(1, Math.min(query.limit ?? 100, 100_000));
  const sql = `SELECT * FROM audit_events ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY seq DESC LIMIT @limit`;
  return (db.prepare(sql).all(params) as EventRow[]).map(rowToEvent);
}

/** Every event in order, streamed from the database a row at a time. */
export function* iterateAuditEvents(db: StationDb): Generator<AuditEvent> {
  for (const row of iterateStoredEvents(db)) yield rowToEvent(row);
}

/** The rows as stored, for verification: no parsing. */
export function iterateStoredEvents(db: StationDb): Iterable<StoredAuditEvent> {
  return db.prepare('SELECT * FROM audit_events ORDER BY seq').iterate() as Iterable<StoredAuditEvent>;
}

/** A reusable reader of one event's per-file rows. */
export function auditFileRowReader(db: StationDb): (seq: number) => AuditFileRow[] {
  const statement = db.prepare('SELECT path, size, sha256 FROM audit_files WHERE event_seq = ? ORDER BY ordinal');
  return (seq) => statement.all(seq) as AuditFileRow[];
}

export function auditFileRows(db: StationDb, seq: number): AuditFileRow[] {
  return auditFileRowReader(db)(seq);
}

export function auditHead(db: StationDb): { seq: number; hash: string } | null {
  return (db.prepare('SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1').get() as { seq: number; hash: string } | undefined) ?? null;
}

import type { StationDb } from '../db/station-db.js';
import type { StationIdentity } from '../home/station-config.js';
import { eventHash, filesDigest, GENESIS_HASH, type AuditEvent, type AuditEventInput } from './audit-event.js';

interface EventRow {
  seq: number;
  at: string;
  type: string;
  outcome: string;
  operator: string;
  station: string;
  bundle_uuid: string | null;
  bundle_name: string | null;
  tagmanifest_sha256: string | null;
  signers: string;
  problem_codes: string;
  error_code: string | null;
  files: number | null;
  bytes: number | null;
  details: string;
  files_digest: string | null;
  prev_hash: string;
  hash: string;
}

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

/**
 * Append one event (and its file rows) in a single IMMEDIATE transaction: the head is read
 * and the new event linked to it under the write lock, so two processes appending at once
 * queue up instead of forking the chain, and a crash leaves the whole event or none of it.
 */
export function appendAuditEvent(db: StationDb, identity: StationIdentity, input: AuditEventInput, now: Date = new Date()): AuditEvent {
  const rows = input.fileRows ?? [];
  const append = db.transaction((): AuditEvent => {
    const head = db.prepare('SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1').get() as { seq: number; hash: string } | undefined;
    const partial: Omit<AuditEvent, 'hash'> = {
      seq: (head?.seq ?? 0) + 1,
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
      filesDigest: filesDigest(rows),
      prevHash: head?.hash ?? GENESIS_HASH,
    };
    const event: AuditEvent = { ...partial, hash: eventHash(partial) };
    db.prepare(
      `INSERT INTO audit_events (seq, at, type, outcome, operator, station, bundle_uuid, bundle_name, tagmanifest_sha256, signers, problem_codes, error_code, files, bytes, details, files_digest, prev_hash, hash)
       VALUES (@seq, @at, @type, @outcome, @operator, @station, @bundleUuid, @bundleName, @tagmanifestSha256, @signers, @problemCodes, @errorCode, @files, @bytes, @details, @filesDigest, @prevHash, @hash)`,
    ).run({
      ...event,
      signers: JSON.stringify(event.signers),
      problemCodes: JSON.stringify(event.problemCodes),
      details: JSON.stringify(event.details),
    });
    const insertFile = db.prepare('INSERT INTO audit_files (event_seq, ordinal, path, size, sha256) VALUES (?, ?, ?, ?, ?)');
    rows.forEach((row, ordinal) => insertFile.run(event.seq, ordinal, row.path, row.size, row.sha256));
    return event;
  });
  return append.immediate();
}

export interface AuditQuery {
  since?: string;
  until?: string;
  type?: string;
  outcome?: string;
  /** Bundle UUID or name. */
  bundle?: string;
  /** Case-insensitive substring of bundle name, operator, station, problem codes or details. */
  text?: string;
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
    where.push("(instr(lower(coalesce(bundle_name, '') || ' ' || operator || ' ' || station || ' ' || problem_codes || ' ' || details), lower(@text)) > 0)");
    params.text = query.text;
  }
  params.limit = Math.max(1, Math.min(query.limit ?? 100, 100_000));
  const sql = `SELECT * FROM audit_events ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY seq DESC LIMIT @limit`;
  return (db.prepare(sql).all(params) as EventRow[]).map(rowToEvent);
}

/** Every event in order, streamed from the database a row at a time. */
export function* iterateAuditEvents(db: StationDb): Generator<AuditEvent> {
  for (const row of db.prepare('SELECT * FROM audit_events ORDER BY seq').iterate() as Iterable<EventRow>) yield rowToEvent(row);
}

export function auditFileRows(db: StationDb, seq: number): Array<{ path: string; size: number; sha256: string }> {
  return db.prepare('SELECT path, size, sha256 FROM audit_files WHERE event_seq = ? ORDER BY ordinal').all(seq) as Array<{ path: string; size: number; sha256: string }>;
}

export function auditHead(db: StationDb): { seq: number; hash: string } | null {
  return (db.prepare('SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1').get() as { seq: number; hash: string } | undefined) ?? null;
}

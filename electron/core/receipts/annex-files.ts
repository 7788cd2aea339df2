import type { AuditFileRow } from '../audit/audit-event.js';
import type { StationDb } from '../db/station-db.js';
import { ANNEX_MAX_FILES, type AnnexFiles } from './receipt-annex.js';

/**
 * The PDF annex's rows, read from the audit event itself (what the log holds is what the paper
 * says): the count, and only the first ANNEX_MAX_FILES rows, so a 200,000-file event is not read
 * into memory for a receipt.
 */
export function auditAnnexFiles(db: StationDb, eventSeq: number): AnnexFiles {
  const { n } = db.prepare('SELECT COUNT(*) AS n FROM audit_files WHERE event_seq = ?').get(eventSeq) as { n: number };
  const rows = db
    .prepare('SELECT path, size, sha256 FROM audit_files WHERE event_seq = ? ORDER BY ordinal LIMIT ?')
    .all(eventSeq, ANNEX_MAX_FILES) as AuditFileRow[];
  return { total: n, rows };
}

import Database from 'better-sqlite3';
import type { AuditFileRow } from '../audit/audit-event.js';
import type { AnnexJob } from './pdf-render-job.js';
import { ANNEX_MAX_FILES, type AnnexFiles } from './receipt-annex.js';

/**
 * The PDF annex's rows, read from the audit event itself (what the log holds is what the paper
 * says), in the renderer's own process on its own read-only connection: the count, and the rows
 * streamed one at a time and never past ANNEX_MAX_FILES, so a 200,000-file event is never held in
 * memory for a receipt. Call `close()` when the PDF is made.
 */
export function openAnnexFiles(job: AnnexJob): AnnexFiles & { close(): void } {
  if (!('database' in job)) return { total: job.total, rows: job.rows.slice(0, ANNEX_MAX_FILES), close: () => undefined };
  const db = new Database(job.database, { readonly: true, fileMustExist: true });
  try {
    // The same patience as the station's own connections: a writer holding the log briefly is normal.
    db.pragma('busy_timeout = 10000');
    const { n } = db.prepare('SELECT COUNT(*) AS n FROM audit_files WHERE event_seq = ?').get(job.eventSeq) as { n: number };
    const rows = db
      .prepare('SELECT path, size, sha256 FROM audit_files WHERE event_seq = ? ORDER BY ordinal LIMIT ?')
      .iterate(job.eventSeq, ANNEX_MAX_FILES) as IterableIterator<AuditFileRow>;
    return { total: n, rows, close: () => db.close() };
  } catch (error) {
    db.close();
    throw error;
  }
}

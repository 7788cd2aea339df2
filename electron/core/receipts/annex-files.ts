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
    // A small page cache: 500 rows need a few pages (better-sqlite3's default cache is 16 MB).
    db.pragma('cache_size = -1024');
    // The count the event recorded, not COUNT(*) over its rows: counting 200,000 rows read the whole
    // table through the page cache and took this process from 150 to 195 MB.
    const event = db.prepare('SELECT files FROM audit_events WHERE seq = ?').get(job.eventSeq) as { files: number | null } | undefined;
    if (event === undefined) throw new Error(`The audit log has no event #${job.eventSeq}.`);
    const n = event.files ?? 0;
    const rows = db
      .prepare('SELECT path, size, sha256 FROM audit_files WHERE event_seq = ? ORDER BY ordinal LIMIT ?')
      .iterate(job.eventSeq, ANNEX_MAX_FILES) as IterableIterator<AuditFileRow>;
    return { total: n, rows, close: () => db.close() };
  } catch (error) {
    db.close();
    throw error;
  }
}

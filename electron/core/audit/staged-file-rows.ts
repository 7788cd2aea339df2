/**
 * An import's per-file audit rows, written ahead of the commit (issue #18). Recorded the old way,
 * 200,000 rows were made, hashed and inserted one JS call each inside the transaction that
 * settles the import, after the commit: ~3 s with no progress and nothing a cancel could stop.
 *
 * Here they are staged before the commit, as a phase of their own ('recording-files'): in
 * batches into a TEMP table of the station database's connection (temporary storage: the
 * station's database file and its write lock are not touched, and a killed process leaves
 * nothing), their digest computed on the way. Between batches progress is reported, the event
 * loop runs and the abort signal is checked; a cancel drops what was staged. The settlement's
 * transaction then copies them with one INSERT ... SELECT (insertAs), in SQLite, not in JS.
 */
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { ProgressListener } from '../../../shared/progress.js';
import type { StationDb } from '../db/station-db.js';
import { throwIfAborted } from '../errors.js';
import { ProgressTracker } from '../jobs/progress-tracker.js';
import { FilesDigest, type AuditFileRow, type AuditFileRows } from './audit-event.js';

/** Rows per batch (one short transaction on the temporary table each). */
export const STAGED_ROWS_PER_BATCH = 2000;

/** Rows per INSERT statement while staging (500 bound values; the rest of a batch one row a statement). */
export const STAGED_ROWS_PER_INSERT = 100;

/** Rows dropped per step by release() (one short DELETE each, the event loop running between). */
export const RELEASED_ROWS_PER_STEP = 20_000;

const STAGE_TABLE = `CREATE TEMP TABLE IF NOT EXISTS audit_file_stage (
  stage   INTEGER NOT NULL,
  ordinal INTEGER NOT NULL,
  path    TEXT NOT NULL,
  size    INTEGER NOT NULL,
  sha256  TEXT NOT NULL,
  PRIMARY KEY (stage, ordinal)
) WITHOUT ROWID`;

/**
 * Page cache, in KiB (SQLite's negative form), for the temporary table and for the copy into the
 * audit log. better-sqlite3's default is 16 MB per database, and a 200,000-row stage fills both
 * (the temporary one and, while copying, the station's): ~30 MB of an import's peak RSS for rows
 * that are written once, in key order, and read once, in key order. 2 MB each: the same time.
 */
export const STAGE_CACHE_KIB = 2048;

/** Stages on one connection are told apart by this number (the temporary table is the connection's own). */
let lastStage = 0;

export interface StageOptions {
  signal?: AbortSignal | undefined;
  onProgress?: ProgressListener | undefined;
  /** How often progress may be reported (ProgressTracker's default when absent; tests give 0 to see every batch). */
  progressIntervalMs?: number | undefined;
  /** Rows per batch; STAGED_ROWS_PER_BATCH when absent. */
  rowsPerBatch?: number | undefined;
}

/**
 * When `stage` is the only one in the temporary table, empty the table: a DELETE without a WHERE
 * clause is SQLite's truncate optimization, the table's pages dropped without visiting each row
 * (20,000 rows 0.5 ms instead of 8 ms, on the import's path between its settlement and its
 * receipts; 200,000 rows 8 ms instead of 82 ms). The two probes are seeks on the primary key.
 * False (nothing dropped) while another stage shares the connection.
 */
function dropAlone(db: StationDb, stage: number): boolean {
  const other = db
    .prepare('SELECT EXISTS (SELECT 1 FROM temp.audit_file_stage WHERE stage < ?) OR EXISTS (SELECT 1 FROM temp.audit_file_stage WHERE stage > ?) AS other')
    .get(stage, stage) as { other: number };
  if (other.other !== 0) return false;
  db.prepare('DELETE FROM temp.audit_file_stage').run();
  return true;
}

/** Drop one stage's rows in one statement. */
function dropStage(db: StationDb, stage: number): void {
  if (!dropAlone(db, stage)) db.prepare('DELETE FROM temp.audit_file_stage WHERE stage = ?').run(stage);
}

/** Rows staged for one audit event: read through a temporary table, inserted by insertAs. */
export class StagedFileRows implements AuditFileRows {
  private discarded = false;

  constructor(
    private readonly db: StationDb,
    private readonly stage: number,
    readonly length: number,
    /** filesDigest of the rows (audit-event.ts uses it rather than reading them again). */
    readonly digest: string | null,
  ) {}

  *[Symbol.iterator](): Generator<AuditFileRow> {
    this.assertLive();
    const rows = this.db.prepare('SELECT path, size, sha256 FROM temp.audit_file_stage WHERE stage = ? ORDER BY ordinal').iterate(this.stage);
    yield* rows as Iterable<AuditFileRow>;
  }

  /** Whether the rows were staged on this connection (the temporary table is only visible there). */
  stagedOn(db: StationDb): boolean {
    return db === this.db;
  }

  /** Copy the rows to the audit log as event `seq`'s. The caller holds the write transaction that inserts the event. */
  insertAs(seq: number): void {
    this.assertLive();
    const insert = this.db.prepare(
      'INSERT INTO audit_files (event_seq, ordinal, path, size, sha256) SELECT ?, ordinal, path, size, sha256 FROM temp.audit_file_stage WHERE stage = ? ORDER BY ordinal',
    );
    // The station's own cache, small for the copy only (STAGE_CACHE_KIB), then as it was.
    const cache = Number(this.db.pragma('main.cache_size', { simple: true }));
    this.db.pragma(`main.cache_size = -${STAGE_CACHE_KIB}`);
    let copied: { changes: number };
    try {
      copied = insert.run(seq, this.stage);
    } finally {
      if (Number.isSafeInteger(cache)) this.db.pragma(`main.cache_size = ${cache}`);
    }
    if (copied.changes !== this.length) throw new Error(`staged audit rows: ${copied.changes} copied, ${this.length} staged`);
  }

  /**
   * Drop the staged rows once they are recorded, in steps of RELEASED_ROWS_PER_STEP with a turn of
   * the event loop between (200,000 rows in one DELETE: 0.6 s of a loaded machine with no progress
   * drawn). Nothing depends on it but the temporary table's size, so it takes no signal. The
   * connection's only stage (one import at a time) is dropped at once (dropAlone).
   */
  async release(rowsPerStep: number = RELEASED_ROWS_PER_STEP): Promise<void> {
    if (this.discarded) return;
    this.discarded = true;
    if (dropAlone(this.db, this.stage)) return;
    const drop = this.db.prepare('DELETE FROM temp.audit_file_stage WHERE stage = ? AND ordinal >= ? AND ordinal < ?');
    for (let from = 0; from < this.length; from += rowsPerStep) {
      drop.run(this.stage, from, from + rowsPerStep);
      await nextTurn();
    }
  }

  /** Drop the staged rows at once (when the import did not get as far as recording them). */
  discard(): void {
    if (this.discarded) return;
    this.discarded = true;
    dropStage(this.db, this.stage);
  }

  private assertLive(): void {
    if (this.discarded) throw new Error('staged audit rows read after they were discarded');
  }
}

/**
 * Stage `rows` for an audit event, in batches, as the 'recording-files' phase. Throws CANCELLED
 * (nothing left staged) when `signal` aborts between two batches.
 */
export async function stageAuditFileRows(db: StationDb, rows: Iterable<AuditFileRow>, total: number, options: StageOptions = {}): Promise<StagedFileRows> {
  db.exec(STAGE_TABLE);
  db.pragma(`temp.cache_size = -${STAGE_CACHE_KIB}`);
  lastStage += 1;
  const stage = lastStage;
  const insert = db.prepare('INSERT INTO temp.audit_file_stage (stage, ordinal, path, size, sha256) VALUES (?, ?, ?, ?, ?)');
  // STAGED_ROWS_PER_INSERT rows a statement, as the export's rows (audit-store.ts): one JS-to-SQLite call each was most of this phase.
  const inserts = db.prepare(
    `INSERT INTO temp.audit_file_stage (stage, ordinal, path, size, sha256) VALUES ${Array(STAGED_ROWS_PER_INSERT).fill('(?, ?, ?, ?, ?)').join(', ')}`,
  );
  const digest = new FilesDigest();
  const tracker = new ProgressTracker(options.onProgress, options.progressIntervalMs);
  const rowsPerBatch = options.rowsPerBatch ?? STAGED_ROWS_PER_BATCH;
  tracker.startPhase('recording-files', { files: total, etaFromFiles: true });
  let ordinal = 0;
  const writeBatch = db.transaction((batch: AuditFileRow[]) => {
    // The values bound are the row's own, as with the one-row statement: no re-encoding that could change a path.
    const values: Array<string | number> = [];
    for (const row of batch) {
      values.push(stage, ordinal, row.path, row.size, row.sha256);
      digest.add(row);
      ordinal += 1;
      if (values.length === STAGED_ROWS_PER_INSERT * 5) {
        inserts.run(values);
        values.length = 0;
      }
    }
    for (let i = 0; i < values.length; i += 5) insert.run(values.slice(i, i + 5));
  });
  const staged = (): StagedFileRows => new StagedFileRows(db, stage, ordinal, digest.finish());
  try {
    let batch: AuditFileRow[] = [];
    for (const row of rows) {
      batch.push(row);
      if (batch.length < rowsPerBatch) continue;
      writeBatch(batch);
      tracker.addFiles(batch.length);
      batch = [];
      await nextTurn();
      throwIfAborted(options.signal);
    }
    writeBatch(batch);
    tracker.addFiles(batch.length);
    tracker.flush();
    throwIfAborted(options.signal);
  } catch (error) {
    dropStage(db, stage);
    throw error;
  }
  return staged();
}

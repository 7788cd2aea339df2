/** What a feed import reports (CLI text and --json, the audit event): issue #16.6. */
import type { ProgressListener } from '../../../../shared/progress.js';
import type { ScannerStatus } from '../../../../shared/inspection.js';
import type { VerifyResult } from '../../../../shared/results.js';

export interface FeedImportRequest {
  bundlePath: string;
  /** Install a database older than the one installed under the same name (a deliberate rollback, recorded). */
  allowDowngrade?: boolean | undefined;
  now?: Date | undefined;
  signal?: AbortSignal | undefined;
  onProgress?: ProgressListener | undefined;
}

export interface FeedFileReport {
  name: string;
  version: number;
  signatures: number;
  builtAt: string;
}

/** The database as the scanner (or the headers) stated it, before or after. */
export interface DatabaseState {
  version: number | null;
  date: string | null;
  ageDays: number | null;
  source: ScannerStatus['databaseSource'];
}

export interface FeedImportOutcome extends VerifyResult {
  /** Installed files (empty when the bundle was rejected). */
  installed: FeedFileReport[];
  /** Containers removed because a newer form of the same database arrived (daily.cld for daily.cvd). */
  superseded: string[];
  databaseDir: string;
  before: DatabaseState | null;
  after: DatabaseState | null;
  /** clamd was told RELOAD and answered (a command scanner has nothing to reload: null). */
  reloaded: boolean | null;
  warnings: string[];
  auditEvent: number | null;
}

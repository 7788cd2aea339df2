/**
 * Is the scanner fit to scan, before a byte of payload is read (issue #16.5; docs/inspection.md)?
 * Unreachable, or reachable but unusable (no database): SCANNER_UNAVAILABLE, always refused (fail
 * closed: nothing could be scanned). A database older than maxDatabaseAgeDays, or one whose date
 * nobody can tell: SCAN_DB_STALE, refused or only warned about as onStaleDatabase says.
 */
import type { ScannerStatus } from '../../../shared/inspection.js';
import { problem, type Problem } from '../../../shared/problems.js';
import type { ScanPolicy } from '../policy/inspect-policy.js';

export interface Readiness {
  /** Refuse-severity problems: the bundle is refused before its payload is read. */
  problems: Problem[];
  /** What the policy turned into warnings (a stale database with onStaleDatabase: warn). */
  warnings: string[];
}

export function scannerReadiness(status: ScannerStatus | null, scan: ScanPolicy | null): Readiness {
  if (scan === null || status === null) return { problems: [], warnings: [] };
  if (!status.reachable || status.error !== null) {
    const why = status.error ?? 'it did not answer';
    return { problems: [problem('SCANNER_UNAVAILABLE', `${status.kind} at ${status.address}: ${why}`)], warnings: [] };
  }
  const stale = staleness(status, scan.maxDatabaseAgeDays);
  if (stale === null) return { problems: [], warnings: [] };
  if (scan.onStaleDatabase === 'warn') return { problems: [], warnings: [`${problem('SCAN_DB_STALE').message} ${stale} (the policy says warn).`] };
  return { problems: [problem('SCAN_DB_STALE', stale)], warnings: [] };
}

/** Why the database is too old, or null when it is within the policy's age. */
function staleness(status: ScannerStatus, maxDays: number): string | null {
  const version = status.databaseVersion === null ? '' : ` (version ${status.databaseVersion})`;
  if (status.databaseAgeDays === null) return `Its date cannot be read${version}, so its age is unknown; the policy allows ${maxDays} days.`;
  if (status.databaseAgeDays > maxDays)
    return `It is ${status.databaseAgeDays} days old${version}, built ${status.databaseDate ?? '?'}; the policy allows ${maxDays} days.`;
  return null;
}

/**
 * What the audit event and the receipt record of an inspection (issue #16.4/#16.5): the scanner
 * (engine, database version and date, age) and the counts, with the distinct codes found. Bounded:
 * the per-item list stays in the report (--json), not in the hash-chained log.
 */
import type { InspectionSummary, ScannerStatus } from '../../../shared/inspection.js';
import type { ProblemCode } from '../../../shared/problems.js';

export interface InspectionRecord {
  scanner: {
    kind: ScannerStatus['kind'];
    address: string;
    engine: string | null;
    databaseVersion: number | null;
    databaseDate: string | null;
    databaseAgeDays: number | null;
  } | null;
  files: number;
  members: number;
  bytesScanned: number;
  refused: number;
  warned: number;
  /** Codes raised (refused or warned), distinct, in first-seen order among the listed items. */
  codes: ProblemCode[];
  complete: boolean;
}

export function inspectionRecord(summary: InspectionSummary | undefined): InspectionRecord | null {
  if (!summary?.enabled) return null;
  const s = summary.scanner;
  const codes = new Set<ProblemCode>();
  for (const item of summary.items) for (const code of [...item.findings, ...item.warnings]) codes.add(code);
  return {
    scanner: s
      ? {
          kind: s.kind,
          address: s.address,
          engine: s.engineVersion,
          databaseVersion: s.databaseVersion,
          databaseDate: s.databaseDate,
          databaseAgeDays: s.databaseAgeDays,
        }
      : null,
    files: summary.files,
    members: summary.members,
    bytesScanned: summary.bytesScanned,
    refused: summary.refused,
    warned: summary.warned,
    codes: [...codes],
    complete: summary.complete,
  };
}

/** One line for a receipt's check list: what inspection looked at and with which database. */
export function inspectionCheckDetail(record: InspectionRecord): string {
  const scanner = record.scanner
    ? `${record.scanner.engine ?? record.scanner.kind}, database ${record.scanner.databaseVersion ?? 'version unknown'} of ${record.scanner.databaseDate ?? 'unknown date'}`
    : 'no scanner configured';
  const warned = record.warned > 0 ? `, ${record.warned} with warnings (${record.codes.join(', ')})` : '';
  return `${record.files} files and ${record.members} archive members; ${scanner}${warned}`;
}

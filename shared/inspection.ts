/**
 * Content inspection on the receiving side (issue #16; docs/inspection.md): what the report, the
 * receipt, --json, the audit event and the app show of it. Pure data, shared by every front end.
 * A signature proves who sent a bundle; inspection says whether this station takes what it holds.
 * A sender's own scan result is information, never the verdict: all of this is computed here.
 */
import type { ProblemCode } from './problems.js';

/** What the station's scanner is and how old its signature database is. */
export interface ScannerStatus {
  kind: 'clamd' | 'command';
  /** As policy.json names it: `unix:/path/clamd.sock`, `tcp:HOST:PORT`, or the command's program. */
  address: string;
  /** The scanner answered (clamd PING/VERSION; the command's program exists and is executable). */
  reachable: boolean;
  /** The engine's own version text, e.g. `ClamAV 1.4.6`; null when unknown. */
  engineVersion: string | null;
  /** The signature database's version (clamd VERSION, or the highest .cvd/.cld header version). */
  databaseVersion: number | null;
  /** When the database was built (ISO 8601), as the scanner or the database headers state it. */
  databaseDate: string | null;
  /** Whole days between databaseDate and the station's clock; null when the date is unknown. */
  databaseAgeDays: number | null;
  /** Where the version and date came from. */
  databaseSource: 'version-command' | 'database-header' | null;
  /** Why the scanner is not usable (unreachable, no database, ...); null when it is. */
  error: string | null;
}

/** A scanner's verdict on one byte stream. Only `clean` ever counts as clean. */
export type ScanOutcome = 'clean' | 'found' | 'error' | 'unavailable' | 'not-scanned';

/** One inspected item: a payload file, or a member of an archive inside one (at any depth). */
export interface InspectedItem {
  /** The payload file's bag path (`data/...`). Hostile text. */
  path: string;
  /** For an archive member: the names from the outer archive inwards (`['inner/b.tar.gz', 'c.txt']`); [] for the file itself. Hostile text. */
  members: string[];
  /** Bytes of the item (a member's expanded size). */
  size: number;
  /** Type by content (`application/pdf`), null when nothing was recognised (plain text and many text formats). */
  detectedType: string | null;
  /** The name's extension, lower case without the dot (`pdf`); null when it has none. */
  extension: string | null;
  /** An Office document that carries macros (VBA project). */
  macros: boolean;
  scan: ScanOutcome;
  /** The scanner's words: the signature name for `found`, its reply or the error for `error`/`unavailable`. */
  scanDetail: string | null;
  /** Problem codes this item raised ([] when it passed); warnings are not listed here but in `warnings`. */
  findings: ProblemCode[];
  /** Codes the policy turned into warnings for this item (reported, not refused). */
  warnings: ProblemCode[];
}

/** Inspection of one bundle, bounded like FileResults: every item with a finding or warning, clean items up to a cap. */
export interface InspectionSummary {
  /** The station's policy has an `inspect` section (false: nothing below was checked). */
  enabled: boolean;
  /** The scanner as it was at the start of this inspection; null when the policy names none. */
  scanner: ScannerStatus | null;
  /** Payload files inspected, and archive members inside them. */
  files: number;
  members: number;
  /** Bytes sent to the scanner. */
  bytesScanned: number;
  /** Items with at least one finding (refused) and with warnings only. */
  refused: number;
  warned: number;
  items: InspectedItem[];
  /** Clean items counted but not listed (the cap). */
  omitted: number;
  /** False when inspection stopped early (verification failed first, or it was cancelled). */
  complete: boolean;
}

/** A refused bundle kept by the station (`airlock quarantine ...`), issue #16.5. */
export interface QuarantineEntry {
  /** Folder name under `<home>/quarantine/`: sortable time + short random part. */
  id: string;
  quarantinedAt: string;
  /** The bundle's file name as given, and its identity when it was read that far. */
  bundleName: string;
  tagmanifestSha256: string | null;
  /** Bytes kept (the bundle file, or its parts). */
  bytes: number;
  /** The problem codes that refused it, distinct, in first-seen order. */
  codes: ProblemCode[];
  /**
   * Every content finding recorded, counted per code: those the report lists by name and those
   * it counts beyond its cap (all of them a release overrides). Absent in entries kept before it existed.
   */
  findingCounts?: Partial<Record<ProblemCode, number>> | undefined;
  /** Fingerprints of the trusted signers proven, if any. */
  signers: string[];
  status: 'held' | 'released' | 'purged';
  /**
   * Operator decisions to release, in order (two when policy requires two persons). `fingerprint`:
   * the key the operator proved who they are with (signed the decision); null when no key was used.
   */
  releases: Array<{ operator: string; reason: string; at: string; fingerprint?: string | null | undefined }>;
  /** Where a release imported it to. */
  releasedTo: string | null;
}

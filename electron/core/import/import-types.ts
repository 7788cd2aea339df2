import type { Problem } from '../../../shared/problems.js';
import type { ProgressListener } from '../../../shared/progress.js';
import type { VerifyResult } from '../../../shared/results.js';
import type { ContentInspector } from '../inspect/content-inspector.js';
import type { TrustedKey } from '../crypto/detached-signature.js';
import type { StationDb } from '../db/station-db.js';
import type { AirlockError } from '../errors.js';
import type { StationPolicy } from '../policy/station-policy.js';
import type { BundleSource, PayloadLanes, PayloadSink } from '../verify/check-bundle.js';
import type { PayloadRows } from '../verify/payload-index.js';
import type { DigestSpill } from '../compact/digest-column.js';
import type { ImportIdentity } from './replay-guard.js';

// What importBundle (import-bundle.ts) takes and gives, and how a claimed import ends.

export interface ImportOptions {
  bundlePath: string;
  /** The archive's bytes when they do not come from bundlePath alone (a split bundle's parts). */
  source?: BundleSource | undefined;
  destDir: string;
  trusted: readonly TrustedKey[];
  policy: StationPolicy;
  db: StationDb;
  operator: string;
  /** Import a bundle this station already imported; the override is recorded. */
  allowReplay?: boolean | undefined;
  now?: Date;
  signal?: AbortSignal | undefined;
  onProgress?: ProgressListener | undefined;
  /** Settles claims left by dead processes (with their audit events); run inside the claim's transaction. */
  settleInterrupted?: () => void;
  /**
   * Records how a claimed import ended (the audit event), inside the transaction that settles
   * its claim, so the ledger and the audit log change together or not at all. Called once when
   * the import got as far as its claim, never otherwise (the caller records those). If that
   * transaction fails, the claim stays pending and the next start settles it (reconcile.ts).
   */
  recordSettlement?: (settlement: ImportSettlement) => void;
  /**
   * Push on import (issue #15.4): runs once every payload byte is verified and durable in
   * staging, before the commit, with the staged payload folder; a throw fails the import.
   */
  beforeCommit?: ((staged: { payloadDir: string; tagmanifestSha256: string }) => Promise<void>) | undefined;
  /**
   * Whether an earlier import of this bundle committed with a push left unfinished (some image
   * failed): then this run is a push retry, not a replay. It verifies everything again, runs
   * beforeCommit, and imports no file again (no claim, no commit).
   */
  pushRetry?: ((identity: ImportIdentity) => boolean) | undefined;
  /** A quarantine release: the findings recorded at quarantine are accepted (verify-options.ts acceptFinding). */
  acceptFinding?: ((found: Problem) => boolean) | undefined;
  /**
   * A quarantine release: the tag manifest the operators approved. A kept bundle that is not that
   * bundle any more fails before a byte of payload is read (RELEASE_APPROVAL_INVALID).
   */
  expectTagmanifest?: string | null | undefined;
  /**
   * A refused import, before its outcome is recorded: the station keeps a bundle refused for its
   * content in quarantine here, so the refusal's audit event can name where it went.
   */
  beforeRefusalRecorded?: ((rejected: ImportResult) => Promise<void>) | undefined;
  /**
   * false for a push-only import staged in the station's spool: its staged files are read by the
   * push and removed once the import is recorded, so they are never flushed to disk (a crash
   * leaves them to be swept; the re-run verifies again from the bundle). Default true.
   */
  durable?: boolean | undefined;
  /** Large payload files on both cores (verify-options.ts): tests give small sizes; the default engages at 64 MiB. */
  payloadLanes?: PayloadLanes | undefined;
  /** The station's spool folder: a large manifest's checksums are kept in a file there, not in memory (verify-options.ts). */
  digestSpill?: DigestSpill | undefined;
  /** What the verify pass writes payload files to, given the staging folder (default: the staging folder itself). */
  payloadSink?: ((staging: PayloadSink) => PayloadSink) | undefined;
  /**
   * Content inspection (issue #16.5), when the station policy has an `inspect` section: its scanner
   * must be ready before any payload byte is read; it sees every file in the one pass; any
   * refuse-severity finding is a problem, so nothing is committed.
   */
  inspection?: ContentInspector | undefined;
}

export type ImportSettlement = { kind: 'imported' | 'rejected' | 'heartbeat'; result: ImportResult } | { kind: 'failed'; error: AirlockError };

export interface ImportResult extends VerifyResult {
  /** Where the payload now is (DIR/<bundle name>), or null when nothing was imported. */
  destination: string | null;
  /** Things the operator should know that did not stop the import. */
  warnings: string[];
  /** Every imported file with its verified checksum (empty unless ok), for the audit log: rows made as they are read. */
  payloadFiles: PayloadRows;
  /** Whether an earlier import of this bundle was overridden (--allow-replay). */
  replayOf: number | null;
  /** A quarantine release: the recorded findings it overrode (absent for an ordinary import). */
  overridden?: Problem[] | undefined;
  /** A heartbeat bundle (docs/channels.md): verified and its channel recorded; nothing was written to the destination. */
  heartbeat?: boolean | undefined;
  /** Refused (REPLAY) because another import of this very bundle is running now: that import (absent otherwise). */
  importInProgress?: { id: number; destination: string; pid: number | null; startedAt: string } | undefined;
}

/**
 * Refused only because another import of the bundle runs now: a wait, not a verdict on the
 * bundle (that import may still die uncommitted). A caller that tries again (`airlock watch`)
 * records nothing for such a try (importInto's `deferWhileImported`).
 */
export function refusedWhileImported(result: Pick<ImportResult, 'ok' | 'problems' | 'importInProgress'>): boolean {
  return !result.ok && result.importInProgress !== undefined && result.problems.length > 0 && result.problems.every((p) => p.code === 'REPLAY');
}

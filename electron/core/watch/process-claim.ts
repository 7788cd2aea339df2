import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ChannelFinding } from '../../../shared/channels.js';
import { ERROR_CODES, type ErrorCode } from '../../../shared/errors.js';
import type { WatchBundleRecord, WatchImportWait, WatchOutcome } from '../../../shared/watch.js';
import { isAbortError, toAirlockError, type AirlockError } from '../errors.js';
import type { ImportOutcome } from '../station/requests.js';
import { decide, finalFolder, finish, primaryIsFile, REPORT_FILE, type Claim } from './claim-folder.js';
import type { InboxLayout } from './inbox-layout.js';

/** What the station already recorded for an import from one exact path (a claim's bundle), found after a restart. */
export type PriorImport =
  | { kind: 'imported'; auditSeq: number | null; destination: string; bundleUuid: string | null; tagmanifestSha256: string }
  | { kind: 'heartbeat'; auditSeq: number; bundleUuid: string | null }
  | { kind: 'refused'; auditSeq: number; quarantined: boolean; codes: string[]; bundleUuid: string | null };

/** The station side of a watcher: the same import path as `airlock import`, and its ledger. */
export interface WatchPort {
  /** The station home's real path (claims name it: only this home's watchers finish them). */
  home: string;
  importBundle(bundlePath: string, signal: AbortSignal): Promise<ImportOutcome>;
  /** The import already committed or refused for this path, if any (claims are unique paths). */
  priorImport(bundlePath: string): PriorImport | null;
  /** Whether this station has an import of the bundle (its tag manifest or UUID) that stands. */
  importedOnStation(tagmanifestSha256: string | null, bundleUuid: string | null): boolean;
}

/** `busy`: another process is importing this very bundle now (`other`, when the import named it); the claim waits and is tried again. */
export type ClaimResult =
  | { kind: 'done'; record: WatchBundleRecord; findings: ChannelFinding[] }
  | { kind: 'failed'; error: AirlockError; storage: boolean }
  | { kind: 'cancelled' }
  | { kind: 'busy'; other: WatchImportWait['other'] };

/**
 * Refused only as a replay, while no import of the bundle stands on this station: the refusal
 * was "being imported right now" by another process (a manual import of the same bundle). Not an
 * outcome: that import may still die uncommitted, and then nothing would import the bundle from
 * the inbox. The next try says REPLAY of the committed import, or imports it.
 */
export function refusedForAnImportInProgress(result: Pick<ImportOutcome, 'ok' | 'problems' | 'bundle'>, port: Pick<WatchPort, 'importedOnStation'>): boolean {
  if (result.ok || result.problems.length === 0 || !result.problems.every((p) => p.code === 'REPLAY')) return false;
  return !port.importedOnStation(result.bundle.tagmanifestSha256, result.bundle.uuid);
}

/** The import report a claim already holds (written after the import returned), if it reads as one. */
async function readReport(claim: Claim): Promise<ImportOutcome | null> {
  try {
    const parsed = JSON.parse(await readFile(join(claim.dir, REPORT_FILE), 'utf8')) as Partial<ImportOutcome>;
    return typeof parsed.ok === 'boolean' && Array.isArray(parsed.problems) && typeof parsed.bundle === 'object' && parsed.bundle !== null
      ? (parsed as ImportOutcome)
      : null;
  } catch {
    return null;
  }
}

/** Errors that say the bundle itself is unusable: it is refused and moved to quarantine/, never retried. */
const BUNDLE_FAULTS = new Set<ErrorCode>(['NOT_A_BUNDLE', 'NOT_A_FILE', 'BUNDLE_IS_FOLDER', 'INVALID_NAME', 'SOURCE_NAME_UNSAFE', 'BUNDLE_CHANGED']);
/** Errors of the station's own storage: nothing more is claimed until a retry gets through. */
const STORAGE_FAULTS = new Set<ErrorCode>(['NO_SPACE', 'IO_ERROR', 'PERMISSION_DENIED', 'AUDIT_UNAVAILABLE', 'HOME_INVALID', 'RECEIPT_NOT_WRITTEN']);

export function outcomeOf(result: ImportOutcome): WatchOutcome {
  if (result.ok) return result.heartbeat === true ? 'heartbeat' : 'accepted';
  return result.quarantine ? 'quarantined' : 'rejected';
}

/**
 * Steps 3 to 5 of a claim (claim-folder.ts): import through the station (unless the ledger shows
 * this very claim's import committed or was refused before a kill), then report, decide, move.
 * An I/O failure leaves the claim where it is, to be tried again; a cancel (SIGTERM) too.
 */
export async function processClaim(layout: InboxLayout, claim: Claim, port: WatchPort, signal: AbortSignal, recovered: boolean): Promise<ClaimResult> {
  const bundlePath = join(claim.dir, claim.record.primary);
  const base = { name: claim.record.name, arrivedAt: claim.record.arrivedAt };
  let report: unknown;
  let record: WatchBundleRecord;
  let findings: ChannelFinding[] = [];
  // Only a claim tried before (by a dead watcher, or a failed try) can have an import on record: its path is new.
  const prior = recovered ? port.priorImport(bundlePath) : null;
  const recorded = (outcome: WatchOutcome, extra: Omit<WatchBundleRecord, 'name' | 'arrivedAt' | 'outcome' | 'finishedAt' | 'movedTo'>): WatchBundleRecord => ({
    ...base,
    outcome,
    finishedAt: new Date().toISOString(),
    movedTo: finalFolder(layout, claim, outcome),
    ...extra,
  });
  // Killed between the report and the outcome: the import's own report is there; keep it rather than a summary.
  const written = recovered ? await readReport(claim) : null;
  if (written !== null) {
    findings = written.channel?.findings ?? [];
    record = recorded(outcomeOf(written), {
      bundleUuid: written.bundle.uuid,
      codes: [...new Set(written.problems.map((p) => p.code))],
      auditSeq: written.auditEvent,
    });
    report = written;
  } else if (prior?.kind === 'imported') {
    // Committed before the last watcher died: accepted, not refused now as a replay of itself.
    record = recorded('accepted', { bundleUuid: prior.bundleUuid, codes: [], auditSeq: prior.auditSeq });
    report = { ok: true, recovered: true, destination: prior.destination, auditEvent: prior.auditSeq, tagmanifestSha256: prior.tagmanifestSha256 };
  } else if (prior?.kind === 'heartbeat') {
    record = recorded('heartbeat', { bundleUuid: prior.bundleUuid, codes: [], auditSeq: prior.auditSeq });
    report = { ok: true, recovered: true, heartbeat: true, auditEvent: prior.auditSeq };
  } else if (prior?.kind === 'refused') {
    record = recorded(prior.quarantined ? 'quarantined' : 'rejected', { bundleUuid: prior.bundleUuid, codes: prior.codes, auditSeq: prior.auditSeq });
    report = { ok: false, recovered: true, problems: prior.codes.map((code) => ({ code })), auditEvent: prior.auditSeq };
  } else if (!(await primaryIsFile(claim))) {
    record = recorded('rejected', { bundleUuid: null, codes: ['INBOX_ENTRY_REFUSED'], auditSeq: null });
    report = { ok: false, refused: { name: claim.record.primary, reason: 'not a plain file when claimed' } };
  } else {
    let result: ImportOutcome;
    try {
      result = await port.importBundle(bundlePath, signal);
    } catch (thrown) {
      if (signal.aborted || isAbortError(thrown)) return { kind: 'cancelled' };
      const error = toAirlockError(thrown);
      if (error.code === 'CANCELLED') return { kind: 'cancelled' };
      if (!BUNDLE_FAULTS.has(error.code) && ERROR_CODES[error.code].kind !== 'usage') return { kind: 'failed', error, storage: STORAGE_FAULTS.has(error.code) };
      record = recorded('rejected', { bundleUuid: null, codes: [error.code], auditSeq: null });
      report = { ok: false, error: error.toInfo() };
      await decide(claim, report, record);
      await finish(layout, claim, record);
      return { kind: 'done', record, findings };
    }
    // The import recorded nothing for this try (deferWhileImported): the outcome is the later try's.
    if (result.importInProgress !== undefined && result.auditEvent === null) return { kind: 'busy', other: result.importInProgress };
    if (refusedForAnImportInProgress(result, port)) return { kind: 'busy', other: result.importInProgress ?? null };
    findings = result.channel?.findings ?? [];
    record = recorded(outcomeOf(result), {
      bundleUuid: result.bundle.uuid,
      codes: [...new Set(result.problems.map((p) => p.code))],
      auditSeq: result.auditEvent,
    });
    report = result;
  }
  await decide(claim, report, record);
  await finish(layout, claim, record);
  return { kind: 'done', record, findings };
}

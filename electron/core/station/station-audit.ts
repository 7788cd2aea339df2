import { resolve } from 'node:path';
import type { Writable } from 'node:stream';
import { signAuditCheckpoint, type AuditCheckpoint } from '../audit/audit-checkpoint.js';
import type { AuditEvent } from '../audit/audit-event.js';
import { exportAuditLog, exportAuditLogToFile, type AuditExportFormat } from '../audit/audit-export.js';
import { listAuditEvents, type AuditQuery } from '../audit/audit-store.js';
import { verifyAuditLog, type AuditVerifyResult } from '../audit/audit-verify.js';
import type { ProgressListener } from '../../../shared/progress.js';
import type { SignerSpec } from '../crypto/signer-spec.js';
import { AirlockError, toAirlockError } from '../errors.js';
import { loadStationKeys } from '../keys/station-key.js';
import type { StationContext } from './context.js';
import { isStationKey, requiredSigner } from './signers.js';

// Reading the log, proving it, exporting it and checkpointing it. Reads use readDatabase(): a
// home that cannot take a write (full, read-only) still shows its log.

export function listAudit(context: StationContext, query: AuditQuery = {}): AuditEvent[] {
  return listAuditEvents(context.readDatabase(), query);
}

/** Checkpoints are verified with the station's own public key and any earlier station keys kept in the trust store. */
export async function verifyAudit(
  context: StationContext,
  request: { signal?: AbortSignal | undefined; onProgress?: ProgressListener | undefined } = {},
): Promise<AuditVerifyResult> {
  const db = context.readDatabase();
  // Parsing the keys (openpgp.js) overlaps the walk over the chain; they are needed only after it.
  const keys = loadStationKeys(context.paths);
  // Settled here as well so a failure while the walk runs is not an unhandled rejection; the walk's end awaits it and reports it.
  keys.catch(() => undefined);
  // The walk over the chain checks the signal between chunks (~0.1 s of rows each): Ctrl-C on a large log stops it.
  return verifyAuditLog(db, context.paths, keys, { signal: request.signal, onProgress: request.onProgress });
}

export function exportAudit(
  context: StationContext,
  format: AuditExportFormat,
  out: Writable,
  request: { signal?: AbortSignal | undefined } = {},
): Promise<{ events: number; checkpoints: number }> {
  return exportAuditLog(context.readDatabase(), format, out, request.signal);
}

/** The whole log to a file, written durably (temp name, fsync, rename, fsync the folder). */
export async function exportAuditToFile(
  context: StationContext,
  format: AuditExportFormat,
  path: string,
): Promise<{ events: number; checkpoints: number; path: string }> {
  const target = resolve(path);
  try {
    return { ...(await exportAuditLogToFile(context.readDatabase(), format, target)), path: target };
  } catch (error) {
    throw toAirlockError(error, target);
  }
}

/** Sign a checkpoint of the log now; only a station key (trusted with role station) may. */
export async function checkpointAudit(context: StationContext, passphrase: string, signer?: SignerSpec): Promise<AuditCheckpoint | null> {
  const resolved = await requiredSigner(context, signer, passphrase);
  if (!(await isStationKey(context, resolved))) {
    throw new AirlockError(
      'KEY_INVALID',
      `${resolved.fingerprint} is not this station's key; only a station key (trusted with role station) signs audit checkpoints.`,
    );
  }
  return signAuditCheckpoint(context.database(), context.paths, resolved);
}

import { lstatSync } from 'node:fs';
import type { Problem } from '../../../shared/problems.js';
import type { StationDb } from '../db/station-db.js';
import { currentOwner, ownerColumns, type ProcessOwner } from '../recovery/process-owner.js';
import { findPriorImport, type ImportIdentity, type PriorImport } from './replay-guard.js';

/**
 * The import claim: the ledger row an import writes right after the bundle is authenticated,
 * before any payload byte is read, in the same IMMEDIATE transaction as the replay check. Two
 * imports of one bundle started at the same instant queue on SQLite's write lock; the second
 * sees the first's claim and is refused. The row names its owner process (so a claim whose
 * owner died is recognisable, recovery/reconcile.ts) and the staging folder's device and inode
 * (the rename keeps them, so a destination found after a crash is provably this import's).
 *
 * status: 'pending' while the import runs; 'imported' once the payload is renamed into place;
 * 'failed' when it ended without that rename. Only 'imported' rows and pending rows of live
 * owners count for the replay guard.
 */

/** Device and inode of the staged payload folder, as decimal strings (64-bit values). */
export interface StagedFolderId {
  dev: string;
  ino: string;
}

export function folderId(path: string): StagedFolderId | null {
  try {
    const stats = lstatSync(path, { bigint: true });
    return stats.isDirectory() ? { dev: String(stats.dev), ino: String(stats.ino) } : null;
  } catch {
    return null;
  }
}

export interface ClaimRequest {
  identity: ImportIdentity;
  destination: string;
  staged: StagedFolderId;
  operator: string;
  bundlePath: string;
  allowReplay: boolean;
  /** Settles the claims of dead processes first, so they neither block nor count (inside the claim's transaction). */
  settleInterrupted?: (() => void) | undefined;
  /**
   * Runs in the claim's transaction after the replay and destination checks, before the claim is
   * written (the channel check and its reservation, channels/channel-receive.ts): problems it
   * returns refuse the bundle and no claim is written.
   */
  inClaim?: (() => Problem[]) | undefined;
}

export interface LiveClaim {
  id: number;
  destination: string;
  pid: number | null;
  startedAt: string;
}

export type ClaimOutcome =
  | { kind: 'claimed'; id: number; prior: PriorImport | null }
  | { kind: 'replay'; prior: PriorImport }
  | { kind: 'in-progress'; other: LiveClaim }
  | { kind: 'destination-claimed'; other: LiveClaim }
  | { kind: 'destination-exists' }
  | { kind: 'refused'; problems: Problem[] };

interface PendingRow {
  id: number;
  destination: string;
  owner_pid: number | null;
  started_at: string;
}

function live(row: PendingRow): LiveClaim {
  return { id: row.id, destination: row.destination, pid: row.owner_pid, startedAt: row.started_at };
}

function pathExists(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}

/** Replay check, destination check and claim, as one transaction. */
export function claimImport(db: StationDb, request: ClaimRequest, owner: ProcessOwner = currentOwner()): ClaimOutcome {
  const claim = db.transaction((): ClaimOutcome => {
    request.settleInterrupted?.();
    const { identity } = request;
    // A pending row left now belongs to a live process (or one on another host): it counts.
    const sameBundle = db
      .prepare(
        `SELECT id, destination, owner_pid, started_at FROM imports
          WHERE status = 'pending' AND (tagmanifest_sha256 = ? OR (? IS NOT NULL AND bundle_uuid = ?)) ORDER BY id LIMIT 1`,
      )
      .get(identity.tagmanifestSha256, identity.uuid, identity.uuid) as PendingRow | undefined;
    if (sameBundle) return { kind: 'in-progress', other: live(sameBundle) };
    const prior = findPriorImport(db, identity);
    if (prior && !request.allowReplay) return { kind: 'replay', prior };
    const sameDestination = db
      .prepare("SELECT id, destination, owner_pid, started_at FROM imports WHERE status = 'pending' AND destination = ?")
      .get(request.destination) as PendingRow | undefined;
    if (sameDestination) return { kind: 'destination-claimed', other: live(sameDestination) };
    if (pathExists(request.destination)) return { kind: 'destination-exists' };
    const refused = request.inClaim?.() ?? [];
    if (refused.length > 0) return { kind: 'refused', problems: refused };
    const info = db
      .prepare(
        `INSERT INTO imports (tagmanifest_sha256, bundle_uuid, bundle_name, signer_fingerprints, sequence, source_station, destination, status, replay_of, operator, started_at,
                              owner_pid, owner_host, owner_boot, owner_start, staged_dev, staged_ino, bundle_path)
         VALUES (?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        identity.tagmanifestSha256,
        identity.uuid,
        identity.name,
        JSON.stringify(identity.signers),
        identity.sequence,
        identity.station,
        request.destination,
        prior?.id ?? null,
        request.operator,
        new Date().toISOString(),
        ...ownerColumns(owner),
        request.staged.dev,
        request.staged.ino,
        request.bundlePath,
      );
    return { kind: 'claimed', id: Number(info.lastInsertRowid), prior };
  });
  return claim.immediate();
}

/** Totals known once every payload byte is staged: what a recovered import's audit event reports. */
export function noteStagedTotals(db: StationDb, id: number, files: number, bytes: number): void {
  db.prepare("UPDATE imports SET files = ?, bytes = ? WHERE id = ? AND status = 'pending'").run(files, bytes, id);
}

/** The payload is in place: the claim becomes the ledger's record of the import. */
export function settleImported(db: StationDb, id: number, recovered = false): void {
  const now = new Date().toISOString();
  const changed = db
    .prepare("UPDATE imports SET status = 'imported', committed_at = ?, resolved_at = ?, recovered = ? WHERE id = ? AND status = 'pending'")
    .run(now, now, recovered ? 1 : 0, id);
  if (changed.changes !== 1) throw new Error(`Import claim #${id} is no longer pending; it cannot be recorded as imported.`);
}

/** The import ended without its rename: the claim stays in the ledger as failed and counts for nothing. */
export function settleFailed(db: StationDb, id: number, recovered = false): void {
  db.prepare("UPDATE imports SET status = 'failed', resolved_at = ?, recovered = ? WHERE id = ? AND status = 'pending'").run(
    new Date().toISOString(),
    recovered ? 1 : 0,
    id,
  );
}

import { existsSync } from 'node:fs';
import type { StationDb } from '../db/station-db.js';

/**
 * The import ledger. A bundle's identity is the SHA-256 of its signed tag manifest (so bags
 * made by hand are covered too) and, where bag-info has one, its UUID. A row is 'pending'
 * from just before the payload is renamed into place until just after, so a crash in between
 * is recognisable and reconciled on the next run.
 */
export interface ImportIdentity {
  tagmanifestSha256: string;
  uuid: string | null;
  name: string;
  signers: string[];
  sequence: number | null;
  station: string | null;
}

export interface PriorImport {
  id: number;
  destination: string;
  committedAt: string | null;
  sameTagmanifest: boolean;
}

export function findPriorImport(db: StationDb, identity: ImportIdentity): PriorImport | null {
  const row = db
    .prepare(
      `SELECT id, destination, committed_at, tagmanifest_sha256 FROM imports
        WHERE status = 'imported' AND (tagmanifest_sha256 = ? OR (? IS NOT NULL AND bundle_uuid = ?))
        ORDER BY id LIMIT 1`,
    )
    .get(identity.tagmanifestSha256, identity.uuid, identity.uuid) as
    | { id: number; destination: string; committed_at: string | null; tagmanifest_sha256: string }
    | undefined;
  if (!row) return null;
  return { id: row.id, destination: row.destination, committedAt: row.committed_at, sameTagmanifest: row.tagmanifest_sha256 === identity.tagmanifestSha256 };
}

/** The highest sequence number already imported from any of these signers. */
export function highestSequenceFrom(db: StationDb, signers: readonly string[]): number | null {
  let highest: number | null = null;
  const query = db.prepare(
    `SELECT MAX(i.sequence) AS s FROM imports i, json_each(i.signer_fingerprints) j
      WHERE i.status = 'imported' AND j.value = ? AND i.sequence IS NOT NULL`,
  );
  for (const signer of signers) {
    const row = query.get(signer) as { s: number | null };
    if (row.s !== null && (highest === null || row.s > highest)) highest = row.s;
  }
  return highest;
}

export function recordPendingImport(db: StationDb, identity: ImportIdentity, destination: string, operator: string, replayOf: number | null): number {
  const info = db
    .prepare(
      `INSERT INTO imports (tagmanifest_sha256, bundle_uuid, bundle_name, signer_fingerprints, sequence, source_station, destination, status, replay_of, operator, started_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?, ?)`,
    )
    .run(identity.tagmanifestSha256, identity.uuid, identity.name, JSON.stringify(identity.signers), identity.sequence, identity.station, destination, replayOf, operator, new Date().toISOString());
  return Number(info.lastInsertRowid);
}

export function markImported(db: StationDb, id: number): void {
  db.prepare("UPDATE imports SET status = 'imported', committed_at = ? WHERE id = ?").run(new Date().toISOString(), id);
}

export function forgetPendingImport(db: StationDb, id: number): void {
  db.prepare("DELETE FROM imports WHERE id = ? AND status = 'pending'").run(id);
}

/**
 * After a crash: a pending import whose destination exists was committed (the rename is the
 * commit point) and is marked imported; one whose destination is absent never happened.
 */
export function reconcilePendingImports(db: StationDb, now: Date = new Date()): { committed: number; dropped: number } {
  // A row is pending for the instant of a rename; one younger than this may belong to an
  // import still running in another process, and is left to it.
  const settled = new Date(now.getTime() - 60_000).toISOString();
  const pending = db.prepare("SELECT id, destination FROM imports WHERE status = 'pending' AND started_at < ?").all(settled) as Array<{ id: number; destination: string }>;
  let committed = 0;
  let dropped = 0;
  for (const row of pending) {
    if (existsSync(row.destination)) {
      markImported(db, row.id);
      committed += 1;
    } else {
      forgetPendingImport(db, row.id);
      dropped += 1;
    }
  }
  return { committed, dropped };
}

import type { StationDb } from '../db/station-db.js';

/**
 * The import ledger. A bundle's identity is the SHA-256 of its signed tag manifest (so bags
 * made by hand are covered too) and, where bag-info has one, its UUID. Rows are written as
 * claims (import-claim.ts): 'pending' from authentication until the commit rename, then
 * 'imported' (or 'failed'); a crash in between is settled by recovery/reconcile.ts.
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
    { id: number; destination: string; committed_at: string | null; tagmanifest_sha256: string } | undefined;
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

/**
 * The push journal (station database, migration 5): per bundle and registry target, which blobs
 * and manifests reached the registry, and for a blob being uploaded its upload URL and the bytes
 * the registry acknowledged. A push killed half-way and run again hands that URL to the client,
 * which asks the registry for the upload's Range and sends only the rest (docs/design-notes.md,
 * "Push on import"). The journal is a hint, never proof: done entries are checked against the
 * registry again (HEAD) before anything is skipped, so a registry that lost a blob gets it again.
 */
import type { StationDb } from '../../db/station-db.js';

export type JournalKind = 'blob' | 'manifest';

export interface JournalUpload {
  uploadUrl: string;
  bytesAcked: number;
}

/** Writing the offset for every chunk would make the database the bottleneck: at most this often (bytes). */
const OFFSET_WRITE_EVERY = 4 * 1024 * 1024;

/**
 * Runs one journal write without waiting for the disk: `synchronous = NORMAL` for that statement
 * only (the station database is otherwise FULL). In WAL mode such a commit is in the WAL when the
 * call returns, so a kill -9 keeps it; only a power cut can lose it, and a lost hint costs a blob
 * sent again, never a wrong push (done entries are checked by HEAD, upload URLs by the registry).
 * Waiting costs much more than the write: an fsync while the registry on the same disk writes
 * the blobs it receives drags its data to disk with ours (ext4's ordered mode), and it blocks
 * the one thread every upload runs on. Measured: 0.9 s of a 1 GiB push (docs/design-notes.md).
 */
function withoutWaitingForDisk(db: StationDb, write: () => void): void {
  if (db.inTransaction) {
    write();
    return;
  }
  db.pragma('synchronous = NORMAL');
  try {
    write();
  } finally {
    db.pragma('synchronous = FULL');
  }
}

export class PushJournal {
  private readonly lastWritten = new Map<string, number>();

  constructor(
    private readonly db: StationDb,
    /** The bundle's tagmanifest SHA-256: the same bytes, whatever the bundle file is called. */
    private readonly bundle: string,
    /** `host[:port][/prefix]`. */
    private readonly target: string,
  ) {}

  /** The upload in progress for this blob, if a killed run left one. */
  upload(repository: string, digest: string): JournalUpload | null {
    const row = this.db
      .prepare(
        `SELECT upload_url, bytes_acked FROM push_journal
          WHERE tagmanifest_sha256 = ? AND target = ? AND repository = ? AND kind = 'blob' AND digest = ? AND state = 'uploading'`,
      )
      .get(this.bundle, this.target, repository, digest) as { upload_url: string | null; bytes_acked: number } | undefined;
    if (!row || row.upload_url === null) return null;
    return { uploadUrl: row.upload_url, bytesAcked: row.bytes_acked };
  }

  /** The registry opened (or moved) an upload: remember where, and how far it got. */
  noteUpload(repository: string, digest: string, uploadUrl: string, bytesAcked: number): void {
    const key = `${repository}\n${digest}\n${uploadUrl}`;
    const last = this.lastWritten.get(key);
    if (last !== undefined && bytesAcked - last < OFFSET_WRITE_EVERY) return;
    this.lastWritten.set(key, bytesAcked);
    withoutWaitingForDisk(this.db, () =>
      this.db
        .prepare(
          `INSERT INTO push_journal (tagmanifest_sha256, target, repository, kind, digest, state, upload_url, bytes_acked, updated_at)
         VALUES (?, ?, ?, 'blob', ?, 'uploading', ?, ?, ?)
         ON CONFLICT (tagmanifest_sha256, target, repository, kind, digest)
         DO UPDATE SET state = 'uploading', upload_url = excluded.upload_url, bytes_acked = excluded.bytes_acked, updated_at = excluded.updated_at`,
        )
        .run(this.bundle, this.target, repository, digest, uploadUrl, bytesAcked, new Date().toISOString()),
    );
  }

  /** An upload URL the registry no longer knows (expired, restarted): start that blob afresh. */
  forgetUpload(repository: string, digest: string): void {
    this.db
      .prepare(
        `DELETE FROM push_journal WHERE tagmanifest_sha256 = ? AND target = ? AND repository = ? AND kind = 'blob' AND digest = ? AND state = 'uploading'`,
      )
      .run(this.bundle, this.target, repository, digest);
  }

  markDone(kind: JournalKind, repository: string, digest: string): void {
    withoutWaitingForDisk(this.db, () =>
      this.db
        .prepare(
          `INSERT INTO push_journal (tagmanifest_sha256, target, repository, kind, digest, state, upload_url, bytes_acked, updated_at)
         VALUES (?, ?, ?, ?, ?, 'done', NULL, 0, ?)
         ON CONFLICT (tagmanifest_sha256, target, repository, kind, digest)
         DO UPDATE SET state = 'done', upload_url = NULL, updated_at = excluded.updated_at`,
        )
        .run(this.bundle, this.target, repository, kind, digest, new Date().toISOString()),
    );
  }

  isDone(kind: JournalKind, repository: string, digest: string): boolean {
    const row = this.db
      .prepare(
        `SELECT 1 AS one FROM push_journal WHERE tagmanifest_sha256 = ? AND target = ? AND repository = ? AND kind = ? AND digest = ? AND state = 'done'`,
      )
      .get(this.bundle, this.target, repository, kind, digest);
    return row !== undefined;
  }

  /**
   * Every image reached the registry and the event naming them is being recorded (call it in that
   * event's transaction): the journal of this bundle and target has served its purpose. Cleared
   * any earlier, a kill before the event would leave recovery nothing to name the pushes by.
   */
  clear(): void {
    this.db.prepare('DELETE FROM push_journal WHERE tagmanifest_sha256 = ? AND target = ?').run(this.bundle, this.target);
  }
}

/** A manifest the journal records as put to a registry (an image's tag, or a manifest an index or referrer needs). */
export interface JournaledManifest {
  target: string;
  repository: string;
  digest: string;
}

/**
 * The manifests the journal records as in a registry for this bundle since `since` (ISO 8601, the
 * import's start): what a killed push had already put there, for the event that settles that
 * import later (recovery/reconcile.ts). Without it the audit would say nothing of an image a dead
 * push left tagged in the registry. The journal is cleared only in the transaction of the event
 * that names the pushes, so a kill at any instant before it leaves them here.
 */
export function journaledManifests(db: StationDb, tagmanifestSha256: string, since: string): JournaledManifest[] {
  return db
    .prepare(
      `SELECT target, repository, digest FROM push_journal
        WHERE tagmanifest_sha256 = ? AND kind = 'manifest' AND state = 'done' AND updated_at >= ?
        ORDER BY target, repository, digest`,
    )
    .all(tagmanifestSha256, since) as JournaledManifest[];
}

/**
 * A recovered import that committed (its event names `pushedManifests`): the journal of each
 * target its push finished has served its purpose, as when the import records its own event. A
 * target with images left unfinished (`push_unfinished`) keeps its journal for the retry.
 */
export function clearFinishedJournals(db: StationDb, tagmanifestSha256: string): void {
  db.prepare(
    `DELETE FROM push_journal WHERE tagmanifest_sha256 = ?
        AND target NOT IN (SELECT target FROM push_unfinished WHERE tagmanifest_sha256 = ?)`,
  ).run(tagmanifestSha256, tagmanifestSha256);
}

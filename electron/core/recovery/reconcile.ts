import { appendAuditEvent } from '../audit/audit-store.js';
import type { StationDb } from '../db/station-db.js';
import type { StationIdentity } from '../home/station-config.js';
import { folderId, settleFailed, settleImported } from '../import/import-claim.js';
import { clearFinishedJournals, journaledManifests } from '../oci/push/push-journal.js';
import { releaseDeadPlaceholders } from '../import/staging-owner.js';
import { readBundleFront } from './bundle-front.js';
import { findPublishedBundle } from './published-bundle.js';
import { settleExportIntent } from './export-intent.js';
import { advanceChannel, publishingFromIntentDetails, publishingPathFromIntentDetails, stampFromIntentDetails } from '../channels/channel-send.js';
import { confirmReservation, releaseReservation } from '../channels/channel-receive.js';
import { pendingFeedIntents, settleFeed } from './feed-intent.js';
import { ownerState, type ProcessOwner } from './process-owner.js';

/**
 * Recovery after a crash (kill -9, power cut): every import claim and export intent left
 * pending by a process that provably cannot be running any more is settled from what the file
 * system shows, with an audit event on the same hash chain saying it was recovered:
 *
 * - import: the destination folder exists and has the staged folder's device and inode (the
 *   commit rename keeps them) -> the import happened: ledger 'imported', event `import ok`
 *   (details.recovered). Otherwise -> ledger 'failed', event `import failed` (INTERRUPTED).
 * - export: the bundle file exists and its bag-info names this station and the intent's
 *   sequence number, or a split set's last index copy is complete and signed (published-bundle.ts)
 *   -> `export ok` (recovered); otherwise -> `export failed` (INTERRUPTED). A channel number
 *   moves on with a published bundle, and also when the completing rename was noted but the
 *   bundle is gone (it may have left the station).
 * - feed import: every database file in place (the staged copies' device and inode) ->
 *   `feed-import ok` (recovered); otherwise `feed-import failed` (INTERRUPTED), naming what is
 *   in place (recovery/feed-intent.ts).
 *
 * Each settlement and its event are one transaction, so a crash during recovery leaves the row
 * pending for the next start, never settled without its event. Runs when a station opens its
 * database and inside every claim, so a dead claim neither blocks nor counts.
 */
export interface ReconcileSummary {
  importsRecovered: number;
  importsFailed: number;
  exportsRecovered: number;
  exportsFailed: number;
  /** Feed imports (signature database swaps) found complete, or not. */
  feedsRecovered: number;
  feedsFailed: number;
  /** Audit events written, in order. */
  events: number[];
}

interface ImportRow {
  id: number;
  tagmanifest_sha256: string;
  bundle_uuid: string | null;
  bundle_name: string;
  signer_fingerprints: string;
  destination: string;
  operator: string;
  started_at: string;
  owner_pid: number | null;
  owner_host: string | null;
  owner_boot: string | null;
  owner_start: string | null;
  staged_dev: string | null;
  staged_ino: string | null;
  bundle_path: string | null;
  files: number | null;
  bytes: number | null;
  replay_of: number | null;
}

interface ExportRow {
  id: number;
  kind: 'folder' | 'media';
  bundle_name: string;
  sequence: number;
  station: string;
  path: string;
  operator: string;
  details: string;
  started_at: string;
  owner_pid: number;
  owner_host: string;
  owner_boot: string | null;
  owner_start: string | null;
}

function ownerOf(row: { owner_pid: number | null; owner_host: string | null; owner_boot: string | null; owner_start: string | null }): ProcessOwner | null {
  if (row.owner_pid === null || row.owner_host === null) return null;
  return { pid: row.owner_pid, host: row.owner_host, boot: row.owner_boot, start: row.owner_start };
}

/** Rows from before owners were recorded (schema 3) have no owner: no process of this version holds them. */
function isDead(row: Parameters<typeof ownerOf>[0]): boolean {
  const owner = ownerOf(row);
  return owner === null || ownerState(owner) === 'dead';
}

/** A damaged JSON column must not stop recovery (it would keep every other row pending too). */
function parseOr<T>(text: string, fallback: T): T {
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}

const INTERRUPTED_NOTE = 'Settled on a later start: the process that ran it ended (killed, crashed or power lost) before recording it.';

function settleImport(db: StationDb, identity: StationIdentity, row: ImportRow, summary: ReconcileSummary): void {
  let found = folderId(row.destination);
  const legacy = row.staged_ino === null;
  const isOurs = (f: typeof found): boolean => f !== null && (legacy || (f.dev === row.staged_dev && f.ino === row.staged_ino));
  if (found !== null && !isOurs(found)) {
    // Killed between the commit's placeholder and its rename: the empty folder it made goes, so the
    // destination does not show an import that did not happen (quarantine release settles by this too).
    releaseDeadPlaceholders(row.destination);
    found = folderId(row.destination);
  }
  const ours = isOurs(found);
  const common = {
    type: 'import' as const,
    bundleUuid: row.bundle_uuid,
    bundleName: row.bundle_name,
    tagmanifestSha256: row.tagmanifest_sha256,
    signers: parseOr<string[]>(row.signer_fingerprints, []),
  };
  // A push killed part-way may have tagged some images already: the event names what the push journal recorded.
  const pushed = journaledManifests(db, row.tagmanifest_sha256, row.started_at);
  const details = {
    recovered: true,
    note: INTERRUPTED_NOTE,
    claim: row.id,
    bundlePath: row.bundle_path,
    destination: row.destination,
    startedAt: row.started_at,
    interruptedOperator: row.operator,
    interruptedProcess: row.owner_pid,
    replayOf: row.replay_of,
    ...(pushed.length > 0 ? { pushedManifests: pushed } : {}),
  };
  if (ours) {
    settleImported(db, row.id, true);
    // The channel number it reserved in its claim (channels/channel-receive.ts) stands: the channel moves on.
    confirmReservation(db, row.tagmanifest_sha256);
    // Named in this event (pushedManifests): the journal of a finished push goes with it, as after an import's own event.
    clearFinishedJournals(db, row.tagmanifest_sha256);
    summary.importsRecovered += 1;
    const event = appendAuditEvent(db, identity, {
      ...common,
      outcome: 'ok',
      files: row.files,
      bytes: row.bytes,
      details: {
        ...details,
        destinationState: 'present, committed by this import',
        fileRows: 'not recorded: the signed manifest (tagmanifestSha256) lists every file',
      },
    });
    summary.events.push(event.seq);
  } else {
    settleFailed(db, row.id, true);
    releaseReservation(db, row.tagmanifest_sha256);
    summary.importsFailed += 1;
    const state = found === null ? 'absent: the import stopped before its commit rename' : 'present but not made by this import (another folder of that name)';
    const event = appendAuditEvent(db, identity, { ...common, outcome: 'failed', errorCode: 'INTERRUPTED', details: { ...details, destinationState: state } });
    summary.events.push(event.seq);
  }
}

function settleExport(db: StationDb, identity: StationIdentity, row: ExportRow, summary: ReconcileSummary): void {
  const recorded = parseOr<Record<string, unknown>>(row.details, {});
  // A bundle stamped on a channel (channels/channel-send.ts): published means the channel moved on.
  const stamp = stampFromIntentDetails(recorded);
  const publishing = publishingFromIntentDetails(recorded);
  // One file at the intent's path, or a split set whose last index copy is complete (published-bundle.ts).
  const published = findPublishedBundle({
    path: row.path,
    station: row.station,
    sequence: row.sequence,
    notedTagmanifestSha256: publishing,
    notedPath: publishingPathFromIntentDetails(recorded),
  });
  const details: Record<string, unknown> = {
    ...recorded,
    recovered: true,
    note: INTERRUPTED_NOTE,
    intent: row.id,
    bundlePath: row.path,
    sequence: row.sequence,
    startedAt: row.started_at,
    interruptedOperator: row.operator,
    interruptedProcess: row.owner_pid,
  };
  if (published) {
    settleExportIntent(db, row.id, 'exported', true);
    if (stamp) advanceChannel(db, stamp, { tagmanifestSha256: published.tagmanifestSha256, uuid: published.uuid ?? '' });
    summary.exportsRecovered += 1;
    const media = row.kind === 'media' ? { readBack: 'not done: the export was interrupted before reading the medium back; run airlock media verify' } : {};
    const form = published.form === 'split' ? { bundlePath: published.path, split: true, parts: published.parts } : {};
    const event = appendAuditEvent(db, identity, {
      type: stamp?.heartbeat === true ? 'heartbeat' : 'export',
      outcome: 'ok',
      bundleUuid: published.uuid,
      bundleName: row.bundle_name,
      tagmanifestSha256: published.tagmanifestSha256,
      details: { ...details, ...media, ...form, bundleState: 'published', fileRows: 'not recorded: the signed manifest in the bundle lists every file' },
    });
    summary.events.push(event.seq);
  } else {
    settleExportIntent(db, row.id, 'failed', true);
    // Killed at or after its completing rename, the bundle gone (or replaced) since: the number counts as used (channel-send.ts notePublishing).
    if (stamp && publishing !== null) {
      advanceChannel(db, stamp, { tagmanifestSha256: publishing, uuid: '' });
      details.channelNumber = `sequence ${stamp.sequence} counted as used: the bundle may have been published before the interruption`;
    }
    summary.exportsFailed += 1;
    const event = appendAuditEvent(db, identity, {
      type: stamp?.heartbeat === true ? 'heartbeat' : 'export',
      outcome: 'failed',
      bundleName: row.bundle_name,
      errorCode: 'INTERRUPTED',
      details: { ...details, bundleState: unpublishedState(row.path) },
    });
    summary.events.push(event.seq);
  }
}

/** What is at an unpublished export's path, for its failure event. */
function unpublishedState(path: string): string {
  return readBundleFront(path) === null
    ? 'absent: the export stopped before publishing (its temp file, if any, is removed by the next export to that folder; parts of an incomplete split set are not a bundle any reader accepts)'
    : "present but not this export's bundle";
}

function pendingImports(db: StationDb): ImportRow[] {
  return db.prepare("SELECT * FROM imports WHERE status = 'pending' ORDER BY id").all() as ImportRow[];
}

function pendingExports(db: StationDb): ExportRow[] {
  return db.prepare("SELECT * FROM export_intents WHERE status = 'pending' ORDER BY id").all() as ExportRow[];
}

/** Settle every intent whose owner is dead. Cheap when there is none: one read, no write lock. */
export function settleInterruptedTransfers(db: StationDb, identity: StationIdentity): ReconcileSummary {
  const summary: ReconcileSummary = {
    importsRecovered: 0,
    importsFailed: 0,
    exportsRecovered: 0,
    exportsFailed: 0,
    feedsRecovered: 0,
    feedsFailed: 0,
    events: [],
  };
  if (!db.inTransaction && !pendingImports(db).some(isDead) && !pendingExports(db).some(isDead) && !pendingFeedIntents(db).some(isDead)) return summary;
  db.transaction(() => {
    // Read again under the write lock: another process may have settled them meanwhile.
    for (const row of pendingImports(db)) if (isDead(row)) settleImport(db, identity, row, summary);
    for (const row of pendingExports(db)) if (isDead(row)) settleExport(db, identity, row, summary);
    for (const row of pendingFeedIntents(db)) {
      if (!isDead(row)) continue;
      const settled = settleFeed(db, identity, row, INTERRUPTED_NOTE);
      if (settled.recovered) summary.feedsRecovered += 1;
      else summary.feedsFailed += 1;
      summary.events.push(settled.seq);
    }
  }).immediate();
  return summary;
}

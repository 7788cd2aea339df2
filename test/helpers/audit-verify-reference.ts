/**
 * The audit verifier as it was before the walk went onto several cores (commit f763db8 of
 * electron/core/audit/audit-verify.ts, one thread, row objects, hashStoredEvent on every row),
 * kept unchanged as the oracle of the differential tests: the parallel walk must name exactly
 * what this one names, for every tampering.
 */
import type { TrustedKey } from '../../electron/core/crypto/detached-signature.js';
import type { StationDb } from '../../electron/core/db/station-db.js';
import type { HomePaths } from '../../electron/core/home/station-home.js';
import { filesDigest, GENESIS_HASH, hashStoredEvent } from '../../electron/core/audit/audit-event.js';
import { checkpointSignatureValid, listCheckpoints, readHeadFile, type AuditCheckpoint } from '../../electron/core/audit/audit-checkpoint.js';
import { auditFileRowReader, iterateStoredEvents } from '../../electron/core/audit/audit-store.js';
import type { AuditVerifyResult } from '../../electron/core/audit/audit-verify.js';

/**
 * Walk the chain from the first event: contiguous sequence numbers, each event linked to the
 * one before, each hash recomputed (file rows included), then every signed checkpoint and the
 * signed head file checked against the events they vouch for.
 */
export async function referenceVerifyAuditLog(db: StationDb, paths: HomePaths, stationKeys: readonly TrustedKey[]): Promise<AuditVerifyResult> {
  const notes: string[] = [];
  let firstBroken: AuditVerifyResult['firstBroken'] = null;
  const breakAt = (seq: number, reason: string): void => {
    if (!firstBroken || seq < firstBroken.seq) firstBroken = { seq, reason };
  };

  // Only the hashes a checkpoint or the head file vouches for are kept: memory stays flat.
  const checkpoints = listCheckpoints(db);
  let head: AuditCheckpoint | null = null;
  let headUnreadable: string | null = null;
  try {
    head = await readHeadFile(paths);
  } catch (error) {
    headUnreadable = (error as Error).message;
  }
  const wanted = new Set([...checkpoints.map((c) => c.seq), ...(head ? [head.seq] : [])]);
  const hashes = new Map<number, string>();
  const fileRows = auditFileRowReader(db);
  let expected = 1;
  let prev = GENESIS_HASH;
  let count = 0;
  for (const row of iterateStoredEvents(db)) {
    count += 1;
    if (row.seq !== expected) {
      breakAt(expected, row.seq > expected ? `event #${expected} is missing (deleted)` : `event #${row.seq} is out of order`);
      break;
    }
    if (row.prev_hash !== prev) {
      breakAt(row.seq, `event #${row.seq} does not follow event #${row.seq - 1} (inserted, reordered or edited)`);
      break;
    }
    const { hash, ...rest } = row;
    if (hashStoredEvent(rest) !== hash) {
      breakAt(row.seq, `event #${row.seq} was edited after it was recorded`);
      break;
    }
    // Rows added to an event recorded without any are caught by one query after the loop.
    if (row.files_digest !== null && filesDigest(fileRows(row.seq)) !== row.files_digest) {
      breakAt(row.seq, `the per-file rows of event #${row.seq} were edited`);
      break;
    }
    if (wanted.has(row.seq)) hashes.set(row.seq, hash);
    prev = hash;
    expected += 1;
  }
  const lastSeq = expected - 1;
  if (headUnreadable !== null) breakAt(lastSeq + 1, `audit-head.json is unreadable or malformed (${headUnreadable}): the newest events cannot be vouched for`);
  const added = db
    .prepare('SELECT MIN(f.event_seq) AS seq FROM audit_files f JOIN audit_events e ON e.seq = f.event_seq WHERE e.files_digest IS NULL AND e.seq <= ?')
    .get(lastSeq) as { seq: number | null };
  if (added.seq !== null) breakAt(added.seq, `the per-file rows of event #${added.seq} were edited`);
  const orphans = db.prepare('SELECT COUNT(*) AS n FROM audit_files WHERE event_seq NOT IN (SELECT seq FROM audit_events)').get() as { n: number };
  if (orphans.n > 0) breakAt(lastSeq + 1, `${orphans.n} per-file rows belong to no event (their event was deleted)`);

  const checkAgainst = async (checkpoint: AuditCheckpoint, where: string): Promise<number | null> => {
    if (!(await checkpointSignatureValid(checkpoint, stationKeys))) {
      breakAt(checkpoint.seq, `the ${where} for event #${checkpoint.seq} has no valid station signature`);
      return null;
    }
    if (checkpoint.seq > lastSeq && !firstBroken) {
      breakAt(
        lastSeq + 1,
        `the log ends at event #${lastSeq}, but the ${where} signed at ${checkpoint.at} vouches for event #${checkpoint.seq}: the newest events were cut`,
      );
      return null;
    }
    const hash = hashes.get(checkpoint.seq);
    if (hash !== undefined && hash !== checkpoint.hash) {
      breakAt(checkpoint.seq, `event #${checkpoint.seq} differs from the ${where} signed at ${checkpoint.at}: the chain was rewritten`);
      return null;
    }
    return checkpoint.seq;
  };

  let lastCheckpointSeq: number | null = null;
  for (const checkpoint of checkpoints) {
    const seq = await checkAgainst(checkpoint, 'checkpoint');
    if (seq !== null && (lastCheckpointSeq === null || seq > lastCheckpointSeq)) lastCheckpointSeq = seq;
  }
  if (head) await checkAgainst(head, 'signed head (audit-head.json)');
  else if (checkpoints.length > 0) notes.push('audit-head.json is missing although checkpoints exist.');
  if (lastCheckpointSeq !== null && lastCheckpointSeq < lastSeq) {
    notes.push(`Events #${lastCheckpointSeq + 1}-#${lastSeq} are chained but not yet covered by a signed checkpoint.`);
  }
  if (checkpoints.length === 0 && count > 0) notes.push('No signed checkpoint yet: the chain proves order and integrity, not who wrote it.');
  return { ok: firstBroken === null, events: count, checkpoints: checkpoints.length, lastCheckpointSeq, firstBroken, notes };
}

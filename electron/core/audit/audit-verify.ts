import type { TrustedKey } from '../crypto/detached-signature.js';
import type { StationDb } from '../db/station-db.js';
import type { HomePaths } from '../home/station-home.js';
import { checkpointSignatureValid, listCheckpoints, readHeadFile, type AuditCheckpoint } from './audit-checkpoint.js';
import { walkAuditChain, type ChainWalkOptions } from './audit-chain-lanes.js';

export interface AuditVerifyResult {
  ok: boolean;
  events: number;
  checkpoints: number;
  /** The newest event a valid signed checkpoint vouches for. */
  lastCheckpointSeq: number | null;
  /** The first place the log stops being trustworthy, if any. */
  firstBroken: { seq: number; reason: string } | null;
  /** Facts that do not break the chain but an auditor should see. */
  notes: string[];
}

/**
 * Walk the chain from the first event: contiguous sequence numbers, each event linked to the
 * one before, each hash recomputed (file rows included), then every signed checkpoint and the
 * signed head file checked against the events they vouch for. The walk runs on every core for
 * a large log (audit-chain-lanes.ts) and stops at the first break, as a single walk would.
 */
export async function verifyAuditLog(
  db: StationDb,
  paths: HomePaths,
  /** May still be loading: it is needed only once the walk is done, and loads meanwhile (station-audit.ts). */
  stationKeys: readonly TrustedKey[] | Promise<readonly TrustedKey[]>,
  options: ChainWalkOptions = {},
): Promise<AuditVerifyResult> {
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
  // The walk starts its worker lanes and returns at its first pause; the two whole-table queries
  // about per-file rows run here meanwhile, on this thread, while the workers check chunks,
  // instead of after the walk with every other core idle. Neither depends on the walk: the first
  // is the lowest such event in the whole log, which is also the lowest at or below the walk's
  // end whenever there is one there.
  const walking = walkAuditChain(db, wanted, options);
  let added: { seq: number | null };
  let orphans: { n: number };
  try {
    added = db.prepare('SELECT MIN(f.event_seq) AS seq FROM audit_files f JOIN audit_events e ON e.seq = f.event_seq WHERE e.files_digest IS NULL').get() as {
      seq: number | null;
    };
    orphans = db.prepare('SELECT COUNT(*) AS n FROM audit_files WHERE event_seq NOT IN (SELECT seq FROM audit_events)').get() as { n: number };
  } catch (error) {
    // The walk is not left running (or failing unheard) behind the error.
    await walking.catch(() => undefined);
    throw error;
  }
  const walk = await walking;
  const { hashes, rows: count } = walk;
  if (walk.broken) breakAt(walk.broken.seq, walk.broken.reason);
  const lastSeq = walk.expected - 1;
  if (headUnreadable !== null) breakAt(lastSeq + 1, `audit-head.json is unreadable or malformed (${headUnreadable}): the newest events cannot be vouched for`);
  if (added.seq !== null && added.seq <= lastSeq) breakAt(added.seq, `the per-file rows of event #${added.seq} were edited`);
  if (orphans.n > 0) breakAt(lastSeq + 1, `${orphans.n} per-file rows belong to no event (their event was deleted)`);
  const keys = await stationKeys;

  const checkAgainst = async (checkpoint: AuditCheckpoint, where: string): Promise<number | null> => {
    if (!(await checkpointSignatureValid(checkpoint, keys))) {
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

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { StationDb } from '../db/station-db.js';
import type { StagedEntry } from '../export/staged-list.js';
import { AirlockError } from '../errors.js';

/**
 * One staged export makes one bundle. Its sequence number is taken at prepare and is this home's
 * alone (one counter), so the export intents (recovery/export-intent.ts) already say whether a
 * finish of it is running (`pending`, its owner alive: a dead owner's intent is settled first) or
 * has written its bundle (`exported`, by the finish or by recovery after a kill). `export --finish`
 * checks them in its intent's own transaction, and a discard checks them in the transaction that
 * renames the folder away and records the discard: SQLite's write lock orders the two, so a finish
 * and a discard, two finishes, or a finish after a killed one that had already published, cannot
 * both go ahead (faults10: two bundles of one staged export, or a bundle and a discard event).
 */

interface FinishIntent {
  id: number;
  status: 'pending' | 'exported';
  path: string;
  owner_pid: number;
}

/** The newest finish of this sequence number that is running or has published its bundle, if any. */
export function finishOf(db: StationDb, sequence: number): FinishIntent | null {
  return (
    (db
      .prepare("SELECT id, status, path, owner_pid FROM export_intents WHERE sequence = ? AND status IN ('pending', 'exported') ORDER BY id DESC LIMIT 1")
      .get(sequence) as FinishIntent | undefined) ?? null
  );
}

/** Refuse a staged export another command is finishing now, or whose bundle was written already. */
export function assertNotFinished(db: StationDb, dir: string, sequence: number): void {
  const other = finishOf(db, sequence);
  if (other === null) return;
  if (other.status === 'pending') {
    throw new AirlockError('STAGED_FINISHED', `${dir} is being finished now by process ${other.owner_pid} (to ${other.path}).`, {
      path: dir,
      data: { reason: 'finishing', bundle: other.path },
    });
  }
  throw new AirlockError('STAGED_FINISHED', `${dir} was finished already: its bundle was written to ${other.path}.`, {
    path: dir,
    data: { reason: 'finished', bundle: other.path },
  });
}

/** Inside the finish's intent transaction: not finished by another, and not discarded since it was loaded. */
export function assertFinishable(db: StationDb, dir: string, sequence: number): void {
  assertNotFinished(db, dir, sequence);
  if (!existsSync(join(dir, 'staged.json'))) throw new AirlockError('STAGED_INVALID', `${dir}: it was discarded while this finish started`, { path: dir });
}

/**
 * Inside the finish's intent transaction: every signer on record is one this finish carries. An
 * approve that recorded its event after the finish read the signatures (faults10's "approve racing
 * finish") would otherwise be on record and missing from the bundle. Approve records its event in
 * a transaction that refuses a pending or exported finish, so SQLite's write lock orders the two:
 * the approval is in the bundle, or refused (its signature withdrawn), or this finish is refused
 * before it writes anything and may simply run again.
 */
export function assertCarriesRecorded(db: StationDb, dir: string, uuid: string, carried: readonly string[]): void {
  const missing = [...recordedSigners(db, uuid)].filter((fingerprint) => !carried.includes(fingerprint));
  if (missing.length === 0) return;
  throw new AirlockError(
    'STAGED_INVALID',
    `${dir}: an approval by ${missing.join(', ')} was recorded after this finish read its signatures; nothing was written`,
    {
      path: dir,
      data: { reason: 'approved-meanwhile' },
    },
  );
}

/** The sequence number staged.json names, or null when it cannot be read (a prepare killed before writing it). */
export function stagedSequence(dir: string): number | null {
  try {
    const sequence = (JSON.parse(readFileSync(join(dir, 'staged.json'), 'utf8')) as { sequence?: unknown }).sequence;
    return typeof sequence === 'number' && Number.isInteger(sequence) ? sequence : null;
  } catch {
    return null;
  }
}

/**
 * The signers of a staged export on record: those an `export-prepare` or `export-approve` ok event
 * of its bundle UUID names. A signature is made durable before its event, so a kill between the
 * two leaves a signature nobody recorded (faults10 `crash-approve`): approve and finish count only
 * these, so no bundle carries an approval the log does not show.
 */
export function recordedSigners(db: StationDb, bundleUuid: string): Set<string> {
  const rows = db
    .prepare("SELECT signers FROM audit_events WHERE bundle_uuid = ? AND type IN ('export-prepare', 'export-approve') AND outcome = 'ok'")
    .all(bundleUuid) as Array<{ signers: string }>;
  return new Set(rows.flatMap((row) => JSON.parse(row.signers) as string[]));
}

/**
 * A listed staged export as the log and the intents see it, so the list says what approve and
 * finish will do (faults10's "left"): `finished` when a finish of its sequence number published
 * its bundle (a finish killed after its publish leaves the folder whole, and finish and approve
 * refuse it); the signatures counted only when on record (a kill between an approval's signature
 * and its event leaves a file nobody recorded); none on record is `invalid`, as approve says.
 */
export function stagedEntryOnRecord(db: StationDb, entry: StagedEntry): StagedEntry {
  if (entry.state !== 'ready' || entry.uuid === null || entry.sequence === null) return entry;
  const finish = finishOf(db, entry.sequence);
  if (finish?.status === 'exported') return { ...entry, state: 'finished', reason: `its bundle was written to ${finish.path}` };
  const recorded = recordedSigners(db, entry.uuid);
  const signers = (entry.signers ?? []).filter((s) => recorded.has(s.fingerprint));
  if (signers.length === 0) {
    return {
      ...entry,
      state: 'invalid',
      reason: "no signature of it is on record in this station's audit log (its prepare did not finish here)",
      signatures: null,
      signers: null,
    };
  }
  return { ...entry, signatures: signers.length, signers };
}

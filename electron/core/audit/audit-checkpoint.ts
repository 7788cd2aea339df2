import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import type { BundleSigner } from '../crypto/bundle-signer.js';
import { verifyDetachedSignature, type TrustedKey } from '../crypto/detached-signature.js';
import type { StationDb } from '../db/station-db.js';
import { AirlockError, errnoOf } from '../errors.js';
import { writeFileDurably } from '../fs/durable.js';
import { homeFileLockPath, withHomeFileLock } from '../home/home-file-lock.js';
import { onFirstUse } from '../on-first-use.js';
import type { HomePaths } from '../home/station-home.js';
import { auditHead } from './audit-store.js';

export interface AuditCheckpoint {
  seq: number;
  hash: string;
  at: string;
  fingerprint: string;
  signature: string;
}

/** The exact bytes a checkpoint signature covers. */
export function checkpointStatement(c: Omit<AuditCheckpoint, 'signature'>): Buffer {
  return Buffer.from(`airlock-audit-checkpoint-v1\nseq=${c.seq}\nhash=${c.hash}\nat=${c.at}\nsigner=${c.fingerprint}\n`, 'utf8');
}

/**
 * Sign the head of the chain with the station key, store the checkpoint, and write it to
 * audit-head.json too: deleting the newest events (and their checkpoints) from the database
 * then still disagrees with the signed head outside it.
 */
export async function signAuditCheckpoint(db: StationDb, paths: HomePaths, signer: BundleSigner, now: Date = new Date()): Promise<AuditCheckpoint | null> {
  const head = auditHead(db);
  if (!head) return null;
  const body = { seq: head.seq, hash: head.hash, at: now.toISOString(), fingerprint: signer.fingerprint };
  const signature = await signer.sign(checkpointStatement(body), now);
  const checkpoint: AuditCheckpoint = { ...body, signature };
  db.prepare('INSERT INTO audit_checkpoints (event_seq, head_hash, at, fingerprint, signature) VALUES (?, ?, ?, ?, ?)').run(
    checkpoint.seq,
    checkpoint.hash,
    checkpoint.at,
    checkpoint.fingerprint,
    checkpoint.signature,
  );
  // Never move the recorded head backwards: a slower process must not overwrite a newer head. The
  // compare and the write hold the home's file lock (home-file-lock.ts): without it two processes
  // could both read the old head and the older checkpoint's write land last, leaving the file one
  // checkpoint behind the database (lostupd's leftover; audit-head-two-checkpoints.test.ts).
  // A holder stuck past the lock's wait (HOME_FILE_BUSY) leaves the file one checkpoint behind, as
  // it could be before; the checkpoint is in the database and the next one moves the file on. Not
  // a failure of the export or import that asked for the checkpoint.
  await withHomeFileLock(homeFileLockPath(paths.auditHead), async () => {
    const current = await readHeadFile(paths).catch(() => null);
    if (!current || current.seq <= checkpoint.seq) await writeFileDurably(paths.auditHead, `${JSON.stringify(checkpoint, null, 2)}\n`, 0o600);
  }).catch((error: unknown) => {
    if (!(error instanceof AirlockError && error.code === 'HOME_FILE_BUSY')) throw error;
  });
  return checkpoint;
}

/** Built when a head file is first read (onFirstUse): at module load it made every verify load zod. */
const checkpointSchema = onFirstUse(() =>
  z.object({ seq: z.number().int().positive(), hash: z.string(), at: z.string(), fingerprint: z.string(), signature: z.string() }),
);

export async function readHeadFile(paths: HomePaths): Promise<AuditCheckpoint | null> {
  let text: string;
  try {
    text = await readFile(paths.auditHead, 'utf8');
  } catch (error) {
    if (errnoOf(error) === 'ENOENT') return null;
    throw error;
  }
  return checkpointSchema().parse(JSON.parse(text));
}

export function listCheckpoints(db: StationDb): AuditCheckpoint[] {
  return db.prepare('SELECT event_seq AS seq, head_hash AS hash, at, fingerprint, signature FROM audit_checkpoints ORDER BY id').all() as AuditCheckpoint[];
}

/** True when a station key signed exactly this checkpoint. */
export async function checkpointSignatureValid(checkpoint: AuditCheckpoint, stationKeys: readonly TrustedKey[]): Promise<boolean> {
  const signer = stationKeys.find((k) => k.fingerprint === checkpoint.fingerprint);
  if (!signer) return false;
  const { fingerprint: _f, signature, ...rest } = checkpoint;
  const check = await verifyDetachedSignature(
    checkpointStatement({ ...rest, fingerprint: checkpoint.fingerprint }),
    signature,
    [signer],
    new Date(Date.parse(checkpoint.at) + 1000),
  );
  return check.problems.length === 0;
}

import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { normalizeFingerprint } from '../../../shared/fingerprint.js';
import { resolveSigner, type SignerSpec } from '../crypto/signer-spec.js';
import { AirlockError, toAirlockError } from '../errors.js';
import { describeKey, parseTrustablePublicKey, type KeyDescription } from '../keys/public-key.js';
import {
  applyRotation,
  backupStationKey,
  hasStationKey,
  installNewStationKey,
  makeStationKey,
  prepareRotation,
  readStationKeyBackup,
  readStationPublicKey,
  retiredFiles,
  type KeyAlgorithm,
} from '../keys/station-key.js';
import { importRevocation, readTrustStore, trustPublicKey, untrustKey, type TrustedSigner, type TrustResult } from '../keys/trust-store.js';
import { withTrustStoreLock } from '../keys/trust-store-lock.js';
import { withRefusals, type ListedSigner } from '../keys/trusted-key-refusal.js';
import { journaledKeyChange } from '../keys/key-change-journal.js';
import type { HomeFileHold } from '../home/home-file-lock.js';
import { runAudited, type Audited, type AuditedOperation, type SuccessEvent } from './audited-operation.js';
import type { StationContext } from './context.js';
import { readRegularFile } from '../fs/open-regular.js';

// Key generation, rotation, restore and untrust record their success only, as they always have:
// a failure there changes nothing in the home. Trust, revocation and backup record failures too.

/**
 * A change of the trust store and its audit event under the store's lock (trust-store-lock.ts):
 * of two changes at once, the one that wrote first is recorded first, so the log's last word on a
 * key is the store's. Generate, rotate and restore make or unlock a key first (RSA takes seconds,
 * near everyone else's 10 s wait), outside the lock; only their writes and event run under it.
 */
function auditedTrustChange<T>(
  context: StationContext,
  operation: (held: HomeFileHold) => AuditedOperation<T, SuccessEvent>,
  extraFiles: readonly string[] = [],
): Promise<Audited<T>> {
  return withTrustStoreLock(context.paths, (held) =>
    // Journaled (key-change-journal.ts): a cut between its writes, or before its event, is undone by the next open or key change.
    journaledKeyChange(
      context.paths,
      () => context.database(),
      extraFiles,
      (id) => {
        const op = operation(held);
        return runAudited(context, {
          ...op,
          succeeded: (value, also) => {
            const event = op.succeeded(value, also);
            return { ...event, details: { ...event.details, keyChange: id } };
          },
        });
      },
    ),
  );
}

export interface NewKeyOptions {
  name: string;
  email?: string | undefined;
  passphrase: string;
  algorithm?: KeyAlgorithm | undefined;
  /** Generation only (not rotation): a cancel before the key's files are written keeps nothing. */
  signal?: AbortSignal | undefined;
}

export async function generateKey(context: StationContext, options: NewKeyOptions): Promise<KeyDescription> {
  // A first look before the slow generation; installNewStationKey asks again under the lock.
  if (await hasStationKey(context.paths))
    throw new AirlockError('STATION_KEY_EXISTS', context.paths.stationPrivateKey, { path: context.paths.stationPrivateKey });
  const made = await makeStationKey(options);
  const done = await auditedTrustChange<KeyDescription>(context, (held) => ({
    type: 'key-generate',
    failureDetails: 'not recorded',
    run: () => installNewStationKey(context.paths, made, held),
    succeeded: (key) => ({ outcome: 'ok', signers: [key.fingerprint], details: { userIds: key.userIds, algorithm: key.algorithm } }),
  }));
  return done.value;
}

export function hasKey(context: StationContext): Promise<boolean> {
  return hasStationKey(context.paths);
}

/** What a key file holds, for the operator to compare before trusting it. */
export async function inspectKeyFile(file: string): Promise<KeyDescription> {
  return describeKey(await parseTrustablePublicKey(await readKeyFile(file)));
}

/** Trust a signer: `expectedFingerprint` is what the operator confirmed out of band; a different key is refused. */
export async function trustKeyFile(
  context: StationContext,
  file: string,
  options: { expectedFingerprint: string; label?: string | undefined; role?: string | undefined },
): Promise<TrustResult> {
  // A key file that cannot be read is not recorded (nothing was offered for trust).
  const armored = await readKeyFile(file);
  const done = await auditedTrustChange<TrustResult>(context, (held) => ({
    type: 'key-trust',
    failureDetails: { file, expectedFingerprint: options.expectedFingerprint },
    // null and absent mean the same to trustPublicKey: keep what an earlier trust set.
    run: () =>
      trustPublicKey(context.paths, armored, {
        expectedFingerprint: options.expectedFingerprint,
        label: options.label ?? null,
        role: options.role ?? null,
        held,
      }),
    succeeded: ({ signer, alreadyTrusted, sha1Subkeys }) => ({
      outcome: 'ok',
      signers: [signer.fingerprint],
      details: { file, label: signer.label, role: signer.role, userIds: signer.userIds, alreadyTrusted, ...(sha1Subkeys.length > 0 ? { sha1Subkeys } : {}) },
    }),
  }));
  return done.value;
}

/** Apply a revocation certificate (or revoked key) to a trusted key; it then signs nothing this station accepts. */
export async function importRevocationFile(context: StationContext, file: string): Promise<TrustedSigner> {
  const done = await auditedTrustChange<TrustedSigner>(context, (held) => ({
    type: 'key-revoke',
    failureDetails: { file },
    run: async () => importRevocation(context.paths, await readKeyFile(file), held),
    succeeded: (revoked) => ({ outcome: 'ok', signers: [revoked.fingerprint], details: { file, userIds: revoked.userIds } }),
  }));
  return done.value;
}

export async function rotateKey(
  context: StationContext,
  options: NewKeyOptions & { newPassphrase: string },
): Promise<{ retired: string; current: KeyDescription }> {
  const prepared = await prepareRotation(context.paths, options);
  const done = await auditedTrustChange<{ retired: string; current: KeyDescription }>(
    context,
    (held) => ({
      type: 'key-generate',
      failureDetails: 'not recorded',
      run: () => applyRotation(context.paths, prepared, held),
      succeeded: ({ retired, current }) => ({
        outcome: 'ok',
        signers: [current.fingerprint],
        details: { rotatedFrom: retired, userIds: current.userIds, algorithm: current.algorithm },
      }),
    }),
    retiredFiles(context.paths, prepared.retired),
  );
  return done.value;
}

/**
 * Write a backup of the station key to `outFile` (mode 0600, never overwritten); recorded once
 * written. With `outFile` null the backup is returned for the caller to pass on (stdout).
 */
export async function backupKey(context: StationContext, passphrase: string, outFile: string | null): Promise<string> {
  const done = await runAudited(context, {
    type: 'key-backup',
    failureDetails: { file: outFile },
    run: async () => {
      const backup = await backupStationKey(context.paths, passphrase);
      if (outFile !== null) await writeFile(outFile, backup, { mode: 0o600, flag: 'wx' });
      return backup;
    },
    succeeded: () => ({ outcome: 'ok', details: outFile === null ? { file: null, to: 'stdout' } : { file: resolve(outFile) } }),
  });
  return done.value;
}

export async function restoreKey(context: StationContext, file: string, passphrase: string): Promise<KeyDescription> {
  const armored = await readKeyFile(file);
  if (await hasStationKey(context.paths))
    throw new AirlockError('STATION_KEY_EXISTS', context.paths.stationPrivateKey, { path: context.paths.stationPrivateKey });
  const key = await readStationKeyBackup(armored, passphrase);
  const done = await auditedTrustChange<KeyDescription>(context, (held) => ({
    type: 'key-generate',
    failureDetails: 'not recorded',
    run: () => installNewStationKey(context.paths, key, held),
    succeeded: (restored) => ({ outcome: 'ok', signers: [restored.fingerprint], details: { restoredFrom: file, userIds: restored.userIds } }),
  }));
  return done.value;
}

/** Proves a passphrase unlocks its key (PASSPHRASE_WRONG if not) before an operation starts: a terminal may then ask again. */
export async function checkSigner(context: StationContext, spec: SignerSpec): Promise<void> {
  await resolveSigner(context.paths, spec);
}

export async function untrustFingerprint(context: StationContext, fingerprint: string): Promise<TrustedSigner> {
  const done = await auditedTrustChange<TrustedSigner>(context, (held) => ({
    type: 'key-untrust',
    failureDetails: 'not recorded',
    run: () => untrustKey(context.paths, fingerprint, held),
    succeeded: (removed) => ({ outcome: 'ok', signers: [removed.fingerprint], details: { label: removed.label, userIds: removed.userIds } }),
  }));
  return done.value;
}

/** The trusted keys, each flagged with why verify now refuses it, if it does (trusted-key-refusal.ts). */
export async function listTrusted(context: StationContext): Promise<ListedSigner[]> {
  return withRefusals(await readTrustStore(context.paths));
}

/** The station's public key, or a trusted signer's when a fingerprint is given. */
export async function exportPublicKey(context: StationContext, fingerprint?: string): Promise<string> {
  if (fingerprint === undefined) return readStationPublicKey(context.paths);
  const wanted = normalizeFingerprint(fingerprint);
  const signer = (await readTrustStore(context.paths)).find((s) => s.fingerprint === wanted);
  if (!signer) throw new AirlockError('KEY_NOT_FOUND', wanted);
  return signer.publicKey;
}

async function readKeyFile(file: string): Promise<string> {
  try {
    return await readRegularFile(file, 'utf8');
  } catch (error) {
    throw toAirlockError(error, file);
  }
}

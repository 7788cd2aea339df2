import { signAuditCheckpoint, type AuditCheckpoint } from '../audit/audit-checkpoint.js';
import type { BundleSigner } from '../crypto/bundle-signer.js';
import { resolveSigner, type SignerSpec } from '../crypto/signer-spec.js';
import { loadStationKeys } from '../keys/station-key.js';
import type { StationContext } from './context.js';
import { AirlockError } from '../errors.js';

/** The signer for an operation: an explicit spec, else the station key unlocked by the passphrase. */
export async function signerFor(context: StationContext, spec: SignerSpec | undefined, passphrase: string | undefined): Promise<BundleSigner | null> {
  if (spec) return resolveSigner(context.paths, spec);
  if (passphrase !== undefined) return resolveSigner(context.paths, { kind: 'station', passphrase });
  return null;
}

/** signerFor, for an operation that cannot go on unsigned: PASSPHRASE_REQUIRED when neither a spec nor a passphrase is given. */
export async function requiredSigner(context: StationContext, spec: SignerSpec | undefined, passphrase: string | undefined): Promise<BundleSigner> {
  const signer = await signerFor(context, spec, passphrase);
  if (!signer) throw new AirlockError('PASSPHRASE_REQUIRED');
  return signer;
}

export async function isStationKey(context: StationContext, signer: BundleSigner): Promise<boolean> {
  return (await loadStationKeys(context.paths)).some((key) => key.fingerprint === signer.fingerprint);
}

/**
 * Only a station key vouches for this station's audit log (audit verify checks checkpoints
 * against exactly those keys). A GnuPG or co-signer key that is not trusted as role station
 * signs the bundle and the receipt, not the checkpoint.
 */
export async function checkpointWith(context: StationContext, signer: BundleSigner | null): Promise<AuditCheckpoint | null> {
  if (!signer || !(await isStationKey(context, signer))) return null;
  return signAuditCheckpoint(context.database(), context.paths, signer);
}

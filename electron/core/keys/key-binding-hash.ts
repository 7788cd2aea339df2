import type { Config, KeyID, PublicKey, Subkey } from 'openpgp';
import { openpgp, openpgpFullConfig } from '../crypto/openpgp-lazy.js';

/**
 * SHA-1 in a key's own signatures (the self-signature on its user ID, a subkey's binding, the
 * subkey's back-signature). openpgp.js refuses SHA-1 in signatures over data, not in these: its
 * `rejectHashAlgorithms` leaves SHA-1 out so that old keys keep working. A chosen-prefix SHA-1
 * collision was shown on exactly such a signature (a PGP key certification, "SHA-1 is a Shambles",
 * 2020): a binding with SHA-1 could be a forged twin of one the owner made for another key. The
 * signature's date is the signer's claim, so no cut-off by date is taken: every SHA-1 binding is
 * refused, as Sequoia's standard policy does now for self-signatures (docs/design-notes.md, hostile8).
 */

let strict: Promise<Config> | null = null;

/** openpgp.js's complete configuration with SHA-1 added to the hashes refused in key signatures. */
function strictConfig(): Promise<Config> {
  strict ??= (async () => {
    const [pgp, full] = await Promise.all([openpgp(), openpgpFullConfig()]);
    return { ...full, rejectHashAlgorithms: new Set([...full.rejectHashAlgorithms, pgp.enums.hash.sha1]) };
  })();
  return strict;
}

/** What relies on SHA-1: the self-signature, and/or the signing subkey's binding (by its key ID). */
export interface Sha1Binding {
  selfSignature: boolean;
  signingSubkey: string | null;
}

/**
 * What of `key` holds only by SHA-1 signatures at `now`, or null. Call it only on a key that
 * openpgp.js's default checks accept (valid, not revoked) at `now`: the strict pass would also
 * disregard a revocation made with SHA-1, so it may only ever add a refusal to them, never stand
 * in for them. `keyID`: the key that made a signature; without it, the signing key openpgp.js
 * would pick (a key with no signing key at all is not this check's business).
 */
export async function sha1BindingOf(key: PublicKey, now: Date, keyID?: KeyID): Promise<Sha1Binding | null> {
  const config = await strictConfig();
  const selfSignature = await key.verifyPrimaryKey(now, undefined, config).then(
    () => false,
    () => true,
  );
  // With the default checks: which key signs.
  const signing = await key.getSigningKey(keyID, now).catch(() => null);
  if (signing === null || signing === key) return selfSignature ? { selfSignature, signingSubkey: null } : null;
  const keyId = signing.getKeyID().toHex().toUpperCase();
  // The strict pass checks the primary key first, so with a SHA-1 self-signature it cannot tell
  // about the subkey: then the subkey's own bindings are read (this only picks the words; the
  // refusal is decided already).
  const subkeySha1 = selfSignature
    ? await subkeyBindingUsesSha1(signing as Subkey, now)
    : await key.getSigningKey(signing.getKeyID(), now, undefined, config).then(
        () => false,
        () => true,
      );
  return selfSignature || subkeySha1 ? { selfSignature, signingSubkey: subkeySha1 ? keyId : null } : null;
}

/**
 * The signing subkeys (key IDs) that openpgp.js's default checks accept at `now` and the strict
 * pass refuses: bound by SHA-1 beside a good signing subkey, the key is trusted (verify picks the
 * subkey that made each signature), but what such a subkey signs is refused at verify. Call it on
 * a key whose self-signature passed the strict pass (the primary is checked first each time).
 */
export async function sha1BoundSigningSubkeys(key: PublicKey, now: Date): Promise<string[]> {
  const config = await strictConfig();
  const found: string[] = [];
  for (const subkey of key.subkeys) {
    const id = subkey.getKeyID();
    const signs = await key.getSigningKey(id, now).then(
      () => true,
      () => false,
    );
    if (!signs) continue;
    const strictSigns = await key.getSigningKey(id, now, undefined, config).then(
      () => true,
      () => false,
    );
    if (!strictSigns) found.push(id.toHex().toUpperCase());
  }
  return found;
}

/** The subkey's newest binding made by `now`, or its back-signature, uses SHA-1. */
async function subkeyBindingUsesSha1(subkey: Subkey, now: Date): Promise<boolean> {
  const sha1 = (await openpgp()).enums.hash.sha1;
  const latest = subkey.bindingSignatures
    .filter((s) => s.created !== null && s.created.getTime() <= now.getTime())
    .sort((a, b) => (b.created?.getTime() ?? 0) - (a.created?.getTime() ?? 0))[0];
  const embedded = (latest as { embeddedSignature?: { hashAlgorithm?: number } | null } | undefined)?.embeddedSignature;
  return latest !== undefined && (latest.hashAlgorithm === sha1 || embedded?.hashAlgorithm === sha1);
}

/** Which signatures of the key rely on SHA-1, in words. */
export function sha1BindingText(found: Sha1Binding): string {
  const parts = [
    ...(found.selfSignature ? ['its self-signature (binding its user ID)'] : []),
    ...(found.signingSubkey !== null ? [`the binding of its signing subkey ${found.signingSubkey} (or that subkey's back-signature)`] : []),
  ];
  return `${parts.join(' and ')} ${parts.length > 1 ? 'are' : 'is'} made with SHA-1`;
}

/**
 * The next step for the key's owner, with GnuPG: new self-signatures made with SHA-256, and for a
 * signing subkey a new one (renewing an old subkey keeps its SHA-1 back-signature, measured with
 * GnuPG 2.2.40), then the new public key to trust.
 */
export function sha1BindingNextStep(fingerprint: string, found: Sha1Binding): string {
  const steps = [
    ...(found.selfSignature ? [`gpg --cert-digest-algo SHA256 --quick-set-expire ${fingerprint} 2y`] : []),
    ...(found.signingSubkey !== null ? [`a new signing subkey: gpg --cert-digest-algo SHA256 --quick-add-key ${fingerprint} ed25519 sign 2y`] : []),
  ];
  return `The key's owner re-signs it with SHA-256 (${steps.join(', then ')}) and sends the new public key (gpg --armor --export ${fingerprint}) to be trusted.`;
}

import { openpgp } from '../crypto/openpgp-lazy.js';
import { OPENPGP_CONFIG } from '../crypto/openpgp-config.js';
import { sha1BindingNextStep, sha1BindingOf, sha1BindingText } from './key-binding-hash.js';
import { mayHoldSha1Signature } from './sha1-signature-scan.js';
import type { TrustedSigner } from './trust-store.js';

/**
 * Why verify will refuse what a key trusted before hostile8's rules signs: the rules that `keys
 * trust` now applies (public-key.ts), read again for the keys already in the store, so that the
 * operator sees it in the list instead of one refused signature at a time.
 */
export interface KeyRefusal {
  code: 'KEY_SHA1_BINDING' | 'KEY_V6_UNSUPPORTED';
  /** What is wrong with this key, in words. */
  detail: string;
  /** What its owner does, with GnuPG. */
  next: string;
}

export type ListedSigner = TrustedSigner & { refusal?: KeyRefusal };

/** The signers with a `refusal` on each that verify refuses now; revoked keys are refused anyway. */
export async function withRefusals(signers: TrustedSigner[], now: Date = new Date()): Promise<ListedSigner[]> {
  return Promise.all(
    signers.map(async (signer) => {
      const refusal = signer.revokedAt ? null : await refusalOf(signer, now);
      return refusal === null ? signer : { ...signer, refusal };
    }),
  );
}

async function refusalOf(signer: TrustedSigner, now: Date): Promise<KeyRefusal | null> {
  // A v4 fingerprint is 40 hex digits (SHA-1), a v5 or v6 one 64 (SHA-256): the store's schema
  // allows both, and the length alone tells without reading the key.
  if (signer.fingerprint.length !== 40) {
    return {
      code: 'KEY_V6_UNSUPPORTED',
      detail: `${signer.fingerprint} is not a version 4 key: GnuPG 2.2 and 2.4 cannot check its signatures.`,
      next: 'Its owner makes a v4 signing key with GnuPG 2.2 or 2.4 (gpg --quick-gen-key "NAME <EMAIL>" ed25519 sign 2y) and sends its public key (gpg --armor --export FINGERPRINT) to be trusted; then untrust this one.',
    };
  }
  if (!mayHoldSha1Signature(signer.publicKey)) return null;
  const key = await (await openpgp()).readKey({ armoredKey: signer.publicKey, config: OPENPGP_CONFIG }).catch(() => null);
  // The strict pass may only add a refusal to a key the default checks accept (key-binding-hash.ts);
  // a key they refuse now (expired) is not this finding's business.
  if (
    key === null ||
    !(await key.verifyPrimaryKey(now).then(
      () => true,
      () => false,
    ))
  )
    return null;
  const found = await sha1BindingOf(key, now);
  if (found === null) return null;
  return {
    code: 'KEY_SHA1_BINDING',
    detail: `In ${signer.fingerprint}, ${sha1BindingText(found)}: verify refuses the signatures it makes.`,
    next: `${sha1BindingNextStep(signer.fingerprint, found)} Then untrust this one.`,
  };
}

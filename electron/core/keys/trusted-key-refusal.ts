import { openpgp } from '../crypto/openpgp-lazy.js';
import { OPENPGP_CONFIG } from '../crypto/openpgp-config.js';
import { sha1BindingNextStep, sha1BindingOf, sha1BindingText } from './key-binding-hash.js';
import { mayBeUnusableAt } from './key-expiry-scan.js';
import { keyStandingAt } from './key-standing.js';
import { unusableSigningSubkeys, type UnusableSubkey } from './signing-subkey-standing.js';
import { mayHoldSha1Signature } from './sha1-signature-scan.js';
import type { PublicKey } from 'openpgp';
import type { TrustedSigner } from './trust-store.js';

/**
 * Why verify will refuse what a trusted key signs: the rules that `keys trust` now applies
 * (public-key.ts), read again for the keys already in the store, and the key's standing now (it
 * expired since it was trusted, or its owner revoked every signing subkey: the codes verify gives,
 * SIGNER_EXPIRED and SIGNER_REVOKED), so that the operator sees it in the list instead of one
 * refused signature at a time.
 */
export interface KeyRefusal {
  code: 'KEY_SHA1_BINDING' | 'KEY_V6_UNSUPPORTED' | 'SIGNER_EXPIRED' | 'SIGNER_REVOKED';
  /** What is wrong with this key, in words. */
  detail: string;
  /** What its owner does, with GnuPG. */
  next: string;
}

/**
 * A key verify accepts, with a signing subkey it refuses (expired or revoked beside a good one):
 * a bundle signed by that subkey is refused with this code, one signed by the good one passes.
 * A warning, not a refusal of the key.
 */
export interface KeyWarning {
  code: 'SIGNER_EXPIRED' | 'SIGNER_REVOKED';
  detail: string;
  next: string;
}

export type ListedSigner = TrustedSigner & { refusal?: KeyRefusal; warning?: KeyWarning };

type Finding = { refusal: KeyRefusal } | { warning: KeyWarning } | null;

/** The signers with a `refusal` on each that verify refuses now, a `warning` on each with a refused signing subkey; revoked keys are refused anyway. */
export async function withRefusals(signers: TrustedSigner[], now: Date = new Date()): Promise<ListedSigner[]> {
  return Promise.all(
    signers.map(async (signer) => {
      const finding = signer.revokedAt ? null : await findingOf(signer, now);
      return finding === null ? signer : { ...signer, ...finding };
    }),
  );
}

async function findingOf(signer: TrustedSigner, now: Date): Promise<Finding> {
  // A v4 fingerprint is 40 hex digits (SHA-1), a v5 or v6 one 64 (SHA-256): the store's schema
  // allows both, and the length alone tells without reading the key.
  if (signer.fingerprint.length !== 40) {
    const refusal: KeyRefusal = {
      code: 'KEY_V6_UNSUPPORTED',
      detail: `${signer.fingerprint} is not a version 4 key: GnuPG 2.2 and 2.4 cannot check its signatures.`,
      next: 'Its owner makes a v4 signing key with GnuPG 2.2 or 2.4 (gpg --quick-gen-key "NAME <EMAIL>" ed25519 sign 2y) and sends its public key (gpg --armor --export FINGERPRINT) to be trusted; then untrust this one.',
    };
    return { refusal };
  }
  // Both scans read packets without openpgp.js (a third of the CLI's start-up): a key with nothing to say never loads it.
  const mayBeUnusable = mayBeUnusableAt(signer.publicKey, now);
  if (!mayBeUnusable && !mayHoldSha1Signature(signer.publicKey)) return null;
  const key = await (await openpgp()).readKey({ armoredKey: signer.publicKey, config: OPENPGP_CONFIG }).catch(() => null);
  if (key === null) return null;
  const standing = await keyStandingAt(key, now);
  // Only a key the scan found an expiry or a revocation in is said to be expired or revoked; one
  // the default checks refuse for another reason is not this list's finding (as before).
  if (standing !== 'ok') return mayBeUnusable ? { refusal: await standingRefusal(signer.fingerprint, key, standing, now) } : null;
  // The strict pass may only add a refusal to a key the default checks accept (key-binding-hash.ts).
  const found = await sha1BindingOf(key, now);
  if (found !== null)
    return {
      refusal: {
        code: 'KEY_SHA1_BINDING',
        detail: `In ${signer.fingerprint}, ${sha1BindingText(found)}: verify refuses the signatures it makes.`,
        next: `${sha1BindingNextStep(signer.fingerprint, found)} Then untrust this one.`,
      },
    };
  const warning = mayBeUnusable ? subkeyWarning(signer.fingerprint, await unusableSigningSubkeys(key, now)) : null;
  return warning === null ? null : { warning };
}

/** One warning for the key's refused signing subkeys (the first one's code), naming each. */
function subkeyWarning(fingerprint: string, subkeys: UnusableSubkey[]): KeyWarning | null {
  const first = subkeys[0];
  if (first === undefined) return null;
  const each = subkeys.map((s) => `${s.keyId} ${s.standing === 'revoked' ? 'was revoked by its owner' : 'has expired'}`).join(', ');
  return {
    code: first.standing === 'revoked' ? 'SIGNER_REVOKED' : 'SIGNER_EXPIRED',
    detail: `${fingerprint} has a valid signing key, but its signing subkey ${each}: verify refuses a bundle signed by ${subkeys.length === 1 ? 'that subkey' : 'those subkeys'} (${[...new Set(subkeys.map((s) => (s.standing === 'revoked' ? 'SIGNER_REVOKED' : 'SIGNER_EXPIRED')))].join(', ')}).`,
    next: `Nothing to do at this station while bundles come signed by the valid key. If one is refused so, its sender signs again with the valid key (GnuPG uses the newest valid signing subkey unless told a key ID with a "!").`,
  };
}

/** A key that expired or lost every signing subkey since it was trusted: what verify says, and what its owner does. */
async function standingRefusal(fingerprint: string, key: PublicKey, standing: 'expired' | 'revoked', now: Date): Promise<KeyRefusal> {
  const resend = `sends the public key again (gpg --armor --export ${fingerprint}), and this station trusts that file again (trusting it replaces the stored copy; the label is kept)`;
  if (standing === 'revoked') {
    return {
      code: 'SIGNER_REVOKED',
      detail: `Every signing key of ${fingerprint} has been revoked by its owner: verify refuses every signature it makes.`,
      next: `If the key itself is not compromised, its owner adds a signing subkey (gpg --quick-add-key ${fingerprint} ed25519 sign 2y) and ${resend}. If it is, untrust it.`,
    };
  }
  const primaryExpired = await key.verifyPrimaryKey(now).then(
    () => false,
    () => true,
  );
  const expiry = primaryExpired ? await key.getExpirationTime().catch(() => null) : null;
  const when = expiry instanceof Date ? ` on ${expiry.toISOString()}` : '';
  return {
    code: 'SIGNER_EXPIRED',
    detail: primaryExpired
      ? `${fingerprint} expired${when}, after it was trusted: verify refuses every signature it makes, whatever date the signature claims.`
      : `Every signing subkey of ${fingerprint} has expired since it was trusted: verify refuses every signature it makes, whatever date the signature claims.`,
    next: `Its owner extends the key's expiry (gpg --quick-set-expire ${fingerprint} 2y${primaryExpired ? '' : `, and for its subkeys gpg --quick-set-expire ${fingerprint} 2y '*'`}) and ${resend}.`,
  };
}

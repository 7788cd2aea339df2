import type { PublicKey } from 'openpgp';
import { openpgp } from '../crypto/openpgp-lazy.js';
import { keyStandingAt } from './key-standing.js';

/** A signing subkey verify refuses now, in a key that still has a good one. */
export interface UnusableSubkey {
  /** Its key ID, upper-case hex (what a signature names and GnuPG prints). */
  keyId: string;
  standing: 'expired' | 'revoked';
}

/**
 * The key's signing subkeys (a binding that grants "sign data") that verify refuses at `now`,
 * judged as verify judges the key a signature names (key-standing.ts with that key ID): a
 * signature a sender makes with one of them is refused (SIGNER_EXPIRED, SIGNER_REVOKED) though
 * the key as a whole is fine. Meant for a key whose standing is "ok": a key with no good signing
 * key at all is keyStandingAt's finding, not this one's.
 */
export async function unusableSigningSubkeys(key: PublicKey, now: Date): Promise<UnusableSubkey[]> {
  const signData = (await openpgp()).enums.keyFlags.signData;
  const found: UnusableSubkey[] = [];
  for (const subkey of key.subkeys) {
    const grantsSigning = subkey.bindingSignatures.some((s) => ((s.keyFlags?.[0] ?? 0) & signData) !== 0);
    if (!grantsSigning) continue;
    const id = subkey.getKeyID();
    const standing = await keyStandingAt(key, now, id);
    if (standing !== 'ok') found.push({ keyId: id.toHex().toUpperCase(), standing });
  }
  return found;
}

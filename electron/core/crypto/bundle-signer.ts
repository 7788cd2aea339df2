import type { PrivateKey } from 'openpgp';
import { openpgp } from './openpgp-lazy.js';
import { OPENPGP_CONFIG } from './openpgp-config.js';
import { signDetached } from './detached-signature.js';

/**
 * Something that can make a detached OpenPGP signature over exact bytes: the embedded
 * openpgp.js station key, or a key GnuPG holds (possibly on a smartcard).
 */
export interface BundleSigner {
  fingerprint: string;
  userIds: string[];
  /** The signer's public key, so others can check its signatures. */
  publicKeyArmored: string;
  /** ASCII-armored detached binary signature over `data`. */
  sign(data: Uint8Array, date?: Date): Promise<string>;
  /**
   * Set when signing costs nothing but CPU (the embedded key): the export may then sign a stand-in
   * first to learn the signature's size (export/one-pass-layout.ts). A GnuPG key may sit on a smartcard
   * that asks for a PIN or a touch per signature, so it is never asked twice.
   */
  signsInProcess?: boolean;
}

export function openpgpSigner(key: PrivateKey): BundleSigner {
  return {
    fingerprint: key.getFingerprint().toUpperCase(),
    userIds: key.getUserIDs(),
    publicKeyArmored: key.toPublic().armor(),
    sign: (data, date) => signDetached(data, [key], date),
    signsInProcess: true,
  };
}

/**
 * One armor holding every signature packet of the given armored signatures, in order:
 * several signers (two-person rule, GnuPG plus embedded) produce one .asc file.
 */
export async function combineSignatures(armoredSignatures: readonly string[]): Promise<string> {
  const parts: Uint8Array[] = [];
  for (const armored of armoredSignatures) {
    const signature = await (await openpgp()).readSignature({ armoredSignature: armored, config: OPENPGP_CONFIG });
    parts.push(signature.write());
  }
  const total = parts.reduce((n, p) => n + p.length, 0);
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const part of parts) {
    bytes.set(part, offset);
    offset += part.length;
  }
  const { armor, enums } = await openpgp();
  return armor(enums.armor.signature, bytes);
}

/** Sign with every signer and combine: what goes into tagmanifest-sha256.txt.asc. */
export async function signWithAll(data: Uint8Array, signers: readonly BundleSigner[], date?: Date): Promise<string> {
  const signatures: string[] = [];
  for (const signer of signers) signatures.push(await signer.sign(data, date));
  return signatures.length === 1 ? (signatures[0] as string) : combineSignatures(signatures);
}

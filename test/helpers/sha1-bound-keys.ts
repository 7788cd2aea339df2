/**
 * Keys whose own signatures use SHA-1: the self-signature on the user ID, a signing subkey's
 * binding, that subkey's back-signature (embedded in the binding). openpgp.js makes none of these
 * itself (it signs keys with SHA-256 or better), so the packets of a generated key are signed again
 * through SignaturePacket.sign with SHA-1, as an old GnuPG or PGP would have made them. P-256 keys:
 * EdDSA refuses SHA-1 outright. Used by test/security/openpgp-sha1-key-bindings.test.ts.
 */
import { config, enums, generateKey, readPrivateKey, SignaturePacket, type PrivateKey, type SecretKeyPacket, type SecretSubkeyPacket } from 'openpgp';
import { signerOf } from './hostile-signatures.js';
import type { TestSigner } from './hostile-tar.js';

const DAY = 86_400_000;
const SIGN_CONFIG = { ...config, nonDeterministicSignaturesViaNotation: false };

/** The methods of SignaturePacket these builders call that openpgp.js's types keep private. */
interface OpenSignaturePacket {
  sign(key: SecretKeyPacket | SecretSubkeyPacket, data: unknown, date: Date, detached: boolean, config: typeof import('openpgp').config): Promise<void>;
  read(bytes: Uint8Array): void;
}

export interface Sha1Parts {
  /** The self-signature on the user ID. */
  selfSignature?: boolean;
  /** The first signing subkey's binding signature. */
  binding?: boolean;
  /** That subkey's back-signature (what GnuPG keeps when it renews a binding). */
  backSignature?: boolean;
  /** After the SHA-1 ones: a newer self-signature made with SHA-256 (the owner re-signed the key). */
  resignedSelf?: boolean;
  /** After the SHA-1 ones: a second signing subkey, newer, bound with SHA-256 (the owner added one). */
  newSubkey?: boolean;
}

/** A signer (nistP256, one signing subkey) whose key was made 3 days ago, with `parts` re-signed. */
export async function sha1BoundSigner(name: string, parts: Sha1Parts): Promise<TestSigner> {
  const made = new Date(Date.now() - 3 * DAY);
  const { privateKey } = await generateKey({
    type: 'ecc',
    curve: 'nistP256',
    userIDs: [{ name }],
    date: made,
    subkeys: [{ sign: true }],
    format: 'object',
  });
  const primary = privateKey.keyPacket as SecretKeyPacket;
  const user = privateKey.users[0];
  const subkey = privateKey.subkeys[0];
  if (!user || !subkey) throw new Error('generated key lacks a user or subkey');
  const selfCert = user.selfCertifications[0];
  const binding = subkey.bindingSignatures[0];
  if (!selfCert || !binding) throw new Error('generated key lacks its signatures');
  const signedAt = new Date(made.getTime() + 1000);
  if (parts.selfSignature) await resign(selfCert, enums.hash.sha1, primary, { userID: user.userID, key: primary }, signedAt);
  if (parts.binding || parts.backSignature) {
    const back = binding.embeddedSignature;
    if (!back) throw new Error('a signing subkey binding without its back-signature');
    const bound = { key: primary, bind: subkey.keyPacket };
    await resign(back, parts.backSignature ? enums.hash.sha1 : enums.hash.sha256, subkey.keyPacket as SecretSubkeyPacket, bound, signedAt);
    // The back-signature sits in the binding's hashed area: the binding is signed again over it.
    await resign(binding, parts.binding ? enums.hash.sha1 : enums.hash.sha256, primary, bound, signedAt);
  }
  if (parts.resignedSelf) {
    const renewed = copyOf(selfCert);
    await resign(renewed, enums.hash.sha256, primary, { userID: user.userID, key: primary }, new Date(Date.now() - DAY));
    user.selfCertifications.push(renewed);
  }
  let key: PrivateKey = privateKey;
  if (parts.newSubkey) key = await key.addSubkey({ sign: true, date: new Date(Date.now() - DAY) });
  // Read back from its bytes: no cached verification of the packets as they were before.
  return signerOf(await readPrivateKey({ armoredKey: key.armor() }), name);
}

async function resign(packet: SignaturePacket, hash: number, key: SecretKeyPacket | SecretSubkeyPacket, data: unknown, at: Date): Promise<void> {
  packet.hashAlgorithm = hash;
  await (packet as unknown as OpenSignaturePacket).sign(key, data, at, false, SIGN_CONFIG);
}

function copyOf(packet: SignaturePacket): SignaturePacket {
  const copy = new SignaturePacket();
  (copy as unknown as OpenSignaturePacket).read(packet.write());
  return copy;
}

/** A v6 key (RFC 9580, Ed25519 in the new format), as openpgp.js makes it when asked for one. */
export async function v6Signer(name: string): Promise<TestSigner> {
  const { privateKey } = await generateKey({
    type: 'curve25519',
    userIDs: [{ name }],
    date: new Date(Date.now() - DAY),
    format: 'object',
    config: { v6Keys: true },
  });
  return signerOf(privateKey, name);
}

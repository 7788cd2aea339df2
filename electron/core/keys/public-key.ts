import type { Key, PublicKey } from 'openpgp';
import { openpgp } from '../crypto/openpgp-lazy.js';
import { AirlockError } from '../errors.js';
import { OPENPGP_CONFIG } from '../crypto/openpgp-config.js';
import { sha1BindingNextStep, sha1BindingOf, sha1BindingText } from './key-binding-hash.js';

export interface KeyDescription {
  fingerprint: string;
  userIds: string[];
  algorithm: string;
  created: string;
  expires: string | null;
}

export async function describeKey(key: Key): Promise<KeyDescription> {
  const expiration = await key.getExpirationTime().catch(() => null);
  const info = key.getAlgorithmInfo();
  return {
    fingerprint: key.getFingerprint().toUpperCase(),
    userIds: key.getUserIDs(),
    algorithm: 'curve' in info && info.curve ? `${info.algorithm} (${info.curve})` : `${info.algorithm}${'bits' in info && info.bits ? ` ${info.bits}` : ''}`,
    created: key.getCreationTime().toISOString(),
    expires: expiration instanceof Date ? expiration.toISOString() : null,
  };
}

/**
 * Parse an armored public key that someone hands the station to trust. Exactly one key,
 * public only, a v4 key (what GnuPG 2.2 and 2.4 check), valid now (self-signatures verify; not
 * expired, not revoked), and not bound by SHA-1 (key-binding-hash.ts).
 */
export async function parseTrustablePublicKey(armored: string, now: Date = new Date()): Promise<PublicKey> {
  if (/-----BEGIN PGP PRIVATE KEY BLOCK-----/u.test(armored)) {
    throw new AirlockError(
      'KEY_INVALID',
      'This is a private key. Trust the signer’s public key instead (exported from their station, or with gpg --export --armor).',
      { data: { reason: 'private-key' } },
    );
  }
  let keys: Key[];
  try {
    keys = await (await openpgp()).readKeys({ armoredKeys: armored, config: OPENPGP_CONFIG });
  } catch (error) {
    throw new AirlockError('KEY_INVALID', `It cannot be read: ${(error as Error).message}.`);
  }
  if (keys.length !== 1) throw new AirlockError('KEY_INVALID', `It holds ${keys.length} keys; trust one key at a time.`);
  const key = keys[0] as Key;
  if (key.isPrivate()) throw new AirlockError('KEY_INVALID', 'This is a private key; trust the public key only.');
  const fingerprint = key.getFingerprint().toUpperCase();
  // Bundle format v1 promises signatures that GnuPG 2.2 and 2.4 check; they read no v6 key.
  if (key.keyPacket.version !== 4) {
    throw new AirlockError(
      'KEY_V6_UNSUPPORTED',
      `The file holds a version ${key.keyPacket.version} key (${fingerprint}). Its owner makes a v4 signing key with GnuPG 2.2 or 2.4 (gpg --quick-gen-key "NAME <EMAIL>" ed25519 sign 2y) and sends its public key (gpg --armor --export FINGERPRINT) to be trusted.`,
    );
  }
  try {
    await key.verifyPrimaryKey(now);
  } catch (error) {
    throw new AirlockError('KEY_INVALID', `The key is not valid now: ${(error as Error).message}.`);
  }
  const sha1 = await sha1BindingOf(key, now);
  if (sha1 !== null) {
    throw new AirlockError('KEY_SHA1_BINDING', `In ${fingerprint}, ${sha1BindingText(sha1)}. ${sha1BindingNextStep(fingerprint, sha1)}`);
  }
  return key;
}

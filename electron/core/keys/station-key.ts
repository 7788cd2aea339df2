import { access, readFile } from 'node:fs/promises';
import { decryptKey, generateKey, readKey, readPrivateKey, type PrivateKey } from 'openpgp';
import type { TrustedKey } from '../crypto/detached-signature.js';
import { AirlockError } from '../errors.js';
import { writeFileDurably } from '../fs/durable.js';
import { OPENPGP_CONFIG } from '../crypto/openpgp-config.js';
import type { HomePaths } from '../home/station-home.js';
import { describeKey, type KeyDescription } from './public-key.js';
import { readTrustStore, trustPublicKey } from './trust-store.js';

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

export async function hasStationKey(paths: HomePaths): Promise<boolean> {
  return exists(paths.stationPrivateKey);
}

/**
 * Create the station's signing key: ed25519 (curve25519Legacy, v4, so GnuPG 2.2 reads it),
 * the private key encrypted with the passphrase and stored at mode 0600. The station trusts
 * its own public key so it can verify what it exported.
 */
export async function generateStationKey(
  paths: HomePaths,
  options: { name: string; email?: string; passphrase: string },
): Promise<KeyDescription> {
  if (await hasStationKey(paths)) throw new AirlockError('STATION_KEY_EXISTS', paths.stationPrivateKey, { path: paths.stationPrivateKey });
  if (options.passphrase.length === 0) throw new AirlockError('PASSPHRASE_REQUIRED', 'The passphrase may not be empty.');
  const userID = options.email ? { name: options.name, email: options.email } : { name: options.name };
  const { privateKey, publicKey, revocationCertificate } = await generateKey({
    type: 'ecc',
    curve: 'curve25519Legacy',
    userIDs: [userID],
    passphrase: options.passphrase,
    format: 'armored',
    config: OPENPGP_CONFIG,
  });
  await writeFileDurably(paths.stationPrivateKey, privateKey, 0o600);
  await writeFileDurably(paths.stationRevocation, revocationCertificate, 0o600);
  await writeFileDurably(paths.stationPublicKey, publicKey, 0o644);
  await trustPublicKey(paths, publicKey, { label: 'this station', role: 'station' });
  const key = await readPrivateKey({ armoredKey: privateKey, config: OPENPGP_CONFIG });
  return describeKey(key);
}

export async function readStationPublicKey(paths: HomePaths): Promise<string> {
  try {
    return await readFile(paths.stationPublicKey, 'utf8');
  } catch {
    throw new AirlockError('NO_STATION_KEY');
  }
}

/** The station key, decrypted for signing. */
export async function unlockStationKey(paths: HomePaths, passphrase: string): Promise<PrivateKey> {
  let armored: string;
  try {
    armored = await readFile(paths.stationPrivateKey, 'utf8');
  } catch {
    throw new AirlockError('NO_STATION_KEY');
  }
  const privateKey = await readPrivateKey({ armoredKey: armored, config: OPENPGP_CONFIG });
  try {
    return await decryptKey({ privateKey, passphrase, config: OPENPGP_CONFIG });
  } catch {
    throw new AirlockError('PASSPHRASE_WRONG');
  }
}

/** This station's public key(s): the current one and earlier station keys still in the trust store. */
export async function loadStationKeys(paths: HomePaths): Promise<TrustedKey[]> {
  const keys: TrustedKey[] = [];
  const current = await readFile(paths.stationPublicKey, 'utf8').catch(() => null);
  if (current) {
    const key = await readKey({ armoredKey: current, config: OPENPGP_CONFIG });
    keys.push({ fingerprint: key.getFingerprint().toUpperCase(), label: 'this station', userIds: key.getUserIDs(), key });
  }
  for (const signer of await readTrustStore(paths)) {
    if (signer.role !== 'station' || keys.some((k) => k.fingerprint === signer.fingerprint)) continue;
    const key = await readKey({ armoredKey: signer.publicKey, config: OPENPGP_CONFIG });
    keys.push({ fingerprint: signer.fingerprint, label: signer.label, userIds: signer.userIds, key });
  }
  return keys;
}

import { access, mkdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { PrivateKey } from 'openpgp';
import { openpgp } from '../crypto/openpgp-lazy.js';
import type { TrustedKey } from '../crypto/detached-signature.js';
import { AirlockError, throwIfAborted } from '../errors.js';
import { writeFileDurably } from '../fs/durable.js';
import { OPENPGP_CONFIG } from '../crypto/openpgp-config.js';
import { unlockSigningKey } from '../crypto/unlock-signing-key.js';
import type { HomeFileHold } from '../home/home-file-lock.js';
import type { HomePaths } from '../home/station-home.js';
import type { KeyAlgorithm } from './key-algorithms.js';
import { describeKey, type KeyDescription } from './public-key.js';
import { readTrustStore, trustPublicKey, updateTrustStore } from './trust-store.js';

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

export async function hasStationKey(paths: HomePaths): Promise<boolean> {
  return exists(paths.stationPrivateKey);
}

export { KEY_ALGORITHMS, type KeyAlgorithm } from './key-algorithms.js';

/** ed25519 as curve25519Legacy (v4) so GnuPG 2.2 reads it; RSA-4096 and NIST P-384 for sites that require them. */
function keyParameters(algorithm: KeyAlgorithm): { type: 'ecc'; curve: 'curve25519Legacy' | 'nistP384' } | { type: 'rsa'; rsaBits: number } {
  switch (algorithm) {
    case 'rsa4096':
      return { type: 'rsa', rsaBits: 4096 };
    case 'p384':
      return { type: 'ecc', curve: 'nistP384' };
    case 'ed25519':
      return { type: 'ecc', curve: 'curve25519Legacy' };
  }
}

/** A station key's armored parts, made without touching the home. */
export interface NewStationKey {
  privateKey: string;
  publicKey: string;
  revocationCertificate: string | null;
}

type KeyOptions = { name: string; email?: string | undefined; passphrase: string; algorithm?: KeyAlgorithm | undefined; signal?: AbortSignal | undefined };

/**
 * Create the station's signing key, the private key encrypted with the passphrase and stored
 * at mode 0600 (with its revocation certificate). The station trusts its own public key so it
 * can verify what it exported. The station (station-keys.ts) makes the key first and installs it
 * under the trust store's lock with its audit event; this whole step is for other callers.
 */
export async function generateStationKey(paths: HomePaths, options: KeyOptions): Promise<KeyDescription> {
  if (await hasStationKey(paths)) throw new AirlockError('STATION_KEY_EXISTS', paths.stationPrivateKey, { path: paths.stationPrivateKey });
  return installNewStationKey(paths, await makeStationKey(options));
}

/** The key material only (RSA-4096 takes seconds: made outside any lock). */
export async function makeStationKey(options: KeyOptions): Promise<NewStationKey> {
  if (options.passphrase.length === 0) throw new AirlockError('PASSPHRASE_REQUIRED', 'The passphrase may not be empty.');
  const userID = options.email ? { name: options.name, email: options.email } : { name: options.name };
  const { privateKey, publicKey, revocationCertificate } = await (
    await openpgp()
  ).generateKey({
    ...keyParameters(options.algorithm ?? 'ed25519'),
    userIDs: [userID],
    passphrase: options.passphrase,
    format: 'armored',
    config: OPENPGP_CONFIG,
  });
  // An RSA-4096 key takes seconds to make, and cannot be stopped halfway: a cancel meanwhile
  // (Ctrl-C) is honoured here, before a file is written, so nothing of the key is kept. Rotation
  // passes no signal: by now it has retired the old key, and must install the new one.
  throwIfAborted(options.signal);
  return { privateKey, publicKey, revocationCertificate };
}

/**
 * Install a made key as the station key; STATION_KEY_EXISTS if the home has one. Asked again
 * here, under the caller's hold of the trust store's lock: two `keys generate` (or a generate and
 * a restore) at once both passed the first look, and the later one replaced the earlier key while
 * both said done and both keys were trusted as this station's.
 */
export async function installNewStationKey(paths: HomePaths, key: NewStationKey, held?: HomeFileHold): Promise<KeyDescription> {
  if (await hasStationKey(paths)) throw new AirlockError('STATION_KEY_EXISTS', paths.stationPrivateKey, { path: paths.stationPrivateKey });
  return installStationKey(paths, key, held);
}

/** Write a station key's three files and trust its public part as this station's. */
async function installStationKey(paths: HomePaths, key: NewStationKey, held?: HomeFileHold): Promise<KeyDescription> {
  const parsed = await (await openpgp()).readPrivateKey({ armoredKey: key.privateKey, config: OPENPGP_CONFIG });
  await writeFileDurably(paths.stationPrivateKey, key.privateKey, 0o600);
  if (key.revocationCertificate) await writeFileDurably(paths.stationRevocation, key.revocationCertificate, 0o600);
  await writeFileDurably(paths.stationPublicKey, key.publicKey, 0o644);
  await trustPublicKey(paths, key.publicKey, {
    label: 'this station',
    role: 'station',
    expectedFingerprint: parsed.getFingerprint(),
    ...(held ? { held } : {}),
  });
  return describeKey(parsed);
}

/** A rotation made ready: the old key proven unlockable and read, the new key made; nothing in the home changed yet. */
export interface PreparedRotation {
  retired: string;
  retiredPrivateKey: string;
  retiredRevocation: string | null;
  next: NewStationKey;
}

type RotateOptions = KeyOptions & { newPassphrase: string };

/**
 * Rotation: a new station key signs from now on; the old one stays trusted (role station,
 * marked retired) so bundles and audit checkpoints it signed keep verifying until an operator
 * untrusts it. The old private key is kept in keys/retired/, still encrypted.
 */
export async function rotateStationKey(paths: HomePaths, options: RotateOptions, held?: HomeFileHold): Promise<{ retired: string; current: KeyDescription }> {
  return applyRotation(paths, await prepareRotation(paths, options), held);
}

/** The slow half of a rotation (unlock the old key, make the new one), outside the lock. */
export async function prepareRotation(paths: HomePaths, options: RotateOptions): Promise<PreparedRotation> {
  const old = await unlockStationKey(paths, options.passphrase);
  const retired = old.getFingerprint().toUpperCase();
  const retiredPrivateKey = await readFile(paths.stationPrivateKey, 'utf8');
  // Its revocation certificate too: revoking a retired key must stay possible.
  const retiredRevocation = await readFile(paths.stationRevocation, 'utf8').catch(() => null);
  if ((await fingerprintOf(retiredPrivateKey)) !== retired) throw stationKeyChanged(paths);
  const next = await makeStationKey({
    name: options.name,
    passphrase: options.newPassphrase,
    email: options.email || undefined,
    algorithm: options.algorithm || undefined,
  });
  return { retired, retiredPrivateKey, retiredRevocation, next };
}

/**
 * The writing half, under the caller's hold of the trust store's lock. The station key must
 * still be the one unlocked: of two rotations at once, the later one would retire the same old
 * key again and replace the earlier one's new key, which was trusted as this station's and then
 * kept nowhere (not in keys/retired/).
 */
export async function applyRotation(paths: HomePaths, prepared: PreparedRotation, held?: HomeFileHold): Promise<{ retired: string; current: KeyDescription }> {
  const now = await readFile(paths.stationPrivateKey, 'utf8').catch(() => null);
  if (now !== prepared.retiredPrivateKey) throw stationKeyChanged(paths);
  const [retiredPrivate, retiredRevocation] = retiredFiles(paths, prepared.retired) as [string, string];
  await mkdir(dirname(retiredPrivate), { recursive: true, mode: 0o700 });
  await writeFileDurably(retiredPrivate, prepared.retiredPrivateKey, 0o600);
  if (prepared.retiredRevocation) await writeFileDurably(retiredRevocation, prepared.retiredRevocation, 0o600);
  const retiredAt = new Date().toISOString();
  await updateTrustStore(
    paths,
    (signers) => signers.map((s) => (s.fingerprint === prepared.retired ? { ...s, label: `this station until ${retiredAt.slice(0, 10)}`, retiredAt } : s)),
    held,
  );
  const current = await installStationKey(paths, prepared.next, held);
  return { retired: prepared.retired, current };
}

/** Where a rotation keeps the key it retires and that key's revocation certificate. */
export function retiredFiles(paths: HomePaths, fingerprint: string): string[] {
  const dir = join(paths.keysDir, 'retired');
  return [join(dir, `${fingerprint}.private.asc`), join(dir, `${fingerprint}.revocation.asc`)];
}

async function fingerprintOf(armoredPrivateKey: string): Promise<string> {
  return (await (await openpgp()).readPrivateKey({ armoredKey: armoredPrivateKey, config: OPENPGP_CONFIG })).getFingerprint().toUpperCase();
}

function stationKeyChanged(paths: HomePaths): AirlockError {
  return new AirlockError(
    'STATION_KEY_EXISTS',
    'The station key changed while this rotation ran (another rotation or a restore finished first); nothing was rotated. Run keys list to see the key now in use.',
    { path: paths.stationPrivateKey },
  );
}

const BACKUP_HEADER = 'Airlock station key backup v1';

/**
 * One file holding the station key (still encrypted with its passphrase), its public key and
 * revocation certificate. Proving the passphrase first means a backup is never taken of a key
 * nobody can unlock.
 */
export async function backupStationKey(paths: HomePaths, passphrase: string): Promise<string> {
  const key = await unlockStationKey(paths, passphrase);
  const parts = [
    `${BACKUP_HEADER}\nFingerprint: ${key.getFingerprint().toUpperCase()}\nCreated: ${new Date().toISOString()}\n`,
    await readFile(paths.stationPrivateKey, 'utf8'),
    await readFile(paths.stationPublicKey, 'utf8'),
    await readFile(paths.stationRevocation, 'utf8').catch(() => ''),
  ];
  return parts.join('\n');
}

/** Restore a backup into a home without a station key; the passphrase must unlock it. */
export async function restoreStationKey(paths: HomePaths, backup: string, passphrase: string, held?: HomeFileHold): Promise<KeyDescription> {
  if (await hasStationKey(paths)) throw new AirlockError('STATION_KEY_EXISTS', paths.stationPrivateKey, { path: paths.stationPrivateKey });
  return installNewStationKey(paths, await readStationKeyBackup(backup, passphrase), held);
}

/** A backup's key parts, the passphrase proven; nothing in the home changed (the station installs them under the lock). */
export async function readStationKeyBackup(backup: string, passphrase: string): Promise<NewStationKey> {
  if (!backup.startsWith(BACKUP_HEADER)) throw new AirlockError('KEY_INVALID', 'This is not an Airlock station key backup.');
  const block = (kind: string): string | null => {
    const match = new RegExp(`-----BEGIN PGP ${kind}-----[\\s\\S]*?-----END PGP ${kind}-----`, 'u').exec(backup);
    return match ? `${match[0]}\n` : null;
  };
  const privateKey = block('PRIVATE KEY BLOCK');
  const blocks = [...backup.matchAll(/-----BEGIN PGP PUBLIC KEY BLOCK-----[\s\S]*?-----END PGP PUBLIC KEY BLOCK-----/gu)].map((m) => `${m[0]}\n`);
  if (!privateKey || blocks.length === 0) throw new AirlockError('KEY_INVALID', 'The backup is incomplete.');
  const parsed = await (await openpgp()).readPrivateKey({ armoredKey: privateKey, config: OPENPGP_CONFIG });
  try {
    await (await openpgp()).decryptKey({ privateKey: parsed, passphrase, config: OPENPGP_CONFIG });
  } catch {
    throw new AirlockError('PASSPHRASE_WRONG');
  }
  return { privateKey, publicKey: blocks[0] as string, revocationCertificate: blocks[1] ?? null };
}

export async function readStationPublicKey(paths: HomePaths): Promise<string> {
  try {
    return await readFile(paths.stationPublicKey, 'utf8');
  } catch {
    throw new AirlockError('NO_STATION_KEY');
  }
}

/** The station key with every packet decrypted: for rotating and backing it up, which re-encrypt them all. */
export async function unlockStationKey(paths: HomePaths, passphrase: string): Promise<PrivateKey> {
  const privateKey = await readStationPrivateKey(paths);
  try {
    return await (await openpgp()).decryptKey({ privateKey, passphrase, config: OPENPGP_CONFIG });
  } catch {
    throw new AirlockError('PASSPHRASE_WRONG');
  }
}

/** The station key with only its signing packet decrypted (unlock-signing-key.ts): for signing, which is all Airlock does with it. */
export async function unlockStationSigningKey(paths: HomePaths, passphrase: string): Promise<PrivateKey> {
  return unlockSigningKey(await readStationPrivateKey(paths), passphrase);
}

async function readStationPrivateKey(paths: HomePaths): Promise<PrivateKey> {
  let armored: string;
  try {
    armored = await readFile(paths.stationPrivateKey, 'utf8');
  } catch {
    throw new AirlockError('NO_STATION_KEY');
  }
  return (await openpgp()).readPrivateKey({ armoredKey: armored, config: OPENPGP_CONFIG });
}

/** This station's public key(s): the current one and earlier station keys still in the trust store, each with role `station` (as the trust store has it; the app shows the station key's label in its own language by that role). */
export async function loadStationKeys(paths: HomePaths): Promise<TrustedKey[]> {
  const keys: TrustedKey[] = [];
  const current = await readFile(paths.stationPublicKey, 'utf8').catch(() => null);
  if (current) {
    const key = await (await openpgp()).readKey({ armoredKey: current, config: OPENPGP_CONFIG });
    keys.push({ fingerprint: key.getFingerprint().toUpperCase(), label: 'this station', role: 'station', userIds: key.getUserIDs(), key });
  }
  for (const signer of await readTrustStore(paths)) {
    if (signer.role !== 'station' || keys.some((k) => k.fingerprint === signer.fingerprint)) continue;
    const key = await (await openpgp()).readKey({ armoredKey: signer.publicKey, config: OPENPGP_CONFIG });
    keys.push({ fingerprint: signer.fingerprint, label: signer.label, role: signer.role, userIds: signer.userIds, key });
  }
  return keys;
}

import { config as openpgpDefaults, SecretKeyPacket, SecretSubkeyPacket, type PrivateKey } from 'openpgp';
import { OPENPGP_CONFIG } from './openpgp-config.js';

/**
 * Decrypt only the key packet that makes signatures, not every packet of the key: Airlock signs
 * and never decrypts, so an encryption subkey's secret can stay encrypted in memory. Each packet
 * has its own salted, iterated passphrase hash, deliberately slow, so this also halves the time
 * an export waits for its key. The packet is then validated against its public half, as
 * openpgp's decryptKey does, so a tampered key file cannot make Airlock sign with a wrong secret.
 * Throws (wrong passphrase, no usable signing key) as decryptKey would. Unlike decryptKey it
 * works on `privateKey` itself, not a copy: pass a key freshly read for the purpose.
 */
export async function unlockSigningKey(privateKey: PrivateKey, passphrase: string): Promise<PrivateKey> {
  const unlocked = privateKey;
  const signing = await unlocked.getSigningKey(undefined, undefined, undefined, { ...openpgpDefaults, ...OPENPGP_CONFIG });
  const packet = signing.keyPacket;
  if (!(packet instanceof SecretKeyPacket || packet instanceof SecretSubkeyPacket)) throw new Error('The signing key has no secret part.');
  await packet.decrypt(passphrase);
  await packet.validate();
  return unlocked;
}

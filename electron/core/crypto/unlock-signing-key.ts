import type { PrivateKey } from 'openpgp';
import { openpgp, openpgpFullConfig } from './openpgp-lazy.js';
import { AirlockError } from '../errors.js';

/**
 * Decrypt only the key packet that makes signatures, not every packet of the key: Airlock signs
 * and never decrypts, so an encryption subkey's secret can stay encrypted in memory. Each packet
 * has its own salted, iterated passphrase hash, deliberately slow, so this also halves the time
 * an export waits for its key. The packet is then validated against its public half, as
 * openpgp's decryptKey does, so a tampered key file cannot make Airlock sign with a wrong secret.
 *
 * Throws SIGNING_KEY_UNUSABLE when the key has no signing key valid now (expired, revoked) or
 * its secret does not match its public half, and PASSPHRASE_WRONG when the passphrase does not
 * decrypt it. `keyFile` names a key other than the station's in the messages. Unlike decryptKey it works on `privateKey` itself, not a copy:
 * pass a key freshly read for the purpose.
 */
export async function unlockSigningKey(privateKey: PrivateKey, passphrase: string, keyFile?: string): Promise<PrivateKey> {
  const whose = keyFile ?? 'the station key';
  let packet;
  try {
    packet = (await privateKey.getSigningKey(undefined, undefined, undefined, await openpgpFullConfig())).keyPacket;
  } catch (error) {
    throw new AirlockError('SIGNING_KEY_UNUSABLE', `${whose}: ${(error as Error).message}.`);
  }
  const { SecretKeyPacket, SecretSubkeyPacket } = await openpgp();
  if (!(packet instanceof SecretKeyPacket || packet instanceof SecretSubkeyPacket))
    throw new AirlockError('SIGNING_KEY_UNUSABLE', `${whose} holds no secret signing key.`);
  try {
    await packet.decrypt(passphrase);
  } catch {
    throw new AirlockError('PASSPHRASE_WRONG', keyFile === undefined ? undefined : `Key file: ${keyFile}.`, keyFile === undefined ? {} : { path: keyFile });
  }
  try {
    await packet.validate();
  } catch (error) {
    throw new AirlockError('SIGNING_KEY_UNUSABLE', `${whose}: the secret key does not match its public key (${(error as Error).message}).`);
  }
  return privateKey;
}

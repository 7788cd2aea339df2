import type { enums, Config, PrivateKey, SignaturePacket } from 'openpgp';
import { OPENPGP_CONFIG } from './openpgp-config.js';
import { openpgp, openpgpFullConfig } from './openpgp-lazy.js';

/**
 * Detached signatures that name their signer: the Signer's User ID subpacket (RFC 4880
 * §5.2.3.22) carries the key's primary user ID, so a station that does not trust the key can
 * still tell the operator who the signature claims to come from. openpgp.js `sign()` never
 * writes that subpacket (its `signingUserIDs` only picks which self-signature to honour), so
 * the signature packet is built here, with the hash algorithm `sign()` itself chooses.
 */

/** The hash `sign()` picks for this key (key preferences, curve strength): learned once per key. */
const hashByKey = new WeakMap<PrivateKey, Promise<enums.hash>>();

function hashAlgorithmFor(key: PrivateKey, date: Date): Promise<enums.hash> {
  let known = hashByKey.get(key);
  if (!known) {
    known = (async () => {
      const { sign, createMessage } = await openpgp();
      const probe = await sign({
        message: await createMessage({ binary: new Uint8Array(0) }),
        signingKeys: key,
        detached: true,
        format: 'object',
        date,
        config: OPENPGP_CONFIG,
      });
      const packet = probe.packets[0] as SignaturePacket | undefined;
      if (!packet?.hashAlgorithm) throw new Error('openpgp.js made no signature packet');
      return packet.hashAlgorithm;
    })();
    hashByKey.set(key, known);
    // A failed probe (key not valid at that date) is not remembered: the next signature tries again.
    known.catch(() => hashByKey.delete(key));
  }
  return known;
}

/** The key's primary user ID as text ("Name <mail>"), or null when it has none. */
export async function primaryUserIdText(key: PrivateKey, date: Date): Promise<string | null> {
  try {
    const primary = await key.getPrimaryUser(date, undefined, await openpgpFullConfig());
    return primary.user.userID?.userID ?? null;
  } catch {
    return key.getUserIDs()[0] ?? null;
  }
}

/** One detached binary signature packet per key over `data`, each naming its key's primary user ID. */
export async function signDetachedWithUserId(data: Uint8Array, signingKeys: readonly PrivateKey[], date: Date = new Date()): Promise<string> {
  const { enums, LiteralDataPacket, PacketList, Signature, SignaturePacket } = await openpgp();
  const fullConfig = await openpgpFullConfig();
  const packets = new PacketList<SignaturePacket>();
  for (const key of signingKeys) {
    const signingKey = await key.getSigningKey(undefined, date, undefined, fullConfig);
    // The literal packet only carries the bytes to hash (a detached signature hashes nothing else);
    // its setter is internal in openpgp.js's typings.
    const literal = new LiteralDataPacket() as unknown as { setBytes(bytes: Uint8Array, format: enums.literal): void };
    literal.setBytes(data, enums.literal.binary);
    const packet = new SignaturePacket();
    packet.signatureType = enums.signature.binary;
    packet.publicKeyAlgorithm = signingKey.keyPacket.algorithm;
    packet.hashAlgorithm = await hashAlgorithmFor(key, date);
    const userId = await primaryUserIdText(key, date);
    if (userId) packet.signersUserID = userId;
    // openpgp.js's typings omit sign()'s config argument and type `data` as bytes, not the literal packet it reads.
    await (packet.sign as unknown as (key: unknown, data: unknown, date: Date, detached: boolean, config: Config) => Promise<void>).call(
      packet,
      signingKey.keyPacket,
      literal,
      date,
      true,
      fullConfig,
    );
    packets.push(packet);
  }
  return new Signature(packets).armor(fullConfig);
}

/**
 * A cheap look at an armored key's packets, without openpgp.js (key-packets.ts): could the key, or
 * every signing subkey it has, be unusable at `now` — expired since it was trusted, or revoked by
 * its owner (a subkey's revocation travels inside the key)? `keys list` runs the full check
 * (key-standing.ts, openpgp.js: a third of the CLI's start-up) only for a key this answers true for.
 *
 * Expiry lives in self-signatures, as a Key Expiration Time subpacket: seconds after the key's
 * own creation. The scan does not pair each signature with its key: it takes the earliest key
 * creation time in the block, so `earliest + lifetime > now` for every lifetime proves that no key
 * in it has expired; anything else, any revocation signature, a signature that itself expires,
 * and anything it cannot read answer "maybe".
 */
import { dearmor, forEachPacket, forEachSubpacket, PUBLIC_KEY_TAG, PUBLIC_SUBKEY_TAG, readNumber, SIGNATURE_TAG } from './key-packets.js';

const SIGNATURE_EXPIRATION_TIME = 3;
const KEY_EXPIRATION_TIME = 9;
/** Key revocation, subkey revocation, certification revocation (RFC 4880 5.2.1). */
const REVOCATIONS: ReadonlySet<number> = new Set([0x20, 0x28, 0x30]);

/** False only when no key in the block can have expired or been revoked by `now`; true when it may. */
export function mayBeUnusableAt(armored: string, now: Date): boolean {
  const bytes = dearmor(armored);
  if (bytes === null) return true;
  const created: number[] = [];
  const lifetimes: number[] = [];
  let maybe = false;
  const read = forEachPacket(bytes, (tag, body) => {
    if (tag === PUBLIC_KEY_TAG || tag === PUBLIC_SUBKEY_TAG) {
      // v4: version, then the creation time (4 octets). Other versions are the full check's business.
      if (body[0] !== 4 || body.length < 5) maybe = true;
      else created.push(readNumber(body, 1, 4));
      return;
    }
    if (tag !== SIGNATURE_TAG) return;
    if (body[0] !== 4 || REVOCATIONS.has(body[1] ?? 0)) {
      maybe = true;
      return;
    }
    const subpackets = forEachSubpacket(body, (type, data) => {
      if (data.length !== 4) return;
      const seconds = readNumber(data, 0, 4);
      if (type === KEY_EXPIRATION_TIME && seconds > 0) lifetimes.push(seconds);
      if (type === SIGNATURE_EXPIRATION_TIME && seconds > 0) maybe = true;
    });
    if (!subpackets) maybe = true;
  });
  if (maybe || !read || created.length === 0) return true;
  const earliest = Math.min(...created);
  return lifetimes.some((seconds) => (earliest + seconds) * 1000 <= now.getTime());
}

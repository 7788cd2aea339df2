/**
 * A cheap look at an armored key's packets, without openpgp.js: does any v4 signature in it (or a
 * signature embedded in one, the subkey's back-signature) name SHA-1 as its hash? Loading openpgp.js
 * costs about a third of the CLI's start-up (openpgp-lazy.ts), and `keys list` must not pay it for
 * keys that cannot be SHA-1-bound. The answer only decides whether the full check
 * (key-binding-hash.ts) runs: anything this reader does not understand answers "maybe".
 */
import { dearmor, forEachPacket, forEachSubpacket, SIGNATURE_TAG } from './key-packets.js';

const SHA1 = 2;
const EMBEDDED_SIGNATURE = 32;

/** False only when the key surely holds no SHA-1 signature; true when it does or may. */
export function mayHoldSha1Signature(armored: string): boolean {
  const bytes = dearmor(armored);
  if (bytes === null) return true;
  let maybe = false;
  const read = forEachPacket(bytes, (tag, body) => {
    if (tag === SIGNATURE_TAG && signatureMayUseSha1(body, 0)) maybe = true;
  });
  return maybe || !read;
}

/** A v4 signature body: its hash, and the embedded signatures in both subpacket areas. */
function signatureMayUseSha1(body: Uint8Array, depth: number): boolean {
  if (depth > 1) return true;
  // Version 3 signatures are refused by openpgp.js in keys; anything but 4 is the full check's business.
  if (body[0] !== 4 || body.length < 6) return true;
  if (body[3] === SHA1) return true;
  let maybe = false;
  const read = forEachSubpacket(body, (type, data) => {
    if (type === EMBEDDED_SIGNATURE && signatureMayUseSha1(data, depth + 1)) maybe = true;
  });
  return maybe || !read;
}

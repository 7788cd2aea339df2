/**
 * A cheap look at an armored key's packets, without openpgp.js: does any v4 signature in it (or a
 * signature embedded in one, the subkey's back-signature) name SHA-1 as its hash? Loading openpgp.js
 * costs about a third of the CLI's start-up (openpgp-lazy.ts), and `keys list` must not pay it for
 * keys that cannot be SHA-1-bound. The answer only decides whether the full check
 * (key-binding-hash.ts) runs: anything this reader does not understand answers "maybe".
 */

const SIGNATURE_TAG = 2;
const SHA1 = 2;
const EMBEDDED_SIGNATURE = 32;

/** False only when the key surely holds no SHA-1 signature; true when it does or may. */
export function mayHoldSha1Signature(armored: string): boolean {
  const bytes = dearmor(armored);
  if (bytes === null) return true;
  let at = 0;
  while (at < bytes.length) {
    const header = packetHeader(bytes, at);
    if (header === null) return true;
    const body = bytes.subarray(header.bodyAt, header.bodyAt + header.length);
    if (header.bodyAt + header.length > bytes.length) return true;
    if (header.tag === SIGNATURE_TAG && signatureMayUseSha1(body, 0)) return true;
    at = header.bodyAt + header.length;
  }
  return false;
}

function dearmor(armored: string): Uint8Array | null {
  const match = /-----BEGIN PGP PUBLIC KEY BLOCK-----\r?\n([\s\S]*?)-----END PGP PUBLIC KEY BLOCK-----/u.exec(armored);
  if (match === null) return null;
  const lines = (match[1] ?? '').split(/\r?\n/u);
  // Armor headers end at the first empty line; the CRC line starts with '='.
  const blank = lines.findIndex((line) => line.trim() === '');
  const data = lines
    .slice(blank === -1 ? 0 : blank + 1)
    .filter((line) => !line.startsWith('='))
    .join('');
  if (!/^[A-Za-z0-9+/]*={0,2}$/u.test(data)) return null;
  return Buffer.from(data, 'base64');
}

/** RFC 4880 4.2: old and new packet headers; partial lengths never occur in a key, so they answer null. */
function packetHeader(bytes: Uint8Array, at: number): { tag: number; bodyAt: number; length: number } | null {
  const first = bytes[at];
  if (first === undefined || (first & 0x80) === 0) return null;
  if ((first & 0x40) === 0) {
    const lengthType = first & 0x03;
    if (lengthType === 3) return null;
    const size = 1 << lengthType;
    return { tag: (first >> 2) & 0x0f, bodyAt: at + 1 + size, length: readNumber(bytes, at + 1, size) };
  }
  const octet = bytes[at + 1];
  if (octet === undefined) return null;
  if (octet < 192) return { tag: first & 0x3f, bodyAt: at + 2, length: octet };
  if (octet < 224) return { tag: first & 0x3f, bodyAt: at + 3, length: ((octet - 192) << 8) + (bytes[at + 2] ?? 0) + 192 };
  if (octet === 255) return { tag: first & 0x3f, bodyAt: at + 6, length: readNumber(bytes, at + 2, 4) };
  return null;
}

/** A v4 signature body at `at`: its hash, and the embedded signatures in both subpacket areas. */
function signatureMayUseSha1(body: Uint8Array, depth: number): boolean {
  if (depth > 1) return true;
  // Version 3 signatures are refused by openpgp.js in keys; anything but 4 is the full check's business.
  if (body[0] !== 4 || body.length < 6) return true;
  if (body[3] === SHA1) return true;
  let at = 4;
  for (let area = 0; area < 2; area += 1) {
    const areaLength = readNumber(body, at, 2);
    const end = at + 2 + areaLength;
    if (end > body.length) return true;
    at += 2;
    while (at < end) {
      const sub = subpacketHeader(body, at);
      if (sub === null || sub.bodyAt + sub.length > end || sub.length < 1) return true;
      if (((body[sub.bodyAt] ?? 0) & 0x7f) === EMBEDDED_SIGNATURE && signatureMayUseSha1(body.subarray(sub.bodyAt + 1, sub.bodyAt + sub.length), depth + 1)) {
        return true;
      }
      at = sub.bodyAt + sub.length;
    }
  }
  return false;
}

/** RFC 4880 5.2.3.1: the length covers the type octet and the data. */
function subpacketHeader(body: Uint8Array, at: number): { bodyAt: number; length: number } | null {
  const octet = body[at];
  if (octet === undefined) return null;
  if (octet < 192) return { bodyAt: at + 1, length: octet };
  if (octet < 255) return { bodyAt: at + 2, length: ((octet - 192) << 8) + (body[at + 1] ?? 0) + 192 };
  return { bodyAt: at + 5, length: readNumber(body, at + 1, 4) };
}

function readNumber(bytes: Uint8Array, at: number, size: number): number {
  let value = 0;
  for (let i = 0; i < size; i += 1) value = value * 256 + (bytes[at + i] ?? 0);
  return value;
}

/**
 * RFC 4880 packet reading for the cheap scans of a trusted key (sha1-signature-scan.ts,
 * key-expiry-scan.ts): dearmor, packet and subpacket headers, a signature's subpackets. No
 * openpgp.js: `keys list` must not load it for keys with nothing to say. Every reader answers
 * null where it does not understand, and the scans read null as "maybe" (the full check decides).
 */

export const SIGNATURE_TAG = 2;
export const PUBLIC_KEY_TAG = 6;
export const PUBLIC_SUBKEY_TAG = 14;

export function dearmor(armored: string): Uint8Array | null {
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
export function packetHeader(bytes: Uint8Array, at: number): { tag: number; bodyAt: number; length: number } | null {
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

/** Each packet of a dearmored key in order; false when a header or length cannot be read. */
export function forEachPacket(bytes: Uint8Array, visit: (tag: number, body: Uint8Array) => void): boolean {
  let at = 0;
  while (at < bytes.length) {
    const header = packetHeader(bytes, at);
    if (header === null || header.bodyAt + header.length > bytes.length) return false;
    visit(header.tag, bytes.subarray(header.bodyAt, header.bodyAt + header.length));
    at = header.bodyAt + header.length;
  }
  return true;
}

/** RFC 4880 5.2.3.1: the length covers the type octet and the data. */
export function subpacketHeader(body: Uint8Array, at: number): { bodyAt: number; length: number } | null {
  const octet = body[at];
  if (octet === undefined) return null;
  if (octet < 192) return { bodyAt: at + 1, length: octet };
  if (octet < 255) return { bodyAt: at + 2, length: ((octet - 192) << 8) + (body[at + 1] ?? 0) + 192 };
  return { bodyAt: at + 5, length: readNumber(body, at + 1, 4) };
}

/**
 * Each subpacket of a v4 signature body (hashed area, then unhashed): its type (critical bit
 * cleared) and data. False when the body is not v4 or an area or subpacket runs past its end.
 */
export function forEachSubpacket(body: Uint8Array, visit: (type: number, data: Uint8Array) => boolean | void): boolean {
  if (body[0] !== 4 || body.length < 6) return false;
  let at = 4;
  for (let area = 0; area < 2; area += 1) {
    const areaLength = readNumber(body, at, 2);
    const end = at + 2 + areaLength;
    if (end > body.length) return false;
    at += 2;
    while (at < end) {
      const sub = subpacketHeader(body, at);
      if (sub === null || sub.bodyAt + sub.length > end || sub.length < 1) return false;
      if (visit((body[sub.bodyAt] ?? 0) & 0x7f, body.subarray(sub.bodyAt + 1, sub.bodyAt + sub.length)) === false) return false;
      at = sub.bodyAt + sub.length;
    }
  }
  return true;
}

export function readNumber(bytes: Uint8Array, at: number, size: number): number {
  let value = 0;
  for (let i = 0; i < size; i += 1) value = value * 256 + (bytes[at + i] ?? 0);
  return value;
}

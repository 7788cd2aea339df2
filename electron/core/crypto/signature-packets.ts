/**
 * Counts the OpenPGP packets in an ASCII-armored signature without parsing them, so a
 * signature file holding thousands of packets is refused before openpgp.js parses (and tries
 * to verify) every one: a refusal's cost stays bounded by a small read.
 */

/** Armored bytes read at most: a v4 signature is 150 to 900 armored bytes (EdDSA to RSA-4096). */
export const MAX_SIGNATURE_FILE_BYTES = 64 * 1024;
/** Signature packets read at most: one per co-signer, far beyond any two-person rule. */
export const MAX_SIGNATURE_PACKETS = 64;

/** The armor's base64 body decoded; null when it does not look like one armored block. */
function armoredBody(armored: string): Buffer | null {
  const lines = armored.split(/\r?\n/u);
  let i = lines.findIndex((line) => line.trim().startsWith('-----BEGIN PGP '));
  if (i < 0) return null;
  i += 1;
  // Armor headers ("Version: ...", "Comment: ...") end at the first blank line.
  while (i < lines.length && /^[^:\s]+: /u.test(lines[i] as string)) i += 1;
  const body: string[] = [];
  for (; i < lines.length; i += 1) {
    const line = (lines[i] as string).trim();
    if (line.startsWith('-----END PGP ')) return Buffer.from(body.join(''), 'base64');
    if (line.startsWith('=') && line.length <= 5) continue; // CRC-24
    body.push(line);
  }
  return null;
}

/** Packets in the binary, by their length headers; null when a header is not a plain packet header. */
export function countPackets(binary: Buffer): number | null {
  let at = 0;
  let count = 0;
  while (at < binary.length) {
    const tag = binary[at] as number;
    if ((tag & 0x80) === 0) return null;
    let length: number;
    if (tag & 0x40) {
      const first = binary[at + 1];
      if (first === undefined) return null;
      if (first < 192) {
        length = first;
        at += 2;
      } else if (first < 224) {
        length = ((first - 192) << 8) + (binary[at + 2] ?? 0) + 192;
        at += 3;
      } else if (first === 255) {
        length = binary.readUInt32BE(at + 2);
        at += 6;
      } else {
        return null; // partial body lengths: never used for signature packets
      }
    } else {
      const lengthType = tag & 3;
      if (lengthType === 3) return count + 1; // indeterminate: the packet runs to the end
      const bytes = 1 << lengthType;
      if (at + 1 + bytes > binary.length) return null;
      length = binary.readUIntBE(at + 1, bytes);
      at += 1 + bytes;
    }
    at += length;
    count += 1;
  }
  return count;
}

/** Why the signature file is too large to read, or null. */
export function signatureFileOverLimit(armored: string): string | null {
  const bytes = Buffer.byteLength(armored, 'utf8');
  if (bytes > MAX_SIGNATURE_FILE_BYTES)
    return `The signature file is ${bytes} bytes; at most ${MAX_SIGNATURE_FILE_BYTES} are read (about ${MAX_SIGNATURE_PACKETS} signatures).`;
  const body = armoredBody(armored);
  const packets = body ? countPackets(body) : null;
  if (packets !== null && packets > MAX_SIGNATURE_PACKETS)
    return `The signature file holds ${packets} packets; at most ${MAX_SIGNATURE_PACKETS} signatures are read.`;
  return null;
}

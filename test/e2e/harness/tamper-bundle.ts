/**
 * A copy of a bundle with one byte of one image layer flipped, in place: the tar's structure and
 * the signed manifests stay as they were, so only the payload check can find it (the hazard an
 * operator fears most: a bundle that looks intact and carries a changed layer).
 */
import { readFile, writeFile } from 'node:fs/promises';

const BLOCK = 512;

function field(header: Buffer, start: number, length: number): string {
  const raw = header.subarray(start, start + length);
  const end = raw.indexOf(0);
  return raw.subarray(0, end < 0 ? raw.length : end).toString('utf8');
}

/** `path=` of a pax extended header's records. */
function paxPath(body: Buffer): string | null {
  for (const record of body.toString('utf8').split('\n')) {
    const match = /^\d+ path=(.*)$/su.exec(record);
    if (match?.[1] !== undefined) return match[1];
  }
  return null;
}

export async function tamperOneBlob(from: string, to: string, minSize = 4096): Promise<string> {
  const tar = await readFile(from);
  let offset = 0;
  let pendingPath: string | null = null;
  while (offset + BLOCK <= tar.length) {
    const header = tar.subarray(offset, offset + BLOCK);
    if (header.every((b) => b === 0)) break;
    const size = parseInt(field(header, 124, 12).trim() || '0', 8);
    const type = String.fromCharCode(header[156] ?? 48);
    const dataStart = offset + BLOCK;
    if (type === 'x') {
      pendingPath = paxPath(tar.subarray(dataStart, dataStart + size));
    } else {
      const prefix = field(header, 345, 155);
      const path = pendingPath ?? (prefix ? `${prefix}/${field(header, 0, 100)}` : field(header, 0, 100));
      pendingPath = null;
      if ((type === '0' || type === '\0') && path.includes('/data/oci/blobs/sha256/') && size >= minSize) {
        const at = dataStart + Math.floor(size / 2);
        tar[at] = (tar[at] ?? 0) ^ 0x01;
        await writeFile(to, tar);
        return path;
      }
    }
    offset = dataStart + Math.ceil(size / BLOCK) * BLOCK;
  }
  throw new Error(`No image blob of at least ${minSize} bytes in ${from}`);
}

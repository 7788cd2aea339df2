import { createHash } from 'node:crypto';
import { closeSync, readSync } from 'node:fs';
import { bagInfoValue, parseBagInfo } from '../bundle/bag-info.js';
import { BAG_INFO_NAME, INFO, TAGMANIFEST_NAME } from '../bundle/format.js';
import { openRegularSync } from '../fs/open-regular.js';

/**
 * What the front of a bundle this station wrote says about it: its tag files come first
 * (bagit.txt, bag-info.txt, manifest, tag manifest), so the station, sequence and UUID are in
 * the first few records. Used after a crash to tell whether a file at an interrupted export's
 * path is that export's bundle. A bounded read of at most FRONT_BYTES; anything not laid out
 * the way Airlock writes is "not ours" (null), never an error.
 */
export interface BundleFront {
  station: string | null;
  sequence: number | null;
  uuid: string | null;
  tagmanifestSha256: string | null;
}

const BLOCK = 512;
const FRONT_BYTES = 1 << 20;
const MAX_RECORDS = 12;

function field(block: Buffer, offset: number, length: number): string {
  const raw = block.subarray(offset, offset + length);
  const end = raw.indexOf(0);
  return raw.subarray(0, end === -1 ? raw.length : end).toString('utf8');
}

function paxPath(body: Buffer): string | null {
  let rest = body;
  while (rest.length > 0) {
    const space = rest.indexOf(0x20);
    const length = Number(rest.subarray(0, space).toString('ascii'));
    if (space <= 0 || !Number.isSafeInteger(length) || length <= space || length > rest.length) return null;
    const record = rest.subarray(space + 1, length - 1).toString('utf8');
    if (record.startsWith('path=')) return record.slice(5);
    rest = rest.subarray(length);
  }
  return null;
}

/** Synchronous (bounded to 1 MiB): it runs inside the SQLite transaction that settles the intent. */
export function readBundleFront(path: string): BundleFront | null {
  let front: Buffer;
  try {
    const { fd } = openRegularSync(path);
    try {
      front = Buffer.alloc(FRONT_BYTES);
      front = front.subarray(0, readSync(fd, front, 0, FRONT_BYTES, 0));
    } finally {
      closeSync(fd);
    }
  } catch {
    return null;
  }
  const result: BundleFront = { station: null, sequence: null, uuid: null, tagmanifestSha256: null };
  let offset = 0;
  let nextPath: string | null = null;
  for (let record = 0; record < MAX_RECORDS && offset + BLOCK <= front.length; record += 1) {
    const header = front.subarray(offset, offset + BLOCK);
    if (header.every((b) => b === 0)) break;
    const size = Number.parseInt(field(header, 124, 12).trim() || 'x', 8);
    if (!Number.isSafeInteger(size) || size < 0) return null;
    const bodyStart = offset + BLOCK;
    const body = front.subarray(bodyStart, bodyStart + size);
    if (body.length !== size) break;
    const type = String.fromCharCode(header[156] ?? 0);
    if (type === 'x') {
      nextPath = paxPath(body);
    } else {
      const prefix = field(header, 345, 155);
      const name = nextPath ?? (prefix ? `${prefix}/${field(header, 0, 100)}` : field(header, 0, 100));
      nextPath = null;
      if (name.endsWith(`/${BAG_INFO_NAME}`)) {
        const parsed = parseBagInfo(body.toString('utf8'));
        if (!parsed.ok) return null;
        const sequence = Number(bagInfoValue(parsed.info, INFO.sequence));
        result.station = bagInfoValue(parsed.info, INFO.station) ?? null;
        result.sequence = Number.isSafeInteger(sequence) ? sequence : null;
        result.uuid = bagInfoValue(parsed.info, INFO.externalIdentifier) ?? null;
      } else if (name.endsWith(`/${TAGMANIFEST_NAME}`)) {
        result.tagmanifestSha256 = createHash('sha256').update(body).digest('hex');
        return result;
      }
    }
    offset = bodyStart + Math.ceil(size / BLOCK) * BLOCK;
  }
  return result.station === null ? null : result;
}

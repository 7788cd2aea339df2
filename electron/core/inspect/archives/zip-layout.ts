/**
 * Where a zip's members really are (issue #16.3), checked before anything is inflated. The
 * central directory is the truth, but readers that stream a zip (reading local headers one after
 * another) see the local headers instead; and the "better zip bomb" (Fifield, 2019) makes entries
 * share or overlap their data. So, for every entry of the directory:
 * - its local header must be a local header and agree with the directory: name, method,
 *   encryption, and (when no data descriptor follows) CRC-32 and sizes;
 * - its header and data must not overlap another entry's, nor the central directory;
 * - nothing between entries may hold a local header the directory does not list (an entry only a
 *   streaming reader would extract).
 * A zip that breaks any of these is ARCHIVE_UNREADABLE as a whole: no honest writer makes one.
 */
import type yauzl from 'yauzl';
import type { ByteSource } from '../contract.js';

const LOCAL_SIGNATURE = 0x04034b50;
const LOCAL_HEADER_BYTES = 30;
const DATA_DESCRIPTOR_FLAG = 0x8;
const ENCRYPTED_FLAG = 0x1;
const UTF8_FLAG = 0x800;
const ZIP64_MARK = 0xffffffff;
const SIGNATURE_BYTES = Buffer.from([0x50, 0x4b, 0x03, 0x04]);
const GAP_READ = 64 * 1024;

export type ZipLayout = { dataStart: Map<yauzl.Entry, number> } | { problem: string };

interface Placed {
  entry: yauzl.Entry;
  start: number;
  dataStart: number;
  end: number;
}

async function readExactly(source: ByteSource, position: number, length: number, signal: AbortSignal | undefined): Promise<Buffer | null> {
  if (position + length > source.size) return null;
  const bytes = await source.read(position, length, signal);
  return bytes.length === length ? bytes : null;
}

/** The entry's local header, checked against the directory; a reason string when it disagrees. */
async function place(source: ByteSource, entry: yauzl.Entry, signal: AbortSignal | undefined): Promise<Placed | string> {
  const start = entry.relativeOffsetOfLocalHeader;
  const fixed = await readExactly(source, start, LOCAL_HEADER_BYTES, signal);
  if (fixed === null || fixed.readUInt32LE(0) !== LOCAL_SIGNATURE) return `no local header where the directory puts one (byte ${start})`;
  const flags = fixed.readUInt16LE(6);
  const nameLength = fixed.readUInt16LE(26);
  const extraLength = fixed.readUInt16LE(28);
  const name = await readExactly(source, start + LOCAL_HEADER_BYTES, nameLength, signal);
  const dataStart = start + LOCAL_HEADER_BYTES + nameLength + extraLength;
  if (name === null || dataStart + entry.compressedSize > source.size) return `the entry at byte ${start} runs past the end of the file`;
  const disagree =
    !name.equals(entry.fileNameRaw) ||
    fixed.readUInt16LE(8) !== entry.compressionMethod ||
    (flags & (ENCRYPTED_FLAG | UTF8_FLAG | DATA_DESCRIPTOR_FLAG)) !== (entry.generalPurposeBitFlag & (ENCRYPTED_FLAG | UTF8_FLAG | DATA_DESCRIPTOR_FLAG));
  if (disagree) return `the local header at byte ${start} disagrees with the central directory (name, method or flags)`;
  if ((flags & DATA_DESCRIPTOR_FLAG) === 0) {
    const crc = fixed.readUInt32LE(14);
    const compressed = fixed.readUInt32LE(18);
    const uncompressed = fixed.readUInt32LE(22);
    const sizesAgree =
      (compressed === ZIP64_MARK || compressed === entry.compressedSize) && (uncompressed === ZIP64_MARK || uncompressed === entry.uncompressedSize);
    if (crc !== entry.crc32 || !sizesAgree) return `the local header at byte ${start} states another CRC-32 or size than the central directory`;
  }
  return { entry, start, dataStart, end: dataStart + entry.compressedSize };
}

/** True when source[from, to) holds a local header signature. */
async function holdsLocalHeader(source: ByteSource, from: number, to: number, signal: AbortSignal | undefined): Promise<boolean> {
  for (let at = from; at < to; at += GAP_READ) {
    // Overlap by three bytes so a signature across two reads is seen.
    const bytes = await source.read(at, Math.min(GAP_READ + 3, to - at), signal);
    if (bytes.indexOf(SIGNATURE_BYTES) >= 0) return true;
  }
  return false;
}

/**
 * `complete`: every entry of the directory is in `entries` (false when the entry budget stopped
 * the reading: the gaps then hold the unread entries, and are not searched).
 */
export async function checkZipLayout(
  source: ByteSource,
  entries: yauzl.Entry[],
  directoryOffset: number,
  complete: boolean,
  signal: AbortSignal | undefined,
): Promise<ZipLayout> {
  const placed: Placed[] = [];
  for (const entry of entries) {
    const where = await place(source, entry, signal);
    if (typeof where === 'string') return { problem: where };
    placed.push(where);
  }
  placed.sort((a, b) => a.start - b.start);
  let covered = 0;
  for (const item of placed) {
    if (item.start < covered) return { problem: `entries overlap at byte ${item.start}, as zip bombs are made` };
    if (complete && item.start > covered && (await holdsLocalHeader(source, covered, item.start, signal)))
      return { problem: `bytes ${covered} to ${item.start} hold a local entry the central directory does not list` };
    covered = item.end;
  }
  if (covered > directoryOffset) return { problem: `an entry's data runs into the central directory (byte ${directoryOffset})` };
  if (complete && covered < directoryOffset && (await holdsLocalHeader(source, covered, directoryOffset, signal)))
    return { problem: `bytes ${covered} to ${directoryOffset} hold a local entry the central directory does not list` };
  return { dataStart: new Map(placed.map((item) => [item.entry, item.dataStart])) };
}

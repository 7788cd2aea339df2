/**
 * Whether a file ends with a zip's end-of-central-directory record (issue #16.3). unzip, Python and
 * most extractors find a zip by its end, not its head: a PDF, an image or an executable with a zip
 * appended (a polyglot, a self-extractor) opens as a zip although its first bytes say otherwise.
 * The inspector asks this of every file whose head is not an archive, and walks the ones that
 * answer yes as zips (walkArchive then lists their members, or says ARCHIVE_UNREADABLE when the
 * directory's offsets do not fit the file).
 */
import type { ByteSource } from '../contract.js';

const EOCD_SIGNATURE = 0x06054b50;
const EOCD_BYTES = 22;
const MAX_COMMENT = 0xffff;
/** A zip64 locator (20 bytes) may precede the record; its own size does not change where the record is. */
const TAIL_BYTES = EOCD_BYTES + MAX_COMMENT;

/** True when the last 64 KiB hold an end-of-central-directory record whose comment reaches exactly to the end. */
export async function endsWithZipDirectory(source: ByteSource, signal?: AbortSignal): Promise<boolean> {
  if (source.size < EOCD_BYTES) return false;
  const start = Math.max(0, source.size - TAIL_BYTES);
  const tail = await source.read(start, source.size - start, signal);
  for (let at = tail.length - EOCD_BYTES; at >= 0; at -= 1) {
    if (tail.readUInt32LE(at) !== EOCD_SIGNATURE) continue;
    if (at + EOCD_BYTES + tail.readUInt16LE(at + 20) === tail.length) return true;
  }
  return false;
}

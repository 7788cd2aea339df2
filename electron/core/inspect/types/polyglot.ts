/**
 * Polyglots (issue #16.2): one file that different programs read as different types, so that
 * what was inspected is not what will be opened. Two checks, each by the rule the opening program
 * follows:
 * - zip readers look for the end-of-central-directory record in the last 64 KiB and ignore what
 *   comes before the zip: a JPEG or PDF with a zip appended opens as that zip. An end record near
 *   the end of a file that is not a zip from byte 0 (nor a tar, whose members the archive walk
 *   inspects itself) is a polyglot, when the record is well formed (its central directory
 *   signature in place where the tail shows it).
 * - PDF readers accept `%PDF-` anywhere in the first 1024 bytes: a PDF header in a file detected
 *   as another binary type is a polyglot. Zip and tar are left to the archive walk (a stored PDF
 *   member starts within the first KiB and is inspected as the member it is); plain text is not
 *   checked (a note that quotes a PDF header is still text).
 * Both need only the head and the tail, so a streaming caller can keep the tail (TailWindow) as
 * the bytes pass instead of reading the file again.
 */
import type { ByteSource, TypeDetection } from '../contract.js';

/** The end record (22 bytes) plus the largest comment (65,535): where zip readers search. */
export const ZIP_TAIL_BYTES = 22 + 0xffff;
export const PDF_HEADER_WINDOW = 1024;

const EOCD = Buffer.from([0x50, 0x4b, 0x05, 0x06]);
const CENTRAL_HEADER = Buffer.from([0x50, 0x4b, 0x01, 0x02]);
const ZIP64_LOCATOR = Buffer.from([0x50, 0x4b, 0x06, 0x07]);
const PDF_HEADER = Buffer.from('%PDF-', 'latin1');
/** Zip readers take the record nearest the end; a few candidates from the end cover them. */
const MAX_CANDIDATES = 16;

/** What else the file is, in words for the finding's detail; null when it is only what detection says. */
export function polyglotIn(head: Buffer, tail: Buffer, size: number, detection: TypeDetection): string | null {
  if (detection.archive !== 'zip' && detection.archive !== 'tar') {
    const at = appendedZipAt(tail, size);
    if (at !== null) return `a zip archive is joined to this ${describe(detection)} (end of central directory at byte ${at}): a zip reader opens other content`;
  }
  if (detection.mime !== null && detection.detectedExtension !== 'pdf' && detection.archive !== 'zip' && detection.archive !== 'tar') {
    const at = head.subarray(0, PDF_HEADER_WINDOW).indexOf(PDF_HEADER);
    if (at > 0) return `a PDF header at byte ${at} of this ${describe(detection)}: a PDF reader opens other content`;
  }
  return null;
}

/** polyglotIn with the head and tail read from a ByteSource (two small reads). */
export async function polyglotOf(source: ByteSource, detection: TypeDetection, signal?: AbortSignal): Promise<string | null> {
  const head = await source.read(0, PDF_HEADER_WINDOW, signal);
  const tailStart = Math.max(0, source.size - ZIP_TAIL_BYTES);
  const tail = await source.read(tailStart, source.size - tailStart, signal);
  return polyglotIn(head, tail, source.size, detection);
}

const describe = (d: TypeDetection): string => (d.mime === null ? 'file' : `${d.mime} file`);

/** Absolute offset of a well-formed end-of-central-directory record in the tail, or null. */
function appendedZipAt(tail: Buffer, size: number): number | null {
  const base = size - tail.length;
  let from = tail.length - EOCD.length;
  for (let tried = 0; tried < MAX_CANDIDATES && from >= 0; tried++) {
    const at = tail.lastIndexOf(EOCD, from);
    if (at < 0) return null;
    if (wellFormedEnd(tail, at, base)) return base + at;
    from = at - 1;
  }
  return null;
}

function wellFormedEnd(tail: Buffer, at: number, base: number): boolean {
  // A Zip64 end record locator right before it: zip readers follow it (its fields here are placeholders).
  if (at >= 20 && tail.subarray(at - 20, at - 16).equals(ZIP64_LOCATOR)) return true;
  if (at + 22 > tail.length) return false;
  // Disk numbers and entry counts are not checked: Python's zipfile reads the central directory by its size alone.
  const directorySize = tail.readUInt32LE(at + 12);
  if (directorySize === 0) return false;
  const directoryStart = at - directorySize;
  if (base + directoryStart < 0) return false;
  // The central directory right before the record: check its signature where the tail holds it.
  return directoryStart < 0 || tail.subarray(directoryStart, directoryStart + 4).equals(CENTRAL_HEADER);
}

/** The last ZIP_TAIL_BYTES of a stream, kept as it passes (bounded memory per file). */
export class TailWindow {
  private chunks: Buffer[] = [];
  private length = 0;

  constructor(private readonly keep = ZIP_TAIL_BYTES) {}

  push(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.length += chunk.length;
    while (this.chunks.length > 1 && this.length - (this.chunks[0]?.length ?? 0) >= this.keep) {
      this.length -= this.chunks.shift()?.length ?? 0;
    }
  }

  bytes(): Buffer {
    const all = Buffer.concat(this.chunks);
    return all.subarray(Math.max(0, all.length - this.keep));
  }
}

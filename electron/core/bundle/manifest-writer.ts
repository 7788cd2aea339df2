import { createHash } from 'node:crypto';
import { encodeManifestPath, type ManifestEntry } from './manifest.js';
import { writeAllAt } from './record-lane.js';

/** Bytes of a manifest line besides its path: 64 hex digits, two spaces, the newline. */
const LINE_OVERHEAD = 64 + 2 + 1;
/** Bytes of manifest gathered before they are hashed and written. */
const CHUNK_BYTES = 1 << 20;

/** The byte length of one manifest line listing `path` (encodeManifest's), without making it. */
export function manifestLineBytes(path: string): number {
  return LINE_OVERHEAD + Buffer.byteLength(encodeManifestPath(path), 'utf8');
}

/** The byte length of the manifest listing these paths (encodeManifest's), without making it. */
export function manifestByteLength(paths: Iterable<string>): number {
  let bytes = 0;
  for (const path of paths) bytes += manifestLineBytes(path);
  return bytes;
}

/**
 * Write the manifest of `entries` (encodeManifest's bytes) into `fd` at `at`, hashing it as it is
 * written: the one-pass export never holds the whole manifest, only one chunk of it (issue #18:
 * for a million files it is ~100 MB, held up to three times over while the tag files were built).
 * Each line is encoded straight into one reused buffer: gathering a chunk as a growing string kept
 * every line's pieces alive across scavenges (~16 MB survived for 200,000 files, which is what
 * makes V8 double the young generation: rss3), and encoded it into a new Buffer per chunk.
 */
export function writeManifestAt(fd: number, at: number, entries: Iterable<ManifestEntry>): { bytes: number; sha256: string } {
  const hash = createHash('sha256');
  const chunk = Buffer.allocUnsafe(CHUNK_BYTES);
  let written = 0;
  let used = 0;
  const put = (bytes: Buffer): void => {
    hash.update(bytes);
    writeAllAt(fd, bytes, at + written);
    written += bytes.length;
  };
  const flush = (): void => {
    if (used > 0) put(chunk.subarray(0, used));
    used = 0;
  };
  for (const entry of entries) {
    const line = `${entry.sha256}  ${encodeManifestPath(entry.path)}\n`;
    // A UTF-8 byte per UTF-16 unit at most 3: a line that may not fit what is left is flushed first.
    if (used + line.length * 3 > CHUNK_BYTES) flush();
    if (line.length * 3 > CHUNK_BYTES) put(Buffer.from(line, 'utf8'));
    else used += chunk.write(line, used, 'utf8');
  }
  flush();
  return { bytes: written, sha256: hash.digest('hex') };
}

import { createHash } from 'node:crypto';
import { encodeManifestPath, type ManifestEntry } from './manifest.js';
import { writeAllAt } from './record-lane.js';

/** Bytes of a manifest line besides its path: 64 hex digits, two spaces, the newline. */
const LINE_OVERHEAD = 64 + 2 + 1;
/** Characters of manifest text gathered before they are encoded, hashed and written. */
const CHUNK_CHARS = 1 << 20;

/** The byte length of the manifest listing these paths (encodeManifest's), without making it. */
export function manifestByteLength(paths: Iterable<string>): number {
  let bytes = 0;
  for (const path of paths) bytes += LINE_OVERHEAD + Buffer.byteLength(encodeManifestPath(path), 'utf8');
  return bytes;
}

/**
 * Write the manifest of `entries` (encodeManifest's bytes) into `fd` at `at`, hashing it as it is
 * written: the one-pass export never holds the whole manifest, only one chunk of it (issue #18:
 * for a million files it is ~100 MB, held up to three times over while the tag files were built).
 */
export function writeManifestAt(fd: number, at: number, entries: Iterable<ManifestEntry>): { bytes: number; sha256: string } {
  const hash = createHash('sha256');
  let written = 0;
  let text = '';
  const flush = (): void => {
    const chunk = Buffer.from(text, 'utf8');
    hash.update(chunk);
    writeAllAt(fd, chunk, at + written);
    written += chunk.length;
    text = '';
  };
  for (const entry of entries) {
    text += `${entry.sha256}  ${encodeManifestPath(entry.path)}\n`;
    if (text.length >= CHUNK_CHARS) flush();
  }
  if (text.length > 0) flush();
  return { bytes: written, sha256: hash.digest('hex') };
}

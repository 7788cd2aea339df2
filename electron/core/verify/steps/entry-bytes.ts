/** Reading an archive entry's bytes: whole (bounded), or streamed through a hash. */
import type { ReadEntry } from 'tar';
import { ArchiveError } from '../../bundle/tar-entries.js';
import { sha256 } from '../../crypto/sha256.js';

/** node-tar ends an entry early when the archive is cut short; the header's size is what was promised. */
export function assertWhole(entry: ReadEntry, received: number): void {
  if (received !== entry.size) throw new ArchiveError(`"${entry.path}" ends after ${received} of its ${entry.size} bytes: the archive is truncated`);
}

/** The entry's SHA-256 (32 bytes), each chunk handed to `onChunk` as it is hashed. */
export async function hashEntry(entry: ReadEntry, onChunk?: (chunk: Buffer) => Promise<void>): Promise<Buffer> {
  const hash = sha256();
  let received = 0;
  for await (const chunk of entry) {
    hash.update(chunk);
    received += chunk.length;
    if (onChunk) await onChunk(chunk);
  }
  assertWhole(entry, received);
  return hash.digest();
}

/** Read an entry's bytes to its end without keeping them (its data reads as zeros: parallel/filled-source.ts), checking it is whole. */
export async function drainEntry(entry: ReadEntry): Promise<void> {
  let received = 0;
  for await (const chunk of entry) received += chunk.length;
  assertWhole(entry, received);
}

/** Reading an archive entry's bytes: whole (bounded), or streamed through a hash. */
import { BlockEntry } from '../../bundle/guard-entries.js';
import { ArchiveError, type TarEntry } from '../../bundle/tar-entries.js';
import { oneCallSha256, sha256 } from '../../crypto/sha256.js';
import type { Hash } from 'node:crypto';

const EMPTY = Buffer.alloc(0);

/** node-tar ends an entry early when the archive is cut short; the header's size is what was promised. */
export function assertWhole(entry: TarEntry, received: number): void {
  if (received !== entry.size) throw new ArchiveError(`"${entry.path}" ends after ${received} of its ${entry.size} bytes: the archive is truncated`);
}

/**
 * Entries up to this size whose bytes arrive in one chunk (nearly every small file) are hashed in
 * one call when whole (crypto.hash): no Hash object, update and digest per file. 20,000 x 4 KiB:
 * about 120 ms of this thread with a Hash each, 80 ms in one call (smallimp, issue #18). Kept to
 * sizes whose sinks hold the bytes until the verdict (import's small files), so a larger file's
 * chunks are still hashed before they are written.
 */
const ONE_CALL_BYTES = 256 * 1024;

/** The entry's SHA-256 (32 bytes), each chunk handed to `onChunk` as it is hashed. */
export async function hashEntry(entry: TarEntry, onChunk?: (chunk: Buffer) => Promise<void>): Promise<Buffer> {
  if (entry.size <= ONE_CALL_BYTES) return hashSmallEntry(entry, onChunk);
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

/** As hashEntry; a single chunk is hashed in one call at the end, more than one through a Hash as they come. */
async function hashSmallEntry(entry: TarEntry, onChunk?: (chunk: Buffer) => Promise<void>): Promise<Buffer> {
  let only: Buffer | null = null;
  let hash: Hash | null = null;
  let received = 0;
  for await (const chunk of entry) {
    if (hash !== null) hash.update(chunk);
    else if (only === null) only = chunk;
    else {
      hash = sha256().update(only).update(chunk);
      only = null;
    }
    received += chunk.length;
    if (onChunk) await onChunk(chunk);
  }
  assertWhole(entry, received);
  if (hash !== null) return hash.digest();
  return oneCallSha256(only ?? EMPTY);
}

/** Read an entry's bytes to its end without keeping them (its data reads as zeros: parallel/filled-source.ts), checking it is whole. */
export async function drainEntry(entry: TarEntry): Promise<void> {
  // The guard's entry, whole: nothing to wait for (the stream lane's files past its hand-over).
  const whole = entry instanceof BlockEntry ? entry.takeWhole() : null;
  if (whole !== null) {
    assertWhole(entry, whole);
    return;
  }
  let received = 0;
  for await (const chunk of entry) received += chunk.length;
  assertWhole(entry, received);
}

import { read } from 'node:fs';
import { AirlockError } from '../errors.js';
import { HASH_CHUNK_BYTES, sha256 } from './sha256.js';

/**
 * SHA-256 of a byte range of an open file, read with positional reads (verify's payload lanes,
 * verify/parallel/hash-lanes.ts). Both lanes, this thread's and the worker thread's
 * (workers/range-hash-worker.ts), run exactly this function on the same descriptor, so a digest
 * cannot depend on which lane computed it.
 */

export interface RangeDigest {
  /** SHA-256 of the bytes read (32 bytes). */
  digest: Uint8Array;
  /** Bytes read: fewer than asked for when the file ends first. */
  read: number;
}

/** Two buffers: one is hashed while the next read fills the other (reads run on libuv's thread pool). */
export type RangeBuffers = readonly [Buffer, Buffer];

export function rangeBuffers(): RangeBuffers {
  return [Buffer.allocUnsafe(HASH_CHUNK_BYTES), Buffer.allocUnsafe(HASH_CHUNK_BYTES)];
}

/** One positional read; resolves to the bytes read (0 at the end of the file). */
export function readAt(fd: number, buffer: Buffer, length: number, position: number): Promise<number> {
  return new Promise((resolve, reject) => {
    read(fd, buffer, 0, length, position, (error, bytesRead) => (error ? reject(error) : resolve(bytesRead)));
  });
}

/**
 * Hash `size` bytes of `fd` from `start`. `onBytes` hears of every chunk hashed; the signal is
 * checked after every chunk (cancel within one chunk). The read in flight is always awaited
 * before this returns, so the buffers are free again for the next range.
 */
export async function hashRange(
  fd: number,
  start: number,
  size: number,
  buffers: RangeBuffers,
  options: { onBytes?: ((bytes: number) => void) | undefined; signal?: AbortSignal | undefined } = {},
): Promise<RangeDigest> {
  const hash = sha256();
  const end = start + size;
  const next = (buffer: Buffer, at: number): Promise<number> => (at >= end ? Promise.resolve(0) : readAt(fd, buffer, Math.min(buffer.length, end - at), at));
  let position = start;
  let which = 0;
  let pending = next(buffers[0], position);
  try {
    for (;;) {
      const bytes = await pending;
      if (bytes === 0) break;
      const filled = buffers[which] as Buffer;
      position += bytes;
      which ^= 1;
      pending = next(buffers[which] as Buffer, position);
      hash.update(filled.subarray(0, bytes));
      options.onBytes?.(bytes);
      if (options.signal?.aborted) throw new AirlockError('CANCELLED');
    }
  } finally {
    // Never leave a read writing into a buffer the next range will use.
    await pending.catch(() => 0);
  }
  return { digest: hash.digest(), read: position - start };
}

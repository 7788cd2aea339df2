import { createHash, hash, type Hash } from 'node:crypto';
import { open } from 'node:fs/promises';
import { AirlockError } from '../errors.js';
import { REGULAR_READ_FLAGS } from '../fs/open-regular.js';

export function sha256(): Hash {
  return createHash('sha256');
}

/** SHA-256 of bytes already whole, in one call (no Hash object: the cheaper way for many small inputs). */
export function oneCallSha256(data: Uint8Array): Buffer {
  return hash('sha256', data, 'buffer');
}

export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Read size for streaming hashes: large enough that per-call overhead vanishes, small enough to stay cache-friendly. */
export const HASH_CHUNK_BYTES = 1 << 20;

export interface FileDigest {
  sha256: string;
  size: number;
}

/**
 * Hash a file with one reusable buffer: memory stays at one chunk whatever the file size.
 * `onBytes` is called after every chunk so callers can report progress.
 */
export async function hashFile(
  path: string,
  options: { signal?: AbortSignal | undefined; onBytes?: ((bytes: number) => void) | undefined; buffer?: Buffer | undefined } = {},
): Promise<FileDigest> {
  const hash = createHash('sha256');
  // Non-blocking: a file swapped for a FIFO reads as empty (its size then differs), never waits.
  const handle = await open(path, REGULAR_READ_FLAGS);
  const buffer = options.buffer ?? Buffer.allocUnsafe(HASH_CHUNK_BYTES);
  let size = 0;
  try {
    for (;;) {
      if (options.signal?.aborted) throw new AirlockError('CANCELLED');
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, null);
      if (bytesRead === 0) break;
      hash.update(buffer.subarray(0, bytesRead));
      size += bytesRead;
      options.onBytes?.(bytesRead);
    }
  } finally {
    await handle.close();
  }
  return { sha256: hash.digest('hex'), size };
}

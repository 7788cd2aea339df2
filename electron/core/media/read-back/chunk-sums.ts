/**
 * Where a read-back first differs from what was written. The whole-file SHA-256 says only that
 * a file differs; a CRC-32 per 1 MiB chunk, taken as the bytes are written and again as they
 * are read back, names the first chunk that differs, so the operator (and whoever examines the
 * medium) is told the byte range to look at. CRC-32 is enough here: it locates, the SHA-256
 * decides; a medium that fails never passes because two CRCs matched.
 */
import { crc32 } from 'node:zlib';

export const CHUNK_BYTES = 1 << 20;

/** CRC-32 of each CHUNK_BYTES of a stream, fed in pieces of any size. */
export class ChunkSums {
  private readonly sums: number[] = [];
  private crc = 0;
  private filled = 0;

  update(data: Uint8Array): void {
    let at = 0;
    while (at < data.length) {
      const take = Math.min(data.length - at, CHUNK_BYTES - this.filled);
      this.crc = crc32(data.subarray(at, at + take), this.crc);
      this.filled += take;
      at += take;
      if (this.filled === CHUNK_BYTES) this.close();
    }
  }

  private close(): void {
    this.sums.push(this.crc);
    this.crc = 0;
    this.filled = 0;
  }

  /** The sums, the last chunk's included however short. */
  finish(): number[] {
    if (this.filled > 0) this.close();
    return [...this.sums];
  }
}

/** The first byte range that differs: `offset` is its first byte, `length` its size (the chunk, or the tail where the sizes differ). */
export interface FirstDifference {
  offset: number;
  length: number;
}

/**
 * The first chunk whose sums differ, or where one file ends before the other; null when sums
 * and sizes agree (the SHA-256 then decides alone: a CRC collision inside one chunk).
 */
export function firstDifference(expected: readonly number[], found: readonly number[], expectedSize: number, foundSize: number): FirstDifference | null {
  const shorter = Math.min(expectedSize, foundSize);
  const longer = Math.max(expectedSize, foundSize);
  let i = 0;
  for (; i * CHUNK_BYTES < shorter; i += 1) {
    const end = Math.min((i + 1) * CHUNK_BYTES, shorter);
    // The shorter file's last, partial chunk has no counterpart in the longer one.
    if (end - i * CHUNK_BYTES < CHUNK_BYTES && expectedSize !== foundSize) break;
    if (expected[i] !== found[i]) return { offset: i * CHUNK_BYTES, length: end - i * CHUNK_BYTES };
  }
  if (expectedSize !== foundSize) return { offset: i * CHUNK_BYTES, length: longer - i * CHUNK_BYTES };
  return null;
}

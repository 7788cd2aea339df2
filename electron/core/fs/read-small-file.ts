import { closeSync, openSync, readSync } from 'node:fs';

/** Files up to this size are read in one synchronous call; larger ones stream. */
export const SMALL_FILE_BYTES = 256 * 1024;

/** A buffer that any small file (plus the growth-detecting extra byte) fits in. */
export function smallFileScratch(): Buffer {
  return Buffer.allocUnsafe(SMALL_FILE_BYTES + 1);
}

/**
 * Read a small file whole, expecting `size` bytes. Returns the bytes, or the size actually
 * found when the file is shorter or longer (one extra byte is asked for to notice growth).
 */
export function readSmallFileSync(path: string, size: number, scratch?: Buffer): { bytes: Buffer } | { actualSize: number } {
  // With `scratch`, the bytes returned are a view into it, valid until its next use.
  const buffer = scratch && scratch.length > size ? scratch.subarray(0, size + 1) : Buffer.allocUnsafe(size + 1);
  const fd = openSync(path, 'r');
  try {
    let got = 0;
    for (;;) {
      const n = readSync(fd, buffer, got, buffer.length - got, null);
      if (n === 0) break;
      got += n;
      if (got === buffer.length) break;
    }
    if (got !== size) return { actualSize: got === buffer.length ? size + 1 : got };
    return { bytes: buffer.subarray(0, size) };
  } finally {
    closeSync(fd);
  }
}

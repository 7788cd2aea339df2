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
    const got = readExpected(fd, buffer, 0, size);
    if (got !== size) return { actualSize: got };
    return { bytes: buffer.subarray(0, size) };
  } finally {
    closeSync(fd);
  }
}

/**
 * Read an open file expected to hold `size` more bytes into `buffer` at `offset`, asking for one
 * byte more to notice growth (the buffer must have room for it). Returns the bytes found: `size`
 * when as expected, `size + 1` when the file is longer, fewer when it is shorter.
 */
export function readExpected(fd: number, buffer: Buffer, offset: number, size: number): number {
  const want = size + 1;
  let got = 0;
  for (;;) {
    const n = readSync(fd, buffer, offset + got, want - got, null);
    if (n === 0) break;
    got += n;
    if (got === want) break;
  }
  return got;
}

/**
 * crypto/range-hash.ts: the SHA-256 of a range of a file, and (an import's lanes) the same bytes
 * written to a staged file as they are hashed: the file holds exactly what was hashed, a write
 * that fails fails the range, and a cancel stops it.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, open, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashRange, rangeBuffers } from '../../../../electron/core/crypto/range-hash.js';

let dir: string;
let file: string;
let content: Buffer;
/** Not a whole number of 1 MiB chunks, and not from the file's start. */
const START = 1000;
const SIZE = (5 << 20) + 4321;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'airlock-range-hash-'));
  file = join(dir, 'source.bin');
  content = randomBytes(START + SIZE + 777);
  await writeFile(file, content);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const expected = (): Buffer =>
  createHash('sha256')
    .update(content.subarray(START, START + SIZE))
    .digest();

describe('hashRange', () => {
  it('hashes exactly the range', async () => {
    const handle = await open(file, 'r');
    try {
      const { digest, read } = await hashRange(handle.fd, START, SIZE, rangeBuffers());
      expect(read).toBe(SIZE);
      expect(Buffer.from(digest).equals(expected())).toBe(true);
    } finally {
      await handle.close();
    }
  });

  it('with copyTo, writes the range to the target as it hashes it (three buffers, writeback every MiB)', async () => {
    const source = await open(file, 'r');
    const target = await open(join(dir, 'copy.bin'), 'wx');
    let reported = 0;
    try {
      const { digest, read } = await hashRange(source.fd, START, SIZE, rangeBuffers(3), {
        copyTo: { fd: target.fd, flushEvery: 1 << 20 },
        onBytes: (bytes) => {
          reported += bytes;
        },
      });
      expect(read).toBe(SIZE);
      expect(reported).toBe(SIZE);
      expect(Buffer.from(digest).equals(expected())).toBe(true);
    } finally {
      await source.close();
      await target.close();
    }
    const copied = await readFile(join(dir, 'copy.bin'));
    expect(copied.equals(content.subarray(START, START + SIZE))).toBe(true);
  });

  it('with two buffers as well (each read waits for the write of its buffer)', async () => {
    const source = await open(file, 'r');
    const target = await open(join(dir, 'copy2.bin'), 'wx');
    try {
      const { digest } = await hashRange(source.fd, START, SIZE, rangeBuffers(2), { copyTo: { fd: target.fd, flushEvery: 0 } });
      expect(Buffer.from(digest).equals(expected())).toBe(true);
    } finally {
      await source.close();
      await target.close();
    }
    expect((await readFile(join(dir, 'copy2.bin'))).equals(content.subarray(START, START + SIZE))).toBe(true);
  });

  it('a write that fails fails the range (a target open only for reading: EBADF)', async () => {
    const source = await open(file, 'r');
    await writeFile(join(dir, 'readonly.bin'), '');
    const target = await open(join(dir, 'readonly.bin'), 'r');
    try {
      await expect(hashRange(source.fd, START, SIZE, rangeBuffers(3), { copyTo: { fd: target.fd, flushEvery: 0 } })).rejects.toMatchObject({
        code: 'EBADF',
      });
    } finally {
      await source.close();
      await target.close();
    }
  });

  it('stops within a chunk on a cancel', async () => {
    const source = await open(file, 'r');
    const target = await open(join(dir, 'cancelled.bin'), 'wx');
    const stop = new AbortController();
    let hashed = 0;
    try {
      await expect(
        hashRange(source.fd, START, SIZE, rangeBuffers(3), {
          copyTo: { fd: target.fd, flushEvery: 0 },
          signal: stop.signal,
          onBytes: (bytes) => {
            hashed += bytes;
            stop.abort();
          },
        }),
      ).rejects.toMatchObject({ code: 'CANCELLED' });
    } finally {
      await source.close();
      await target.close();
    }
    expect(hashed).toBe(1 << 20);
    // Only what was hashed was written.
    expect((await readFile(join(dir, 'cancelled.bin'))).length).toBe(1 << 20);
  });
});

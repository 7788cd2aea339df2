/**
 * hashEntry (verify/steps/entry-bytes.ts): a small entry that arrives in one chunk is hashed in
 * one call when whole (smallimp); more chunks, an empty entry and a large entry are hashed as they
 * come. Every way gives the SHA-256 of exactly the bytes handed to onChunk, in order, and a
 * truncated entry still fails.
 */
import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import type { ReadEntry } from 'tar';
import { describe, expect, it } from 'vitest';
import { hashEntry } from '../../../../../electron/core/verify/steps/entry-bytes.js';
import { ArchiveError } from '../../../../../electron/core/bundle/tar-entries.js';

/** An entry as node-tar hands it on: a stream of chunks with the header's size. */
function entryOf(chunks: Buffer[], size = chunks.reduce((n, c) => n + c.length, 0)): ReadEntry {
  return Object.assign(Readable.from(chunks, { objectMode: true }), { size, path: 'data/f.bin' }) as unknown as ReadEntry;
}

function sha(...chunks: Buffer[]): Buffer {
  const hash = createHash('sha256');
  for (const chunk of chunks) hash.update(chunk);
  return hash.digest();
}

describe('hashEntry', () => {
  const cases: Array<[string, Buffer[]]> = [
    ['an empty entry', []],
    ['a 4 KiB entry in one chunk', [randomBytes(4096)]],
    ['a small entry in three chunks', [randomBytes(1000), randomBytes(3000), randomBytes(96)]],
    ['a small entry in two chunks', [randomBytes(512), randomBytes(512)]],
    ['a 256 KiB entry in one chunk (the largest hashed in one call)', [randomBytes(256 * 1024)]],
    ['a large entry in chunks', [randomBytes(256 * 1024), randomBytes(256 * 1024), randomBytes(7)]],
  ];
  it.each(cases)('%s: the digest of the bytes handed on, in order', async (_name, chunks) => {
    const handed: Buffer[] = [];
    const digest = await hashEntry(entryOf(chunks), async (chunk) => {
      handed.push(chunk);
    });
    expect(digest.equals(sha(...chunks))).toBe(true);
    expect(Buffer.concat(handed).equals(Buffer.concat(chunks))).toBe(true);
    expect(await hashEntry(entryOf(chunks))).toEqual(digest);
  });

  it('a different byte gives a different digest (one chunk)', async () => {
    const bytes = randomBytes(4096);
    const other = Buffer.from(bytes);
    other[100] = (other[100] ?? 0) ^ 1;
    expect((await hashEntry(entryOf([bytes]))).equals(await hashEntry(entryOf([other])))).toBe(false);
  });

  it.each([
    ['small', 4096],
    ['large', 300 * 1024],
  ])('a %s entry that ends before its header size is an ArchiveError (truncated)', async (_name, size) => {
    const error = await hashEntry(entryOf([randomBytes(size - 10)], size)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ArchiveError);
    expect((error as Error).message).toMatch(/truncated/);
  });
});

/** Where a read-back first differs (chunk-sums.ts): the chunk named is the one holding the first changed byte, however the bytes arrived. */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { CHUNK_BYTES, ChunkSums, firstDifference } from '../../../../../electron/core/media/read-back/chunk-sums.js';

/** The sums of `data` fed in pieces of the sizes given, cycling. */
function sums(data: Buffer, pieces: number[]): number[] {
  const s = new ChunkSums();
  let at = 0;
  for (let i = 0; at < data.length; i += 1) {
    const size = pieces[i % pieces.length] as number;
    s.update(data.subarray(at, at + size));
    at += size;
  }
  return s.finish();
}

describe('chunk sums', () => {
  const data = randomBytes(3 * CHUNK_BYTES + 777);

  it('are the same however the stream is cut into pieces', () => {
    expect(sums(data, [CHUNK_BYTES])).toEqual(sums(data, [1, 4096, 65_537, 3 * CHUNK_BYTES]));
    expect(sums(data, [CHUNK_BYTES])).toHaveLength(4);
  });

  it.each([0, 1, CHUNK_BYTES - 1, CHUNK_BYTES, 2 * CHUNK_BYTES + 5, 3 * CHUNK_BYTES + 776])('name the chunk holding a byte changed at %i', (at) => {
    const bad = Buffer.from(data);
    bad[at] = (bad[at] as number) ^ 0x01;
    const chunk = Math.floor(at / CHUNK_BYTES) * CHUNK_BYTES;
    expect(firstDifference(sums(data, [8192]), sums(bad, [CHUNK_BYTES + 3]), data.length, bad.length)).toEqual({
      offset: chunk,
      length: Math.min(CHUNK_BYTES, data.length - chunk),
    });
  });

  it('name the first of several changed chunks, and nothing when the bytes are the same', () => {
    const bad = Buffer.from(data);
    bad[2 * CHUNK_BYTES + 9] = (bad[2 * CHUNK_BYTES + 9] as number) ^ 0xff;
    bad[CHUNK_BYTES + 9] = (bad[CHUNK_BYTES + 9] as number) ^ 0xff;
    expect(firstDifference(sums(data, [CHUNK_BYTES]), sums(bad, [CHUNK_BYTES]), data.length, data.length)?.offset).toBe(CHUNK_BYTES);
    expect(firstDifference(sums(data, [CHUNK_BYTES]), sums(data, [100_000]), data.length, data.length)).toBeNull();
  });

  it('a file read back shorter or longer: the difference starts where the shorter one stops being comparable', () => {
    const short = data.subarray(0, 2 * CHUNK_BYTES + 10);
    expect(firstDifference(sums(data, [CHUNK_BYTES]), sums(short, [CHUNK_BYTES]), data.length, short.length)).toEqual({
      offset: 2 * CHUNK_BYTES,
      length: data.length - 2 * CHUNK_BYTES,
    });
    const truncatedAtChunk = data.subarray(0, CHUNK_BYTES);
    expect(firstDifference(sums(data, [CHUNK_BYTES]), sums(truncatedAtChunk, [CHUNK_BYTES]), data.length, CHUNK_BYTES)).toEqual({
      offset: CHUNK_BYTES,
      length: data.length - CHUNK_BYTES,
    });
  });
});

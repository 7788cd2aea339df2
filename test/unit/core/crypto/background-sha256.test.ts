import { createHash, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import type { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { BackgroundSha256 } from '../../../../electron/core/crypto/background-sha256.js';
import { ChunkSums } from '../../../../electron/core/media/read-back/chunk-sums.js';

const hex = (...parts: Buffer[]): string => {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part);
  return hash.digest('hex');
};

describe('BackgroundSha256', () => {
  let hasher: BackgroundSha256 | null = null;
  afterEach(async () => {
    await hasher?.close();
    hasher = null;
  });

  it('hashes several streams at once, pieces of any size, the same as createHash', async () => {
    hasher = new BackgroundSha256();
    const whole = hasher.start();
    const first = hasher.start();
    const pieces = [randomBytes(10), randomBytes(3 << 20), Buffer.alloc(0), randomBytes(5 << 20), randomBytes(1)];
    for (const piece of pieces.slice(0, 3)) await hasher.update([first, whole], piece);
    const firstHex = await hasher.digest(first);
    const second = hasher.start();
    for (const piece of pieces.slice(3)) await hasher.update([second, whole], piece);
    expect(firstHex).toBe(hex(...pieces.slice(0, 3)));
    expect(await hasher.digest(second)).toBe(hex(...pieces.slice(3)));
    expect(await hasher.digest(whole)).toBe(hex(...pieces));
  });

  it('copies each piece before update() resolves: the caller may reuse its buffer at once', async () => {
    hasher = new BackgroundSha256();
    const id = hasher.start();
    const reused = Buffer.alloc(1 << 20);
    const expected = createHash('sha256');
    // More than all the slots hold, so update() has to wait for the worker along the way.
    for (let i = 0; i < 64; i += 1) {
      reused.fill(i);
      expected.update(reused);
      await hasher.update([id], reused);
    }
    expect(await hasher.digest(id)).toBe(expected.digest('hex'));
  });

  it('keeps two callers apart when their updates interleave (each waits for free slots mid-copy)', async () => {
    hasher = new BackgroundSha256();
    const a = hasher.start();
    const b = hasher.start();
    const piecesA = Array.from({ length: 20 }, () => randomBytes(3 << 20));
    const piecesB = Array.from({ length: 20 }, () => randomBytes((1 << 20) + 7));
    const feed = async (id: number, pieces: Buffer[]): Promise<string> => {
      for (const piece of pieces) await hasher?.update([id], piece);
      return (hasher as BackgroundSha256).digest(id);
    };
    const [hexA, hexB] = await Promise.all([feed(a, piecesA), feed(b, piecesB)]);
    expect(hexA).toBe(hex(...piecesA));
    expect(hexB).toBe(hex(...piecesB));
  });

  it('keeps a CRC-32 per MiB on the worker for a hash started with chunkSums, the same as ChunkSums here', async () => {
    hasher = new BackgroundSha256();
    const withSums = hasher.start({ chunkSums: true });
    const plain = hasher.start();
    // Pieces that straddle chunk and slot boundaries; the last chunk is short.
    const pieces = [randomBytes(700_000), randomBytes(5 << 20), randomBytes(3), randomBytes((2 << 20) + 12_345)];
    const local = new ChunkSums();
    for (const piece of pieces) {
      await hasher.update([withSums, plain], piece);
      local.update(piece);
    }
    const expected = local.finish();
    const result = await hasher.result(withSums);
    expect(result.sha256).toBe(hex(...pieces));
    expect(result.chunkSums).toEqual(expected);
    expect(result.chunkSums).toHaveLength(Math.ceil(pieces.reduce((n, p) => n + p.length, 0) / (1 << 20)));
    expect(await hasher.result(plain)).toEqual({ sha256: hex(...pieces), chunkSums: null });
  });

  it('rejects once the worker is gone instead of hanging', async () => {
    hasher = new BackgroundSha256();
    const id = hasher.start();
    await hasher.update([id], randomBytes(1024));
    const worker = (hasher as unknown as { worker: Worker }).worker;
    // The hasher learns of the end from the worker's 'exit' event (its listener runs before this one).
    const exited = once(worker, 'exit');
    await worker.terminate();
    await exited;
    await expect(hasher.digest(id)).rejects.toMatchObject({ code: 'INTERNAL' });
  });

  it('surfaces an error thrown in the worker module with a code, failing every waiting call', async () => {
    hasher = new BackgroundSha256();
    const id = hasher.start();
    await hasher.update([id], randomBytes(1024));
    // An id the worker never started: a bug on this side, which the worker refuses by throwing.
    await expect(hasher.digest(id + 1)).rejects.toMatchObject({ code: 'INTERNAL' });
    await expect(hasher.digest(id)).rejects.toMatchObject({ code: 'INTERNAL' });
  });
});

/**
 * SequentialWriter's contract that the export's writing pass relies on (archive-writer.ts reads
 * every chunk of a large source into one buffer): a piece shorter than COPIED_BELOW_BYTES has been
 * copied when write() resolves, so the caller may overwrite it at once, at any batch size.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, open, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COPIED_BELOW_BYTES, SequentialWriter } from '../../../../electron/core/fs/sequential-writer.js';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'airlock-seqwriter-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('SequentialWriter', () => {
  for (const batchBytes of [COPIED_BELOW_BYTES, 8 << 20]) {
    it(`copies short pieces before write() resolves: one reused buffer writes the right bytes (batch ${batchBytes >> 20} MiB)`, async () => {
      const file = join(root, `reused-${batchBytes}.bin`);
      const handle = await open(file, 'wx');
      const expected = createHash('sha256');
      try {
        const writer = new SequentialWriter(handle, batchBytes);
        const reused = Buffer.alloc(1 << 20);
        // Headers, whole chunks and short tails, as the archive's writing pass produces them.
        const sizes = [512, 1 << 20, 1 << 20, 700_001, 512, COPIED_BELOW_BYTES - 1, 3, 1 << 20];
        for (const [i, size] of sizes.entries()) {
          const piece = size <= reused.length ? reused.subarray(0, size) : Buffer.alloc(size);
          randomBytes(size).copy(piece);
          expected.update(piece);
          await writer.write(piece);
          // Overwritten at once, as the next read into the same buffer would.
          piece.fill(i + 1);
        }
        await writer.finish();
        expect(writer.bytesWritten).toBe(sizes.reduce((n, s) => n + s, 0));
      } finally {
        await handle.close();
      }
      expect(
        createHash('sha256')
          .update(await readFile(file))
          .digest('hex'),
      ).toBe(expected.digest('hex'));
    });
  }

  it('refuses a batch too small to hold a piece it must copy', async () => {
    const handle = await open(join(root, 'small-batch.bin'), 'wx');
    try {
      expect(() => new SequentialWriter(handle, COPIED_BELOW_BYTES - 1)).toThrow(RangeError);
    } finally {
      await handle.close();
    }
  });
});

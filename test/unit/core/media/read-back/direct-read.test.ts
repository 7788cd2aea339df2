import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIRECT_READ_BYTES, DirectReader, readDirect } from '../../../../../electron/core/media/read-back/direct-read.js';

const linux = process.platform === 'linux';

describe.skipIf(!linux)('DirectReader (O_DIRECT in process)', () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'airlock-direct-read-'));
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('reads a file of several reads and a short tail exactly, as views or as copies', async () => {
    const bytes = randomBytes(2 * DIRECT_READ_BYTES + 12_345);
    const file = join(root, 'three-reads.bin');
    await writeFile(file, bytes);
    for (const copy of [false, true]) {
      const reader = DirectReader.open(file);
      expect(reader, 'this file system (ext4 here) takes O_DIRECT').not.toBeNull();
      const hash = createHash('sha256');
      const sizes: number[] = [];
      const kept: Buffer[] = [];
      try {
        for await (const chunk of readDirect(reader as DirectReader, { copy })) {
          hash.update(chunk);
          sizes.push(chunk.length);
          if (copy) kept.push(chunk);
        }
      } finally {
        reader?.close();
      }
      expect(sizes).toEqual([DIRECT_READ_BYTES, DIRECT_READ_BYTES, 12_345]);
      expect(hash.digest('hex')).toBe(createHash('sha256').update(bytes).digest('hex'));
      // Copies stay valid after the reads that followed them.
      if (copy) expect(Buffer.concat(kept).equals(bytes)).toBe(true);
    }
  });

  it('reads nothing from an empty file and a file of exactly one read', async () => {
    const empty = join(root, 'empty.bin');
    await writeFile(empty, '');
    const one = join(root, 'one.bin');
    const bytes = randomBytes(DIRECT_READ_BYTES);
    await writeFile(one, bytes);
    const collect = async (path: string): Promise<Buffer[]> => {
      const reader = DirectReader.open(path) as DirectReader;
      const chunks: Buffer[] = [];
      try {
        for await (const chunk of readDirect(reader, { copy: true })) chunks.push(chunk);
      } finally {
        reader.close();
      }
      return chunks;
    };
    expect(await collect(empty)).toEqual([]);
    const chunks = await collect(one);
    expect(chunks.length).toBe(1);
    expect(chunks[0]?.equals(bytes)).toBe(true);
  });

  it('stops at cancel', async () => {
    const file = join(root, 'cancel.bin');
    await writeFile(file, randomBytes(2 * DIRECT_READ_BYTES));
    const reader = DirectReader.open(file) as DirectReader;
    const controller = new AbortController();
    const read = async (): Promise<void> => {
      for await (const _chunk of readDirect(reader, { signal: controller.signal })) controller.abort();
    };
    await expect(read()).rejects.toMatchObject({ code: 'CANCELLED' });
    reader.close();
  });
});

/** FAT free space counted from the table (fusefat's statfs says zero), and the dd-based uncached reads. */
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, open, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BackgroundSha256 } from '../../../../../electron/core/crypto/background-sha256.js';
import { countFreeClusters, fatSpace, parseFatBootSector } from '../../../../../electron/core/media/os/fat-space.js';
import { hashUncached, openUncached, planUncachedRead, type ReadPlan } from '../../../../../electron/core/media/read-back/uncached-read.js';

const haveMkfsVfat = spawnSync('sh', ['-c', 'command -v mkfs.vfat'], { stdio: 'ignore' }).status === 0;
let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'airlock-fat-space-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe.skipIf(!haveMkfsVfat && !process.env['CI'])('FAT free space from the allocation table', () => {
  it('counts every cluster of a fresh FAT32 volume but the root directory as free, and FAT16 too', async () => {
    const image = join(root, 'fat32.img');
    await writeFile(image, '');
    await truncate(image, 40 * 1024 * 1024);
    execFileSync('mkfs.vfat', ['-F', '32', '-s', '1', '-n', 'SPACE', image], { stdio: 'ignore' });
    const space = await fatSpace(image);
    expect(space).toMatchObject({ type: 'FAT32', clusterBytes: 512 });
    expect(space?.free).toBe((space?.size ?? 0) - 512);
    const fat16 = join(root, 'fat16.img');
    await writeFile(fat16, '');
    await truncate(fat16, 40 * 1024 * 1024);
    execFileSync('mkfs.vfat', ['-F', '16', '-n', 'SMALL', fat16], { stdio: 'ignore' });
    expect(await fatSpace(fat16)).toMatchObject({ type: 'FAT16' });
  });

  it('refuses what is not FAT16/32 and counts allocated entries as used', async () => {
    expect(parseFatBootSector(Buffer.alloc(512))).toBeNull();
    expect(await fatSpace(join(root, 'missing.img'))).toBeNull();
    const geometry = { type: 'FAT32' as const, bytesPerSector: 512, clusterBytes: 512, clusters: 4, fatOffset: 0, fatBytes: 24 };
    const fat = Buffer.alloc(24);
    fat.writeUInt32LE(0x0fffffff, 8); // cluster 2: end of chain
    fat.writeUInt32LE(0xf0000000, 12); // cluster 3: only the reserved top bits set, free
    expect(countFreeClusters(fat, geometry)).toBe(3);
  });
});

describe.skipIf(process.platform !== 'linux')('uncached reads through dd', () => {
  it('hash the file exactly, by O_DIRECT where the file system allows it and by fadvise DONTNEED otherwise', async () => {
    // Three 32 MiB read segments, the last a few bytes (dd's O_DIRECT reads go by segment, two at a time).
    const file = join(root, 'odd-size.bin');
    const block = randomBytes(1024 * 1024);
    const bytes = Buffer.concat([
      ...Array.from({ length: 65 }, (_, i) => Buffer.concat([Buffer.from(String(i).padStart(8, '0')), block.subarray(8)])),
      randomBytes(123),
    ]);
    await writeFile(file, bytes);
    const expected = createHash('sha256').update(bytes).digest('hex');
    const plan = await planUncachedRead(file);
    expect(['o-direct', 'fadvise-dontneed']).toContain(plan.method);
    expect(await hashUncached(file, plan)).toEqual({ sha256: expected, size: bytes.length });
    const fadvise: ReadPlan = { method: 'fadvise-dontneed', bypassesCache: true, detail: '', device: null };
    expect(await hashUncached(file, fadvise)).toEqual({ sha256: expected, size: bytes.length });
  });

  it('hash the same on the other core (the export hands in its BackgroundSha256), also after a read that failed', async () => {
    const file = join(root, 'background.bin');
    const bytes = randomBytes((20 << 20) + 4_321);
    await writeFile(file, bytes);
    const expected = createHash('sha256').update(bytes).digest('hex');
    const hasher = new BackgroundSha256();
    try {
      const plan = await planUncachedRead(file);
      const seen = createHash('sha256');
      expect(await hashUncached(file, plan, { hasher, onData: (chunk) => seen.update(chunk) })).toEqual({ sha256: expected, size: bytes.length });
      // onData still sees every byte here (the read-back's CRC-32 per chunk is kept on this thread).
      expect(seen.digest('hex')).toBe(expected);
      const gone: ReadPlan = { method: 'o-direct', bypassesCache: true, detail: '', device: null };
      await expect(hashUncached(join(root, 'gone-too.bin'), gone, { hasher })).rejects.toMatchObject({ code: 'IO_ERROR' });
      const fadvise: ReadPlan = { method: 'fadvise-dontneed', bypassesCache: true, detail: '', device: null };
      expect(await hashUncached(file, fadvise, { hasher })).toEqual({ sha256: expected, size: bytes.length });
    } finally {
      await hasher.close();
    }
  });

  it('fail, never succeed, when the file cannot be read', async () => {
    const plan: ReadPlan = { method: 'o-direct', bypassesCache: true, detail: '', device: null };
    await expect(hashUncached(join(root, 'gone.bin'), plan)).rejects.toMatchObject({ code: 'IO_ERROR' });
    const handle = await open(join(root, 'empty.bin'), 'w');
    await handle.close();
    const chunks: Buffer[] = [];
    for await (const chunk of openUncached(join(root, 'empty.bin'), plan)) chunks.push(chunk as Buffer);
    expect(Buffer.concat(chunks).length).toBe(0);
  });
});

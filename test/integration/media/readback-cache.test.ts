/**
 * Read-back must not be served from the page cache (SECURITY-NOTES, "Media and files"): export
 * to a loop-backed medium, then change one byte of the bundle in the backing image behind the
 * warm cache. A plain read still shows the good bytes; Airlock's read-back and `media verify`
 * read the medium and report CHECKSUM_MISMATCH with the file.
 */
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, open, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashUncached, planUncachedRead } from '../../../electron/core/media/read-back/uncached-read.js';
import { LoopMedia, mediaTestPrerequisites, type LoopMedium } from '../../helpers/loop-media.js';
import { airlock, json, mediaStation } from '../../helpers/media-cli.js';

const missing = mediaTestPrerequisites({ fat: true });

/** Flip one byte of `marker`'s first copy in the image file, writing through the image (not the mounted file system). */
async function corruptBehindCache(image: string, marker: Buffer, at = 40): Promise<number> {
  const bytes = await readFile(image);
  const offset = bytes.indexOf(marker);
  if (offset < 0) throw new Error(`marker not found in ${image}`);
  expect(bytes.indexOf(marker, offset + 1)).toBe(-1);
  const handle = await open(image, 'r+');
  try {
    const one = Buffer.alloc(1);
    await handle.read(one, 0, 1, offset + at);
    one[0] = (one[0] as number) ^ 0xff;
    await handle.write(one, 0, 1, offset + at);
    await handle.sync();
  } finally {
    await handle.close();
  }
  return offset;
}

const sha = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

describe.skipIf(missing !== null && !process.env['CI'])(`read-back past the page cache${missing ? ` (skipped: ${missing})` : ''}`, () => {
  let root: string;
  let media: LoopMedia;
  let ext4: LoopMedium;
  let fat: LoopMedium;
  let home: string;
  let pass: string;
  let src: string;
  let marker: Buffer;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'airlock-readback-'));
    media = new LoopMedia(root);
    ext4 = await media.ext4('stick-ext4', 16, 'CACHEEXT');
    fat = await media.fat32('stick-fat', 40, 'CACHEFAT');
    ({ home, pass } = await mediaStation(root, [ext4.mountPoint, fat.mountPoint]));
    src = join(root, 'outgoing');
    await mkdir(src);
    marker = Buffer.from(`AIRLOCK-CACHE-MARKER-${randomBytes(16).toString('hex')}`);
    await writeFile(join(src, 'report.bin'), Buffer.concat([marker, randomBytes(300_000)]));
  });

  afterAll(async () => {
    media?.cleanup();
    if (root) await rm(root, { recursive: true, force: true });
  });

  it('ext4 (O_DIRECT): export reads back past the cache; a byte changed behind the warm cache is found by media verify', async () => {
    const exported = await airlock(home, ['export', '--to-media', 'CACHEEXT', '--name', 'cache-ext4', '--passphrase-file', pass, '--json', src]);
    expect(exported.code, exported.stderr).toBe(0);
    const result = json<{
      bundle: {
        bundlePath: string;
        media: { volumes: Array<{ readBack: { ok: boolean; method: string; bypassesCache: boolean } }> };
        receipt: { json: string };
      };
    }>(exported);
    const bundle = result.bundle.bundlePath;
    expect(bundle).toBe(join(ext4.mountPoint, 'cache-ext4.airlock.tar'));
    expect(result.bundle.media.volumes[0]?.readBack).toMatchObject({ ok: true, method: 'o-direct', bypassesCache: true });
    const receipt = JSON.parse(await readFile(result.bundle.receipt.json, 'utf8')) as {
      media: { label: string };
      checks: Array<{ check: string; result: string; detail?: string }>;
    };
    expect(receipt.media.label).toBe('CACHEEXT');
    expect(receipt.checks.find((c) => c.check.startsWith('Read back'))).toMatchObject({ result: 'passed', detail: expect.stringContaining('o-direct') });

    const good = await readFile(bundle); // warms the cache with the good bytes
    await corruptBehindCache(ext4.image, marker);
    expect(sha(await readFile(bundle)), 'a plain read is still served from the page cache').toBe(sha(good));

    const plan = await planUncachedRead(bundle);
    expect(plan.method).toBe('o-direct');
    expect((await hashUncached(bundle, plan)).sha256, "Airlock's read-back sees the medium").not.toBe(sha(good));

    const verified = await airlock(home, ['media', 'verify', 'CACHEEXT', '--json']);
    expect(verified.code).toBe(1);
    const report = json<{ ok: boolean; readBack: { method: string }; problems: Array<{ code: string; path: string }> }>(verified);
    expect(report.readBack.method).toBe('o-direct');
    expect(report.problems).toEqual([expect.objectContaining({ code: 'CHECKSUM_MISMATCH', path: `${bundle}:data/outgoing/report.bin` })]);
    expect(sha(await readFile(bundle)), 'still cached: only the uncached read saw it').toBe(sha(good));

    const human = await airlock(home, ['media', 'verify', ext4.mountPoint]);
    expect(human.stdout).toMatch(/REJECTED/);
    expect(human.stdout).toContain(`CHECKSUM_MISMATCH  ${bundle}:data/outgoing/report.bin`);
  });

  it('FAT32 on fusefat: O_DIRECT alone reads the device cache, so its buffers are dropped first (flushbufs+o-direct)', async () => {
    const exported = await airlock(home, ['export', '--to-media', fat.mountPoint, '--name', 'cache-fat', '--passphrase-file', pass, '--json', src]);
    expect(exported.code, exported.stderr).toBe(0);
    const result = json<{ bundle: { bundlePath: string; media: { volumes: Array<{ readBack: { method: string; bypassesCache: boolean } }> } } }>(exported);
    expect(result.bundle.media.volumes[0]?.readBack).toMatchObject({ method: 'flushbufs+o-direct', bypassesCache: true });
    const bundle = result.bundle.bundlePath;
    const good = await readFile(bundle);
    await corruptBehindCache(fat.image, marker);
    // What O_DIRECT alone returns on fusefat: the daemon answers from the block device's cache.
    const directOnly = execFileSync('dd', [`if=${bundle}`, 'iflag=direct', 'bs=4M', 'status=none'], { maxBuffer: 1 << 26 });
    expect(sha(directOnly), 'dd iflag=direct on fusefat is still served from a cache').toBe(sha(good));
    const report = json<{ problems: Array<{ code: string; path: string }>; readBack: { method: string } }>(
      await airlock(home, ['media', 'verify', 'CACHEFAT', '--json']),
    );
    expect(report.readBack.method).toBe('flushbufs+o-direct');
    expect(report.problems).toEqual([expect.objectContaining({ code: 'CHECKSUM_MISMATCH', path: `${bundle}:data/outgoing/report.bin` })]);
  });

  it('records media-write and media-readback events with the label', async () => {
    const events = json<{ events: Array<{ type: string; outcome: string; details: { label?: string | null } }> }>(
      await airlock(home, ['audit', 'list', '--json', '--limit', '50']),
    );
    const media = events.events.filter((e) => e.type.startsWith('media-'));
    expect(media.filter((e) => e.type === 'media-write').map((e) => [e.outcome, e.details.label])).toEqual(
      expect.arrayContaining([
        ['ok', 'CACHEEXT'],
        ['ok', 'CACHEFAT'],
      ]),
    );
    expect(media.filter((e) => e.type === 'media-readback').map((e) => e.outcome)).toEqual(expect.arrayContaining(['ok', 'rejected']));
  });
});

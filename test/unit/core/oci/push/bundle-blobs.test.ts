/**
 * A push-only import leaves blobs over 4 MiB in the bundle file (bundle-blobs.ts): nothing of
 * them is written to the spool, only a blob whose bytes matched the signed manifest is located,
 * a second entry for one blob is refused like the staging folder refuses it, and the layout reads
 * a located blob from exactly its bytes in the bundle (never a byte of what follows it).
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BundleBlobSink, LEAVE_IN_BUNDLE_MIN_BYTES } from '../../../../../electron/core/oci/push/bundle-blobs.js';
import { PushOnImport } from '../../../../../electron/core/oci/push/push-on-import.js';
import { StagedLayout } from '../../../../../electron/core/oci/push/staged-layout.js';
import type { RegistryClientApi } from '../../../../../electron/core/oci/registry/registry-api.js';
import type { StationDb } from '../../../../../electron/core/db/station-db.js';
import type { PayloadFileWriter, PayloadSink } from '../../../../../electron/core/verify/check-bundle.js';
import { useTempDirs } from '../../../../helpers/temp-dirs.js';

const makeTemp = useTempDirs();

/** Records what reaches the staging folder. */
class RecordingSink implements PayloadSink {
  readonly opened: string[] = [];
  async openFile(path: string): Promise<PayloadFileWriter> {
    this.opened.push(path);
    return Promise.resolve({ write: () => Promise.resolve(), close: () => Promise.resolve() });
  }
}

const hex = (seed: string): string => createHash('sha256').update(seed).digest('hex');
const big = LEAVE_IN_BUNDLE_MIN_BYTES + 1;

describe('BundleBlobSink', () => {
  it('stages manifests, small blobs and other files; leaves large verified blobs in the bundle, located', async () => {
    const staging = new RecordingSink();
    const sink = new BundleBlobSink(staging, '/bundles/b.airlock.tar');
    for (const [path, size] of [
      ['oci/index.json', 100],
      ['oci/airlock-images.json', 100],
      [`oci/blobs/sha256/${hex('small')}`, LEAVE_IN_BUNDLE_MIN_BYTES],
      ['notes/big.bin', big],
      [`oci/blobs/sha256/${hex('big').toUpperCase()}`, big],
    ] as const) {
      const writer = await sink.openFile(path, size, 4096);
      await writer.close(true);
    }
    const writer = await sink.openFile(`oci/blobs/sha256/${hex('big')}`, big, 8192);
    await writer.write(Buffer.alloc(10));
    await writer.close(true);
    expect(staging.opened).toEqual([
      'oci/index.json',
      'oci/airlock-images.json',
      `oci/blobs/sha256/${hex('small')}`,
      'notes/big.bin',
      `oci/blobs/sha256/${hex('big').toUpperCase()}`,
    ]);
    expect(sink.locate(`sha256:${hex('big')}`)).toEqual({ offset: 8192, size: big });
    expect(sink.locate(`sha256:${hex('small')}`)).toBeUndefined();
  });

  it('a blob that failed its checksum is never located; a second entry for one blob is EEXIST', async () => {
    const sink = new BundleBlobSink(new RecordingSink(), '/bundles/b.airlock.tar');
    const path = `oci/blobs/sha256/${hex('bad')}`;
    await (await sink.openFile(path, big, 512)).close(false);
    expect(sink.locate(`sha256:${hex('bad')}`)).toBeUndefined();
    await expect(sink.openFile(path, big, 9999)).rejects.toMatchObject({ code: 'EEXIST' });
  });

  it('without an archive offset (a source that cannot say) the blob is staged as before', async () => {
    const staging = new RecordingSink();
    const sink = new BundleBlobSink(staging, '/bundles/b.airlock.tar');
    await (await sink.openFile(`oci/blobs/sha256/${hex('x')}`, big)).close(true);
    expect(staging.opened).toHaveLength(1);
    expect(sink.locate(`sha256:${hex('x')}`)).toBeUndefined();
  });
});

describe('StagedLayout reading blobs left in the bundle', () => {
  it('reads exactly the blob bytes at its offset, by stream and by reader, and nothing after them', async () => {
    const dir = await makeTemp('airlock-bundle-blobs-');
    const blob = Buffer.alloc(big, 7);
    blob.write('start', 0);
    blob.write('end!', big - 4);
    const bundlePath = join(dir, 'b.airlock.tar');
    await writeFile(bundlePath, Buffer.concat([Buffer.alloc(1536, 1), blob, Buffer.alloc(5000, 9)]));
    const digest = `sha256:${createHash('sha256').update(blob).digest('hex')}`;
    const layout = new StagedLayout(join(dir, 'oci'), { bundlePath, locate: (d) => (d === digest ? { offset: 1536, size: big } : undefined) });
    expect(await layout.hasBlob(digest)).toBe(true);
    expect(await layout.hasBlob(`sha256:${hex('other')}`)).toBe(false);

    const streamed: Buffer[] = [];
    for await (const chunk of layout.open(digest, 0) as AsyncIterable<Buffer>) streamed.push(chunk);
    expect(Buffer.concat(streamed).equals(blob)).toBe(true);
    const tail: Buffer[] = [];
    for await (const chunk of layout.open(digest, big - 4) as AsyncIterable<Buffer>) tail.push(chunk);
    expect(Buffer.concat(tail).toString()).toBe('end!');

    const reader = await layout.reader(digest);
    try {
      const buffer = Buffer.alloc(64);
      expect(await reader.read(buffer, 0)).toBe(64);
      expect(buffer.subarray(0, 5).toString()).toBe('start');
      // Asked for more than is left: only the blob's own last bytes, then 0 (its end), never the 9s after it.
      expect(await reader.read(buffer, big - 4)).toBe(4);
      expect(buffer.subarray(0, 4).toString()).toBe('end!');
      expect(await reader.read(buffer, big)).toBe(0);
    } finally {
      await reader.close();
    }
    // Never pushed as a manifest: bigger than any manifest Airlock pushes.
    await expect(layout.manifestBytes(digest)).rejects.toMatchObject({ code: 'INTERNAL' });
    expect(await readdir(dir)).toEqual(['b.airlock.tar']);
  });
});

describe('PushOnImport.leaveBlobsIn', () => {
  it('leaves blobs in a regular bundle file, never in a pipe named as the bundle (it cannot be read again by offset)', async () => {
    const dir = await makeTemp('airlock-bundle-kind-');
    const file = join(dir, 'b.airlock.tar');
    await writeFile(file, 'x');
    const fifo = join(dir, 'piped.airlock.tar');
    execFileSync('mkfifo', [fifo]);
    const push = new PushOnImport({
      endpoint: { host: '127.0.0.1:5000', prefix: '', insecure: true },
      client: {} as RegistryClientApi,
      db: {} as StationDb,
      destGiven: false,
    });
    const staging = new RecordingSink();
    const sink = (await push.leaveBlobsIn(file))?.(staging);
    expect(sink).toBeInstanceOf(BundleBlobSink);
    expect(await push.leaveBlobsIn(fifo)).toBeUndefined();
    expect(await push.leaveBlobsIn(join(dir, 'missing.airlock.tar'))).toBeUndefined();
  });
});

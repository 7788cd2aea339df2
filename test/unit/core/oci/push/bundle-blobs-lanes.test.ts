/**
 * A push-only import's payload sink (electron/core/oci/push/bundle-blobs.ts) on verify's parallel
 * pass: blobs over 4 MiB are hashed on the lanes and left in the bundle (located, never written);
 * what the sink does write (smaller blobs, a large file that is not a blob) gets the real bytes,
 * read from the bundle and hashed as they pass; the report equals the sequential pass's; a tampered
 * large blob fails its checksum and is never located (so never pushed).
 */
import { randomBytes } from 'node:crypto';
import { open, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { BundleBlobSink, LEAVE_IN_BUNDLE_MIN_BYTES } from '../../../../../electron/core/oci/push/bundle-blobs.js';
import { checkBundle, type PayloadLanes, type PayloadSink } from '../../../../../electron/core/verify/check-bundle.js';
import { ParallelPayload } from '../../../../../electron/core/verify/parallel/parallel-payload.js';
import { buildImageBundle, type ImageBundle } from '../../../../helpers/image-bundle.js';
import { makeSigner, type TestSigner } from '../../../../helpers/hostile-tar.js';
import type { TestLayoutSpec } from '../../../../helpers/oci-test-image.js';
import { useTempDirs } from '../../../../helpers/temp-dirs.js';
import { reportOf } from '../../../../helpers/verify-both-ways.js';

const makeTemp = useTempDirs();
const MiB = 1024 * 1024;
/** Every file a candidate for the lanes, whatever the bundle's size: the sink's own threshold must decide. */
const LANES: PayloadLanes = { minBundleBytes: 0, claimMinBytes: 1, scoutReadBytes: 512 };
const SPEC: TestLayoutSpec = {
  compression: 'none',
  images: [
    {
      refName: 'big-1.0',
      layers: [
        { seed: 21, size: 6 * MiB },
        { seed: 22, size: 2 * MiB },
      ],
    },
  ],
};

let signer: TestSigner;
const plainFile = randomBytes(5 * MiB);

beforeAll(async () => {
  signer = await makeSigner('Lanes Sender');
});
afterEach(() => {
  vi.restoreAllMocks();
});

/** The staging side of the sink, in memory: what was written and whether it closed verified. */
class RecordingSink implements PayloadSink {
  readonly files = new Map<string, { bytes: Buffer; verified: boolean | null }>();
  openFile(payloadPath: string): Promise<{ write(chunk: Buffer): Promise<void>; close(verified: boolean): Promise<void> }> {
    const chunks: Buffer[] = [];
    const record = { bytes: Buffer.alloc(0), verified: null as boolean | null };
    this.files.set(payloadPath, record);
    return Promise.resolve({
      write: (chunk: Buffer) => {
        chunks.push(Buffer.from(chunk));
        return Promise.resolve();
      },
      close: (verified: boolean) => {
        record.bytes = Buffer.concat(chunks);
        record.verified = verified;
        return Promise.resolve();
      },
    });
  }
}

async function bundle(tamperLarge: boolean): Promise<ImageBundle> {
  const dir = await makeTemp('airlock-blob-lanes-');
  const files = [{ path: 'data/notes/big.bin', content: plainFile }];
  const clean = await buildImageBundle(join(dir, 'clean'), SPEC, signer, { files });
  if (!tamperLarge) return clean;
  const large = largestBlob(clean);
  const content = await readFile(join(clean.layout.dir, 'blobs', 'sha256', large.slice(7)));
  content[content.length >> 1] = (content[content.length >> 1] ?? 0) ^ 0xff;
  return buildImageBundle(join(dir, 'bad'), SPEC, signer, { files, tamper: { path: `data/oci/blobs/sha256/${large.slice(7)}`, content } });
}

function largestBlob(built: ImageBundle): string {
  return [...built.layout.blobs].sort((a, b) => b[1] - a[1])[0]?.[0] ?? '';
}

/** One clock for both passes: the report quotes it. */
const now = new Date(Date.now() + 60_000);

async function run(built: ImageBundle, lanes: PayloadLanes) {
  const staging = new RecordingSink();
  const sink = new BundleBlobSink(staging, built.path);
  const result = await checkBundle({ bundlePath: built.path, trusted: [signer.trusted], payloadSink: sink, payloadLanes: lanes, now });
  return { result, staging, sink };
}

async function bytesAt(path: string, offset: number, size: number): Promise<Buffer> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(size);
    await handle.read(buffer, 0, size, offset);
    return buffer;
  } finally {
    await handle.close();
  }
}

describe('a push-only import of a bundle file, on both cores', () => {
  it('hashes the large blobs on the lanes and locates them; everything it stages holds the real bytes; same report as the sequential pass', async () => {
    const built = await bundle(false);
    const sequential = await run(built, 'off');
    const digest = vi.spyOn(ParallelPayload.prototype, 'digest');
    const read = vi.spyOn(ParallelPayload.prototype, 'read');
    const parallel = await run(built, LANES);
    expect(parallel.result.ok, JSON.stringify(parallel.result.problems)).toBe(true);
    expect(reportOf(parallel.result)).toEqual(reportOf(sequential.result));

    const large = [...built.layout.blobs].filter(([, size]) => size > LEAVE_IN_BUNDLE_MIN_BYTES);
    expect(large.length).toBe(1);
    // The large blob: its digest came from the lanes, nothing of it was staged, and it is located at its bytes in the bundle.
    expect(digest).toHaveBeenCalledTimes(1);
    for (const [name, size] of large) {
      expect(parallel.staging.files.has(`oci/blobs/sha256/${name.slice(7)}`)).toBe(false);
      const at = parallel.sink.locate(name);
      expect(at?.size).toBe(size);
      const wanted = await readFile(join(built.layout.dir, 'blobs', 'sha256', name.slice(7)));
      expect((await bytesAt(built.path, at?.offset ?? 0, size)).equals(wanted)).toBe(true);
    }
    // The 5 MiB plain file was claimed too (above the sink's threshold), but its writer takes bytes: read again for it, not zeros.
    expect(read).toHaveBeenCalledTimes(1);
    const staged = parallel.staging.files.get('notes/big.bin');
    expect(staged?.verified).toBe(true);
    expect(staged?.bytes.equals(plainFile)).toBe(true);
    // Every smaller blob is staged with exactly its bytes, as the sequential pass staged it.
    for (const [name, size] of built.layout.blobs) {
      if (size > LEAVE_IN_BUNDLE_MIN_BYTES) continue;
      const file = parallel.staging.files.get(`oci/blobs/sha256/${name.slice(7)}`);
      expect(file?.verified).toBe(true);
      expect(file?.bytes.equals(await readFile(join(built.layout.dir, 'blobs', 'sha256', name.slice(7))))).toBe(true);
      expect(file?.bytes.equals(sequential.staging.files.get(`oci/blobs/sha256/${name.slice(7)}`)?.bytes ?? Buffer.alloc(0))).toBe(true);
    }
  });

  it('a tampered large blob fails its checksum on the lanes and is never located (so never pushed)', async () => {
    const built = await bundle(true);
    const digest = vi.spyOn(ParallelPayload.prototype, 'digest');
    const sequential = await run(built, 'off');
    const parallel = await run(built, LANES);
    expect(digest).toHaveBeenCalled();
    expect(parallel.result.ok).toBe(false);
    expect(parallel.result.problems.map((p) => p.code)).toContain('CHECKSUM_MISMATCH');
    expect(reportOf(parallel.result)).toEqual(reportOf(sequential.result));
    expect(parallel.sink.locate(largestBlob(built))).toBeUndefined();
  });

  it('a sink that writes every byte keeps the sequential pass', async () => {
    const built = await bundle(false);
    const opened = vi.spyOn(ParallelPayload, 'open');
    const staging = new RecordingSink();
    const result = await checkBundle({ bundlePath: built.path, trusted: [signer.trusted], payloadSink: staging, payloadLanes: LANES, now });
    expect(result.ok).toBe(true);
    expect(await opened.mock.results[0]?.value).toBeNull();
    expect(staging.files.get('notes/big.bin')?.bytes.equals(plainFile)).toBe(true);
  });
});

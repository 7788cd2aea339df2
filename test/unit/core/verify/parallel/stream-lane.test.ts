/**
 * Verify's stream lane (electron/core/verify/parallel/stream-lane.ts, stream-hasher.ts): a worker
 * reads the archive from the hand-over on and hashes the entries in each chunk; the walk parses
 * those very chunks. Checked here: the chunks are the file; a digest is of the bytes the walk read
 * as that entry's data, for entries straddling chunks and when the file changes while it is read;
 * an entry cut short in a chunk gets no digest and the truncation is reported as by the sequential
 * pass; a cancel in the middle ends it; the default settings engage it for a bundle of small files while a core is free.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, open, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { BlockEntry } from '../../../../../electron/core/bundle/guard-entries.js';
import { TarGuard } from '../../../../../electron/core/bundle/tar-guard.js';
import { readTarEntries } from '../../../../../electron/core/bundle/tar-entries.js';
import { checkBundle } from '../../../../../electron/core/verify/check-bundle.js';
import { StreamHasher } from '../../../../../electron/core/verify/parallel/stream-hasher.js';
import { StreamLane } from '../../../../../electron/core/verify/parallel/stream-lane.js';
import { makeSigner, signedBag, tarOf, type TestSigner } from '../../../../helpers/hostile-tar.js';
import { reportOf, STREAM_LANE_SMALL_CHUNKS, verifyBothWays } from '../../../../helpers/verify-both-ways.js';

// The default engages the stream lane only while a core is free (cpu-headroom.ts), else (no PSI) with more than two cores: both are this test's.
const cores = vi.hoisted(() => ({ n: 4, free: null as boolean | null }));
vi.mock('node:os', async (importOriginal) => ({ ...(await importOriginal<typeof import('node:os')>()), availableParallelism: () => cores.n }));
vi.mock('../../../../../electron/core/verify/parallel/cpu-headroom.js', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../../../../../electron/core/verify/parallel/cpu-headroom.js')>()),
  coreFreeNow: () => cores.free,
}));

let dir: string;
let signer: TestSigner;
let n = 0;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'airlock-stream-lane-'));
  signer = await makeSigner();
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});
afterEach(() => {
  vi.restoreAllMocks();
});

const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

async function bundleOf(sizes: number[]): Promise<string> {
  const bag = await signedBag(
    signer,
    sizes.map((size, i) => ({ path: `data/d${i % 7}/f${i}.bin`, content: randomBytes(size) })),
  );
  n += 1;
  const path = join(dir, `b${n}.airlock.tar`);
  await writeFile(path, tarOf([...bag.tagEntries, ...bag.payloadEntries]));
  return path;
}

/** Each regular file's data range, by the guard's own reading of the whole archive. */
function dataRanges(archive: Buffer): Array<{ path: string; start: number; size: number }> {
  const guard = new TarGuard();
  guard.write(archive);
  return guard.entries.filter((e) => e.kind === 'file').map((e) => ({ path: e.path, start: e.dataOffset, size: e.size }));
}

// Sizes around the block and chunk edges: data that straddles one or several 1536-byte chunks, and empty files.
const SIZES = [1, 511, 512, 513, 999, 1000, 1001, 0, 2048, 3000, 4096, 4097, 0, 7, 12_345, 4096, 4096, 4096];

describe('the worker side (stream-hasher.ts)', () => {
  it.each([700, 1000, 4096, 1 << 18])('hands back the file itself in chunks of %i bytes, with a digest of each announced entry’s bytes', async (chunkBytes) => {
    const path = await bundleOf(SIZES);
    const archive = await readFile(path);
    const ranges = dataRanges(archive);
    // Hand over inside the first payload entry's header, so the guard is brought there from a partial block.
    const from = (ranges.find((r) => r.path.includes('/data/'))?.start ?? 0) - 300;
    const handle = await open(path, 'r');
    try {
      const hasher = new StreamHasher(handle.fd, from, chunkBytes);
      const pieces: Buffer[] = [];
      const announced = new Map<number, number>();
      const digests = new Map<number, string>();
      for (;;) {
        const chunk = hasher.next();
        expect(chunk.offset).toBe(from + pieces.reduce((sum, piece) => sum + piece.length, 0));
        if (chunk.length === 0) break;
        pieces.push(Buffer.from(chunk.bytes, 0, chunk.length));
        for (let i = 0; i < chunk.announced.length; i += 2) announced.set(chunk.announced[i] as number, chunk.announced[i + 1] as number);
        chunk.finished.forEach((offset, i) => digests.set(offset, Buffer.from(chunk.digests.subarray(i * 32, (i + 1) * 32)).toString('hex')));
      }
      expect(Buffer.concat(pieces).equals(archive.subarray(from))).toBe(true);
      // Every non-empty file whose header ends after the hand-over (the walk cannot have parsed it yet) is announced and hashed; nothing else.
      const expected = ranges.filter((r) => r.start > from && r.size > 0);
      expect([...announced]).toEqual(expected.map((r) => [r.start, r.size]));
      expect([...digests]).toEqual(expected.map((r) => [r.start, sha256(archive.subarray(r.start, r.start + r.size))]));
    } finally {
      await handle.close();
    }
  });

  it('hashes the chunks it hands back, not the file as it is when the entry ends', async () => {
    const path = await bundleOf([40_000, 3000]);
    const archive = await readFile(path);
    const big = dataRanges(archive).find((r) => r.size === 40_000);
    if (!big) throw new Error('no file');
    const handle = await open(path, 'r');
    const writer = await open(path, 'r+');
    try {
      const hasher = new StreamHasher(handle.fd, 0, 1000);
      const pieces: Buffer[] = [];
      let digest: string | null = null;
      for (let chunk = hasher.next(); chunk.length > 0; chunk = hasher.next()) {
        pieces.push(Buffer.from(chunk.bytes, 0, chunk.length));
        const at = Array.from(chunk.finished).indexOf(big.start);
        if (at >= 0) digest = Buffer.from(chunk.digests.subarray(at * 32, at * 32 + 32)).toString('hex');
        // While the big file is read, what of its data was read already changes in the file after every chunk.
        const next = Math.min(chunk.offset + chunk.length, big.start + big.size);
        if (next > big.start && digest === null) await writer.write(randomBytes(next - big.start), 0, next - big.start, big.start);
      }
      const delivered = Buffer.concat(pieces);
      expect(digest).toBe(sha256(delivered.subarray(big.start, big.start + big.size)));
      expect(digest).not.toBe(sha256((await readFile(path)).subarray(big.start, big.start + big.size)));
    } finally {
      await writer.close();
      await handle.close();
    }
  });

  it('gives no digest for an entry the file cuts short', async () => {
    const path = await bundleOf([3000, 3000, 3000]);
    const archive = await readFile(path);
    const last = dataRanges(archive).at(-1);
    if (!last) throw new Error('no file');
    await truncate(path, last.start + 1500);
    const handle = await open(path, 'r');
    try {
      const hasher = new StreamHasher(handle.fd, 0, 1000);
      const finished: number[] = [];
      for (let chunk = hasher.next(); chunk.length > 0; chunk = hasher.next()) finished.push(...chunk.finished);
      expect(finished).not.toContain(last.start);
      expect(finished.length).toBeGreaterThan(0);
    } finally {
      await handle.close();
    }
  });
});

describe('the walk over the stream lane', () => {
  // With the guard's headers past the hand-over (guard-entries.ts), the bytes read are cut from the same transferred chunks.
  it.each([false, true])(
    'takes for each entry the digest of the bytes it read itself, while the file changes under it (headers by the guard: %s)',
    async (byGuard) => {
      const path = await bundleOf(Array.from({ length: 120 }, (_, i) => 1000 + ((i * 37) % 3000)));
      const ranges = dataRanges(await readFile(path));
      const handle = await open(path, 'r');
      const writer = await open(path, 'r+');
      const lane = StreamLane.start(handle, null, undefined, { chunkBytes: 1536, waitForWorker: true });
      if (lane === null) throw new Error('no worker');
      lane.startHashing();
      let fromWorker = 0;
      let entries = 0;
      try {
        const headersByGuard = byGuard ? (): boolean => lane.source.handedOver : undefined;
        for await (const entry of readTarEntries(lane.source, undefined, { headersByGuard })) {
          if (byGuard && lane.source.handedOver && entries > 10) expect(entry).toBeInstanceOf(BlockEntry);
          const takes = lane.hashes(entry);
          const chunks: Buffer[] = [];
          for await (const chunk of entry) chunks.push(chunk);
          if (takes) {
            expect(lane.digest(entry).toString('hex')).toBe(sha256(Buffer.concat(chunks)));
            fromWorker += 1;
          }
          // Rewrite the data of a file further on: the chunk holding it may have been read already, or not yet.
          const later = ranges[entries + 3];
          if (later) await writer.write(randomBytes(later.size), 0, later.size, later.start);
          entries += 1;
        }
      } finally {
        await writer.close();
        await lane.close();
      }
      expect(entries).toBe(ranges.length);
      expect(fromWorker).toBeGreaterThan(100);
    },
  );

  it('hashes payload files on the worker, with the report of the sequential pass', async () => {
    const path = await bundleOf(SIZES);
    const digest = vi.spyOn(StreamLane.prototype, 'digest');
    // Past the hand-over the walk reads the guard's entries, whole (node-tar is no longer fed).
    const whole = vi.spyOn(BlockEntry.prototype, 'takeWhole');
    const report = await verifyBothWays({ bundlePath: path, trusted: [signer.trusted] });
    expect(report.ok).toBe(true);
    expect(report.bundle.files).toBe(SIZES.length);
    // Every non-empty payload file but the few whose headers the main thread read before the hand-over (chunks of 1536 bytes).
    expect(digest.mock.calls.length).toBeGreaterThanOrEqual(SIZES.filter((size) => size > 0).length - 4);
    expect(whole.mock.calls.length).toBeGreaterThanOrEqual(digest.mock.calls.length - 4);
  });

  it('reports a file flipped in one byte, and a file cut short in a chunk, as the sequential pass does', async () => {
    const path = await bundleOf(SIZES);
    const archive = await readFile(path);
    const ranges = dataRanges(archive).filter((r) => r.path.includes('/data/') && r.size > 2000);
    const flipped = ranges[2];
    const cut = ranges.at(-1);
    if (!flipped || !cut) throw new Error('no files');
    const tampered = Buffer.from(archive);
    tampered[flipped.start + 1234] = (tampered[flipped.start + 1234] as number) ^ 1;
    await writeFile(path, tampered);
    const mismatch = await verifyBothWays({ bundlePath: path, trusted: [signer.trusted] });
    expect(mismatch.problems.map((p) => [p.code, p.path])).toEqual([['CHECKSUM_MISMATCH', flipped.path.slice('bag/'.length)]]);
    await truncate(path, cut.start + 1500);
    const truncated = await verifyBothWays({ bundlePath: path, trusted: [signer.trusted] });
    expect(truncated.ok).toBe(false);
    expect(truncated.problems.map((p) => p.code)).toContain('ARCHIVE_CORRUPT');
  });

  it('stops on a cancel in the middle of the stream, with CANCELLED, and its worker ends', async () => {
    const path = await bundleOf(Array.from({ length: 400 }, () => 4096));
    const controller = new AbortController();
    const closed = vi.spyOn(StreamLane.prototype, 'close');
    let taken = 0;
    const original = StreamLane.prototype.digest;
    vi.spyOn(StreamLane.prototype, 'digest').mockImplementation(function (this: StreamLane, entry) {
      // The 50th file hashed on the worker: the stream is in the middle of the payload.
      taken += 1;
      if (taken === 50) controller.abort();
      return original.call(this, entry);
    });
    const run = checkBundle({ bundlePath: path, trusted: [signer.trusted], signal: controller.signal, streamLane: STREAM_LANE_SMALL_CHUNKS });
    await expect(run).rejects.toMatchObject({ code: 'CANCELLED' });
    // Within a few chunks of the cancel (1536-byte chunks, 8 asked ahead: a 4 KiB file every 3 chunks), not the other 350 files.
    expect(taken).toBeLessThan(55);
    expect(closed).toHaveBeenCalledTimes(1);
  });
});

describe('default settings', () => {
  it('engage the stream lane while a core is free, for a bundle of 64 MiB and more whose first payload file is small, with the sequential report', async () => {
    // 17,000 files of 4 KiB: 78 MiB with their headers.
    const path = await bundleOf(Array.from({ length: 17_000 }, () => 4096));
    const opened = vi.spyOn(StreamLane, 'start');
    const now = new Date();
    const sequential = await checkBundle({ bundlePath: path, trusted: [signer.trusted], payloadLanes: 'off', now });
    cores.n = 2;
    cores.free = true;
    const streamed = await checkBundle({ bundlePath: path, trusted: [signer.trusted], now });
    expect(opened).toHaveBeenCalledTimes(1);
    expect(streamed.ok).toBe(true);
    expect(reportOf(streamed)).toEqual(reportOf(sequential));
    // No core free, even with more than two: not by default (measured slower then).
    cores.n = 8;
    cores.free = false;
    const busy = await checkBundle({ bundlePath: path, trusted: [signer.trusted], now });
    expect(opened).toHaveBeenCalledTimes(1);
    expect(reportOf(busy)).toEqual(reportOf(sequential));
    // The kernel does not say (no PSI): with more than two cores only, as before.
    cores.free = null;
    cores.n = 2;
    await checkBundle({ bundlePath: path, trusted: [signer.trusted], now });
    expect(opened).toHaveBeenCalledTimes(1);
    cores.n = 4;
    const fourCores = await checkBundle({ bundlePath: path, trusted: [signer.trusted], now });
    expect(opened).toHaveBeenCalledTimes(2);
    expect(reportOf(fourCores)).toEqual(reportOf(sequential));
  }, 120_000);
});

/**
 * Verify's payload on both cores (electron/core/verify/parallel/): the stream the walk reads is the
 * archive with exactly the claimed files' data as zeros; the default settings engage the lanes on
 * a bundle of 64 MiB and more, one file or several, with the same report as the sequential pass;
 * a cancel ends it; the book refuses what the source has read and notices a changed archive.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { ArchiveError } from '../../../../../electron/core/bundle/archive-error.js';
import { TarGuard } from '../../../../../electron/core/bundle/tar-guard.js';
import { AirlockError } from '../../../../../electron/core/errors.js';
import { ClaimBook } from '../../../../../electron/core/verify/parallel/claim-book.js';
import { FilledSource, isFiller } from '../../../../../electron/core/verify/parallel/filled-source.js';
import { ParallelPayload } from '../../../../../electron/core/verify/parallel/parallel-payload.js';
import { scoutPayload } from '../../../../../electron/core/verify/parallel/payload-scout.js';
import { checkBundle } from '../../../../../electron/core/verify/check-bundle.js';
import { makeSigner, signedBag, tarOf, type TestSigner } from '../../../../helpers/hostile-tar.js';
import { openOciFixture } from '../../../../helpers/oci-bundle.js';
import { defaultTestImages } from '../../../../helpers/oci-test-image.js';
import { reportOf, verifyBothWays } from '../../../../helpers/verify-both-ways.js';

let dir: string;
let signer: TestSigner;
let n = 0;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'airlock-verify-lanes-'));
  signer = await makeSigner();
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});
afterEach(() => {
  vi.restoreAllMocks();
});

/** Random bytes: a file read from the wrong offset, or as zeros, cannot match its checksum. */
function patterned(size: number, _seed: number): Buffer {
  return randomBytes(size);
}

async function bundleOf(files: Array<{ path: string; content: Buffer }>): Promise<string> {
  const bag = await signedBag(signer, files);
  n += 1;
  const path = join(dir, `b${n}.airlock.tar`);
  await writeFile(path, tarOf([...bag.tagEntries, ...bag.payloadEntries]));
  return path;
}

/** Each regular file's data range, by the guard's own reading of the real bytes. */
function dataRanges(archive: Buffer): Array<{ path: string; start: number; size: number }> {
  const guard = new TarGuard();
  guard.write(archive);
  return guard.entries.filter((e) => e.kind === 'file').map((e) => ({ path: e.path, start: e.dataOffset, size: e.size }));
}

describe('the stream the walk reads', () => {
  it('is the archive with the claimed payload files read as zeros, and nothing else changed', async () => {
    const sizes = [1, 511, 512, 513, 3000, 70_000];
    const path = await bundleOf(sizes.map((size, i) => ({ path: `data/f${i}.bin`, content: patterned(size, i) })));
    const archive = await readFile(path);
    const handle = await open(path, 'r');
    const book = new ClaimBook();
    try {
      const scout = scoutPayload(handle.fd, book, { claimMinBytes: 512, scoutReadBytes: 512 });
      const source = new FilledSource(handle.fd, book);
      const chunks: Buffer[] = [];
      let filler = 0;
      for await (const chunk of source) {
        if (isFiller(chunk as Buffer)) filler += (chunk as Buffer).length;
        chunks.push(Buffer.from(chunk as Buffer));
      }
      await scout;
      const read = Buffer.concat(chunks);
      expect(read.length).toBe(archive.length);
      const expected = Buffer.from(archive);
      let claimedBytes = 0;
      for (const range of dataRanges(archive)) {
        if (!range.path.startsWith('bag/data/') || range.size < 512) continue;
        const padded = Math.ceil(range.size / 512) * 512;
        expected.fill(0, range.start, range.start + padded);
        claimedBytes += padded;
      }
      expect(filler).toBe(claimedBytes);
      expect(read.equals(expected)).toBe(true);
    } finally {
      book.close(new AirlockError('CANCELLED'));
      await handle.close();
    }
  });
});

describe('default settings', () => {
  it.each([
    ['one file of 70 MiB', [70 << 20]],
    ['four files, 17 MiB each, and small ones between', [17 << 20, 300, 17 << 20, 0, 17 << 20, 5000, 17 << 20]],
  ])('%s: the lanes hash it and the report is the sequential one', async (_name, sizes) => {
    const files = sizes.map((size, i) => ({ path: `data/f${i}.bin`, content: patterned(size, i) }));
    const path = await bundleOf(files);
    const opened = vi.spyOn(ParallelPayload, 'open');
    const closed = vi.spyOn(ParallelPayload.prototype, 'close');
    const now = new Date();
    const sequential = await checkBundle({ bundlePath: path, trusted: [signer.trusted], payloadLanes: 'off', now });
    const parallel = await checkBundle({ bundlePath: path, trusted: [signer.trusted], now });
    expect(await opened.mock.results[0]?.value).toBeNull();
    expect(await opened.mock.results[1]?.value).toBeInstanceOf(ParallelPayload);
    // Every large file's data reached the walk as zeros: the walk read none of it from the file, the lanes hashed it.
    const large = sizes.filter((size) => size >= 1 << 20).reduce((sum, size) => sum + Math.ceil(size / 512) * 512, 0);
    expect((closed.mock.contexts[0] as ParallelPayload).source.filledBytes).toBe(large);
    expect(parallel.ok).toBe(true);
    expect(parallel.bundle.files).toBe(files.length);
    expect(reportOf(parallel)).toEqual(reportOf(sequential));
    // A flipped byte in the last large file is found by the lanes' digest, as by the sequential pass.
    const tampered = Buffer.from(await readFile(path));
    const last = dataRanges(tampered)
      .filter((r) => r.size > 1 << 20)
      .at(-1);
    if (!last) throw new Error('no large file');
    tampered[last.start + 12345] = (tampered[last.start + 12345] as number) ^ 1;
    await writeFile(path, tampered);
    const report = await verifyBothWays({ bundlePath: path, trusted: [signer.trusted] }, { minBundleBytes: 64 << 20, claimMinBytes: 1 << 20 });
    expect(report.problems.map((p) => [p.code, p.path])).toEqual([['CHECKSUM_MISMATCH', last.path.slice('bag/'.length)]]);
  });

  it('stops on a cancel while the lanes hash, with CANCELLED', async () => {
    // 4 x 64 MiB: large enough that a fast, idle machine cannot finish hashing before the abort (24 MiB files could).
    const path = await bundleOf([0, 1, 2, 3].map((i) => ({ path: `data/f${i}.bin`, content: patterned(64 << 20, i) })));
    const controller = new AbortController();
    let payloadBytesAtAbort: number | null = null;
    let lastBytes = 0;
    const run = checkBundle({
      bundlePath: path,
      trusted: [signer.trusted],
      signal: controller.signal,
      onProgress: (progress) => {
        lastBytes = progress.bytesDone;
        // At the payload phase's first report (it comes at once; later ones at most every 250 ms). A later
        // one may come only at the end on an idle machine, which hashes the 256 MiB on two cores in under
        // 250 ms: a cancel then comes too late to cancel anything (the 18:06 CI run got ok: true).
        if (progress.phase === 'verifying-payload' && payloadBytesAtAbort === null) {
          payloadBytesAtAbort = progress.bytesDone;
          controller.abort();
        }
      },
    });
    await expect(run).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(payloadBytesAtAbort).not.toBeNull();
    // Within a few chunks per lane (1 MiB each; the worker reports every 16 MiB), not the rest of the 96 MiB.
    expect(lastBytes - (payloadBytesAtAbort ?? 0)).toBeLessThan(40 << 20);
  });
});

describe('the claim book', () => {
  it('refuses a claim on bytes the source has already read', () => {
    const book = new ClaimBook();
    book.reserve(4096);
    expect(book.offer('bag/data/a', 2048, 1000, 3072)).toBe(false);
    expect(book.offer('bag/data/b', 4096, 1000, 5120)).toBe(true);
    expect(book.offer('bag/data/c', 4608, 10, 5120)).toBe(false);
  });

  it('refuses to go on when the walk finds other entries than the scout did (the archive changed while read)', () => {
    const book = new ClaimBook();
    expect(book.offer('bag/data/a', 1024, 5000, 6144)).toBe(true);
    book.claimAt(1024)!.filled = true;
    expect(() => book.pass(1024, 4000, 5120)).toThrow(ArchiveError);
    const again = new ClaimBook();
    expect(again.offer('bag/data/a', 1024, 5000, 6144)).toBe(true);
    again.claimAt(1024)!.filled = true;
    expect(() => again.pass(7168, 10, 7680)).toThrow(/changed while it was read/u);
    const unmet = new ClaimBook();
    expect(unmet.offer('bag/data/a', 1024, 5000, 6144)).toBe(true);
    unmet.claimAt(1024)!.filled = true;
    expect(() => unmet.assertAllPassed()).toThrow(ArchiveError);
  });
});

describe('an image bundle (the OCI graph check inspects every blob)', () => {
  it('hashes layers over 4 MiB on the lanes without reading them here, and reports what the sequential pass reports', async () => {
    const fx = await openOciFixture(defaultTestImages(5 << 20));
    try {
      const bundlePath = await fx.bundle(await fx.payload());
      const closed = vi.spyOn(ParallelPayload.prototype, 'close');
      const result = await verifyBothWays({ bundlePath, trusted: [fx.judge.signer.trusted] }, { minBundleBytes: 0, claimMinBytes: 1 << 20 });
      expect(result.problems).toEqual([]);
      expect(result.images?.length).toBeGreaterThan(0);
      const pass = closed.mock.contexts[0] as ParallelPayload;
      expect(pass.source.filledBytes).toBeGreaterThan(5 << 20);
      // Only blobs the graph check may keep (4 MiB at most) are read again here; the layers are not.
      expect(pass.rereadBytes).toBeLessThan(4 << 20);
    } finally {
      await fx.close();
    }
  });
});

/**
 * Issue #12, bounded resources: a refusal costs what was read to decide it, whatever the size
 * of the bundle. An early end-of-archive marker (a first kilobyte of zeros: a damaged medium, a
 * bundle still being written), data after the marker, or a signature file of thousands of
 * packets are refused after a bounded read; the bytes read are counted, not timed.
 */
import { open, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { armor, enums, unarmor } from 'openpgp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeFileHeader, padding } from '../../electron/core/bundle/tar-header.js';
import { checkBundle, type BundleSource } from '../../electron/core/verify/check-bundle.js';
import { signDetached } from '../../electron/core/crypto/detached-signature.js';
import { makeSigner, signedBag, tarOf, type TestSigner } from '../helpers/hostile-tar.js';

const GiB = 1024 ** 3;
const MiB = 1024 ** 2;
let dir: string;
let signer: TestSigner;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'airlock-bounded-'));
  signer = await makeSigner();
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A source of `size` bytes, `head` then `fill` bytes made on demand, counting what the reader pulled. */
function countedSource(head: Buffer, size: number, fill = 0): BundleSource & { pulled: () => number } {
  let pulled = 0;
  return {
    size,
    pulled: () => pulled,
    open: () => {
      let at = 0;
      return new Readable({
        highWaterMark: MiB,
        read() {
          if (at >= size) {
            this.push(null);
            return;
          }
          const n = Math.min(MiB, size - at);
          const chunk = Buffer.alloc(n, fill);
          if (at < head.length) head.copy(chunk, 0, at, Math.min(head.length, at + n));
          at += n;
          pulled += n;
          this.push(chunk);
        },
      });
    },
  };
}

const files = [{ path: 'data/a.txt', content: 'alpha\n' }];

describe('early end-of-archive marker', () => {
  it('a 1 GiB bundle whose first kilobyte is zeros is refused after reading a few MiB at most', async () => {
    const source = countedSource(Buffer.alloc(1024), GiB, 0x41);
    const result = await checkBundle({ bundlePath: 'zeros.airlock.tar', source, trusted: [signer.trusted] });
    expect(result.problems.map((p) => p.code)).toEqual(['ARCHIVE_CORRUPT']);
    expect(source.pulled()).toBeLessThanOrEqual(4 * MiB);
  });

  it('a 1 GiB bundle of zeros only (a blank medium) is refused after reading a few MiB at most', async () => {
    const source = countedSource(Buffer.alloc(0), GiB, 0);
    const result = await checkBundle({ bundlePath: 'blank.airlock.tar', source, trusted: [signer.trusted] });
    expect(result.problems.map((p) => p.code)).toEqual(['ARCHIVE_CORRUPT']);
    expect(source.pulled()).toBeLessThanOrEqual(4 * MiB);
  });

  it('a sparse 1 GiB file on disk whose first kilobyte is zeros: verify reports few bytes read', async () => {
    const path = join(dir, 'sparse.airlock.tar');
    const handle = await open(path, 'w');
    await handle.truncate(GiB);
    await handle.write(Buffer.from('after the hole'), 0, 14, 512 * 1024 * 1024);
    await handle.close();
    let bytesDone = 0;
    const result = await checkBundle({ bundlePath: path, trusted: [signer.trusted], onProgress: (p) => (bytesDone = Math.max(bytesDone, p.bytesDone)) });
    expect(result.problems.map((p) => p.code)).toEqual(['ARCHIVE_CORRUPT']);
    expect(bytesDone).toBeLessThanOrEqual(4 * MiB);
  });

  it('a bundle still being written (tag section not yet filled in, payload records growing) gets a verdict, not a hang', async () => {
    // The one-pass export writes payload records first and the tag files at the start last: until then
    // the file starts with zeros. Here the file keeps growing while verify reads it.
    const path = join(dir, '.bundle.airlock.tar.0123.partial');
    const record = Buffer.concat([
      encodeFileHeader({ path: 'bundle/data/big.bin', size: 4 * MiB, mtime: new Date(0) }),
      Buffer.alloc(4 * MiB, 7),
      padding(4 * MiB),
    ]);
    await writeFile(path, Buffer.concat([Buffer.alloc(16 * 1024), record]));
    const handle = await open(path, 'a');
    let writing = true;
    const grow = (async () => {
      for (let i = 0; i < 200 && writing; i += 1) {
        await handle.write(record);
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    })();
    try {
      let bytesDone = 0;
      const result = await checkBundle({ bundlePath: path, trusted: [signer.trusted], onProgress: (p) => (bytesDone = Math.max(bytesDone, p.bytesDone)) });
      expect(result.ok).toBe(false);
      expect(result.problems.map((p) => p.code)).toEqual(['ARCHIVE_CORRUPT']);
      expect(bytesDone).toBeLessThanOrEqual(4 * MiB);
    } finally {
      writing = false;
      await grow;
      await handle.close();
    }
  });
});

describe('data after the end-of-archive marker', () => {
  it("1 GiB of data after a valid bundle's marker is refused after a bounded read", async () => {
    const bag = await signedBag(signer, files);
    const bundle = tarOf([...bag.tagEntries, ...bag.payloadEntries]);
    const source = countedSource(bundle, bundle.length + GiB, 0x42);
    const result = await checkBundle({ bundlePath: 'trailing.airlock.tar', source, trusted: [signer.trusted] });
    expect(result.problems.map((p) => p.code)).toEqual(['ARCHIVE_CORRUPT']);
    expect(source.pulled()).toBeLessThanOrEqual(bundle.length + 4 * MiB);
  });

  it('1 GiB of zeros after the marker (more than the padding to a 10 240-byte record) is refused too', async () => {
    const bag = await signedBag(signer, files);
    const bundle = tarOf([...bag.tagEntries, ...bag.payloadEntries]);
    const source = countedSource(bundle, bundle.length + GiB, 0);
    const result = await checkBundle({ bundlePath: 'zeros-after.airlock.tar', source, trusted: [signer.trusted] });
    expect(result.problems.map((p) => p.code)).toEqual(['ARCHIVE_CORRUPT']);
    expect(source.pulled()).toBeLessThanOrEqual(bundle.length + 4 * MiB);
  });

  it('zero padding up to the 10 240-byte record (what GNU tar and Python write) is accepted', async () => {
    const bag = await signedBag(signer, files);
    const bundle = tarOf([...bag.tagEntries, ...bag.payloadEntries]);
    const padded = Buffer.concat([bundle, Buffer.alloc((10240 - (bundle.length % 10240)) % 10240)]);
    const path = join(dir, 'padded.airlock.tar');
    await writeFile(path, padded);
    const result = await checkBundle({ bundlePath: path, trusted: [signer.trusted] });
    expect(result.problems).toEqual([]);
    expect(result.ok).toBe(true);
  });
});

describe('a signature file of thousands of packets', () => {
  it('is refused as LIMIT_EXCEEDED before openpgp.js parses them', async () => {
    const bag = await signedBag(signer, files);
    // Thousands of copies of a signature by the trusted key over other bytes: each would be verified.
    const { data } = await unarmor(await signDetached(Buffer.from('other bytes'), [signer.privateKey]));
    const many = armor(enums.armor.signature, Buffer.concat(Array.from({ length: 3000 }, () => Buffer.from(data as Uint8Array))));
    // Under the 1 MiB tag-file limit: the packet count is what refuses it.
    expect(many.length).toBeLessThan(1024 * 1024);
    const entries = bag.tagEntries.map((e) => (e.path.endsWith('.asc') ? { ...e, body: many } : e));
    const path = join(dir, 'many-signatures.airlock.tar');
    await writeFile(path, tarOf([...entries, ...bag.payloadEntries]));
    const result = await checkBundle({ bundlePath: path, trusted: [signer.trusted] });
    expect(result.problems.map((p) => p.code)).toEqual(['LIMIT_EXCEEDED']);
    expect(result.problems[0]?.path).toBe('tagmanifest-sha256.txt.asc');
  });
});

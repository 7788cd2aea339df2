/**
 * The one-pass export to a medium (export/one-pass-write.ts, media-output.ts's openOnePass): on ext4
 * the records are written by position and the read-back proves them region by region
 * (read-back/region-check.ts). The bundle must be byte for byte what the folder export writes (and
 * what the two-pass route writes on FAT through fusefat), and one byte that reads back otherwise,
 * in any region, must fail the export. Faults are put on the medium after the last write and
 * before the flush, through the file itself: the read-back (O_DIRECT) then finds them on the device.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile, type FileHandle } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { MediaVolume } from '../../../shared/media.js';
import { writeBundle, type WriteBundleResult } from '../../../electron/core/export/write-bundle.js';
import type { OpenOnePassDestination, OnePassWritten } from '../../../electron/core/export/one-pass-write.js';
import { MediaOutput } from '../../../electron/core/media/output/media-output.js';
import { combineSignatures, openpgpSigner } from '../../../electron/core/crypto/bundle-signer.js';
import { checkBundle } from '../../../electron/core/verify/check-bundle.js';
import { AirlockError } from '../../../electron/core/errors.js';
import { makeSigner, type TestSigner } from '../../helpers/hostile-tar.js';
import { LoopMedia, mediaTestPrerequisites, type LoopMedium } from '../../helpers/loop-media.js';

// One bundle id for every export here, so the folder's and the media's bundles can be compared byte for byte.
vi.mock('node:crypto', async (original) => ({ ...(await original<typeof import('node:crypto')>()), randomUUID: () => '3b8f4c1e-0d6a-4e59-9a1b-2c7d5e6f8a90' }));

const missing = mediaTestPrerequisites({ fat: true });

interface Entry {
  name: string;
  headerAt: number;
  header: Buffer;
  dataAt: number;
  size: number;
  data: Buffer;
}

/** The archive's entries (plain ustar headers: the names here are short), and where the end blocks start. */
function entries(bundle: Buffer): { list: Entry[]; endAt: number } {
  const list: Entry[] = [];
  let at = 0;
  while (at + 512 <= bundle.length && bundle.subarray(at, at + 512).some((b) => b !== 0)) {
    const header = bundle.subarray(at, at + 512);
    const name = header.toString('utf8', 0, 100).replace(/\0.*$/su, '');
    const size = Number.parseInt(header.toString('ascii', 124, 136).replace(/\0.*$/su, '').trim(), 8);
    list.push({ name, headerAt: at, header, dataAt: at + 512, size, data: bundle.subarray(at + 512, at + 512 + size) });
    at += 512 + Math.ceil(size / 512) * 512;
  }
  return { list, endAt: at };
}

function volumeOf(medium: LoopMedium): MediaVolume {
  return {
    id: medium.mountPoint,
    device: medium.device,
    disk: null,
    label: medium.label,
    filesystem: medium.fs,
    size: null,
    free: null,
    mountPoint: medium.mountPoint,
    vendor: null,
    model: null,
    serial: null,
    readOnly: false,
    removable: false,
    source: 'config',
  };
}

describe.skipIf(missing !== null && !process.env['CI'])(`export to media in one pass${missing ? ` (skipped: ${missing})` : ''}`, () => {
  let root: string;
  let media: LoopMedia;
  let ext4: LoopMedium;
  let fat: LoopMedium;
  let src: string;
  let signer: TestSigner;
  const now = new Date('2026-12-04T12:00:00.000Z');

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'airlock-onepass-'));
    media = new LoopMedia(root);
    ext4 = await media.ext4('onepass-ext4', 32, 'ONEPASS');
    fat = await media.fat32('onepass-fat', 40, 'ONEFAT');
    // Made before `now`: every export here is dated `now`, so the folder's and the media's bundles can be compared.
    signer = await makeSigner('One Pass', { date: new Date('2026-01-01T00:00:00.000Z') });
    src = join(root, 'src');
    await mkdir(join(src, 'sub'), { recursive: true });
    await writeFile(join(src, 'big.bin'), randomBytes(3 * 1024 * 1024 + 77));
    await writeFile(join(src, 'small.txt'), 'a small file, padded to its block\n'.repeat(9));
    await writeFile(join(src, 'empty.bin'), '');
    await writeFile(join(src, 'sub', 'exact.bin'), randomBytes(8192));
  }, 120_000);

  afterAll(async () => {
    media?.cleanup();
    if (root) await rm(root, { recursive: true, force: true });
  });

  /** Export `src` as `name` onto `medium` (or to `folder`); `fault` sees the one-pass file before it is flushed. */
  async function exportBundle(
    name: string,
    to: { medium: LoopMedium } | { folder: string },
    fault?: (handle: FileHandle, written: OnePassWritten) => Promise<void>,
  ): Promise<{ result: WriteBundleResult; output: MediaOutput | null }> {
    const common = {
      selection: [src],
      name,
      sequence: 7,
      identity: { station: 'st', operator: 'op', organization: 'Org' },
      signers: [openpgpSigner(signer.privateKey)],
      now,
    };
    if ('folder' in to) return { result: await writeBundle({ ...common, outDir: to.folder }), output: null };
    const output = new MediaOutput({ targets: [volumeOf(to.medium)], signIndex: () => Promise.reject(new Error('not split')), readBack: true });
    const onePassTo: OpenOnePassDestination = async (plan) => {
      const destination = await output.openOnePass(plan);
      if (!destination || !fault) return destination;
      return {
        ...destination,
        complete: async (written) => {
          await fault(destination.handle, written);
          return destination.complete(written);
        },
      };
    };
    const result = await writeBundle({ ...common, outDir: to.medium.mountPoint, openOutput: output.open, onePassTo });
    return { result, output };
  }

  it('ext4: one pass, read back region by region; the bundle is byte for byte the folder export’s (and the two-pass route’s on FAT)', async () => {
    const folder = join(root, 'out');
    await mkdir(folder);
    const inFolder = await exportBundle('same-bytes', { folder });
    const onExt4 = await exportBundle('same-bytes', { medium: ext4 });
    const onFat = await exportBundle('same-bytes', { medium: fat });

    const ext4Report = onExt4.output?.report();
    expect(ext4Report?.volumes[0]?.readBack).toMatchObject({ ok: true, method: 'o-direct', checkedBy: 'records' });
    // The two-pass route (fusefat takes no writes by position well) compares the whole file's SHA-256.
    expect(onFat.output?.report().volumes[0]?.readBack).toMatchObject({ ok: true, checkedBy: 'sha256' });

    const folderBytes = await readFile(inFolder.result.bundlePath);
    const ext4Bytes = await readFile(onExt4.result.bundlePath);
    const fatBytes = await readFile(onFat.result.bundlePath);
    // The file's SHA-256 named in the report (and receipt) is the one read back once every region checked out.
    const { createHash } = await vi.importActual<typeof import('node:crypto')>('node:crypto');
    expect(ext4Report?.files[0]?.sha256).toBe(createHash('sha256').update(ext4Bytes).digest('hex'));

    // OpenPGP signatures carry a random salt: everything but the signature's bytes must be identical.
    const [a, b, c] = [entries(folderBytes), entries(ext4Bytes), entries(fatBytes)];
    expect(b.list.map((e) => e.name)).toEqual(a.list.map((e) => e.name));
    expect(c.list.map((e) => e.name)).toEqual(a.list.map((e) => e.name));
    for (const [i, entry] of a.list.entries()) {
      for (const other of [b.list[i] as Entry, c.list[i] as Entry]) {
        if (entry.name.endsWith('/tagmanifest-sha256.txt.asc')) continue;
        expect(other.header.equals(entry.header), entry.name).toBe(true);
        expect(other.data.equals(entry.data), entry.name).toBe(true);
        expect(other.headerAt, entry.name).toBe(entry.headerAt);
      }
    }
    for (const bytes of [ext4Bytes, fatBytes]) expect(bytes.subarray(entries(bytes).endAt).equals(folderBytes.subarray(a.endAt))).toBe(true);
    expect(a.list.map((e) => e.name)).toContain('same-bytes/data/src/empty.bin');
    // And it verifies as a bundle.
    const check = await checkBundle({ bundlePath: onExt4.result.bundlePath, trusted: [signer.trusted] });
    expect(check.problems).toEqual([]);
    await rm(onExt4.result.bundlePath);
  }, 120_000);

  /** Where to put a fault in the written file: an offset found from the archive's own headers. */
  type Pick = (list: Entry[], endAt: number) => number;
  const at = (name: string, list: Entry[]): Entry => list.find((e) => e.name.endsWith(name)) as Entry;
  const regions: Array<{ region: string; pick: Pick; differsIn: RegExp }> = [
    { region: 'bag-info (tag section)', pick: (l) => at('/bag-info.txt', l).dataAt + 5, differsIn: /^the tag files bagit\.txt and bag-info\.txt$/u },
    { region: 'the manifest', pick: (l) => at('/manifest-sha256.txt', l).dataAt + 70, differsIn: /^manifest-sha256\.txt \(against the SHA-256 signed/u },
    { region: 'the manifest header', pick: (l) => at('/manifest-sha256.txt', l).headerAt + 130, differsIn: /^the header of manifest-sha256\.txt$/u },
    {
      region: 'the signature',
      pick: (l) => at('/tagmanifest-sha256.txt.asc', l).dataAt + 40,
      differsIn: /^the tag files tagmanifest-sha256\.txt and tagmanifest-sha256\.txt\.asc$/u,
    },
    { region: 'a payload header (its mtime)', pick: (l) => at('/big.bin', l).headerAt + 140, differsIn: /^the header of data\/src\/big\.bin$/u },
    { region: 'a payload file', pick: (l) => at('/big.bin', l).dataAt + 2_000_000, differsIn: /^data\/src\/big\.bin \(against its SHA-256/u },
    {
      region: 'the last byte of a payload',
      pick: (l) => at('/small.txt', l).dataAt + at('/small.txt', l).size - 1,
      differsIn: /^data\/src\/small\.txt \(against/u,
    },
    { region: 'padding', pick: (l) => at('/big.bin', l).dataAt + at('/big.bin', l).size + 3, differsIn: /^the padding of data\/src\/big\.bin$/u },
    { region: 'the end-of-archive blocks', pick: (_l, endAt) => endAt + 700, differsIn: /^the end-of-archive blocks$/u },
  ];

  it.each(regions)(
    'ext4: one byte flipped on the medium in $region fails the read-back, named by its region',
    async ({ region, pick, differsIn }) => {
      let flipped = -1;
      const name = `fault-${region.replace(/[^a-z]+/gu, '-').replace(/-$/u, '')}`;
      const failure = await exportBundle(name, { medium: ext4 }, async (handle) => {
        const bytes = await readFile(`/proc/self/fd/${handle.fd}`);
        const { list, endAt } = entries(bytes);
        flipped = pick(list, endAt);
        const one = Buffer.from([(bytes[flipped] as number) ^ 0x20]);
        await handle.write(one, 0, 1, flipped);
      }).then(
        () => null,
        (error: unknown) => error,
      );
      expect(failure).toBeInstanceOf(AirlockError);
      const error = failure as AirlockError;
      expect(error.code, error.message).toBe('MEDIA_READBACK_FAILED');
      const data = error.data as { offset: number; length: number; differsIn: string; expectedSha256: string | null };
      expect(data.differsIn).toMatch(differsIn);
      expect(data.offset).toBeLessThanOrEqual(flipped);
      expect(data.offset + data.length).toBeGreaterThan(flipped);
      expect(data.expectedSha256).toBeNull();
      // The file stays on the medium as the evidence; the next case writes another name.
      const path = join(ext4.mountPoint, `${name}.airlock.tar`);
      expect((await readFile(path)).length).toBeGreaterThan(3_000_000);
      await rm(path);
    },
    60_000,
  );

  it('ext4: a file cut short on the medium (the end blocks lost) fails the read-back', async () => {
    const failure = await exportBundle('cut-short', { medium: ext4 }, async (handle) => {
      const { size } = await handle.stat();
      await handle.truncate(size - 512);
    }).then(
      () => null,
      (error: unknown) => error as AirlockError,
    );
    expect(failure?.code, failure?.message).toBe('MEDIA_READBACK_FAILED');
    expect((failure?.data as { differsIn: string }).differsIn).toBe('the end-of-archive blocks (the file ends early)');
    await rm(join(ext4.mountPoint, 'cut-short.airlock.tar'));
  }, 60_000);

  it('ext4: a block that reads back as another block’s bytes (a medium that wraps its writes) fails on the payload’s digest', async () => {
    let target = -1;
    const failure = await exportBundle('wrapped', { medium: ext4 }, async (handle) => {
      const bytes = await readFile(`/proc/self/fd/${handle.fd}`);
      const first = bytes.subarray(0, 4096);
      target = at('/big.bin', entries(bytes).list).dataAt + (1 << 20);
      await handle.write(first, 0, first.length, target);
    }).then(
      () => null,
      (error: unknown) => error as AirlockError,
    );
    expect(failure?.code, failure?.message).toBe('MEDIA_READBACK_FAILED');
    expect((failure?.data as { differsIn: string }).differsIn).toMatch(/^data\/src\/big\.bin \(against its SHA-256/u);
    expect(target).toBeGreaterThan(0);
    await rm(join(ext4.mountPoint, 'wrapped.airlock.tar'));
  }, 60_000);

  it('ext4: a signature that does not fit the room left for it: the one-pass file is removed and the bundle written in two passes', async () => {
    const inProcess = openpgpSigner(signer.privateKey);
    let calls = 0;
    // The stand-in signature is one packet; the real one two: a block longer than laid out.
    const growing = {
      ...inProcess,
      sign: async (data: Uint8Array, date?: Date) => {
        calls += 1;
        const one = await inProcess.sign(data, date);
        return calls === 1 ? one : combineSignatures([one, await inProcess.sign(data, date)]);
      },
    };
    const output = new MediaOutput({ targets: [volumeOf(ext4)], signIndex: () => Promise.reject(new Error('not split')), readBack: true });
    let offered = 0;
    const result = await writeBundle({
      selection: [src],
      name: 'refit',
      sequence: 9,
      identity: { station: 'st', operator: 'op', organization: 'Org' },
      signers: [growing],
      now,
      outDir: ext4.mountPoint,
      openOutput: output.open,
      onePassTo: async (plan) => {
        offered += 1;
        return output.openOnePass(plan);
      },
    });
    expect(offered).toBe(1);
    expect(calls).toBe(2);
    expect(output.report().volumes[0]?.readBack).toMatchObject({ ok: true, checkedBy: 'sha256' });
    const { readdir } = await import('node:fs/promises');
    expect((await readdir(ext4.mountPoint)).filter((f) => f !== 'lost+found')).toEqual(['refit.airlock.tar']);
    const check = await checkBundle({ bundlePath: result.bundlePath, trusted: [signer.trusted] });
    expect(check.problems).toEqual([]);
    await rm(result.bundlePath);
  }, 60_000);

  it('cancelled during the one pass: nothing at the final name, no temp file left on the medium', async () => {
    const controller = new AbortController();
    const output = new MediaOutput({ targets: [volumeOf(ext4)], signIndex: () => Promise.reject(new Error('not split')), readBack: true });
    const failure = await writeBundle({
      selection: [src],
      name: 'cancelled',
      sequence: 8,
      identity: { station: 'st', operator: 'op', organization: 'Org' },
      signers: [openpgpSigner(signer.privateKey)],
      now,
      outDir: ext4.mountPoint,
      openOutput: output.open,
      onePassTo: output.openOnePass,
      signal: controller.signal,
      onProgress: (progress) => {
        if (progress.phase !== 'scanning') controller.abort();
      },
    }).then(
      () => null,
      (error: unknown) => error as AirlockError,
    );
    expect(failure?.code, failure?.message).toBe('CANCELLED');
    const { readdir } = await import('node:fs/promises');
    expect((await readdir(ext4.mountPoint)).filter((f) => f !== 'lost+found')).toEqual([]);
  }, 60_000);
});
